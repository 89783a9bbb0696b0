"""``ftz-kg serve`` on a real uvicorn server (127.0.0.1, a free port), talked to by clients no one here wrote.

SPARQLWrapper and rdflib's SPARQLStore for every result format and both methods; httpx for
content negotiation, CORS, the service description, entity pages, the refused updates, the
timeout and the row cap.
"""

from __future__ import annotations

import concurrent.futures
import csv
import io
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result as RdflibResult
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.namespaces import FTZ, ID
from kg.serve.app import create_app
from kg.serve.config import ServerConfig

TIMEOUT = 2.0
MAX_ROWS = 1000
AREAS_QUERY = """PREFIX ftz: <https://w3id.org/ftz-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?area ?label WHERE { ?zone ftz:hasArea ?area . ?area skos:prefLabel ?label } ORDER BY ?label"""
AREAS = ["二连浩特片区", "呼和浩特片区", "满洲里片区"]
CONSTRUCT = """PREFIX ftz: <https://w3id.org/ftz-kg/ontology#>
CONSTRUCT { ?zone ftz:hasArea ?area } WHERE { ?zone ftz:hasArea ?area }"""
# a join no engine can finish: 6000³ rows to count
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@dataclass
class Running:
    base: str
    server: uvicorn.Server

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"


@pytest.fixture(scope="module")
def running(seed_store: Path, wait_http: Any) -> Iterator[Running]:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = ServerConfig(
        out_dir=seed_store, port=port, timeout=TIMEOUT, max_rows=MAX_ROWS, workers=2
    )
    server = uvicorn.Server(
        uvicorn.Config(create_app(config), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    wait_http(
        base + "/health",
        ok=lambda r: r.status_code == 200 and r.json()["workers_ready"] == 2,
        timeout=60,
    )
    yield Running(base, server)
    server.should_exit = True
    thread.join(timeout=30)


# -- real clients -------------------------------------------------------------------------------


def _wrapper(
    running: Running, query: str, fmt: str, method: str, direct: bool = False
) -> SPARQLWrapper:
    sparql = SPARQLWrapper(running.sparql)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    if direct:
        sparql.setRequestMethod(POSTDIRECTLY)
    return sparql


def _labels_from(fmt: str, converted: Any) -> list[str]:
    if fmt == JSON:
        return [b["label"]["value"] for b in converted["results"]["bindings"]]
    if fmt == XML:
        return [
            b.getElementsByTagName("literal")[0].firstChild.data
            for b in converted.getElementsByTagName("result")
        ]
    text = converted.decode("utf-8")
    if fmt == CSV:
        return [row["label"] for row in csv.DictReader(io.StringIO(text, newline=""))]
    parsed = RdflibResult.parse(io.BytesIO(converted), format="tsv")
    return [str(row[1]) for row in parsed]


@pytest.mark.parametrize(
    "method,direct",
    [(GET, False), (POST, False), (POST, True)],
    ids=["get", "post-form", "post-direct"],
)
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(running: Running, fmt: str, method: str, direct: bool) -> None:
    converted = _wrapper(running, AREAS_QUERY, fmt, method, direct).queryAndConvert()
    assert _labels_from(fmt, converted) == AREAS


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD])
def test_sparqlwrapper_construct(running: Running, fmt: str, method: str) -> None:
    result = _wrapper(running, CONSTRUCT, fmt, method).query()
    body = result.response.read()
    graph = Graph().parse(
        data=body, format={TURTLE: "turtle", RDFXML: "xml", JSONLD: "json-ld"}[fmt]
    )
    zone = URIRef(ID["zone/neimenggu"])
    assert len(set(graph.objects(zone, URIRef(FTZ.hasArea)))) == 3


def test_sparqlwrapper_ask_and_bad_query(running: Running) -> None:
    assert _wrapper(running, "ASK { ?s ?p ?o }", JSON, GET).queryAndConvert()["boolean"] is True
    with pytest.raises(QueryBadFormed):
        _wrapper(running, "SELECT * WHERE { ?s ?p }", JSON, GET).query()


@pytest.mark.parametrize("method", ["GET", "POST_FORM"])
@pytest.mark.parametrize("return_format", ["xml", "json"])
def test_rdflib_sparqlstore(running: Running, method: str, return_format: str) -> None:
    store = SPARQLStore(query_endpoint=running.sparql, method=method, returnFormat=return_format)
    graph = Graph(store=store)
    labels = [str(row[1]) for row in graph.query(AREAS_QUERY)]
    assert labels == AREAS
    zone = URIRef(ID["zone/neimenggu"])
    assert (
        zone,
        RDF.type,
        URIRef(FTZ.PilotFreeTradeZone),
    ) in graph  # triple lookups go through SPARQL too
    store.close()


