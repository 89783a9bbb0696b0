"""The build's validation step: the graph checked against the SHACL shapes before anything is
written."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from rdflib import Graph, URIRef

from ..namespaces import FTZ, RDF, SKOS
from ..rdf.assemble import Assembly, GraphIndex
from ..rdf.graph import KnowledgeGraph
from ..rdf.rdfwrite import Triple
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
    graphs = (_in_memory_order(triples) for triples in knowledge.graphs.values())
    return validate_triples(chain.from_iterable(graphs), ontology), ""


# Above this many triples a graph's set spans more memory than the caches hold.
_LARGE = 20_000


def _in_memory_order(triples: set[Triple]) -> Iterable[Triple]:
    """A large graph's triples in the order they lie in memory (CPython's ``id`` is the
    address), which is about the order they were drawn in: the check's index is filled,
    and its focus nodes visited, in that order rather than the set's hash order (the
    750 KB file's check with the sort 0.30-0.43 s, without 0.43-0.60 s). The order changes
    no result: the index holds sets and the report is sorted."""
    return sorted(triples, key=id) if len(triples) >= _LARGE else triples


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
