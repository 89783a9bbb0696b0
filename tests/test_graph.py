"""The RDF graph: stable IRIs, provenance, determinism and export round trips."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.build import build
from kg.build.result import BuildResult
from kg.model import Entity
from kg.namespaces import FTZ, RDF, SKOS
from kg.rdf.export import export, load_dataset, load_graph
from kg.rdf.iris import entity_iri, slugify

from .conftest import SEED_FILE


def test_iris_are_readable_ascii_and_stable() -> None:
    iri = entity_iri(Entity("Area", "包头片区"))
    assert str(iri).startswith("https://w3id.org/ftz-kg/id/area/bao-tou-pian-qu-")
    assert str(iri).isascii()
    assert entity_iri(Entity("Area", "包头片区")) == iri
    # Homophones and punctuation variants stay apart.
    assert entity_iri(Entity("PolicyDocument", "先声")) != entity_iri(
        Entity("PolicyDocument", "先生")
    )
    assert entity_iri(Entity("Platform", "A·B")) != entity_iri(Entity("Platform", "A•B"))
    assert slugify("81项改革试点任务") == "81-xiang-gai-ge-shi-dian-ren-wu"
    long = slugify("一" * 80)
    assert len(long) < 80 and long == slugify("一" * 80)


def test_lexicon_entities_keep_their_lexicon_iri(seed_build: BuildResult) -> None:
    g = seed_build.graph
    zones = set(g.subjects(RDF.type, FTZ.PilotFreeTradeZone))
    nm = [
        z
        for z in zones
        if (z, SKOS.prefLabel, Literal("中国（内蒙古）自由贸易试验区", lang="zh")) in g
    ]
    assert len(nm) == 1
    assert str(nm[0]).startswith("https://w3id.org/ftz-kg/id/zone/")


def test_why_a_relation_holds_is_one_query(seed_build: BuildResult) -> None:
    query = """
    PREFIX ftz: <https://w3id.org/ftz-kg/ontology#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    SELECT ?text ?rule WHERE {
      ?s skos:prefLabel "呼和浩特片区"@zh . ?o skos:prefLabel "乳业"@zh .
      ?a rdf:subject ?s ; rdf:predicate ftz:focusesOnSector ; rdf:object ?o ;
         ftz:inSentence/ftz:text ?text ; ftz:rule ?rule .
    }"""
    rows = list(seed_build.graph.query(query))
    assert rows
    assert any("乳业" in str(row[0]) and "呼和浩特片区" in str(row[0]) for row in rows)


def test_every_observation_has_value_and_provenance(seed_build: BuildResult) -> None:
    g = seed_build.graph
    observations = list(g.subjects(RDF.type, FTZ.Observation))
    assert len(observations) >= 20
    for obs in observations:
        assert g.value(obs, FTZ.value) is not None
        sentence = g.value(obs, FTZ.inSentence)
        assert sentence is not None and g.value(sentence, FTZ.text) is not None


def test_one_named_graph_per_document(tmp_path: Path) -> None:
    second = tmp_path / "second.txt"
    second.write_text("中国（山东）自由贸易试验区涵盖济南、青岛、烟台三大片区。", encoding="utf-8")
    result = build([SEED_FILE, second], tmp_path / "out", outputs=())
    names = {g.identifier for g in result.dataset.graphs() if len(g)}
    doc_graphs = [n for n in names if "/id/doc/" in str(n)]
    assert len(doc_graphs) == 2
    reloaded = load_dataset(tmp_path / "out" / "kg.trig")
    assert {g.identifier for g in reloaded.graphs() if "/id/doc/" in str(g.identifier)} == set(
        doc_graphs
    )


def _build_in_subprocess(out: Path, seed: str, *paths: Path) -> bytes:
    code = "import sys; from kg.build import build; build(sys.argv[2:], sys.argv[1], outputs=())"
    subprocess.run(
        [sys.executable, "-c", code, str(out), *map(str, paths)],
        check=True,
        env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
        capture_output=True,
    )
    return (out / "kg.ttl").read_bytes() + (out / "kg.trig").read_bytes()


def test_two_builds_are_byte_identical_whatever_the_hash_seed_and_order(tmp_path: Path) -> None:
    other = tmp_path / "in" / "b.txt"
    other.parent.mkdir()
    other.write_text("中国（山东）自由贸易试验区涵盖济南、青岛、烟台三大片区。", encoding="utf-8")
    first = _build_in_subprocess(tmp_path / "a", "1", SEED_FILE, other)
    second = _build_in_subprocess(tmp_path / "b", "2", other, SEED_FILE)
    assert first == second


@pytest.mark.parametrize("fmt", ["nt", "jsonld", "xml", "ttl"])
def test_triple_exports_parse_back_to_the_same_graph(seed_build: BuildResult, fmt: str) -> None:
    data = export(fmt, out_dir=seed_build.out_dir)
    parsed = Graph().parse(
        data=data, format={"nt": "nt", "jsonld": "json-ld", "xml": "xml", "ttl": "turtle"}[fmt]
    )
    assert isomorphic(parsed, load_graph(seed_build.out_dir / "kg.ttl"))


@pytest.mark.parametrize("fmt", ["trig", "nq"])
def test_quad_exports_parse_back_to_the_same_dataset(seed_build: BuildResult, fmt: str) -> None:
    data = export(fmt, out_dir=seed_build.out_dir)
    parsed = Dataset()
    parsed.parse(data=data, format={"trig": "trig", "nq": "nquads"}[fmt])
    original = load_dataset(seed_build.out_dir / "kg.trig")
    for g in original.graphs():
        if len(g):
            assert isomorphic(parsed.graph(g.identifier), g), g.identifier


def test_exports_are_byte_stable(seed_build: BuildResult) -> None:
    for fmt in ("ttl", "nt", "nq", "trig", "jsonld"):
        assert export(fmt, out_dir=seed_build.out_dir) == export(fmt, out_dir=seed_build.out_dir)


def test_only_used_prefixes_are_bound(seed_build: BuildResult) -> None:
    text = (seed_build.out_dir / "kg.ttl").read_text(encoding="utf-8")
    prefixes = {line.split()[1] for line in text.splitlines() if line.startswith("@prefix")}
    assert prefixes <= {
        "ftz:",
        "id:",
        "rdf:",
        "rdfs:",
        "owl:",
        "xsd:",
        "skos:",
        "prov:",
        "dcterms:",
    }
    assert "brick:" not in text and "schema:" not in text


def test_ontology_terms_used_are_included(seed_build: BuildResult) -> None:
    g = seed_build.graph
    assert (FTZ.hasArea, RDF.type, URIRef("http://www.w3.org/2002/07/owl#ObjectProperty")) in g