# -- the protocol by hand -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept,media,parse",
    [
        ("application/sparql-results+json", "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/csv", "text/csv", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
        ("text/html,*/*;q=0.8", "application/sparql-results+json", "json"),
    ],
)
def test_content_negotiation_select(running: Running, accept: str, media: str, parse: str) -> None:
    response = httpx.get(running.sparql, params={"query": AREAS_QUERY}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    parsed = RdflibResult.parse(io.BytesIO(response.content), format=parse)
    assert [str(row[1]) for row in parsed] == AREAS
    assert response.headers["x-ftz-result-count"] == "3"


@pytest.mark.parametrize(
    "accept,media,rdflib_format",
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/ld+json", "application/ld+json", "json-ld"),
    ],
)
def test_content_negotiation_construct(
    running: Running, accept: str, media: str, rdflib_format: str
) -> None:
    response = httpx.post(
        running.sparql,
        content=CONSTRUCT.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": accept},
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert len(Graph().parse(data=response.content, format=rdflib_format)) == 3


def test_format_parameter_and_406(running: Running) -> None:
    response = httpx.get(running.sparql, params={"query": AREAS_QUERY, "format": "csv"})
    assert response.headers["content-type"].startswith(
        "text/csv"
    ) and "attachment" not in response.headers.get("content-disposition", "x")
    assert (
        httpx.get(running.sparql, params={"query": AREAS_QUERY, "format": "ttl"}).status_code == 400
    )
    assert (
        httpx.get(
            running.sparql, params={"query": AREAS_QUERY}, headers={"Accept": "image/png"}
        ).status_code
        == 406
    )


def test_cors(running: Running) -> None:
    origin = {"Origin": "https://notebook.example.org"}
    preflight = httpx.options(
        running.sparql,
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] in ("*", origin["Origin"])
    simple = httpx.get(running.sparql, params={"query": AREAS_QUERY}, headers=origin)
    assert simple.headers["access-control-allow-origin"] == "*"
    assert "x-ftz-truncated" in simple.headers["access-control-expose-headers"].lower()


def test_service_description(running: Running) -> None:
    response = httpx.get(running.sparql, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(running.sparql)
    assert (endpoint, RDF.type, URIRef(sd + "Service")) in graph
    assert (endpoint, URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")) in graph
    names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    assert names and all(n.startswith(str(ID) + "doc/") for n in names)


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {
            "method": "POST",
            "content": b"INSERT DATA { <http://a> <http://b> <http://c> }",
            "headers": {"Content-Type": "application/sparql-update"},
        },
        {"method": "POST", "data": {"update": "DELETE WHERE { ?s ?p ?o }"}},
        {"method": "GET", "params": {"query": "DROP ALL"}},
        {"method": "POST", "data": {"query": "CLEAR DEFAULT"}},
    ],
    ids=["sparql-update", "form-update", "get-drop", "form-clear"],
)
def test_updates_are_refused(running: Running, request_kwargs: dict[str, Any]) -> None:
    response = httpx.request(url=running.sparql, **request_kwargs)
    assert response.status_code == 403 and "read-only" in response.text
    count = httpx.get(
        running.sparql,
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "format": "json"},
    )
    assert int(count.json()["results"]["bindings"][0]["n"]["value"]) > 1000


def test_malformed_query_is_400_with_position(running: Running) -> None:
    response = httpx.get(running.sparql, params={"query": "SELECT * WHERE {\n ?s ?p }"})
    assert response.status_code == 400 and "line 2, column" in response.text


def test_row_cap(running: Running) -> None:
    response = httpx.get(
        running.sparql,
        params={"query": "SELECT * WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/csv"},
    )
    assert response.status_code == 200
    assert response.headers["x-ftz-truncated"] == "true" and response.headers[
        "x-sparql-maxrows"
    ] == str(MAX_ROWS)
    assert len(list(csv.reader(io.StringIO(response.text, newline="")))) == MAX_ROWS + 1


def test_timeout_is_enforced_and_the_server_recovers(running: Running, wait_http: Any) -> None:
    started = time.monotonic()
    response = httpx.get(running.sparql, params={"query": HEAVY}, timeout=60)
    elapsed = time.monotonic() - started
    assert response.status_code == 503 and "stopped after" in response.text
    assert elapsed < TIMEOUT + 10
    after = httpx.get(running.sparql, params={"query": AREAS_QUERY, "format": "csv"}, timeout=60)
    assert after.status_code == 200 and "满洲里片区" in after.text
    wait_http(running.base + "/health", ok=lambda r: r.json()["workers_ready"] == 2, timeout=60)


def test_concurrent_queries(running: Running) -> None:
    def one(_: int) -> int:
        return httpx.get(
            running.sparql, params={"query": AREAS_QUERY, "format": "json"}, timeout=30
        ).status_code

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(one, range(40))) == {200}


# -- pages ---------------------------------------------------------------------------------------


