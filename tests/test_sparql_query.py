"""``ftz-kg query``: query resolution, safe parameters, result formats parsed back, errors."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from rdflib import Graph
from rdflib.query import Result as RdflibResult

from kg.cli import main
from kg.errors import QueryError
from kg.store.embedded import open_store
from kg.store.engines import StoreEngine
from kg.store.formats import format_result, negotiate
from kg.store.params import parse_param
from kg.store.query_text import bind_values, query_form
from kg.store.results import QueryResult
from kg.store.sparql import run_query

AREAS_QUERY = """
SELECT DISTINCT ?area ?label WHERE {
  ?zone ftz:hasArea ?area .
  ?area skos:prefLabel ?label .
} ORDER BY ?label
"""
AREAS = ["二连浩特片区", "呼和浩特片区", "满洲里片区"]


@pytest.fixture(scope="module")
def store(seed_store: Path) -> StoreEngine:
    return StoreEngine(open_store(seed_store))


def _run(seed_store: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--out", str(seed_store)])


def _one_line_error(result: Result, code: str) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error[{code}]")
    return lines[0]


# -- what QUERY can be ------------------------------------------------------------------------


def test_query_text_file_and_saved_name(seed_store: Path, tmp_path: Path) -> None:
    text = run_query(AREAS_QUERY, out_dir=seed_store)
    assert [row[1] for row in text.values()] == AREAS  # ftz: and skos: need no PREFIX
    rq = tmp_path / "areas.rq"
    rq.write_text(AREAS_QUERY, encoding="utf-8")
    assert run_query(str(rq), out_dir=seed_store).values() == text.values()
    saved = run_query("zones-areas", {"zone": "id:zone/neimenggu"}, out_dir=seed_store)
    assert sorted(v for v in saved.column("areaLabel") if v) == AREAS


def test_data_file_and_memory_engine(seed_store: Path) -> None:
    expected = run_query(AREAS_QUERY, out_dir=seed_store).values()
    assert run_query(AREAS_QUERY, data=seed_store / "kg.trig").values() == expected
    assert run_query(AREAS_QUERY, engine="memory", out_dir=seed_store).values() == expected


def test_named_graphs_are_queryable(store: StoreEngine) -> None:
    result = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a ftz:Sentence } }")
    assert [v[0] for v in result.values()][0].startswith("https://w3id.org/ftz-kg/id/doc/")
    # the default graph is the union: the ontology (default graph) joins the sentences (named graph)
    joined = store.query("ASK { ?s a ?c . ?c rdfs:subClassOf prov:Entity . ?s ftz:text ?t }")
    assert joined.boolean is True


# -- parameters are bound, never pasted ---------------------------------------------------------


def test_parameter_values_cannot_change_the_query(store: StoreEngine) -> None:
    attack = '"} } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #'
    result = run_query("label-search", {"text": attack}, engine=store)
    assert result.rows == []
    with_zone = AREAS_QUERY.replace("SELECT DISTINCT ?area", "SELECT DISTINCT ?zone ?area")
    result = run_query(
        with_zone, {"zone": "<https://w3id.org/ftz-kg/id/zone/neimenggu>"}, engine=store
    )
    assert len(result.rows) == 3
    with pytest.raises(QueryError, match="not a valid IRI"):
        run_query("zones-areas", {"zone": "<http://x> } ; DROP ALL #>"}, engine=store)


def test_parameter_parsing() -> None:
    assert parse_param("a", "id:zone/neimenggu") == ox.NamedNode(
        "https://w3id.org/ftz-kg/id/zone/neimenggu"
    )
    assert parse_param("a", "<http://example.org/x>") == ox.NamedNode("http://example.org/x")
    assert parse_param("a", "42") == ox.Literal(
        "42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    )
    assert parse_param("a", '"满洲里"@zh') == ox.Literal("满洲里", language="zh")
    assert parse_param("a", '"2025"^^xsd:gYear') == ox.Literal(
        "2025", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")
    )
    assert parse_param("a", "满洲里") == ox.Literal("满洲里")
    assert parse_param("a", "2025", "year") == ox.Literal(
        "2025", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")
    )
    with pytest.raises(QueryError, match="expected an integer"):
        parse_param("n", "many", "integer")


def test_parameter_errors(seed_store: Path, store: StoreEngine) -> None:
    with pytest.raises(QueryError, match="its parameters are: zone"):
        run_query("zones-areas", {"zon": "x"}, engine=store)
    with pytest.raises(QueryError, match="label-search"):
        run_query("zones-areas", {"zone": "没有这个试验区"}, engine=store)
    with pytest.raises(QueryError, match="SELECT projection"):
        run_query(
            "SELECT ?area WHERE { ?zone ftz:hasArea ?area }",
            {"zone": "id:zone/neimenggu"},
            engine=store,
        )
    line = _one_line_error(_run(seed_store, "query", "zones-areas", "--param", "zone"), "E400")
    assert "NAME=VALUE" in line


# -- errors -------------------------------------------------------------------------------------


def test_malformed_query_is_one_line_with_position(seed_store: Path) -> None:
    line = _one_line_error(_run(seed_store, "query", "SELECT * WHERE {\n  ?s ?p \n}"), "E400")
    assert "malformed SPARQL query at line 3, column" in line
    with pytest.raises(QueryError, match=r"line 1, column \d+"):
        run_query("SELECT * WHERE { ?s ?p }", engine="memory", out_dir=seed_store)


def test_update_is_refused(seed_store: Path) -> None:
    line = _one_line_error(
        _run(seed_store, "query", "INSERT DATA { <http://a> <http://b> <http://c> }"), "E400"
    )
    assert "update" in line and "ftz-kg build" in line


def test_unknown_saved_query_lists_names(seed_store: Path) -> None:
    line = _one_line_error(_run(seed_store, "query", "no-such-query"), "E400")
    assert "zones-areas" in line and "label-search" in line


# -- formats, parsed back by parsers no one here wrote ---------------------------------------------


def _cli(seed_store: Path, query: str, fmt: str) -> str:
    result = _run(seed_store, "query", query, "--format", fmt)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_and_tsv(seed_store: Path, store: StoreEngine) -> None:
    rows = list(csv.reader(io.StringIO(_cli(seed_store, AREAS_QUERY, "csv"), newline="")))
    assert rows[0] == ["area", "label"] and [r[1] for r in rows[1:]] == AREAS
    tsv = _cli(seed_store, AREAS_QUERY, "tsv")
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    assert [s["label"] for s in parsed] == [ox.Literal(a, language="zh") for a in AREAS]
    rdflib_rows = RdflibResult.parse(io.BytesIO(tsv.encode("utf-8")), format="tsv")
    assert [str(r[1]) for r in rdflib_rows] == AREAS


def test_json_and_xml(seed_store: Path) -> None:
    doc = json.loads(_cli(seed_store, AREAS_QUERY, "json"))
    assert doc["head"]["vars"] == ["area", "label"]
    assert [b["label"] for b in doc["results"]["bindings"]] == [
        {"type": "literal", "value": a, "xml:lang": "zh"} for a in AREAS
    ]
    for fmt in ("json", "xml"):
        parsed = RdflibResult.parse(
            io.BytesIO(_cli(seed_store, AREAS_QUERY, fmt).encode("utf-8")), format=fmt
        )
        assert [str(r[1]) for r in parsed] == AREAS


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv", "csv"])
def test_writers_match_pyoxigraph(store: StoreEngine, fmt: str) -> None:
    """Our writers (needed for the row cap) give what pyoxigraph's own serializers give."""
    query = """SELECT ?s ?label ?value ?blank WHERE {
      ?s ftz:value ?value ; skos:prefLabel ?label . OPTIONAL { ?s ftz:period ?blank }
    } ORDER BY ?s"""
    ours = format_result(store.query(query), fmt)
    theirs = store.store.query(
        query,
        use_default_graph_as_union=True,
        prefixes={
            "ftz": "https://w3id.org/ftz-kg/ontology#",
            "skos": "http://www.w3.org/2004/02/skos/core#",
        },
    ).serialize(format=getattr(ox.QueryResultsFormat, fmt.upper()))
    if fmt == "json":
        assert json.loads(ours) == json.loads(theirs)
    else:
        assert ours == theirs


