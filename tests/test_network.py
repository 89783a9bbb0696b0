"""The network builder: entities only, evidence folded in, selections, statistics, exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from kg.build.result import BuildResult
from kg.errors import QueryError, ViewError
from kg.namespaces import FTZ, RDF
from kg.rdf.edges import ENTITY_CLASSES
from kg.store.embedded import open_store
from kg.views.formats import export_network, network_bytes, network_csv
from kg.views.network import Network
from kg.views.read_graph import build_network, construct_network
from kg.views.read_store import store_network
from kg.views.selection import Selection, find_entity, select
from kg.views.stats import network_stats

MANZHOULI = "https://w3id.org/ftz-kg/id/area/neimenggu-manzhouli"
HUHEHAOTE = "https://w3id.org/ftz-kg/id/area/neimenggu-huhehaote"
ZONE = "https://w3id.org/ftz-kg/id/zone/neimenggu"
PROVENANCE_KINDS = ("/doc/", "/sentence/", "/mention/", "/assertion/", "/obs/")

# One area, its sectors and countries, plus its zone and a sibling area (which a depth-1
# view of the area must leave out).
AREA_TEXT = (
    "内蒙古自贸试验区包括满洲里片区、呼和浩特片区和赤峰片区。\n\n"
    "满洲里片区重点发展跨境贸易和跨境金融，面向俄罗斯和蒙古国。\n"
)


@pytest.fixture(scope="module")
def seed_network(seed_build: BuildResult) -> Network:
    return build_network(seed_build.graph)


def _entity_triples(graph: Graph, network: Network) -> set[tuple[str, str, str]]:
    ids = {n.id for n in network.nodes}
    return {
        (str(s), str(p), str(o))
        for s, p, o in graph
        if str(s) in ids and str(o) in ids and p not in (RDF.type, FTZ.mentions) and s != o
    }


def test_nodes_are_the_entities_and_nothing_of_provenance(seed_build, seed_network):
    typed = {
        str(s)
        for cls in ENTITY_CLASSES
        for s in seed_build.graph.subjects(RDF.type, FTZ[cls])
        if (s, RDF.type, FTZ.Document) not in seed_build.graph
    }
    assert {n.id for n in seed_network.nodes} == typed
    assert not [n.id for n in seed_network.nodes if any(k in n.id for k in PROVENANCE_KINDS)]
    assert {n.cls for n in seed_network.nodes} <= set(ENTITY_CLASSES)
    assert len(seed_network.edges) == len(_entity_triples(seed_build.graph, seed_network))
    assert "mentions" not in {e.relation for e in seed_network.edges}


def test_node_carries_labels_aliases_and_source_sentences(seed_network):
    area = seed_network.node(MANZHOULI)
    assert (area.cls, area.label, area.label_en) == ("Area", "满洲里片区", "Manzhouli Area")
    assert area.aliases and area.label not in area.aliases
    assert area.sentences
    for sid in area.sentences:
        sentence = seed_network.sentences[sid]
        assert "满洲里" in sentence.text
        assert seed_network.documents[sentence.document].path.endswith(".txt")


def test_edge_carries_relation_labels_and_evidence(seed_network):
    edges = [
        e for e in seed_network.edges if e.source == HUHEHAOTE and e.relation == "focusesOnSector"
    ]
    assert edges
    term = seed_network.relations["focusesOnSector"]
    assert (term.zh, term.en) == ("重点发展产业", "focuses on sector")
    for e in edges:
        assert e.sentences, "an extracted relation cites the sentence of its Assertion"
        assert any(
            seed_network.node(e.target).label in seed_network.sentences[s].text for s in e.sentences
        )
        assert e.rules


def test_same_graph_gives_the_same_network(seed_build, seed_network):
    again = build_network(seed_build.graph)
    assert again.nodes == seed_network.nodes
    assert again.edges == seed_network.edges
    assert list(again.sentences) == list(seed_network.sentences)


def assert_same_network(got: Network, expected: Network) -> None:
    """Equal nodes, edges and evidence tables, in the same order (the pages depend on it)."""
    assert got.nodes == expected.nodes
    assert got.edges == expected.edges
    for table in ("sentences", "documents", "classes", "relations"):
        assert list(getattr(got, table).items()) == list(getattr(expected, table).items()), table


def test_store_gives_the_network_of_the_graph(seed_store, seed_network):
    assert_same_network(store_network(open_store(seed_store)), seed_network)


def test_store_network_merges_what_several_documents_restate(pipeline):
    """Two documents state the same relations: the store holds each Assertion once per
    document graph, and the network cites the sentences of both, as rdflib's union does."""
    from kg.rdf.graph import build_dataset, union_graph
    from kg.read.documents import document_from_bytes

    texts = {"a.txt": AREA_TEXT, "b.txt": "满洲里片区面向俄罗斯和蒙古国。\n\n" + AREA_TEXT}
    docs = [document_from_bytes(t.encode("utf-8"), name=n, path=n) for n, t in texts.items()]
    dataset = build_dataset([pipeline(d) for d in docs], pipeline.lexicon)
    store = ox.Store()
    store.load(dataset.serialize(format="trig"), format=ox.RdfFormat.TRIG)

    network = store_network(store)
    assert_same_network(network, build_network(union_graph(dataset)))
    faces = [e for e in network.edges if e.source == MANZHOULI and e.relation == "facesCountry"]
    assert faces
    for edge in faces:
        cited = {network.sentences[s].document for s in edge.sentences}
        assert len(cited) == 2, "each document's sentence is evidence"


