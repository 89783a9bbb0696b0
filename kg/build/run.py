"""``build``: source files → extraction → RDF → validated, written outputs.

Everything is computed in memory and validated before the first byte is written, and
each output is replaced atomically, so a failed build leaves the previous ``out/`` as it
was.

For a corpus the build is incremental and parallel:

* documents are extracted on an engine of :mod:`kg.engine` (a process pool by default
  when there is enough text), and the output does not depend on which;
* each extraction is cached under ``OUT/cache/`` by content hash (:mod:`kg.cache`), so an
  unchanged document is never extracted again, and a build whose inputs, options and code
  are those of the last build, with its outputs untouched, returns at once;
* the graph files are drawn document by document (:mod:`kg.assemble`): a build draws the
  graphs of the documents that are new or changed, takes out those that are gone, redraws
  the shared descriptions they touch, and copies the rest from the previous files;
  unchanged input files are not even read again.

A build holds one lock on its output folder (``OUT/.lock``, :func:`lock_folder`) from
before it reads its first input until its last output is written: a second build into the
same folder stops at once with :class:`~kg.errors.FolderBusyError`.

Every build checks its whole graph against the SHACL shapes (:mod:`kg.shacl`, the
shapes compiled to Python: seconds for a corpus, where pySHACL took hours).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from . import engine as engines
from ..store import generations
from ..rdf.assemble import DATASET_FILE, GRAPH_FILE, Assembly, GraphIndex, document_part, sweep
from .cache import CACHE_DIR, ExtractionCache, Manifest, build_key, graph_fingerprint
from ..rdf.edges import relations_of
from ..errors import (
    EmptyInputError,
    FolderBusyError,
    InputError,
    MissingInputError,
    OutputError,
    UndecodableInputError,
    UnsupportedInputError,
    ValidationError,
)
from ..extract.pipeline import Pipeline, default_pipeline
from ..rdf.graph import KnowledgeGraph, build_graph, duplicates, load_ontology
from ..rdf.iris import document_iri
from ..model import Document, Extraction
from ..namespaces import FTZ, RDF, SKOS
from .progress import Progress
from ..rdf.rdfwrite import Triple
from ..read.documents import KnownDocument, discover_sources, loaded, read_document, read_stdin
from ..rdf.validate import ValidationReport, validate_triples

__all__ = [
    "BuildResult",
    "BuildStats",
    "build",
    "extract_documents",
    "extract_paths",
    "read_inputs",
    "validate_knowledge",
    "GRAPH_FILE",
    "DATASET_FILE",
    "LOCK_FILE",
    "lock_folder",
]

INDEX_FILE = "graph.sqlite"
# The one lock of a build: held on OUT/.lock from before the first input is read until
# the last output (graph files, store, maps) is written.
LOCK_FILE = ".lock"

Writer = Callable[["BuildResult"], list[Path]]
_NOT_VALIDATED = ValidationReport(True, 0, "", ())


@dataclass(frozen=True)
class BuildStats:
    """Counts shown in the summary (kept in the manifest, so a no-op build need not load
    the graph to print them)."""

    triples: int
    class_counts: dict[str, int]
    relations: int
    observations: int

    @classmethod
    def of(cls, extractions: Sequence[Extraction], triples: set[Triple]) -> BuildStats:
        """The counts of ``triples``, the graph built from ``extractions``."""
        counts: Counter[str] = Counter()
        seen = set()
        for ex in extractions:
            for m in ex.mentions:
                if m.entity not in seen:
                    seen.add(m.entity)
                    counts[m.entity.cls] += 1
            for r in ex.relations:
                for e in (r.subject, r.object):
                    if e not in seen:
                        seen.add(e)
                        counts[e.cls] += 1
        # A text under two names holds its figures once (kg.graph.duplicates).
        observations = sum(1 for _s, p, o in triples if p == RDF.type and o == FTZ.Observation)
        return cls(len(triples), dict(counts), len(relations_of(triples)), observations)


class BuildResult:
    """What a build produced.

    ``extractions``, ``dataset`` and ``graph`` are computed on first use when the build
    did not need them (a build that found its outputs up to date), so that a no-op
    rebuild of a corpus costs only the reading of its files.
    """

    def __init__(
        self,
        out_dir: Path,
        documents: int,
        extractions: list[Extraction] | Callable[[], list[Extraction]],
        dataset: Dataset | None = None,
        graph: Graph | None = None,
        report: ValidationReport = _NOT_VALIDATED,
        warnings: list[str] | None = None,
        written: list[Path] | None = None,
        *,
        knowledge: KnowledgeGraph | Callable[[], KnowledgeGraph] | None = None,
        stats: BuildStats | None = None,
        notes: list[str] | None = None,
        extracted: int = 0,
        cached: int = 0,
        up_to_date: bool = False,
        timings: dict[str, float] | None = None,
        assembly: Assembly | None = None,
    ) -> None:
        self.out_dir = Path(out_dir)
        # Where readers find the outputs: out_dir, except while the writers run, when
        # out_dir is the generation being written (kg.generations).
        self.published_dir = self.out_dir
        self.documents = documents
        self.report = report
        self.warnings: list[str] = warnings if warnings is not None else []
        self.written: list[Path] = written if written is not None else []
        self.notes: list[str] = notes if notes is not None else []
        self.extracted = extracted  # documents extracted by this build
        self.cached = cached  # documents whose extraction came from the cache
        self.up_to_date = up_to_date  # nothing to do: the outputs were already current
        self.timings: dict[str, float] = timings if timings is not None else {}
        self._extractions = extractions
        self._knowledge = knowledge
        self._dataset = dataset
        self._graph = graph
        self._stats = stats
        # What this build changed in the graph files (None for a build that did nothing).
        self.assembly = assembly

    @property
    def extractions(self) -> list[Extraction]:
        if callable(self._extractions):
            self._extractions = self._extractions()
        return self._extractions

    @property
    def knowledge(self) -> KnowledgeGraph:
        """The built graph as sets of triples (see :class:`kg.graph.KnowledgeGraph`)."""
        if callable(self._knowledge):
            self._knowledge = self._knowledge()
        if self._knowledge is None:
            self._knowledge = build_graph(self.extractions, default_pipeline().lexicon)
        return self._knowledge

    @property
    def dataset(self) -> Dataset:
        """One named graph per document (an rdflib view, made on first use)."""
        if self._dataset is None:
            self._dataset = self.knowledge.dataset()
        return self._dataset

    @property
    def graph(self) -> Graph:
        """The union of all graphs, as written to ``kg.ttl`` (made on first use)."""
        if self._graph is None:
            self._graph = self.knowledge.graph()
        return self._graph

    @property
    def stats(self) -> BuildStats:
        if self._stats is None:
            triples = self.knowledge.triples() if self._knowledge is not None else set(self.graph)
            self._stats = BuildStats.of(self.extractions, triples)
        return self._stats

    def class_counts(self) -> Counter[str]:
        return Counter(self.stats.class_counts)

    @property
    def relation_count(self) -> int:
        return self.stats.relations

    @property
    def observation_count(self) -> int:
        return self.stats.observations

    def summary(self) -> str:
        stats = self.stats
        where = self.out_dir / GRAPH_FILE
        if self.up_to_date:
            head = (
                f"up to date: {where} ({stats.triples} triples from {self.documents} document(s))"
            )
        else:
            head = f"built {where}: {stats.triples} triples from {self.documents} document(s)"
        lines = [
            head,
            "entities: " + ", ".join(f"{cls} {n}" for cls, n in sorted(stats.class_counts.items())),
            f"relations: {stats.relations}, observations: {stats.observations}",
        ]
        if self.cached:
            lines.append(f"extracted {self.extracted} document(s), {self.cached} from the cache")
        lines.extend(self.notes)
        if self.warnings:
            lines.append(f"warnings: {len(self.warnings)}")
            lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)


# -- reading --------------------------------------------------------------------------

# Errors that make a file found in a folder unreadable (skipped with a warning), and a
# file named on the command line an error.
_UNREADABLE = (UndecodableInputError, UnsupportedInputError, MissingInputError)


def _reason(exc: InputError, name: str) -> str:
    """The middle of an error message: "x.txt: <reason>; <what to do>" → reason."""
    message = exc.message
    if message.startswith(f"{name}: "):
        message = message[len(name) + 2 :]
    return message.split("; ")[0]


def read_inputs(
    paths: Sequence[str | Path],
    strict: bool = False,
    known: Callable[[Path], KnownDocument | None] | None = None,
    remember: Callable[[Document], None] | None = None,
) -> tuple[list[Document | KnownDocument], list[str]]:
    """Read every input and return the documents and the warnings.

    ``known`` gives what a previous build read from a file that is unchanged since (it is
    not read again); ``remember`` is told of every file that is read.

    A file named in ``paths`` that cannot be read is an error. Files found in a folder
    that cannot be read are skipped and named together in one warning (an error with
    ``strict``); empty files are skipped with a warning each (an error with ``strict``).
    """
    warnings: list[str] = []
    documents: list[Document | KnownDocument] = []
    skipped: list[str] = []
    files = [p for p in paths if str(p) != "-"]
    for source in discover_sources(files):
        before = known(source.path) if known is not None else None
        if before is not None:
            documents.append(before)
            continue
        try:
            document = read_document(source.path, notes=warnings)
            documents.append(document)
            if remember is not None:
                remember(document)
        except EmptyInputError as exc:
            if strict:
                raise
            warnings.append(exc.message)
        except _UNREADABLE as exc:
            if source.explicit:
                raise
            skipped.append(f"{source.path} ({_reason(exc, source.path.name)})")
    if skipped:
        listing = "; ".join(skipped)
        if strict:
            raise InputError(
                f"{len(skipped)} file(s) in the input folders cannot be read: {listing}. "
                "Fix or remove them, or build without --strict to skip them"
            )
        warnings.append(f"skipped {len(skipped)} unreadable file(s): {listing}")
    if any(str(p) == "-" for p in paths):
        documents.append(read_stdin(notes=warnings))
    return documents, warnings


# -- extraction -----------------------------------------------------------------------


def extract_documents(
    documents: Sequence[Document],
    pipeline: Pipeline,
    *,
    engine: str = "auto",
    jobs: int | None = None,
    cache: ExtractionCache | None = None,
    progress: Progress | None = None,
) -> list[Extraction]:
    """Extract ``documents`` (in their order), from ``cache`` where it has them."""
    found: list[Extraction | None] = [cache.get(d) if cache else None for d in documents]
    todo = [i for i, ex in enumerate(found) if ex is None]
    show = progress or Progress(False)
    with show.bar(len(documents), "extracting", initial=len(documents) - len(todo)) as bar:
        if cache is not None and cache.hits:
            bar.set_postfix_str(f"{cache.hits} cached")
        for done in engines.run([documents[i] for i in todo], pipeline, engine=engine, jobs=jobs):
            index = todo[done.index]
            found[index] = done.extraction
            if cache is not None:
                cache.put(documents[index], done.extraction, done.payload)
            bar.update(1)
    return [ex for ex in found if ex is not None]


def extract_paths(
    paths: Sequence[str | Path],
    pipeline: Pipeline | None = None,
    strict: bool = False,
    *,
    engine: str = "serial",
    jobs: int | None = None,
) -> tuple[list[Extraction], list[str]]:
    """Read and extract ``paths`` (no cache); returns the extractions and the warnings."""
    documents, warnings = read_inputs(paths, strict)
    pipe = pipeline or default_pipeline()
    return extract_documents(
        [loaded(d) for d in documents], pipe, engine=engine, jobs=jobs
    ), warnings


# -- validation -----------------------------------------------------------------------


def _cited_documents(triples: Iterable[Triple]) -> set[Triple]:
    """The types of the documents ``triples`` name as the holder of their text, for a
    check of a document graph without the graph of that document."""
    return {(o, RDF.type, FTZ.Document) for _s, p, o in triples if p == FTZ.duplicateOf}


def validate_knowledge(knowledge: KnowledgeGraph, ontology: Graph) -> tuple[ValidationReport, str]:
    """SHACL-validate the whole graph (:mod:`kg.shacl`, linear in its size, so a build
    checks every triple, never a sample). Returns the report and a note ("": full)."""
    return validate_triples(knowledge.triples(), ontology), ""


# -- the build ------------------------------------------------------------------------


class _Clock:
    def __init__(self, progress: Progress) -> None:
        self.timings: dict[str, float] = {}
        self.progress = progress

    @contextmanager
    def stage(self, name: str, message: str = "") -> Iterator[None]:
        if message:
            self.progress.stage(message)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


def _writer_name(writer: Writer) -> str:
    return f"{getattr(writer, '__module__', '?')}:{getattr(writer, '__qualname__', repr(writer))}"


def build(
    paths: Sequence[str | Path] = ("seeds",),
    out_dir: str | Path = "out",
    *,
    pipeline: Pipeline | None = None,
    strict: bool = False,
    validate: bool = True,
    extra_outputs: Sequence[Writer] = (),
    engine: str = "auto",
    jobs: int | None = None,
    cache: bool = False,
    progress: bool | None = None,
) -> BuildResult:
    """Build the graph from ``paths`` into ``out_dir`` and return what was built.

    ``engine`` and ``jobs`` choose how documents are extracted (:mod:`kg.engine`).
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
    with lock_folder(out):
        return _locked_build(
            paths,
            out,
            pipeline=pipeline,
            strict=strict,
            validate=validate,
            extra_outputs=extra_outputs,
            engine=engine,
            jobs=jobs,
            cache=cache,
            progress=progress,
        )