def test_ask_in_every_format(store: StoreEngine) -> None:
    result = store.query("ASK { ?z ftz:hasArea ?a }")
    assert result.kind == "ask" and result.boolean is True
    assert json.loads(format_result(result, "json")) == {"head": {}, "boolean": True}
    assert (
        RdflibResult.parse(io.BytesIO(format_result(result, "xml")), format="xml").askAnswer is True
    )
    assert format_result(result, "csv") == b"true\n"
    assert format_result(result, "table").startswith(b"yes")


@pytest.mark.parametrize(
    "fmt,rdflib_format", [("ttl", "turtle"), ("nt", "nt"), ("json", "json-ld"), ("xml", "xml")]
)
def test_construct_formats(seed_store: Path, fmt: str, rdflib_format: str) -> None:
    body = _cli(seed_store, "neighbourhood", fmt)
    graph = Graph().parse(data=body, format=rdflib_format)
    zone = "https://w3id.org/ftz-kg/id/zone/neimenggu"
    assert any(str(s) == zone and str(p).endswith("#hasArea") for s, p, _ in graph)
    if fmt == "ttl":
        assert body == _cli(seed_store, "neighbourhood", "ttl")  # byte-stable


def test_format_mismatch_is_explained(seed_store: Path) -> None:
    assert "CONSTRUCT" in _one_line_error(
        _run(seed_store, "query", AREAS_QUERY, "--format", "ttl"), "E400"
    )
    assert "SELECT" in _one_line_error(
        _run(seed_store, "query", "neighbourhood", "--format", "csv"), "E400"
    )


