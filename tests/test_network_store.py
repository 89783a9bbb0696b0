"""The store reader joins across the union of graphs exactly as rdflib's union graph does."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.views.read_graph import build_network
from kg.views.read_store import store_network

# A sentence whose triples are spread over two document graphs and the default graph, an
# Assertion and an Observation split likewise: the reader's hash-joined sub-SELECTs must
# still meet them, as the union graph does.
TRIG = """
@prefix ftz: <https://w3id.org/ftz-kg/ontology#> .
@prefix id: <https://w3id.org/ftz-kg/id/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .

id:area\\/a a ftz:Area ; skos:prefLabel "甲片区"@zh ; skos:altLabel "甲" ;
    ftz:facesCountry id:country\\/b .
id:country\\/b a ftz:Country ; skos:prefLabel "乙国"@zh .
id:sentence\\/s1 ftz:startOffset 7 .

id:doc\\/d1 {
    id:doc\\/d1 a ftz:Document ; dcterms:title "一号文件" ; ftz:sourcePath "d1.txt" .
    id:sentence\\/s1 a ftz:Sentence ; prov:wasDerivedFrom id:doc\\/d1 .
    id:mention\\/m1 ftz:denotes id:area\\/a .
    id:assertion\\/x1 a ftz:Assertion ; rdf:subject id:area\\/a ;
        rdf:predicate ftz:facesCountry ; rdf:object id:country\\/b .
    id:obs\\/o1 ftz:observedEntity id:area\\/a .
}

id:doc\\/d2 {
    id:doc\\/d2 a ftz:Document ; ftz:sourcePath "d2.txt" .
    id:sentence\\/s1 ftz:text "甲片区面向乙国。" .
    id:sentence\\/s2 a ftz:Sentence ; ftz:text "乙国。" ; prov:wasDerivedFrom id:doc\\/d2 ;
        ftz:startOffset 0 ; ftz:mentions id:country\\/b .
    id:mention\\/m1 ftz:inSentence id:sentence\\/s1 .
    id:assertion\\/x1 ftz:inSentence id:sentence\\/s1, id:sentence\\/s2 ; ftz:rule "r1" .
    id:obs\\/o1 ftz:inSentence id:sentence\\/s1 ; ftz:surfaceForm "100亿元" .
}
"""


def test_store_reader_joins_across_graphs_like_the_union_graph():
    store = ox.Store()
    store.load(TRIG.encode("utf-8"), format=ox.RdfFormat.TRIG)
    dataset = Dataset()
    dataset.parse(data=TRIG, format="trig")
    union = Graph()
    for s, p, o, _ in dataset.quads():
        union.add((s, p, o))

    got, expected = store_network(store), build_network(union)

    assert got.nodes == expected.nodes
    assert got.edges == expected.edges
    for table in ("sentences", "documents", "classes", "relations"):
        assert list(getattr(got, table).items()) == list(getattr(expected, table).items())
    area = got.node("https://w3id.org/ftz-kg/id/area/a")
    assert area.sentences == ("https://w3id.org/ftz-kg/id/sentence/s1",)
    assert [f.label for f in area.figures] == ["100亿元"]
    (edge,) = got.edges
    assert len(edge.sentences) == 2 and edge.rules == ("r1",)
    assert got.sentences[area.sentences[0]].text == "甲片区面向乙国。"
