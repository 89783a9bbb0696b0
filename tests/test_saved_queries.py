"""Every saved query: header, golden result on the seed graph, facts that must hold, same rows everywhere.

Golden files (``tests/fixtures/golden/<name>.json``) hold the sorted rows each saved query
returns on the seed graph with its default parameters. The extractor is still improving, so
they drift; rewrite them after checking the difference with::

    FTZ_KG_UPDATE_GOLDEN=1 python -m pytest tests/test_saved_queries.py

The semantic checks below must hold whatever the extractor does next.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.store.embedded import open_store
from kg.store.engines import MemoryEngine, StoreEngine
from kg.store.params import resolve_query
from kg.store.query_text import bind_values, query_form
from kg.store.results import QueryResult
from kg.store.saved_queries import SavedQuery, list_queries, load_query
from kg.store.sparql import run_query

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"
UPDATE = os.environ.get("FTZ_KG_UPDATE_GOLDEN") == "1"
QUERIES = list_queries()
NAMES = [q.name for q in QUERIES]
ZONE = "中国（内蒙古）自由贸易试验区"
AREAS = {"呼和浩特片区", "满洲里片区", "二连浩特片区"}


@pytest.fixture(scope="module")
def store(seed_store: Path) -> StoreEngine:
    return StoreEngine(open_store(seed_store))


@pytest.fixture(scope="module")
def memory(seed_store: Path) -> MemoryEngine:
    return MemoryEngine.from_file(seed_store / "kg.trig")


@pytest.fixture(scope="module")
def results(store: StoreEngine) -> dict[str, QueryResult]:
    return {name: run_query(name, engine=store) for name in NAMES}


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value.endswith(
        ("#decimal", "#integer", "#double")
    ):
        number = Decimal(term.value).normalize()  # rdflib writes 14 as 14.0: compare values
        return f'"{number:f}"^^<{term.datatype.value}>'
    return str(term)


def _rows(result: QueryResult) -> list[list[str | None]]:
    if result.kind == "graph":
        return sorted([[str(t)] for t in result.triples])
    if result.kind == "ask":
        return [[str(result.boolean).lower()]]
    return sorted(
        ([_cell(t) for t in row] for row in result.rows),
        key=lambda r: json.dumps(r, ensure_ascii=False),
    )


def _records(result: QueryResult) -> list[dict[str, str]]:
    """Rows as {variable: plain value} for the semantic checks."""
    return [
        {
            v: ("" if t is None else t.value if not isinstance(t, ox.Triple) else str(t))
            for v, t in zip(result.variables, row, strict=True)
        }
        for row in result.rows
    ]


def _golden_text(doc: dict[str, object]) -> str:
    """JSON with one row per line, so that a drifting golden file diffs row by row."""
    rows = doc["rows"]
    assert isinstance(rows, list)
    head = {k: v for k, v in doc.items() if k != "rows"}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": [']
    lines += [
        "  " + json.dumps(row, ensure_ascii=False) + ("," if i < len(rows) - 1 else "")
        for i, row in enumerate(rows)
    ]
    return "\n".join(lines) + "\n]}\n"


# -- the library ---------------------------------------------------------------------------------


def test_at_least_fifteen_saved_queries_with_headers() -> None:
    assert len(QUERIES) >= 15
    for q in QUERIES:
        assert q.question and re.search(r"[\u4e00-\u9fff]", q.title), q.name
        assert len(q.question.splitlines()) >= 2, f"{q.name}: give the question in English too"
        assert q.examples and all(e.startswith(f"ftz-kg query {q.name}") for e in q.examples), (
            q.name
        )
        form = query_form(q.text)
        assert form in ("select", "construct"), q.name
        for p in q.params:
            assert p.type in ("iri", "string", "integer", "decimal", "year", "date"), q.name
            assert re.search(rf"\?{p.name}\b", q.text), f"{q.name}: ?{p.name} is not used"
            if form == "select":  # pyoxigraph binds projected variables only
                projection = q.text.split("WHERE")[0]
                assert re.search(rf"\?{p.name}\b", projection), (
                    f"{q.name}: ?{p.name} is not projected"
                )


def test_unknown_saved_query_lists_the_names() -> None:
    from kg.errors import QueryError

    with pytest.raises(QueryError) as info:
        load_query("zones")
    assert "zones-areas" in info.value.message and "compare-zones" in info.value.message


@pytest.mark.parametrize("name", NAMES)
def test_golden(name: str, results: dict[str, QueryResult]) -> None:
    result = results[name]
    saved = load_query(name)
    doc = {
        "query": name,
        "params": saved.defaults,
        "variables": result.variables,
        "rows": _rows(result),
    }
    path = GOLDEN / f"{name}.json"
    if UPDATE or not path.exists():
        if not UPDATE and os.environ.get("CI"):
            pytest.fail(f"{path} is missing; create it with FTZ_KG_UPDATE_GOLDEN=1")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_golden_text(doc), encoding="utf-8")
    golden = json.loads(path.read_text(encoding="utf-8"))
    assert golden["variables"] == doc["variables"]
    assert golden["rows"] == doc["rows"], (
        f"{name} no longer gives its golden rows; if the change is right, run "
        "FTZ_KG_UPDATE_GOLDEN=1 python -m pytest tests/test_saved_queries.py"
    )


# -- facts that must hold whatever the extractor does ----------------------------------------


def _zones_areas(r: QueryResult) -> None:
    rec = _records(r)
    assert {x["areaLabel"] for x in rec if x["zoneLabel"] == ZONE} >= AREAS
    assert "海南自由贸易港" in {
        x["zoneLabel"] for x in rec
    }  # a FreeTradePort, found by rdfs:subClassOf*


def _sectors_by_area(r: QueryResult) -> None:
    rec = _records(r)
    assert {x["areaLabel"] for x in rec} <= AREAS
    assert {x["zoneLabel"] for x in rec} == {ZONE}
    # 呼和浩特片区重点发展新能源、新材料、生物医药、新一代信息技术等战略性新兴产业
    hohhot = {x["sectorLabel"] for x in rec if x["areaLabel"] == "呼和浩特片区"}
    assert {"新能源", "新材料", "生物医药", "新一代信息技术"} <= hohhot


def _sectors_by_place(r: QueryResult) -> None:
    rec = _records(r)
    classes = {x["class"].rsplit("#", 1)[1] for x in rec}
    assert {"Area", "PilotFreeTradeZone"} <= classes and "Place" not in classes
    assert ("呼和浩特片区", "乳业") in {(x["placeLabel"], x["sectorLabel"]) for x in rec}


def _sector_counts(r: QueryResult) -> None:
    rec = _records(r)
    counts = {x["sectorLabel"]: int(x["places"]) for x in rec}
    assert counts["新能源"] >= 1 and min(counts.values()) >= 1
    assert [int(x["places"]) for x in rec] == sorted((int(x["places"]) for x in rec), reverse=True)


def _countries_faced(r: QueryResult) -> None:
    pairs = {(x["entityLabel"], x["countryLabel"]) for x in _records(r)}
    assert {(ZONE, "俄罗斯"), (ZONE, "蒙古国")} <= pairs
    assert {
        x["class"].rsplit("#", 1)[1] for x in _records(r) if x["entityLabel"] == "满洲里口岸"
    } == {"Port"}


def _task_bundles(r: QueryResult) -> None:
    rec = [x for x in _records(r) if x["taskLabel"] == "81项改革试点任务"]
    assert {x["count"] for x in rec} == {"81"}
    assert "贸易节点" in {x["fieldLabel"] for x in rec}
    assert ZONE in {x["holderLabel"] for x in rec}


def _figures(r: QueryResult) -> None:
    rec = [
        x
        for x in _records(r)
        if x["subjectLabel"] == "内蒙古自治区" and x["indicator"] == "外贸进出口"
    ]
    assert rec, "the 2206.7 亿元 figure of Inner Mongolia is missing"
    x = rec[0]
    assert (Decimal(x["value"]), x["unit"], x["year"]) == (Decimal("2206.7"), "亿元", "2025")
    assert Decimal(x["normalizedValue"]) == Decimal("220670000000") and Decimal(
        x["changeRate"]
    ) == Decimal("6.4")


def _why(r: QueryResult) -> None:
    rec = _records(r)
    assert rec and all(x["subject"].endswith("area/neimenggu-huhehaote") for x in rec)
    assert all(
        x["source"] == "lexicon"
        or (x["source"] and x["document"].startswith("https://w3id.org/ftz-kg/id/doc/"))
        for x in rec
    )
    assert any(
        "呼和浩特片区" in x["source"] for x in rec if x["predicate"].endswith("#focusesOnSector")
    )


def _co_mentions(r: QueryResult) -> None:
    rec = _records(r)
    assert {x["otherLabel"] for x in rec} & (AREAS - {"满洲里片区"})
    assert all(int(x["sentences"]) >= 1 for x in rec)


def _shared_entities(r: QueryResult) -> None:
    rec = _records(r)
    assert rec and len({x["doc1"] for x in rec}) == 1 and all(x["doc2"] != x["doc1"] for x in rec)
    assert "/doc/" not in " ".join(
        x["doc2"] for x in rec
    )  # the page containing the article is left out
    assert {x["title2"] for x in rec} <= {
        "实施自由贸易试验区提升战略 打造高水平对外开放新引擎",
        "制度创新赋能中蒙俄经济走廊建设",
    }
    assert "中蒙俄经济走廊" in {x["entityLabel"] for x in rec}


def _platforms(r: QueryResult) -> None:
    rec = _records(r)
    assert {x["direction"] for x in rec} <= {"→", "←", ""}
    assert ("中国—蒙古国博览会", "→", "蒙古国") in {
        (x["platformLabel"], x["direction"], x["otherLabel"]) for x in rec
    }


def _initiatives_by_zone(r: QueryResult) -> None:
    rec = [
        x
        for x in _records(r)
        if x["zoneLabel"] == ZONE and x["initiativeLabel"] == "中蒙俄经济走廊"
    ]
    assert {"俄罗斯", "蒙古国"} <= {x["countryLabel"] for x in rec}


def _initiative_countries(r: QueryResult) -> None:
    rec = _records(r)
    assert {"俄罗斯", "蒙古国"} <= {
        x["countryLabel"] for x in rec if x["itemLabel"] == "中蒙俄经济走廊"
    }


def _path(r: QueryResult) -> None:
    rec = _records(r)
    assert [int(x["hops"]) for x in rec] == sorted(int(x["hops"]) for x in rec)
    two = {(x["step1"], x["via1Label"], x["step2"]) for x in rec if x["hops"] == "2"}
    assert ("hasArea←", ZONE, "facesCountry→") in two  # an area faces Russia through its zone


def _class_counts(r: QueryResult) -> None:
    counts = {
        x["class"].rsplit("#", 1)[1]: (int(x["instances"]), int(x["directInstances"]))
        for x in _records(r)
    }
    assert counts["Area"][0] == 3
    zones, direct = counts["PilotFreeTradeZone"]
    assert zones >= counts["FreeTradePort"][0] + 1 and zones >= direct  # subclass instances counted
    assert counts["Place"][0] >= counts["Area"][0] + zones and counts["Place"][1] == 0


def _label_search(r: QueryResult) -> None:
    found = {(x["prefLabel"], x["class"].rsplit("#", 1)[1]) for x in _records(r)}
    assert {("满洲里片区", "Area"), ("满洲里口岸", "Port")} <= found


def _compare_zones(r: QueryResult) -> None:
    rec = {
        (x["aspect"].rsplit("#", 1)[1], x["valueLabel"]): (x["inZone1"], x["inZone2"])
        for x in _records(r)
    }
    for area in AREAS:
        assert rec[("hasArea", area)] == ("true", "false")


def _entity_profile(r: QueryResult) -> None:
    rec = {
        (x["direction"], x["property"].rsplit("#", 1)[-1], x["valueLabel"] or x["value"])
        for x in _records(r)
    }
    assert ("←", "hasArea", ZONE) in rec
    assert ("→", "prefLabel", "满洲里片区") in rec


def _neighbourhood(r: QueryResult) -> None:
    assert r.kind == "graph"
    triples = {
        (t.subject.value, t.predicate.value, t.object.value)
        for t in r.triples
        if not isinstance(t.subject, ox.Triple)
    }
    zone, area = (
        "https://w3id.org/ftz-kg/id/zone/neimenggu",
        "https://w3id.org/ftz-kg/id/area/neimenggu-manzhouli",
    )
    assert (zone, "https://w3id.org/ftz-kg/ontology#hasArea", area) in triples


def _positions(r: QueryResult) -> None:
    labels = {x["positionLabel"] for x in _records(r) if x["holderLabel"] == ZONE}
    assert labels & {"向北开放重要桥头堡", "我国向北开放重要桥头堡"}


def _authors(r: QueryResult) -> None:
    orgs = {x["organizationLabel"] for x in _records(r) if x["personLabel"] == "叶欣"}
    assert "商务部国际贸易经济合作研究院" in orgs  # reached through ftz:partOf*


def _policy_documents(r: QueryResult) -> None:
    rec = _records(r)
    assert ZONE in {x["issuedForLabel"] for x in rec if x["policyLabel"].endswith("总体方案")}
    assert "2022" in {x["year"] for x in rec if x["policyLabel"] == "党的二十大报告"}


def _sector_hierarchy(r: QueryResult) -> None:
    assert "呼和浩特片区" in {x["placeLabel"] for x in _records(r)}


def _places_within(r: QueryResult) -> None:
    inside = {x["insideLabel"] for x in _records(r)}
    assert {"内蒙古自治区", ZONE} <= inside and inside >= AREAS


def _documents(r: QueryResult) -> None:
    counts = {x["kind"].rsplit("#", 1)[1]: int(x["records"]) for x in _records(r)}
    assert counts["Sentence"] > 50 and counts["Mention"] > 100 and counts["Assertion"] > 50
    assert counts["Observation"] > 10 and counts["Article"] >= 3
    assert {x["date"] for x in _records(r)} == {"2026-04"}


def _focus_by_year(r: QueryResult) -> None:
    rec = _records(r)
    # the seed states no date in its header or name: its year is the latest month it reports
    assert {x["year"] for x in rec} == {"2026"}
    hohhot = {x["valueLabel"] for x in rec if x["holderLabel"] == "呼和浩特片区"}
    assert {"新能源", "乳业", "生物医药"} <= hohhot
    relations = {x["relation"].rsplit("#", 1)[1] for x in rec}
    assert relations == {"focusesOnSector", "hasPosition"}
    assert all(x["source"] and int(x["sentences"]) >= 1 for x in rec)


def _extraction_rules(r: QueryResult) -> None:
    rec = _records(r)
    assert {x["kind"].rsplit("#", 1)[1] for x in rec} == {"Mention", "Assertion", "Observation"}
    assert all(int(x["records"]) > 0 for x in rec)


FACTS: dict[str, Callable[[QueryResult], None]] = {
    "zones-areas": _zones_areas,
    "sectors-by-area": _sectors_by_area,
    "sectors-by-place": _sectors_by_place,
    "sector-counts": _sector_counts,
    "countries-faced": _countries_faced,
    "task-bundles": _task_bundles,
    "figures": _figures,
    "why": _why,
    "co-mentions": _co_mentions,
    "shared-entities": _shared_entities,
    "platforms": _platforms,
    "initiatives-by-zone": _initiatives_by_zone,
    "initiative-countries": _initiative_countries,
    "path": _path,
    "class-counts": _class_counts,
    "label-search": _label_search,
    "compare-zones": _compare_zones,
    "entity-profile": _entity_profile,
    "neighbourhood": _neighbourhood,
    "positions": _positions,
    "authors": _authors,
    "policy-documents": _policy_documents,
    "sector-hierarchy": _sector_hierarchy,
    "places-within": _places_within,
    "documents": _documents,
    "focus-by-year": _focus_by_year,
    "extraction-rules": _extraction_rules,
}


def test_every_saved_query_has_facts() -> None:
    assert set(FACTS) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_facts(name: str, results: dict[str, QueryResult]) -> None:
    FACTS[name](results[name])


# -- the same rows through every way of running them ----------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_memory_engine_agrees(
    name: str, results: dict[str, QueryResult], memory: MemoryEngine
) -> None:
    assert _rows(run_query(name, engine=memory)) == _rows(results[name])


@pytest.mark.parametrize("name", NAMES)
def test_values_binding_agrees(
    name: str, results: dict[str, QueryResult], store: StoreEngine
) -> None:
    """What a remote endpoint gets (defaults in a VALUES block) answers like native binding."""
    from kg.store.params import _bindings
    from kg.store.sparql import _resolve_labels

    resolved = resolve_query(name)
    bindings = _resolve_labels(store, _bindings(resolved, {}))
    assert _rows(store.query(bind_values(resolved.text, bindings))) == _rows(results[name])


def test_inverse_and_label_parameters(store: StoreEngine) -> None:
    by_iri = run_query("zones-areas", {"zone": "id:zone/neimenggu"}, engine=store)
    by_label = run_query("zones-areas", {"zone": ZONE}, engine=store)
    assert _rows(by_iri) == _rows(by_label) and {x["areaLabel"] for x in _records(by_iri)} == AREAS
    sectors = run_query("sectors-by-area", {"area": "呼和浩特片区"}, engine=store)
    assert {x["areaLabel"] for x in _records(sectors)} == {"呼和浩特片区"}


def _example_args(example: str, out: Path) -> list[str]:
    words = shlex.split(example.split(">")[0])
    assert words[0] == "ftz-kg"
    return [*words[1:], "--out", str(out)]


@pytest.mark.parametrize("saved", QUERIES, ids=NAMES)
def test_header_examples_run(saved: SavedQuery, seed_store: Path) -> None:
    runner = CliRunner()
    for example in saved.examples:
        result = runner.invoke(main, _example_args(example, seed_store))
        assert result.exit_code == 0, f"{example}: {result.output}"
        assert result.stdout.strip()
