"""The build's validation step: the graph checked against the SHACL shapes before anything is
written."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import chain

from rdflib import Graph, URIRef

from ..namespaces import FTZ, RDF, SKOS
from ..rdf.assemble import Assembly, GraphIndex
from ..rdf.graph import KnowledgeGraph
from ..rdf.rdfwrite import Triple, in_memory_order
from ..rdf.shacl import Grouped
from ..rdf.validate import ValidationReport, validate_triples


def _cited_documents(triples: Iterable[Triple]) -> set[Triple]:
    """The types of the documents ``triples`` name as the holder of their text, for a
    check of a document graph without the graph of that document."""
    return {(o, RDF.type, FTZ.Document) for _s, p, o in triples if p == FTZ.duplicateOf}


def validate_knowledge(
    knowledge: KnowledgeGraph, ontology: Graph, grouped: Sequence[Grouped] = ()
) -> tuple[ValidationReport, str]:
    """SHACL-validate the whole graph (:mod:`kg.rdf.shacl`, linear in its size, so a build
    checks every triple, never a sample), with the graphs ``grouped`` by subject beside it
    (:func:`kg.rdf.validate.validate_triples`). Returns the report and a note ("": full)."""
    # Graph by graph rather than their union: a graph's triples lie together in memory,
    # while the union's (hash) order visits the whole heap at random, one cache miss after
    # another (the index of a corpus graph took twice as long). A triple in several graphs
    # is indexed twice, to the same effect.
    # A large graph is read in the order its triples lie in memory (in_memory_order): the
    # index is filled, and the focus nodes visited, in that order. No result changes: the
    # index holds each node's values once and the report is sorted.
    graphs = (in_memory_order(triples) for triples in knowledge.graphs.values())
    return validate_triples(chain.from_iterable(graphs), ontology, grouped=grouped), ""


def _knowledge_of(assembly: Assembly, named: bool = True) -> KnowledgeGraph:
    """The graph of a build that drew every document (its default graph is all redrawn),
    without the documents' graphs unless ``named``."""
    knowledge = KnowledgeGraph()
    for part in assembly.added if named else ():
        knowledge.named(part.graph).update(part.triples)
    knowledge.default.update(assembly.redrawn)
    return knowledge


def _validate_assembly(
    assembly: Assembly,
    index: GraphIndex,
    ontology: Graph,
    grouped: Sequence[Grouped] | None = None,
) -> tuple[ValidationReport, str]:
    """Validate what this build drew: all of it on a first build; on a later one the new
    document graphs and redrawn descriptions, with the types and labels of what they cite.

    ``grouped``, when given, holds the triples of the document graphs drawn
    (``assembly.added``, in order) as their drawing grouped them by subject
    (:func:`kg.rdf.parts.document_part`'s ``subjects``): the check's index takes a
    subject at a time from them instead of a triple at a time from the graphs."""
    if grouped is not None and (
        len(grouped) != len(assembly.added)
        or any(
            part.triples and not found for part, found in zip(assembly.added, grouped, strict=False)
        )
    ):
        raise ValueError("validate: one grouping is needed per document graph drawn")
    named = grouped is None
    if assembly.full:
        return validate_knowledge(_knowledge_of(assembly, named), ontology, grouped or ())
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
        if not named:  # read above for what they cite; indexed from their grouping
            del partial.graphs[part.graph]
    report, note = validate_knowledge(partial, ontology, grouped or ())
    if not note:
        note = (
            f"validated the {len(assembly.added)} new document graph(s) and the descriptions "
            "they changed; run `ftz-kg validate` for a full check"
        )
    return report, note
