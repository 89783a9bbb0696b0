"""Finding 1 of the reliability issue: SERVICE made the endpoint fetch any URL (SSRF).

A stand-in for an intranet admin page runs on 127.0.0.1 and counts the requests it gets. The
real ``ftz-kg serve`` (uvicorn, worker processes), the CLI and both local engines must refuse
every spelling of SERVICE without sending it a single request, and a page on another origin
in a real Chromium must not read its text; with ``--allow-service`` the call goes through,
but the upstream body never comes back in an error.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import QueryError
from kg.serve.config import ServerConfig
from kg.store.outbound import ServicePolicy, service_endpoints
from kg.store.sparql import run_query

from .conftest import free_port

SECRET = "ADMIN-CONSOLE-SECRET-7731"


class _Intranet(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []
    status = 500

    def _answer(self) -> None:
        type(self).hits.append(self.path)
        body = f"<html><body>{SECRET}</body></html>".encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def intranet() -> Iterator[tuple[str, list[str]]]:
    _Intranet.hits = []
    _Intranet.status = 500
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Intranet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Intranet.hits
    server.shutdown()
    server.server_close()


def _spellings(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/admin> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}/admin> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SeRvIcE <{url}/admin> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}/admin> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}/admin> AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    ]


def test_service_endpoints_seen_in_every_spelling_but_not_in_strings() -> None:
    url = "http://127.0.0.1:9"
    for text in _spellings(url):
        assert service_endpoints(text), text
    assert service_endpoints('SELECT * WHERE { ?s ?p "SERVICE <http://x/> {}" } # SERVICE') == []


@pytest.fixture(scope="module")
def endpoint(seed_store: Path, serve_in_thread: Any) -> Iterator[str]:
    config = ServerConfig(out_dir=seed_store, port=free_port(), workers=1, timeout=5.0)
    with serve_in_thread(config) as base:
        yield base


def test_service_ssrf_refused_by_the_endpoint(
    endpoint: str, intranet: tuple[str, list[str]]
) -> None:
    url, hits = intranet
    for text in _spellings(url):
        for response in (
            httpx.post(endpoint + "/sparql", data={"query": text}, timeout=30),
            httpx.get(endpoint + "/sparql", params={"query": text}, timeout=30),
        ):
            assert response.status_code == 400, (text, response.text)
            assert SECRET not in response.text
            assert "SERVICE" in response.text
    assert hits == []


def test_service_ssrf_refused_by_the_cli_and_both_engines(
    seed_store: Path, intranet: tuple[str, list[str]]
) -> None:
    url, hits = intranet
    text = _spellings(url)[0]
    result = CliRunner().invoke(main, ["query", text, "--out", str(seed_store)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "--allow-service" in result.output
    with pytest.raises(QueryError, match="SERVICE is disabled"):
        run_query(text, engine="memory", out_dir=seed_store)
    # rdflib would also fetch a FROM graph from its URL
    from_url = f"SELECT * FROM <{url}/graph.ttl> WHERE {{ ?s ?p ?o }} LIMIT 1"
    run_query(from_url, engine="memory", out_dir=seed_store)
    assert hits == []


def test_allowed_service_is_called_but_its_body_never_echoed(
    seed_store: Path, intranet: tuple[str, list[str]]
) -> None:
    url, hits = intranet
    text = _spellings(url)[0]
    policy = ServicePolicy.from_options([url + "/admin"])
    with pytest.raises(QueryError) as raised:
        run_query(text, out_dir=seed_store, services=policy)
    assert hits, "the allowed endpoint was called"
    assert SECRET not in str(raised.value)
    other = ServicePolicy.from_options([url + "/public/"])
    with pytest.raises(QueryError, match="is not allowed"):
        run_query(text, out_dir=seed_store, services=other)
    with pytest.raises(QueryError, match="http"):
        ServicePolicy.from_options(["intranet"])


def test_service_ssrf_not_readable_from_another_origin_in_a_browser(
    chromium_browser: Any, endpoint: str, intranet: tuple[str, list[str]]
) -> None:
    """The attack as it happened: a page on another origin fetches the endpoint with CORS."""
    url, hits = intranet
    attack = _spellings(url)[0]
    context = chromium_browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + "/attacker-page")  # another origin than the endpoint
        answer = page.evaluate(
            """async ([endpoint, query]) => {
                const r = await fetch(endpoint + '/sparql', {method: 'POST',
                    headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                    body: new URLSearchParams({query})});
                return [r.status, await r.text()];
            }""",
            [endpoint, attack],
        )
    finally:
        context.close()
    assert answer[0] == 400
    assert SECRET not in answer[1]
    assert "/admin" not in hits