@contextmanager
def lock_folder(out: Path) -> Iterator[None]:
    """Hold the build lock of ``out`` (an exclusive ``flock`` on ``OUT/.lock``).

    Two builds into one folder would leave the graph files of one and the store of the
    other, so the second raises :class:`~kg.errors.FolderBusyError` at once, before it
    reads or extracts anything. The kernel releases the lock when the process ends, even
    on kill -9: a stale lock file is harmless and is never deleted (deleting it would let
    a third build lock a different file)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OutputError(
            f"{out}: cannot create the output folder or its lock file {LOCK_FILE} ({exc}); "
            "check the path and its permissions, or choose another folder with --out"
        ) from exc
    try:
        try:
            _flock(fd)
        except BlockingIOError:
            holder = ""
            with suppress(OSError):
                os.lseek(fd, 0, os.SEEK_SET)
                holder = os.read(fd, 64).decode("ascii", "replace").strip()
            by = f" (process {holder})" if holder.isdigit() else ""
            raise FolderBusyError(
                f"{out}: another build is writing this folder{by}; wait for it to finish, "
                "or build into another folder with --out"
            ) from None
        with suppress(OSError):  # who holds it, for the message above; not needed
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        os.close(fd)  # releases the lock


def _flock(fd: int) -> None:
    """Take an exclusive lock on ``fd`` without waiting (BlockingIOError if it is held)."""
    if sys.platform == "win32":  # lock the first byte instead
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            raise BlockingIOError(str(exc)) from exc
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


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


def _index_error(out: Path, exc: sqlite3.Error) -> OutputError:
    # Builds exclude each other with OUT/.lock (lock_folder): whatever holds the index
    # now is another program (or a build of an older ftz-kg that took no folder lock).
    return OutputError(
        f"{out / CACHE_DIR / INDEX_FILE}: {exc}. Another program has the graph index open: "
        f"close it, or delete {out / CACHE_DIR} to start afresh"
    )


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
    # one rename (kg.generations): a reader sees the old set or the new set, never a mix.
    try:
        stage = generations.stage(out)
    except OSError as exc:
        raise OutputError(
            f"{out}: cannot write the outputs there ({exc}); check the folder"
        ) from exc
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
        )
        result.out_dir = stage  # the writers write into the stage
        with clock.stage("outputs"):
            for number, output in enumerate(extra_outputs, 1):
                result.written.extend(output(result))
                generations.checkpoint(f"after-output-{number}")
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


def _open_index(
    out: Path, store: ExtractionCache | None, pipe: Pipeline, ontology: Graph
) -> GraphIndex:
    """The graph index of ``out`` when it describes the files there, else an empty one."""
    if store is None:
        return GraphIndex(None, "", pipe.lexicon, ontology)
    index = GraphIndex(
        out / CACHE_DIR / INDEX_FILE, graph_fingerprint(store.fingerprint), pipe.lexicon, ontology
    )
    if index.documents() and not index.matches(out):
        index.reset()
    return index


def _assemble(
    out: Path,
    documents: list[Document | KnownDocument],
    warnings: list[str],
    pipe: Pipeline,
    ontology: Graph,
    index: GraphIndex,
    store: ExtractionCache | None,
    clock: _Clock,
    *,
    validate: bool,
    engine: str,
    jobs: int | None,
    show: Progress,
    stage: Path,
) -> BuildResult:
    """Draw the documents the index lacks, take out those it has no more, validate, and
    write the graph files into ``stage`` (the generation being built)."""
    documents, notes = _one_per_iri(documents)
    wanted: dict[str, Document | KnownDocument] = {}
    for document in documents:
        wanted.setdefault(ExtractionCache.key(document), document)

    def iri(key: str) -> str:
        return str(document_iri(wanted[key].content_hash, wanted[key].name))

    # The same text under several names is drawn once (kg.graph.duplicates): a document
    # that became, or is no more, the duplicate of another is drawn again.
    primaries = duplicates(wanted.values())
    primary = {k: str(primaries.get(iri(k), "")) for k in wanted}
    paths = {iri(k): wanted[k].path for k in wanted}
    for k in sorted(wanted, key=iri):
        if primary[k]:
            notes.append(
                f"{wanted[k].path}: the same text as {paths[primary[k]]}; its sentences, "
                f"relations and figures are recorded once, under {paths[primary[k]]} "
                "(ftz:duplicateOf)"
            )
    present = index.documents()
    drawn_as = index.duplicates()
    redraw = {k for k in present & wanted.keys() if drawn_as.get(k, "") != primary[k]}
    removed = (present - wanted.keys()) | redraw
    new_keys = sorted((k for k in wanted if k not in present or k in redraw), key=iri)
    with clock.stage("extract"):
        new = extract_documents(
            [loaded(wanted[k]) for k in new_keys],
            pipe,
            engine=engine,
            jobs=jobs,
            cache=store,
            progress=show,
        )
    generations.checkpoint("after-extract")
    with clock.stage("graph", f"drawing the graphs of {len(new)} document(s)"):
        parts = [
            document_part(
                ex, k, pipe.lexicon, ontology, index.fmt, URIRef(primary[k]) if primary[k] else None
            )
            for k, ex in zip(new_keys, new, strict=True)
        ]
        assembly = index.apply(removed, parts)
    generations.checkpoint("after-graph")
    report = _NOT_VALIDATED
    if validate:
        with clock.stage("validate", "checking the graph against ontology/shapes.ttl"):
            report, note = _validate_assembly(assembly, index, ontology)
        if note:
            notes.append(note)
    if not report.conforms:
        raise ValidationError(
            f"the built graph violates ontology/shapes.ttl ({report.violations} violation(s)); "
            "nothing was written. Run `ftz-kg validate` on a graph for the full report",
            report=report.summary(),
        )
    stats = BuildStats(
        index.triple_count(),
        index.class_counts(),
        index.relation_count(),
        index.observation_count(),
    )
    if not assembly.full:
        notes.append(
            f"redrew {len(parts)} document graph(s), removed {len(removed - redraw)}; "
            f"{len(present & wanted.keys() - redraw)} unchanged"
        )

    def all_extractions() -> list[Extraction]:
        if assembly.full and len(new) == len(documents):
            return new
        return extract_documents([loaded(d) for d in documents], pipe, cache=store)

    def knowledge() -> KnowledgeGraph:
        if assembly.full:
            return _knowledge_of(assembly)
        return build_graph(all_extractions(), pipe.lexicon, ontology)

    result = BuildResult(
        out,
        len(documents),
        all_extractions,
        report=report,
        warnings=warnings,
        knowledge=knowledge,
        stats=stats,
        notes=notes,
        extracted=store.misses if store else len(new),
        # Taken from the extraction cache, or left as they were in the graph files.
        cached=len(documents) - (store.misses if store else len(new)),
        timings=clock.timings,
        assembly=assembly,
    )
    Manifest.remove(out)
    generations.checkpoint("before-write")
    with clock.stage("write", f"writing {out / GRAPH_FILE} and {out / DATASET_FILE}"):
        result.written = index.write(stage, assembly)
        generations.checkpoint("after-graph-write")
        index.commit()
    generations.checkpoint("after-index-commit")
    return result


def _one_per_iri(
    documents: list[Document | KnownDocument],
) -> tuple[list[Document | KnownDocument], list[str]]:
    """The documents, one per document IRI, and a note for each left out: the same text
    under names that give the same IRI (a.txt, A.txt) is one document (the first)."""
    kept: dict[URIRef, Document | KnownDocument] = {}
    notes: list[str] = []
    for document in documents:
        first = kept.setdefault(document_iri(document.content_hash, document.name), document)
        if first is not document and first.path != document.path:
            notes.append(
                f"{document.path}: the same text as {first.path}, under a name that gives the "
                "same document IRI; built once"
            )
    return list(kept.values()), notes


def _knowledge_of(assembly: Assembly) -> KnowledgeGraph:
    """The graph of a build that drew every document (its default graph is all redrawn)."""
    knowledge = KnowledgeGraph()
    for part in assembly.added:
        knowledge.named(part.graph).update(part.triples)
    knowledge.default.update(assembly.redrawn)
    return knowledge


def _validate_assembly(
    assembly: Assembly, index: GraphIndex, ontology: Graph
) -> tuple[ValidationReport, str]:
    """Validate what this build drew: all of it on a first build; on a later one the new
    document graphs and redrawn descriptions, with the types and labels of what they cite."""
    if assembly.full:
        return validate_knowledge(_knowledge_of(assembly), ontology)
    partial = _knowledge_of(assembly)
    described = {s for s, _p, _o in assembly.redrawn}
    cited = {
        o
        for triples in partial.graphs.values()
        for _s, _p, o in triples
        if isinstance(o, URIRef) and o not in described
    }
    for iri in sorted(cited):
        if index.present(str(iri)):
            partial.default.update(
                t for t in index.describe(str(iri)) if t[1] in (RDF.type, SKOS.prefLabel)
            )
    for part in assembly.added:
        partial.default.update(_cited_documents(part.triples))
    report, note = validate_knowledge(partial, ontology)
    if not note:
        note = (
            f"validated the {len(assembly.added)} new document graph(s) and the descriptions "
            "they changed; run `ftz-kg validate` for a full check"
        )
    return report, note


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
