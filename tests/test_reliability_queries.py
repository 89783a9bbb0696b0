"""Issue 14, the query side: what a user who mistypes a query, a file name, a prefix, a saved
query's name or a ``--focus`` meets, and what a hostile query does to the CLI and the endpoint.

One test per finding, named after it. Real parts only: the seed build and its store, a real
uvicorn server on 127.0.0.1, ``ftz-kg`` run as a subprocess where a crash must show as an
exit code, and click's CliRunner elsewhere.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from kg.build.result import BuildResult
from kg.cli import main
from kg.serve.config import ServerConfig

from .conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
# 20,000 nested parentheses: pyoxigraph segfaults on this (exit 139, no message)
DEEP = "SELECT * WHERE { FILTER(" + "(" * 20_000 + "1" + ")" * 20_000 + ") }"
# 10,000 operators in a row: as deadly, with no nesting at all
LONG = "SELECT * WHERE { FILTER(" + " + ".join(["1"] * 10_000) + " > 0) }"


def _run(seed_store: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--out", str(seed_store)])


def _one_line_error(result: Result, code: str = "E400") -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error[{code}]: "), lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def endpoint(seed_store: Path, serve_in_thread: Any) -> Iterator[str]:
    """``ftz-kg serve`` on the seed store: a real uvicorn server on a free local port."""
    config = ServerConfig(out_dir=seed_store, port=free_port(), timeout=10.0, workers=1)
    with serve_in_thread(config) as base:
        yield base


# -- finding 8: a query nested 20,000 deep crashed the engine ----------------------------------


@pytest.mark.parametrize("engine", ["store", "memory"])
@pytest.mark.parametrize("as_file", [True, False], ids=["rq-file", "query-text"])
def test_finding_8_deep_query_is_one_line_and_exit_2_not_a_segfault(
    seed_store: Path, tmp_path: Path, engine: str, as_file: bool
) -> None:
    """The CLI, as a user runs it (a real process, so a segfault would show as exit 139)."""
    query = tmp_path / "deep.rq"
    query.write_text(DEEP, encoding="utf-8")
    argument = str(query) if as_file else DEEP
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "query", argument, "--engine", engine]
        + ["--out", str(seed_store)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error[E400]: the query nests brackets 20,002 deep")
    assert "limit of 100" in lines[0] and done.stdout == ""


def test_finding_8_size_limits_hold_before_any_engine(
    seed_store: Path, endpoint: str, tmp_path: Path
) -> None:
    """Long operator chains are refused too, long VALUES and IN lists are not; `view --query`
    checks as `query` does; the endpoint answers 400 (its worker never sees the query, so it
    is not replaced)."""
    from kg.errors import QueryError
    from kg.store.query_text import MAX_QUERY_TOKENS, check_query_size

    with pytest.raises(QueryError, match=r"has 20,0\d\d tokens .* the limit is 4,000"):
        check_query_size(LONG)
    with pytest.raises(QueryError, match="nests brackets"):
        check_query_size("ASK {" + "{" * 101 + "}" * 101 + "}")
    iris = " ".join(f"<https://w3id.org/ftz-kg/id/x{i}>" for i in range(2 * MAX_QUERY_TOKENS))
    check_query_size(f"SELECT ?x WHERE {{ VALUES ?x {{ {iris} }} }}")
    check_query_size(f"ASK {{ ?s ?p ?o FILTER(?o IN ({iris.replace(' ', ', ')})) }}")

    deep_rq = tmp_path / "deep-construct.rq"
    deep_rq.write_text(DEEP.replace("SELECT *", "CONSTRUCT { ?s ?p ?o }"), encoding="utf-8")
    result = CliRunner().invoke(main, ["view", "--out", str(seed_store), "--query", str(deep_rq)])
    assert "error[E400]: the query nests brackets" in _one_line_error(result)

    for query in (DEEP, LONG):
        response = httpx.post(endpoint + "/sparql", data={"query": query}, timeout=60)
        assert response.status_code == 400, response.text[:300]
        assert response.text.count("\n") == 1
    health = httpx.get(endpoint + "/health", timeout=10).json()
    assert health["workers_ready"] == 1
    ok = httpx.post(endpoint + "/sparql", data={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert ok.status_code == 200 and ok.json()["boolean"] is True


# -- finding 11: protocol status codes -----------------------------------------------------------


@pytest.mark.parametrize("option", ["default-graph-uri", "named-graph-uri"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_finding_11_bad_graph_uri_is_400_not_500(endpoint: str, option: str, method: str) -> None:
    params = {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", option: "http://example.org/a b"}
    if method == "GET":
        response = httpx.get(endpoint + "/sparql", params=params, timeout=30)
    else:
        response = httpx.post(endpoint + "/sparql", data=params, timeout=30)
    assert response.status_code == 400, (response.status_code, response.text)
    assert f"{option}='http://example.org/a b' is not a valid IRI" in response.text
    assert "internal error" not in response.text


def test_finding_11_query_and_update_together_is_400_not_403(endpoint: str) -> None:
    both = {"query": "ASK {}", "update": "CLEAR ALL"}
    for response in (
        httpx.get(endpoint + "/sparql", params=both, timeout=30),
        httpx.post(endpoint + "/sparql", data=both, timeout=30),
        httpx.post(
            endpoint + "/sparql",
            params={"update": "CLEAR ALL"},
            content="ASK {}",
            headers={"Content-Type": "application/sparql-query"},
            timeout=30,
        ),
    ):
        assert response.status_code == 400, (response.status_code, response.text)
        assert "both query= and update=" in response.text
    # an update alone is still refused as one: this endpoint is read-only
    alone = httpx.post(endpoint + "/sparql", data={"update": "CLEAR ALL"}, timeout=30)
    assert alone.status_code == 403


def test_finding_11_library_checks_graph_iris(seed_store: Path) -> None:
    from kg.errors import QueryError
    from kg.store.embedded import open_store
    from kg.store.engines import StoreEngine

    engine = StoreEngine(open_store(seed_store))
    with pytest.raises(QueryError, match="named-graph-uri='foo' is not a valid IRI"):
        engine.query("ASK {}", named_graphs=["foo"])


# -- finding 13: a missing .rq file was parsed as SPARQL ---------------------------------------------


@pytest.mark.parametrize(
    "argument", ["my-question.rq", "questions/areas.sparql", "questions/areas", "./q.RQ"]
)
def test_finding_13_missing_rq_file_is_no_such_file(
    seed_store: Path, tmp_path: Path, argument: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # an empty folder: none of these files exist
    line = _one_line_error(_run(seed_store, "query", argument))
    assert line.startswith(f"error[E400]: {argument}: no such file; check the path")
    assert "malformed" not in line and "CONSTRUCT" not in line


def test_finding_13_files_folders_and_text_with_slashes(
    seed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    line = _one_line_error(_run(seed_store, "query", "zones-areas.rq"))
    assert "no such file; zones-areas is also a saved query" in line
    (tmp_path / "questions").mkdir()
    line = _one_line_error(_run(seed_store, "query", "questions/"))
    assert "is a folder, not a query file" in line
    (tmp_path / "questions" / "ask.rq").write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    for argument in ("questions/ask.rq", "ASK{?s<https://w3id.org/ftz-kg/ontology#x>?o}"):
        result = _run(seed_store, "query", argument)
        assert result.exit_code == 0, result.output  # a file that exists, and text with "/"


# -- finding 14: unknown prefix and misspelt keyword -----------------------------------------------


@pytest.mark.parametrize("engine", ["store", "memory"])
def test_finding_14_unknown_prefix_and_misspelt_keyword_are_named(
    seed_store: Path, engine: str
) -> None:
    line = _one_line_error(
        _run(seed_store, "query", "SELECT ?a WHERE { ?a a foo:Area }", "--engine", engine)
    )
    assert "unknown prefix foo: in foo:Area at line 1, column 24" in line
    assert "PREFIX foo: <http://…>" in line
    assert "ftz:, id:, rdf:, rdfs:, owl:, xsd:, skos:, prov:, dcterms:" in line
    assert "\\u{" not in line and "Prefix not found" not in line

    line = _one_line_error(
        _run(seed_store, "query", "SELEC ?a WHERE { ?a a ftz:Area }", "--engine", engine)
    )
    assert "unknown keyword SELEC at line 1, column 1; did you mean SELECT?" in line
    assert "expected CONSTRUCT" not in line

    line = _one_line_error(
        _run(seed_store, "query", "SELECT ?a WHERE { ?a a ftx:Area }", "--engine", engine)
    )
    assert "unknown prefix ftx:" in line and "did you mean ftz:?" in line

    line = _one_line_error(
        _run(
            seed_store,
            "query",
            "SELECT ?a WHERE {\n  ?a a ftz:Area\n  FILTR(?a) }",
            "--engine",
            engine,
        )
    )
    assert "unknown keyword FILTR at line 3, column 3; did you mean FILTER?" in line


def test_finding_14_other_syntax_errors_stay_one_line(seed_store: Path) -> None:
    # the parser's own message, its multi-line dump of character ranges said in words
    line = _one_line_error(_run(seed_store, "query", "SELECT * WHERE { ?s ?p ?o } ORDER BY"))
    assert "malformed SPARQL query at line 1, column 37" in line
    assert 'expected one of "$", "(", ":", "<", "?", a letter' in line and "\\u{" not in line
    # language tags, exponents and keywords in any case are not "unknown words"
    result = _run(
        seed_store,
        "query",
        'select ?a where { ?a skos:prefLabel ?l filter(lang(?l) = "zh" && 1e0 > 0 '
        '&& ?l != "x"@zh-Hans) } limit 1',
    )
    assert result.exit_code == 0, result.output


# -- finding 16: "did you mean" for saved queries and --focus -----------------------------------------


def test_finding_16_mistyped_saved_query_suggests_the_name(seed_store: Path) -> None:
    line = _one_line_error(_run(seed_store, "query", "zone-areas"))
    assert "no saved query named 'zone-areas'; did you mean zones-areas?" in line
    assert "label-search" not in line  # not the list of all 26 names
    line = _one_line_error(CliRunner().invoke(main, ["queries", "compare-zone"]))
    assert "did you mean compare-zones?" in line


def test_finding_16_misspelt_focus_suggests_the_entity(
    seed_build: BuildResult, tmp_path: Path
) -> None:
    data = str(seed_build.out_dir / "kg.ttl")
    result = CliRunner().invoke(
        main, ["view", "--data", data, "--focus", "满州里片区", "-o", str(tmp_path / "m.html")]
    )
    line = _one_line_error(result, "E450")
    assert "no entity is called '满州里片区'; did you mean 满洲里片区?" in line
    assert "ftz-kg stats" not in line
    assert not (tmp_path / "m.html").exists()


def test_finding_16_one_matcher_for_both(seed_build: BuildResult) -> None:
    """The same matcher answers both, the focus from the map's alias index."""
    from kg.fuzzy import suggest
    from kg.store.saved_queries import list_queries
    from kg.views.read_graph import build_network

    network = build_network(seed_build.graph)
    assert suggest("满州里片区", network.spellings())[0] == "满洲里片区"
    assert suggest("ZONE-AREAS", [q.name for q in list_queries()])[0] == "zones-areas"
    assert suggest("xyzzy", [q.name for q in list_queries()]) == []


def test_finding_13_long_one_line_query_text_is_not_a_file_name(seed_store: Path) -> None:
    """A one-line query longer than a file name may be (255 bytes) is query text, not OSError."""
    from kg.store.sparql import run_query

    long_filter = " || ".join(f'?label = "名称{i}"' for i in range(40))
    text = (
        f"SELECT ?area WHERE {{ ?area a ftz:Area ; skos:prefLabel ?label . FILTER({long_filter}) }}"
    )
    assert len(text.encode("utf-8")) > 600 and "\n" not in text
    result = run_query(text, out_dir=seed_store)
    assert result.kind == "select" and result.rows == []
