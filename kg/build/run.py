"""``build``: source files → extraction → RDF → validated, written outputs.

Everything is computed in memory and validated before the first byte is written, and
each output is replaced atomically, so a failed build leaves the previous ``out/`` as it
was.

For a corpus the build is incremental and parallel:

* documents are extracted on an engine of :mod:`kg.build.engine` (a process pool by default
  when there is enough text), and the output does not depend on which;
* each extraction is cached under ``OUT/cache/`` by content hash (:mod:`kg.build.cache`), so an
  unchanged document is never extracted again, and a build whose inputs, options and code
  are those of the last build, with its outputs untouched, returns at once;
* the graph files are drawn document by document (:mod:`kg.rdf.assemble`): a build draws the
  graphs of the documents that are new or changed, takes out those that are gone, redraws
  the shared descriptions they touch, and copies the rest from the previous files;
  unchanged input files are not even read again.

A build holds one lock on its output folder (``OUT/.lock``, :func:`kg.build.lock.lock_folder`) from
before it reads its first input until its last output is written: a second build into the
same folder stops at once with :class:`~kg.errors.FolderBusyError`.

Every build checks its whole graph against the SHACL shapes (:mod:`kg.rdf.shacl`, the
shapes compiled to Python: seconds for a corpus, where pySHACL took hours).

The steps are modules of their own: :mod:`kg.build.inputs`, :mod:`kg.build.extraction`,
:mod:`kg.build.assembly`, :mod:`kg.build.checks`; what a build returns is
:mod:`kg.build.result`, and this module runs them in order under :mod:`kg.build.lock`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import suppress
from pathlib import Path

from rdflib import Graph

from ..errors import (
    InputError,
    OutputError,
)
from ..extract.pipeline import Pipeline, default_pipeline
from ..model import Document, Extraction
from ..rdf.assemble import GraphIndex
from ..rdf.gcpause import build_heap
from ..rdf.graph import KnowledgeGraph, build_graph, load_ontology
from ..rdf.graph_files import sweep
from ..read.documents import KnownDocument, loaded
from ..store import generations
from .assembly import _assemble, _index_error, _one_per_iri, _open_index
from .background import AnyJob
from .cache import CACHE_DIR, ExtractionCache, Manifest, build_key
from .extraction import extract_documents
from .inputs import read_inputs
from .lock import lock_folder
from .outputs import OUTPUTS, output_writers
from .progress import Progress
from .result import BuildResult, BuildStats, Writer, _Clock

__all__ = ["build"]


def _writer_name(writer: Writer) -> str:
    return f"{getattr(writer, '__module__', '?')}:{getattr(writer, '__qualname__', repr(writer))}"


@build_heap  # kg.rdf.gcpause: the collector skips what the build keeps
def build(
    paths: Sequence[str | Path] = ("seeds",),
    out_dir: str | Path = "out",
    *,
    pipeline: Pipeline | None = None,
    strict: bool = False,
    validate: bool = True,
    outputs: Iterable[str] = OUTPUTS,
    extra_outputs: Sequence[Writer] = (),
    engine: str = "auto",
    jobs: int | None = None,
    cache: bool = False,
    progress: bool | None = None,
) -> BuildResult:
    """Build the graph from ``paths`` into ``out_dir`` and return what was built.

    The steps are those of ``ftz-kg build``: ``OUT/kg.ttl`` and ``OUT/kg.trig`` always,
    then the ``outputs`` named (default all of :data:`kg.build.outputs.OUTPUTS`: ``store``,
    the SPARQL store, and ``maps``, the relation maps and zone pages), then any
    ``extra_outputs`` (writers ``(BuildResult) -> list[Path]``). ``outputs=()`` writes
    the graph files only.

    ``engine`` and ``jobs`` choose how documents are extracted (:mod:`kg.build.engine`).
    ``cache=True`` (what ``ftz-kg build`` does) reuses and updates ``OUT/cache/``: cached
    extractions, and no work at all when nothing changed since the last build. It is off
    by default here because it trusts the files on disk: a caller that patches code at run
    time would get the previous result. ``progress`` shows a progress bar (default: a bar
    on a terminal, elsewhere plain lines per stage and per tenth of the documents).

    Raises :class:`~kg.errors.InputError` for unusable input and
    :class:`~kg.errors.ValidationError` if the graph does not conform to the shapes
    (nothing is written then).
    """
    out = Path(out_dir)
    writers = [*output_writers(outputs, progress), *extra_outputs]
    with lock_folder(out):
        return _locked_build(
            paths,
            out,
            pipeline=pipeline,
            strict=strict,
            validate=validate,
            extra_outputs=writers,
            engine=engine,
            jobs=jobs,
            cache=cache,
            progress=progress,
        )


def _locked_build(
    paths: Sequence[str | Path],
    out: Path,
    *,
    pipeline: Pipeline | None,
    strict: bool,
    validate: bool,
    extra_outputs: Sequence[Writer],
    engine: str,
    jobs: int | None,
    cache: bool,
    progress: bool | None,
) -> BuildResult:
    show = Progress(progress)
    clock = _Clock(show)
    pipe = pipeline or default_pipeline()
    store = ExtractionCache.open(out, pipe) if cache else None
    ontology = load_ontology()
    try:
        index = _open_index(out, store, pipe, ontology)
    except sqlite3.Error as exc:
        raise _index_error(out, exc) from exc
    # The files the last build replaced are deleted while this one works.
    sweeper = sweep(out / CACHE_DIR) if store is not None else None
    try:
        return _build(
            paths,
            out,
            pipe,
            ontology,
            index,
            store,
            clock,
            show,
            strict=strict,
            validate=validate,
            extra_outputs=extra_outputs,
            engine=engine,
            jobs=jobs,
        )
    except sqlite3.Error as exc:
        with suppress(sqlite3.Error):  # the rollback must not hide the error
            index.rollback()
        raise _index_error(out, exc) from exc
    except BaseException:
        with suppress(sqlite3.Error):
            index.rollback()
        raise
    finally:
        index.close()
        if sweeper is not None:
            sweeper.join()


def _build(
    paths: Sequence[str | Path],
    out: Path,
    pipe: Pipeline,
    ontology: Graph,
    index: GraphIndex,
    store: ExtractionCache | None,
    clock: _Clock,
    show: Progress,
    *,
    strict: bool,
    validate: bool,
    extra_outputs: Sequence[Writer],
    engine: str,
    jobs: int | None,
) -> BuildResult:
    with clock.stage("read"):
        documents, warnings = read_inputs(paths, strict, index.known, index.remember)
    generations.checkpoint("after-read")
    if not documents:
        raise InputError("no document to build from: every input was empty; give .txt files")
    key = ""
    if store is not None:
        options = {
            "validate": validate,
            "shacl": "compiled",
            "outputs": [_writer_name(w) for w in extra_outputs],
        }
        key = build_key(store.fingerprint, documents, options, extra_outputs)
        manifest = Manifest.load(out)
        if manifest is not None and manifest.key == key and manifest.intact(out):
            with suppress(OSError):  # what a killed build left
                generations.clean(out)
            return _up_to_date(out, documents, warnings, pipe, store, manifest, clock)
    else:
        Manifest.remove(out)  # outputs about to change without a record of them

    # Every output is written into a new generation folder, published at the end with
    # one rename (kg.store.generations): a reader sees the old set or the new set, never a mix.
    try:
        stage = generations.stage(out)
    except OSError as exc:
        raise OutputError(
            f"{out}: cannot write the outputs there ({exc}); check the folder"
        ) from exc
    started: dict[str, AnyJob] = {}
    try:
        try:
            result = _assemble(
                out,
                documents,
                warnings,
                pipe,
                ontology,
                index,
                store,
                clock,
                validate=validate,
                engine=engine,
                jobs=jobs,
                show=show,
                stage=stage,
                starting={_writer_name(w) for w in extra_outputs},
                started=started,
            )
            result.out_dir = stage  # the writers write into the stage
            with clock.stage("outputs"):
                for number, output in enumerate(extra_outputs, 1):
                    result.written.extend(output(result))
                    generations.checkpoint(f"after-output-{number}")
        finally:
            # No thread outlives the build, nor writes into a stage being discarded.
            for job in started.values():
                job.join()
                # Shown apart from the stages, which it overlaps (bench/bench_build.py).
                clock.timings[job.timing] = clock.timings.get(job.timing, 0.0) + job.seconds
            started.clear()
        generations.publish(out, stage)
    except OSError as exc:
        generations.discard(out, stage)
        raise OutputError(
            f"{out}: cannot write the outputs there ({exc}); check the folder"
        ) from exc
    except BaseException:
        generations.discard(out, stage)
        raise
    result.out_dir = out
    result.written = [_published(out, stage, path) for path in result.written]
    if store is not None:
        stats = result.stats
        stats_record = {
            "triples": stats.triples,
            "class_counts": stats.class_counts,
            "relations": stats.relations,
            "observations": stats.observations,
            "notes": result.notes,
        }
        Manifest.of(key, out, result.written, stats_record).save(out)
        generations.checkpoint("after-manifest")
        store.prune()
    return result


def _published(out: Path, stage: Path, path: Path) -> Path:
    """Where a file written into the stage is read once the stage is published."""
    try:
        return out / Path(path).relative_to(stage)
    except ValueError:
        return Path(path)


def _up_to_date(
    out: Path,
    documents: list[Document | KnownDocument],
    warnings: list[str],
    pipe: Pipeline,
    store: ExtractionCache,
    manifest: Manifest,
    clock: _Clock,
) -> BuildResult:
    """The result of a build whose outputs are already current: nothing is rewritten."""
    documents, _notes = _one_per_iri(documents)  # the notes are the manifest's

    def load_extractions() -> list[Extraction]:
        return extract_documents([loaded(d) for d in documents], pipe, cache=store)

    def load_knowledge() -> KnowledgeGraph:
        return build_graph(result.extractions, pipe.lexicon, load_ontology())

    record = manifest.stats
    stats = BuildStats(
        int(record["triples"]),
        {str(k): int(v) for k, v in dict(record["class_counts"]).items()},
        int(record["relations"]),
        int(record["observations"]),
    )
    notes = [str(n) for n in record.get("notes", [])]
    notes.append("nothing changed since the last build: no output was rewritten")
    result = BuildResult(
        out,
        len(documents),
        load_extractions,
        warnings=warnings,
        knowledge=load_knowledge,
        stats=stats,
        notes=notes,
        up_to_date=True,
        timings=clock.timings,
    )
    return result