def test_focus_depth_one_follows_relations_out_of_the_area(seed_build, seed_network):
    view = select(seed_network, Selection(focus="满洲里片区", depth=1))
    out = {str(o) for o in seed_build.graph.objects(URIRef(MANZHOULI), None)} & {
        n.id for n in seed_network.nodes
    }
    assert {n.id for n in view.nodes} == {MANZHOULI} | out
    assert ZONE not in view  # the zone points at the area, not the other way
    assert all(e.source == MANZHOULI or e.target != MANZHOULI for e in view.edges)


def test_focus_on_an_area_shows_its_sectors_and_countries_and_nothing_else(graph_from_text):
    network = build_network(graph_from_text(AREA_TEXT))
    view = select(network, Selection(focus="满洲里片区", depth=1))
    labels = {n.label: n.cls for n in view.nodes}
    assert labels == {
        "满洲里片区": "Area",
        "跨境贸易": "Sector",
        "跨境金融": "Sector",
        "俄罗斯": "Country",
        "蒙古国": "Country",
        "满洲里": "City",  # where the area lies: a background fact of the lexicon
    }
    assert {e.relation for e in view.edges} == {"focusesOnSector", "facesCountry", "locatedIn"}
    both = select(network, Selection(focus="满洲里片区", depth=1, direction="both"))
    assert ZONE in both and ZONE not in view
    assert [n.label for n in select(network, Selection(focus="满洲里片区", depth=0)).nodes] == [
        "满洲里片区"
    ]


def test_focus_accepts_alias_english_name_and_iri(seed_network):
    assert find_entity(seed_network, "满洲里片区").id == MANZHOULI
    assert find_entity(seed_network, "manzhouli area").id == MANZHOULI
    assert find_entity(seed_network, MANZHOULI).id == MANZHOULI
    others = {a for n in seed_network.nodes if n.id != MANZHOULI for a in (n.label, *n.aliases)}
    alias = next(a for a in seed_network.node(MANZHOULI).aliases if a not in others)
    assert find_entity(seed_network, alias).id == MANZHOULI


def test_ambiguous_focus_lists_the_candidates(pipeline):
    # 满洲里 is written for both the area and the port: a bare name cannot pick one (without
    # the city of 满洲里, which the lexicon's background facts would add and which it names).
    from kg.rdf.graph import build_dataset, union_graph
    from kg.read.documents import document_from_bytes

    text = (
        "内蒙古自贸试验区涵盖呼和浩特、满洲里、二连浩特三大片区。"
        "要依托二连浩特、满洲里等重点口岸，深化与俄蒙互联互通。"
    )
    doc = document_from_bytes(text.encode("utf-8"), name="a.txt", path="a.txt")
    bare = pipeline.without("background")
    network = build_network(union_graph(build_dataset([bare(doc)], pipeline.lexicon)))
    named = [n for n in network.nodes if "满洲里" in (n.label, *n.aliases)]
    assert len(named) >= 2
    with pytest.raises(ViewError, match=f"names {len(named)} entities: .*pass the IRI"):
        find_entity(network, "满洲里")
    with_city = build_network(union_graph(build_dataset([pipeline(doc)], pipeline.lexicon)))
    assert find_entity(with_city, "满洲里").cls == "City"  # an exact name beats aliases


def test_unknown_focus_says_what_to_do(seed_network):
    with pytest.raises(ViewError, match="did you mean .*满洲里片区"):
        find_entity(seed_network, "满洲")
    with pytest.raises(ViewError, match="no entity is called"):
        find_entity(seed_network, "不存在的地方")


def test_class_filter(seed_network):
    view = select(seed_network, Selection(classes=("Area", "sector", "国家")))
    assert {n.cls for n in view.nodes} == {"Area", "Sector", "Country"}
    assert len(view.nodes) == sum(
        1 for n in seed_network.nodes if n.cls in ("Area", "Sector", "Country")
    )
    zones = select(seed_network, Selection(classes=("PilotFreeTradeZone",)))
    assert {n.cls for n in zones.nodes} == {"PilotFreeTradeZone", "FreeTradePort"}
    with pytest.raises(ViewError, match="unknown class 'Areas'"):
        select(seed_network, Selection(classes=("Areas",)))
    with pytest.raises(ViewError, match="--class leaves out"):
        select(seed_network, Selection(focus="满洲里片区", classes=("Sector",)))