def test_entity_iris_resolve(running: Running) -> None:
    url = running.base + "/id/area/neimenggu-manzhouli"
    page = httpx.get(url, headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "满洲里片区" in page.text and 'href="/id/zone/neimenggu"' in page.text
    turtle = httpx.get(url, headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    area = URIRef(ID["area/neimenggu-manzhouli"])
    assert (area, RDF.type, URIRef(FTZ.Area)) in graph
    assert (URIRef(ID["zone/neimenggu"]), URIRef(FTZ.hasArea), area) in graph  # who points to it
    assert (
        area,
        URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
        Literal("满洲里片区", lang="zh"),
    ) in graph
    assert httpx.get(running.base + "/id/area/no-such-area").status_code == 404


def test_index_page_serves_yasgui_locally(running: Running) -> None:
    page = httpx.get(running.base + "/")
    assert page.status_code == 200 and "/static/yasgui.min.js" in page.text
    assert 'src="http' not in page.text and 'href="http' not in page.text  # no CDN
    data = json.loads(
        page.text.split('id="ftz-kg-data" type="application/json">')[1].split("</script>")[0]
    )
    names = {q["name"] for q in data["queries"]}
    assert len(names) >= 15 and "zones-areas" in names
    why = next(q for q in data["queries"] if q["name"] == "why")
    assert "VALUES (?subject)" in why["editor_text"]  # defaults shown as an editable VALUES line
    js = httpx.get(running.base + "/static/yasgui.min.js")
    assert js.status_code == 200 and len(js.content) > 500_000
    assert httpx.get(running.base + "/static/sparql.js").status_code == 200
    files = {f["name"] for f in data["files"]}
    assert {"kg.ttl", "kg.trig"} <= files
    assert httpx.get(running.base + "/files/kg.ttl").status_code == 200
    assert httpx.get(running.base + "/files/store/ftz-kg-store.json").status_code == 404
    assert httpx.get(running.base + "/files/..%2Fpyproject.toml").status_code == 404


def test_saved_queries_api(running: Running) -> None:
    listed = httpx.get(running.base + "/api/queries").json()
    assert len(listed) >= 15
    one = httpx.get(running.base + "/api/queries/compare-zones").json()
    assert [p["name"] for p in one["params"]] == ["zone1", "zone2"]
    assert httpx.get(running.base + "/api/queries/nope").status_code == 404
    # the editor text (with its VALUES line) runs on the endpoint as it is
    response = httpx.post(
        running.sparql, data={"query": one["editor_text"]}, headers={"Accept": "text/csv"}
    )
    assert response.status_code == 200 and "满洲里片区" in response.text


def test_local_only_by_default() -> None:
    from click.testing import CliRunner

    from kg.cli import main

    assert ServerConfig().host == "127.0.0.1"
    help_text = CliRunner().invoke(main, ["serve", "--help"]).stdout
    assert "127.0.0.1" in help_text


def test_serve_without_store_says_to_build(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    result = CliRunner().invoke(main, ["serve", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "ftz-kg build" in result.stderr


# -- the editor in a real browser ----------------------------------------------------------------


def test_editor_in_a_browser(chromium_browser: Any, running: Running) -> None:
    """Headless Debian Chromium: YASGUI loads from this server only and runs a saved query."""
    outside: list[str] = []
    errors: list[str] = []
    context = chromium_browser.new_context()
    try:
        page = context.new_page()
        page.on(
            "request",
            lambda r: None if r.url.startswith((running.base, "data:")) else outside.append(r.url),
        )
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(running.base + "/")
        page.wait_for_selector(".yasgui .CodeMirror", timeout=30_000)
        page.click("#saved-queries button:has-text('zones-areas')")
        cell = page.wait_for_selector(".yasr table td:has-text('满洲里片区')", timeout=30_000)
        assert cell is not None
        with context.expect_page(timeout=30_000) as popup:
            # a synthetic click: YASR's ellipsis overlay covers part of the link
            page.locator(".yasr table a[href$='/area/neimenggu-manzhouli']").first.dispatch_event(
                "click"
            )
        entity = popup.value
        entity.wait_for_load_state()
        assert entity.url == running.base + "/id/area/neimenggu-manzhouli"
        assert "满洲里片区" in entity.title()
    finally:
        context.close()
    assert outside == [] and errors == []


def test_pool_survives_a_request_cancelled_mid_query(seed_store: Path) -> None:
    """A client that goes away while its query runs must not cost the pool its worker."""
    import asyncio

    from kg.serve.workers import QueryPool

    def request(query: str) -> dict[str, Any]:
        return {
            "op": "query",
            "query": query,
            "results_format": "json",
            "graph_format": "ttl",
            "max_rows": 10,
        }

    async def until(condition: Any) -> None:
        deadline = time.monotonic() + 60
        while not condition():
            assert time.monotonic() < deadline, "the pool did not get there in 60 s"
            await asyncio.sleep(0.02)  # polling interval while waiting on the condition

    async def scenario() -> None:
        pool = QueryPool(seed_store, size=1, timeout=1.0)
        pool.start()
        try:
            await until(lambda: pool.ready == 1)
            heavy = asyncio.create_task(pool.call(request(HEAVY)))
            await until(lambda: pool._idle.qsize() == 0)  # the worker has the heavy query
            heavy.cancel()
            with pytest.raises(asyncio.CancelledError):
                await heavy
            reply = await pool.call(
                request("ASK { ?s ?p ?o }")
            )  # served once the worker is replaced
            assert reply["status"] == 200 and reply["body"] == b'{"head":{},"boolean":true}'
            await until(lambda: pool.ready == 1)
        finally:
            pool.close()

    # in a thread of its own: the session's Playwright keeps an event loop on this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, scenario()).result()
