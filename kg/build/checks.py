"""The build's validation step: the graph checked against the SHACL shapes before anything is
written."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from rdflib import Graph, URIRef

from ..namespaces import FTZ, RDF, SKOS
from ..rdf.assemble import Assembly, GraphIndex
from ..rdf.graph import KnowledgeGraph
from ..rdf.rdfwrite import Triple, in_memory_order
from ..rdf.validate import ValidationReport, validate_triples


def _cited_documents(triples: Iterable[Triple]) -> set[Triple]:
    """The types of the documents ``triples`` name as the holder of their text, for a
    check of a document graph without the graph of that document."""
    return {(o, RDF.type, FTZ.Document) for _s, p, o in triples if p == FTZ.duplicateOf}


def validate_knowledge(knowledge: KnowledgeGraph, ontology: Graph) -> tuple[ValidationReport, str]:
    """SHACL-validate the whole graph (:mod:`kg.rdf.shacl`, linear in its size, so a build
    checks every triple, never a sample). Returns the report and a note ("": full)."""
    # Graph by graph rather than their union: a graph's triples lie together in memory,
    # while the union's (hash) order visits the whole heap at random, one cache miss after
    # another (the index of a corpus graph took twice as long). A triple in several graphs
    # is indexed twice, to the same effect.
    # A large graph is read in the order its triples lie in memory (in_memory_order): the
    # index is filled, and the focus nodes visited, in that order. No result changes: the
    # index holds sets and the report is sorted.
    graphs = (in_memory_order(triples) for triples in knowledge.graphs.values())
    return validate_triples(chain.from_iterable(graphs), ontology), ""


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
