"""SHACL: the seed graph conforms; a broken graph is caught and never written."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.build import build
from kg.build.result import BuildResult
from kg.errors import ValidationError
from kg.namespaces import FTZ, RDF, SKOS, XSD
from kg.rdf.graph import load_ontology
from kg.rdf.validate import validate_graph

from .conftest import SEEDS


def test_seed_graph_conforms(seed_build: BuildResult) -> None:
    assert seed_build.report.conforms, seed_build.report.summary()


def _copy(result: BuildResult):  # type: ignore[no-untyped-def]
    from rdflib import Graph

    g = Graph()
    for t in result.graph:
        g.add(t)
    return g


def test_entity_with_two_chinese_preflabels_violates(seed_build: BuildResult) -> None:
    g = _copy(seed_build)
    area = next(g.subjects(RDF.type, FTZ.Area))
    g.add((area, SKOS.prefLabel, Literal("另一个名字", lang="zh")))
    report = validate_graph(g, load_ontology())
    assert not report.conforms
    assert any(str(area) == focus for focus, _, _ in report.results)


def test_relation_against_its_range_violates(seed_build: BuildResult) -> None:
    g = _copy(seed_build)
    zone = next(g.subjects(RDF.type, FTZ.PilotFreeTradeZone))
    country = next(g.subjects(RDF.type, FTZ.Country))
    g.add((zone, FTZ.hasArea, country))
    assert not validate_graph(g, load_ontology()).conforms


def test_observation_without_value_violates(seed_build: BuildResult) -> None:
    g = _copy(seed_build)
    obs = next(g.subjects(RDF.type, FTZ.Observation))
    g.remove((obs, FTZ.value, None))
    report = validate_graph(g, load_ontology())
    assert not report.conforms
    assert "violation" in report.summary()


def test_build_refuses_a_nonconforming_graph_and_keeps_the_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([SEEDS], out, outputs=())
    before = (out / "kg.ttl").read_bytes()

    import kg.rdf.graph as graph_module

    original = graph_module._decimal

    def broken(value):  # type: ignore[no-untyped-def]
        return Literal("not a number", datatype=XSD.string)

    monkeypatch.setattr(graph_module, "_decimal", broken)
    with pytest.raises(ValidationError):
        build([SEEDS], out, outputs=())
    monkeypatch.setattr(graph_module, "_decimal", original)
    assert (out / "kg.ttl").read_bytes() == before
    assert not list(out.glob(".*.tmp"))
    _ = URIRef
