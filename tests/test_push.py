"""``ftz-kg push`` against a real Oxigraph server (``oxigraph serve``), started and stopped here.

After the push, every saved query gives the same rows on the server as on the embedded
store; pushing again changes nothing (PUT replaces each graph).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import EndpointError
from kg.store.embedded import open_store
from kg.store.engines import RemoteEngine, StoreEngine
from kg.store.push import push
from kg.store.saved_queries import list_queries
from kg.store.sparql import run_query

from .conftest import free_port
from .oxigraph_server import MISSING, OXIGRAPH, Oxigraph, running_oxigraph
from .test_saved_queries import _rows

pytestmark = pytest.mark.skipif(OXIGRAPH is None, reason=MISSING)
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory, wait_http: Any) -> Iterator[Oxigraph]:
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph"), wait_http) as server:
        yield server


@pytest.fixture(scope="module")
def pushed(oxigraph: Oxigraph, seed_store: Path) -> Oxigraph:
    report = push(oxigraph.store, out_dir=seed_store)
    assert report.triples == len(open_store(seed_store))
    return oxigraph


def _local_counts(seed_store: Path) -> list[tuple[str | None, ...]]:
    return StoreEngine(open_store(seed_store)).query(COUNTS).values()


def test_push_one_graph_per_document(pushed: Oxigraph, seed_store: Path) -> None:
    remote = RemoteEngine(pushed.query)
    assert remote.query(COUNTS).values() == _local_counts(seed_store)
    # the server's default graph is the union, like the embedded store's: same distinct triples
    distinct = "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } }"
    assert (
        remote.query(distinct).values()
        == StoreEngine(open_store(seed_store)).query(distinct).values()
    )
    # and the shared part went to the server's own default graph
    shared = "ASK { GRAPH ?g { ftz:Area a owl:Class } }"
    assert (
        remote.query(shared).boolean is False
        and remote.query("ASK { ftz:Area a owl:Class }").boolean is True
    )


def test_push_is_idempotent(pushed: Oxigraph, seed_store: Path) -> None:
    before = RemoteEngine(pushed.query).query(COUNTS).values()
    result = CliRunner().invoke(
        main, ["push", "--endpoint", pushed.store, "--out", str(seed_store)]
    )
    assert result.exit_code == 0 and "pushed" in result.stdout and "default graph" in result.stdout
    assert RemoteEngine(pushed.query).query(COUNTS).values() == before == _local_counts(seed_store)


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_saved_queries_give_the_same_rows_on_the_server(
    pushed: Oxigraph, seed_store: Path, name: str
) -> None:
    local = run_query(name, out_dir=seed_store)
    remote = run_query(name, endpoint=pushed.query)
    assert _rows(remote) == _rows(local)


def test_push_into_one_graph(oxigraph: Oxigraph, seed_store: Path) -> None:
    target = "https://example.org/graphs/ftz-kg"
    try:
        report = push(oxigraph.store, out_dir=seed_store, graph=target)
        assert [g for g, _, _ in report.graphs] == [target]
        remote = RemoteEngine(oxigraph.query)
        count = remote.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}"
        ).values()
        assert int(count[0][0] or 0) == report.triples
    finally:
        httpx.delete(oxigraph.store, params={"graph": target})


def test_push_errors(oxigraph: Oxigraph, seed_store: Path) -> None:
    with pytest.raises(EndpointError, match="cannot reach"):
        push(f"http://127.0.0.1:{free_port()}/store", out_dir=seed_store, timeout=5)
    with pytest.raises(EndpointError, match="Graph Store Protocol URL"):
        push(oxigraph.query, out_dir=seed_store)  # the query endpoint is not a graph store
    result = CliRunner().invoke(
        main, ["push", "--endpoint", "ftp://example.org", "--out", str(seed_store)]
    )
    assert result.exit_code == 2 and result.stderr.startswith("error[E420]")
