"""The network of an rdflib graph: the built graph, a graph file, or the result of a SPARQL CONSTRUCT."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node as RdfNode

from ..errors import QueryError
from ..namespaces import DCTERMS, FTZ, PROV, RDF, RDFS, SKOS
from ..rdf.edges import entity_classes, is_relation
from .facts import _assemble, _Facts, _literal
from .network import Figure, Network, Sentence, SourceDocument


def build_network(graph: Graph, *, context: Graph | None = None) -> Network:
    """The entity network of ``graph``.

    With ``context`` (the built graph), ``graph`` is a CONSTRUCT result: its triples decide
    which entities and relations are drawn, and ``context`` supplies what they are (class,
    labels) and their evidence (sentences, documents).
    """
    return _assemble(_read_graph(graph, context))


def _read_graph(graph: Graph, context: Graph | None) -> _Facts:
    desc = graph if context is None else context + graph
    classes = _graph_classes(desc)
    # Which entities are drawn: all of them, or those the CONSTRUCT result talks about.
    if context is None:
        drawn = set(classes)
    else:
        drawn = {
            str(term)
            for s, _, o in graph
            for term in (s, o)
            if isinstance(term, URIRef) and str(term) in classes
        }
    facts = _Facts(classes={iri: classes[iri] for iri in drawn})
    facts.links = {
        (str(s), str(p), str(o))
        for s, p, o in graph
        if isinstance(o, URIRef) and is_relation(str(s), str(p), str(o), drawn.__contains__)
    }
    _graph_labels(desc, facts)
    facts.documents = _graph_documents(desc)
    sentence = _GraphSentences(desc, facts)
    _graph_node_evidence(desc, facts, sentence)
    _graph_edge_evidence(desc, facts, sentence)
    return facts


def _graph_classes(desc: Graph) -> dict[str, str]:
    return entity_classes(desc.triples((None, RDF.type, None)))


def _graph_labels(desc: Graph, facts: _Facts) -> None:
    for predicate in (SKOS.prefLabel, DCTERMS.title, RDFS.label):
        for s, o in desc.subject_objects(predicate):
            # Terms (relations, classes) are named by their rdfs:label, so keep all of those.
            if isinstance(o, Literal) and (str(s) in facts.classes or predicate == RDFS.label):
                facts.literals[(str(s), str(predicate))].add((str(o), o.language))
    for s, o in desc.subject_objects(SKOS.altLabel):
        if str(s) in facts.classes:
            facts.aliases[str(s)].add(str(o))


def _graph_documents(desc: Graph) -> dict[str, SourceDocument]:
    documents: dict[str, SourceDocument] = {}
    for doc in desc.subjects(RDF.type, FTZ.Document):
        title = _literal(desc, doc, DCTERMS.title, None) or _literal(
            desc, doc, SKOS.prefLabel, None
        )
        path = _literal(desc, doc, FTZ.sourcePath, None)
        documents[str(doc)] = SourceDocument(str(doc), title or path or str(doc), path)
    return documents


class _GraphSentences:
    """Reads a sentence node into ``facts.sentences`` the first time evidence cites it."""

    def __init__(self, desc: Graph, facts: _Facts) -> None:
        self.desc = desc
        self.facts = facts

    def __call__(self, node: RdfNode) -> str:
        key = str(node)
        if key not in self.facts.sentences:
            text = _literal(self.desc, node, FTZ.text, None)
            doc = self.desc.value(node, PROV.wasDerivedFrom)
            offset = self.desc.value(node, FTZ.startOffset)
            self.facts.sentences[key] = Sentence(
                key,
                text,
                str(doc) if doc is not None and str(doc) in self.facts.documents else "",
                int(offset.toPython()) if isinstance(offset, Literal) else 0,
            )
        return key


def _graph_node_evidence(desc: Graph, facts: _Facts, sentence: _GraphSentences) -> None:
    drawn = facts.classes
    for mention, entity in desc.subject_objects(FTZ.denotes):
        if str(entity) in drawn:
            for s_node in desc.objects(mention, FTZ.inSentence):
                facts.node_sentences[str(entity)].add(sentence(s_node))
    for s_node in desc.subjects(RDF.type, FTZ.Sentence):
        for entity in desc.objects(s_node, FTZ.mentions):
            if str(entity) in drawn:
                facts.node_sentences[str(entity)].add(sentence(s_node))
    for obs, entity in desc.subject_objects(FTZ.observedEntity):
        if str(entity) in drawn:
            where = desc.value(obs, FTZ.inSentence)
            label = _literal(desc, obs, SKOS.prefLabel, None) or _literal(
                desc, obs, FTZ.surfaceForm, None
            )
            facts.node_figures[str(entity)].add(
                Figure(label, sentence(where) if where is not None else "")
            )


def _graph_edge_evidence(desc: Graph, facts: _Facts, sentence: _GraphSentences) -> None:
    for a in desc.subjects(RDF.type, FTZ.Assertion):
        key = (
            str(desc.value(a, RDF.subject)),
            str(desc.value(a, RDF.predicate)),
            str(desc.value(a, RDF.object)),
        )
        if key in facts.links:
            facts.edge_sentences[key].update(
                sentence(s_node) for s_node in desc.objects(a, FTZ.inSentence)
            )
            facts.edge_rules[key].update(str(r) for r in desc.objects(a, FTZ.rule))


def load_network(
    data: str | Path | None = None,
    out_dir: str | Path = "out",
    *,
    output_option: str | None = None,
) -> tuple[Network, Graph]:
    """The network of a built graph file (default ``OUT/kg.ttl``) and the graph itself.

    ``output_option`` is the caller's option for the file it writes (see
    :func:`kg.export.graph_file`)."""
    from ..rdf.export import graph_file, load_graph

    graph = load_graph(graph_file(data, out_dir, output_option=output_option))
    return build_network(graph), graph


def construct_network(graph: Graph, query: str, *, name: str = "query") -> Network:
    """Run a SPARQL CONSTRUCT (or DESCRIBE) with rdflib on ``graph`` and draw its result.

    Independent of the SPARQL store: the query runs in memory on the loaded graph, whose
    prefixes (``ftz:``, ``id:``, ``skos:`` …) are predeclared.
    """
    from ..store.query_text import check_query_size

    check_query_size(query)  # a query nested thousands deep never reaches the engine
    try:
        result = graph.query(query)
    except Exception as exc:  # rdflib raises pyparsing and plain exceptions alike
        raise QueryError(f"{name}: the SPARQL query cannot be run ({exc}); fix its syntax") from exc
    if result.type not in ("CONSTRUCT", "DESCRIBE") or result.graph is None:
        raise QueryError(
            f"{name}: is a {result.type} query; --query draws the graph of a CONSTRUCT query: "
            "write `CONSTRUCT { ?a ftz:facesCountry ?c } WHERE { ?a ftz:facesCountry ?c }`"
        )
    return build_network(result.graph, context=graph)
