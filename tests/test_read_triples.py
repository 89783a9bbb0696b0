"""The maps' network read from a build's triples in memory (kg.views.read_triples) is the
network the store's queries read (kg.views.read_store)."""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path
from typing import Any

import pytest

from kg.build import build
from kg.build.background import AnyJob
from kg.build.result import BuildResult
from kg.build.views_output import start_network
from kg.views.network import Network
from kg.views.read_graph import _in_memory
from kg.views.read_store import _fetch_tables, store_network
from kg.views.read_triples import _by_predicate, _tables, triples_network

from .conftest import CORPUS, CORPUS_SUBSET, require_shared


def _graphs(result: BuildResult) -> list[Any]:
    assembly = result.assembly
    assert assembly is not None and assembly.full
    return [*(part.triples for part in assembly.added), assembly.redrawn]


def _same_networks(one: Network, other: Network) -> None:
    for field in dataclasses.fields(Network):
        assert getattr(one, field.name) == getattr(other, field.name), field.name


def _same_as_the_store(result: BuildResult) -> None:
    graphs = _graphs(result)
    store = _in_memory(result.graph)
    from_store, from_triples = _fetch_tables(store), _tables(_by_predicate(graphs))
    for field in dataclasses.fields(from_store):
        one, other = getattr(from_store, field.name), getattr(from_triples, field.name)
        if isinstance(one, dict):  # a column without values has no entry in either
            one = {k: {c: v for c, v in row.items() if v} for k, row in one.items()}
            other = {k: {c: v for c, v in row.items() if v} for k, row in other.items()}
        assert one == other, field.name
    network = triples_network(graphs)
    assert network.nodes and network.edges
    _same_networks(store_network(store), network)


def test_the_seed_network_from_its_triples_is_the_stores(seed_build: BuildResult) -> None:
    _same_as_the_store(seed_build)


def test_a_corpus_network_from_its_triples_is_the_stores(tmp_path: Path) -> None:
    corpus = require_shared(CORPUS)  # a skip on CI would hide what no longer runs
    result = build([corpus / name for name in CORPUS_SUBSET], tmp_path / "out", outputs=())
    _same_as_the_store(result)


def test_the_network_job_gives_the_network_of_the_triples(seed_build: BuildResult) -> None:
    assert seed_build.assembly is not None
    started: dict[str, AnyJob] = {}
    start_network(seed_build.assembly, started)
    (job,) = started.values()
    _same_networks(job.result(), triples_network(_graphs(seed_build)))
    assert job.timing == "network"


def test_the_maps_wait_for_the_network_before_the_zone_pages_query_the_store(
    seed_build: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The zone pages' queries beside the network's thread would each wait for the GIL."""
    views = importlib.import_module("kg.build.views_output")  # kg.build.build shadows it
    network = triples_network(_graphs(seed_build))
    order: list[str] = []

    class Finished:  # the network's job, its result taken once
        def result(self) -> Network:
            order.append("network")
            return network

    zone_pages = views.zone_pages_output

    def recorded(*args: Any) -> list[Path]:
        order.append("zones")
        written: list[Path] = zone_pages(*args)
        return written

    monkeypatch.setattr(views, "zone_pages_output", recorded)
    result = BuildResult(tmp_path, 1, [], seed_build.dataset, seed_build.graph, seed_build.report)
    result.started = {views._NETWORK: Finished()}  # type: ignore[dict-item]
    written = views.views_output(result)
    assert order == ["network", "zones"]
    assert tmp_path / "zones" / "index.html" in written
