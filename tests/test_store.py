"""The embedded pyoxigraph store: built from the seed dataset, swapped in atomically, read-only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build.outputs import default_outputs, store_output
from kg.build.result import BuildResult
from kg.cli import main
from kg.errors import StoreError
from kg.namespaces import FTZ, ID, OWL, RDF
from kg.rdf.graph_files import DATASET_FILE
from kg.store.embedded import (
    META_FILE,
    build_store,
    load_file,
    open_store,
    store_info,
    store_path,
)


def _copy_build(seed_store: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(seed_store / DATASET_FILE, out / DATASET_FILE)
    return out


def test_build_writes_the_store(seed_store: Path) -> None:
    assert store_output in [getattr(w, "__wrapped__", w) for w in default_outputs()]
    path = store_path(seed_store)
    assert path.is_dir() and (path / META_FILE).is_file()
    expected = list(ox.parse(path=str(seed_store / DATASET_FILE), format=ox.RdfFormat.TRIG))
    store = open_store(seed_store)
    assert len(store) == len(set(expected)) == store_info(seed_store)["quads"]
    graphs = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    assert graphs == {
        q.graph_name.value for q in expected if isinstance(q.graph_name, ox.NamedNode)
    }
    assert all(g.startswith(str(ID) + "doc/") for g in graphs)
    # the ontology and the entity descriptions are in the default graph
    default = ox.DefaultGraph()
    assert (
        ox.Quad(ox.NamedNode(FTZ.Area), ox.NamedNode(RDF.type), ox.NamedNode(OWL.Class), default)
        in store
    )
    zone = ox.NamedNode(str(ID) + "zone/neimenggu")
    assert (
        ox.Quad(zone, ox.NamedNode(RDF.type), ox.NamedNode(FTZ.PilotFreeTradeZone), default)
        in store
    )


def test_store_is_opened_read_only_by_many(seed_store: Path) -> None:
    first, second = open_store(seed_store), open_store(seed_store)
    assert len(first) == len(second) > 0
    with pytest.raises((OSError, RuntimeError)):
        first.add(
            ox.Quad(
                ox.NamedNode("http://example.org/s"),
                ox.NamedNode("http://example.org/p"),
                ox.Literal("o"),
            )
        )


def test_rebuild_swaps_atomically_and_cleans_up(seed_store: Path, tmp_path: Path) -> None:
    out = _copy_build(seed_store, tmp_path)
    build_store(out / DATASET_FILE, out)
    first_target = store_path(out).resolve()
    reader = open_store(out)  # a reader holding the old store keeps working after the swap
    build_store(out / DATASET_FILE, out)
    second_target = store_path(out).resolve()
    assert first_target != second_target and not first_target.exists()
    assert store_path(out).is_symlink()
    assert [p.name for p in out.glob(".store-*")] == [second_target.name]
    assert len(open_store(out)) == len(reader)


def test_a_failed_load_leaves_the_old_store(seed_store: Path, tmp_path: Path) -> None:
    out = _copy_build(seed_store, tmp_path)
    build_store(out / DATASET_FILE, out)
    before = store_info(out)
    broken = out / "broken.trig"
    broken.write_text(
        "<http://example.org/g> { <http://example.org/s> <http://example.org/p> ", encoding="utf-8"
    )
    with pytest.raises(StoreError, match="previous store is unchanged"):
        build_store(broken, out)
    assert store_info(out) == before
    assert len(open_store(out)) == before["quads"]
    assert [p for p in out.glob(".store-*") if p.resolve() != store_path(out).resolve()] == []


def test_store_output_is_what_build_calls(seed_build: BuildResult, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(seed_build.out_dir / DATASET_FILE, out / DATASET_FILE)
    result = BuildResult(
        out, seed_build.documents, [], seed_build.dataset, seed_build.graph, seed_build.report
    )
    assert store_output(result) == [store_path(out)]
    meta = json.loads((store_path(out) / META_FILE).read_text(encoding="utf-8"))
    assert meta["source"] == DATASET_FILE and meta["named_graphs"] == 1


def test_missing_store_says_to_build(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `ftz-kg build --out "):
        open_store(tmp_path)
    result = CliRunner().invoke(main, ["query", "zones-areas", "--out", str(tmp_path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error[E410]") and "ftz-kg build" in lines[0]


def test_load_file_for_data_option(seed_store: Path, tmp_path: Path) -> None:
    store = load_file(seed_store / "kg.ttl")
    assert len(store) > 1000
    with pytest.raises(StoreError, match="no such file"):
        load_file(tmp_path / "missing.trig")
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot be parsed"):
        load_file(bad)


def test_store_closes_without_a_full_collection_only_when_alone(tmp_path: Path) -> None:
    """build_store skips gc.collect() when its name is the store's only reference (CPython
    then closes RocksDB at ``del``); any other reference makes it collect."""
    from kg.store.embedded import _needs_collection

    def alone() -> bool:
        store = ox.Store(str(tmp_path / "a"))
        return _needs_collection(store)

    def shared() -> bool:
        store = ox.Store(str(tmp_path / "b"))
        held = [store]
        needed = _needs_collection(store)
        held.clear()
        return needed

    assert not alone()
    assert shared()
    # Closed at once: the folder opens again read-write (RocksDB locks an open store).
    ox.Store(str(tmp_path / "a"))