def test_relation_filter_keeps_linked_entities_only(seed_network):
    view = select(seed_network, Selection(relations=("focusesOnSector", "ftz:facesCountry")))
    assert {e.relation for e in view.edges} == {"focusesOnSector", "facesCountry"}
    linked = {e.source for e in view.edges} | {e.target for e in view.edges}
    assert {n.id for n in view.nodes} == linked
    assert set(view.relations) == {"focusesOnSector", "facesCountry"}
    with pytest.raises(ViewError, match="unknown relation"):
        select(seed_network, Selection(relations=("facesCountries",)))


def test_restrict_prunes_the_evidence_tables(seed_network):
    view = select(seed_network, Selection(focus="满洲里片区", depth=0))
    used = set(view.nodes[0].sentences)
    assert set(view.sentences) == used
    assert set(view.classes) == {"Area"} and not view.relations


def test_construct_query_is_drawn_with_context(seed_build):
    query = "CONSTRUCT { ?a ftz:facesCountry ?c } WHERE { ?a ftz:facesCountry ?c }"
    network = construct_network(seed_build.graph, query)
    triples = set(seed_build.graph.subject_objects(FTZ.facesCountry))
    assert len(network.edges) == len(triples)
    assert {e.relation for e in network.edges} == {"facesCountry"}
    russia = find_entity(network, "俄罗斯")
    assert (russia.cls, russia.label_en) == ("Country", "Russia")
    # Extracted relations cite their sentences; facts from the lexicon (满洲里片区 faces
    # Russia) have none to cite.
    assert any(e.sentences for e in network.edges)
    cited = {(e.source, e.target) for e in network.edges if e.sentences}
    assert (
        "https://w3id.org/ftz-kg/id/zone/neimenggu",
        "https://w3id.org/ftz-kg/id/country/ru",
    ) in cited


def test_non_construct_or_broken_query_is_a_query_error(seed_build):
    with pytest.raises(QueryError, match="is a SELECT query"):
        construct_network(seed_build.graph, "SELECT ?s WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="cannot be run"):
        construct_network(seed_build.graph, "CONSTRUCT { ?s ?p } WHERE {")


def test_stats(seed_network):
    stats = network_stats(seed_network, top=5)
    assert stats["nodes"] == len(seed_network.nodes)
    assert sum(c["count"] for c in stats["classes"]) == stats["nodes"]
    assert sum(r["count"] for r in stats["relations"]) == stats["edges"] == len(seed_network.edges)
    assert sum(stats["components"]["sizes"]) == stats["nodes"]
    assert stats["top_degree"][0]["label"] == "中国（内蒙古）自由贸易试验区"
    assert len(stats["top_betweenness"]) <= 5
    assert json.loads(json.dumps(stats, ensure_ascii=False)) == stats
    assert network_stats(seed_network, top=5) == stats


def test_graphml_and_gexf_round_trip_and_are_byte_stable(seed_network, tmp_path: Path):
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        data = network_bytes(seed_network, fmt)
        assert data == network_bytes(seed_network, fmt)
        assert b"lastmodifieddate" not in data
        path = tmp_path / f"kg.{fmt}"
        path.write_bytes(data)
        graph = reader(path)
        assert graph.number_of_nodes() == len(seed_network.nodes)
        assert graph.number_of_edges() == len(seed_network.edges)
    graph = nx.read_graphml(tmp_path / "kg.graphml")
    assert graph.nodes[MANZHOULI]["label"] == "满洲里片区"
    assert graph.nodes[MANZHOULI]["class"] == "Area"


def test_csv_for_spreadsheets(seed_network):
    nodes, edges = network_csv(seed_network)
    assert nodes.startswith("\ufeff".encode()) and edges.startswith("\ufeff".encode())
    node_rows = list(csv.DictReader(io.StringIO(nodes.decode("utf-8-sig"))))
    edge_rows = list(csv.DictReader(io.StringIO(edges.decode("utf-8-sig"))))
    assert len(node_rows) == len(seed_network.nodes) and len(edge_rows) == len(seed_network.edges)
    area = next(r for r in node_rows if r["id"] == MANZHOULI)
    assert (area["label"], area["class"], area["class_zh"]) == ("满洲里片区", "Area", "片区")
    assert {"relation_zh", "evidence", "documents"} <= set(edge_rows[0])


def test_csv_cells_cannot_be_formulas(graph_from_text):
    graph = graph_from_text("=HYPERLINK(1) 满洲里片区重点发展跨境贸易。\n")
    _, edges = network_csv(build_network(graph))
    rows = list(csv.DictReader(io.StringIO(edges.decode("utf-8-sig"))))
    assert rows and all(not v.startswith("=") for r in rows for v in r.values())
    assert any(v.startswith("'=HYPERLINK") for r in rows for v in r.values())


def test_export_network_writes_files(seed_build, tmp_path: Path):
    data = str(seed_build.out_dir / "kg.ttl")
    written = export_network("csv", data, str(tmp_path), str(tmp_path / "csv"))
    assert [p.name for p in written] == ["nodes.csv", "edges.csv"]
    assert all(p.exists() for p in written)
    written = export_network("graphml", data, str(tmp_path), str(tmp_path / "kg.graphml"))
    assert written == [tmp_path / "kg.graphml"] and written[0].read_bytes().startswith(b"<?xml")