def test_table_aligns_chinese_columns(seed_store: Path) -> None:
    out = _cli(seed_store, "zones-areas", "table").splitlines()
    assert out[-1] == "(4 rows)"

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    header, rows = out[0], out[2:-1]
    start = header.index(
        "?area "
    )  # the third column starts at the same display column in every row
    column = width(header[:start])
    for row in rows:
        if "id:area/" in row:
            assert width(row[: row.index("id:area/")]) == column


def test_output_file(seed_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "zones.csv"
    result = _run(seed_store, "query", "zones-areas", "--format", "csv", "-o", str(target))
    assert result.exit_code == 0 and "wrote" in result.stderr
    assert target.read_text(encoding="utf-8").startswith("zone,zoneLabel,area,areaLabel")


def test_query_result_row_cap(store: StoreEngine) -> None:
    result = store.query("SELECT * WHERE { ?s ?p ?o }", max_rows=10)
    assert result.truncated and len(result.rows) == 10
    assert b"truncated" in format_result(result, "table")


# -- the pieces ----------------------------------------------------------------------------------


def test_query_form() -> None:
    assert query_form("PREFIX a: <http://x#>\n# SELECT in a comment\nASK { ?s ?p ?o }") == "ask"
    assert query_form("construct { ?s ?p ?o } where { ?s ?p ?o }") == "construct"
    assert query_form("DELETE WHERE { ?s ?p ?o }") == "update"
    assert query_form("SELECT ?where WHERE { ?where ?p ?o }") == "select"


def test_bind_values_finds_the_where_group() -> None:
    bound = {"x": ox.NamedNode("http://example.org/x"), "t": ox.Literal('say "}"', language="en")}
    select = 'SELECT ?x (CONCAT("{", ?t) AS ?y) WHERE { # a { brace in a comment\n ?x ?p "}" . FILTER(?t != "{") }'
    out = bind_values(select, bound)
    assert out.index("VALUES (?t ?x)") > out.index("WHERE {")
    assert '"say \\"}\\""@en' in out
    construct = "CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }"
    out = bind_values(construct, bound)
    assert out.startswith("CONSTRUCT { ?x ?p ?o } WHERE {\n  VALUES")
    with pytest.raises(QueryError):
        bind_values("CONSTRUCT WHERE { ?x ?p ?o }", bound)
    store = ox.Store()
    store.add(
        ox.Quad(
            ox.NamedNode("http://example.org/x"),
            ox.NamedNode("http://example.org/p"),
            ox.Literal("}"),
        )
    )
    assert len(list(store.query(bind_values(select, bound)))) == 1


def test_bind_values_reaches_nested_groups(store: StoreEngine) -> None:
    """A parameter used only in a nested group or a subquery is bound there, as substitution does."""
    nested = """SELECT DISTINCT ?text ?entity WHERE {
      { ?entity skos:prefLabel ?l . FILTER(CONTAINS(STR(?l), ?text)) }
      ?entity a ftz:Area .
    }"""
    sub = """SELECT ?area WHERE { { SELECT ?area ?zone WHERE { ?zone ftz:hasArea ?area } } } ORDER BY ?area"""
    text = {"text": ox.Literal("满洲里")}
    zone = {"zone": ox.NamedNode("https://w3id.org/ftz-kg/id/zone/neimenggu")}
    assert store.query(bind_values(nested, text)).values() == store.query(nested, text).values()
    assert len(store.query(bind_values(nested, text)).rows) == 1
    out = bind_values(sub, zone)
    assert out.count("VALUES") == 1 and "{ SELECT ?area ?zone WHERE {\n  VALUES (?zone)" in out
    assert len(store.query(out).rows) == 3 * 2  # each area, stated in two graphs


def test_negotiate() -> None:
    assert negotiate(None, "results") == "json"
    assert negotiate("text/csv", "results") == "csv"
    assert negotiate("text/html,application/xml;q=0.9,*/*;q=0.8", "results") == "xml"
    assert (
        negotiate("application/sparql-results+json;q=0.5, text/tab-separated-values", "results")
        == "tsv"
    )
    assert negotiate("image/png", "results") is None
    assert negotiate("*/*", "graph") == "ttl"
    assert negotiate("application/n-triples", "graph") == "nt"
    assert negotiate("text/html", "page") == "html"
    assert negotiate("text/turtle, text/html;q=0.5", "page") == "ttl"


def test_query_result_helpers() -> None:
    result = QueryResult("select", ["a"], [(ox.NamedNode("http://example.org/a"),), (None,)])
    assert result.values() == [("http://example.org/a",), (None,)] and result.column("a")[1] is None


# -- the CLI -------------------------------------------------------------------------------------


def test_queries_lists_every_saved_query(seed_store: Path) -> None:
    result = CliRunner().invoke(main, ["queries"])
    assert result.exit_code == 0
    assert "zones-areas" in result.stdout and "有哪些自由贸易试验区" in result.stdout
    shown = CliRunner().invoke(main, ["queries", "compare-zones"])
    assert shown.exit_code == 0 and shown.stdout.startswith("# question:")


@pytest.mark.parametrize("command", ["query", "queries", "serve", "push"])
def test_help_has_an_example(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.stdout
