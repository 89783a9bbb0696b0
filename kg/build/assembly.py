"""The build's assembly step: the graph files drawn document by document from the graph index
(:mod:`kg.rdf.assemble`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from ..errors import (
    OutputError,
    ValidationError,
)
from ..extract.pipeline import Pipeline
from ..model import Document, Extraction
from ..rdf.assemble import Assembly, GraphIndex
from ..rdf.graph import KnowledgeGraph, build_graph, duplicates
from ..rdf.graph_files import DATASET_FILE, GRAPH_FILE
from ..rdf.iris import document_iri
from ..rdf.parts import document_part
from ..read.documents import KnownDocument, loaded
from ..store import generations
from .background import AnyJob
from .cache import CACHE_DIR, ExtractionCache, Manifest, graph_fingerprint
from .checks import _knowledge_of, _validate_assembly
from .extraction import extract_documents
from .forked import spare_cores
from .outputs import maps_after_drawing, start_network, streamed_store
from .progress import Progress
from .result import _NOT_VALIDATED, BuildResult, BuildStats, _Clock

INDEX_FILE = "graph.sqlite"


def _index_error(out: Path, exc: sqlite3.Error) -> OutputError:
    # Builds exclude each other with OUT/.lock (lock_folder): whatever holds the index
    # now is another program (or a build of an older ftz-kg that took no folder lock).
    return OutputError(
        f"{out / CACHE_DIR / INDEX_FILE}: {exc}. Another program has the graph index open: "
        f"close it, or delete {out / CACHE_DIR} to start afresh"
    )


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
    starting: Collection[str] = (),
    started: dict[str, AnyJob] | None = None,
) -> BuildResult:
    """Draw the documents the index lacks, take out those it has no more, validate, and
    write the graph files into ``stage`` (the generation being built).

    The outputs of ``starting`` (writer names) that can begin before the check are started
    into ``started`` (:func:`kg.build.outputs.streamed_store`: the SPARQL store of a first
    build, from the bodies of the graph files as they are drawn): the caller waits for
    them, whatever happens."""
    if started is None:
        started = {}
    documents, notes = _one_per_iri(documents)
    wanted: dict[str, Document | KnownDocument] = {}
    for document in documents:
        wanted.setdefault(ExtractionCache.key(document), document)

    def iri(key: str) -> str:
        return str(document_iri(wanted[key].content_hash, wanted[key].name))

    # The same text under several names is drawn once (kg.rdf.graph.duplicates): a document
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
    spare = spare_cores()
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
    # In a stage the graph files can be written before the check (a failed build discards
    # the stage), and outputs made from them start on threads beside it; written in
    # place (no symbolic links here), they must wait for it.
    early = stage != out
    stream = None
    try:
        with clock.stage("graph", f"drawing the graphs of {len(new)} document(s)"):
            drawn = None
            if early and not present:
                drawn = maps_after_drawing(
                    starting, len(new), spare(), pipe, ontology, started, stage, out
                )
                stream = streamed_store(starting, stage, started)
            parts = []
            # Each graph's triples as its drawing groups them by subject, for the check
            grouped: list[dict[Node, dict[str, list[Node]]]] = []
            for number, (k, ex) in enumerate(zip(new_keys, new, strict=True), 1):
                subjects: dict[Node, dict[str, list[Node]]] | None = {} if validate else None
                part = document_part(
                    ex,
                    k,
                    pipe.lexicon,
                    ontology,
                    index.fmt,
                    URIRef(primary[k]) if primary[k] else None,
                    subjects,
                    hashed=index.hashed,
                    handed=None if stream is None else stream.handed(last=number == len(new)),
                    on_drawn=drawn,
                )
                parts.append(part)
                if subjects is not None:
                    grouped.append(subjects)
            if stream is not None and not new:
                stream.drawn()
            assembly = index.apply(removed, parts)
            if stream is not None:
                # A first build's default graph: every block is drawn now, one per subject.
                stream.add([(None, assembly.default_body)], len(assembly.redrawn))
        generations.checkpoint("after-graph")
        written: list[Path] = []
        if early:
            written = _write(out, stage, index, assembly, clock)
            if stream is not None:
                stream.finish()
    finally:
        if stream is not None:
            stream.abort()  # the build stopped before finish(): nothing is loaded then
    report = _NOT_VALIDATED
    if validate:
        with clock.stage("validate", "checking the graph against ontology/shapes.ttl"):
            report, note = _validate_assembly(assembly, index, ontology, grouped)
        grouped.clear()  # as large as the check's index: not kept for the outputs
        if note:
            notes.append(note)
    if not report.conforms:
        raise ValidationError(
            f"the built graph violates ontology/shapes.ttl ({report.violations} violation(s)); "
            "nothing was written. Run `ftz-kg validate` on a graph for the full report",
            report=report.summary(),
        )
    # The maps' network, read from the graph in memory while the store still loads.
    # In a stage, a child process draws the maps beside the zone pages (kg.build.forked),
    # forked only after the check: a page of the heap the parent writes once forked is
    # copied first, and the check touches every triple.
    start_network(starting, assembly, started, stage if early else None, out)
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
    result.started = started
    result.written = written if early else _write(out, stage, index, assembly, clock)
    index.commit()
    generations.checkpoint("after-index-commit")
    return result


def _write(
    out: Path, stage: Path, index: GraphIndex, assembly: Assembly, clock: _Clock
) -> list[Path]:
    """Write the graph files into ``stage`` (the index is committed once the build is
    known good)."""
    Manifest.remove(out)
    generations.checkpoint("before-write")
    with clock.stage("write", f"writing {out / GRAPH_FILE} and {out / DATASET_FILE}"):
        written = index.write(stage, assembly)
    generations.checkpoint("after-graph-write")
    return written


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
