"""The SPARQL store loaded on a thread beside the SHACL check (kg.build.background) is the
store loaded in its turn, and the thread neither hides an error nor outlives the build."""

from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal

from kg.build import build
from kg.build.background import Background
from kg.errors import StoreError, ValidationError
from kg.namespaces import XSD
from kg.store.embedded import build_store

from .conftest import SEEDS


def _quads(store_dir: Path) -> list[bytes]:
    store = ox.Store.read_only(str(store_dir))
    return sorted((store.dump(format=ox.RdfFormat.N_QUADS) or b"").splitlines())


def _build_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("ftz-kg ")]


def test_store_loaded_beside_the_check_is_the_store_loaded_after_it(tmp_path: Path) -> None:
    """Loaded in two lots before the files are written (kg.store.stream): the document
    graphs, then the default graph."""
    out = tmp_path / "out"
    build([SEEDS], out, outputs=("store",))
    plain = tmp_path / "plain"
    build_store(out / "kg.trig", plain)
    assert _quads(out / "store") == _quads(plain / "store")
    assert not _build_threads()


def test_a_failed_check_waits_for_the_load_and_keeps_the_previous_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([SEEDS], out, outputs=("store",))
    graph, quads = (out / "kg.ttl").read_bytes(), _quads(out / "store")
    stores = sorted(p.name for p in out.glob(".store-*"))

    import kg.rdf.graph as graph_module

    monkeypatch.setattr(
        graph_module, "_decimal", lambda value: Literal("not a number", datatype=XSD.string)
    )
    with pytest.raises(ValidationError):
        build([SEEDS], out, outputs=("store",))
    assert not _build_threads()
    assert (out / "kg.ttl").read_bytes() == graph
    assert _quads(out / "store") == quads
    # The store loaded for the refused build went with its stage.
    assert sorted(p.name for p in out.glob(".store-*")) == stores
    assert len(list(out.glob(".gen-*"))) == 1


def test_background_hands_back_what_the_work_raised() -> None:
    def fail() -> list[Path]:
        raise StoreError("cannot load")

    job = Background("test", fail).start()
    job.join()  # waiting alone raises nothing: a build's finally must not hide its own error
    with pytest.raises(StoreError, match="cannot load"):
        job.result()
    assert not _build_threads()


def test_background_hands_back_what_the_work_wrote(tmp_path: Path) -> None:
    assert Background("test", lambda: [tmp_path]).start().result() == [tmp_path]
    Background("test", lambda: []).join()  # never started: nothing to wait for


def test_the_store_load_is_timed_apart_from_the_stages(tmp_path: Path) -> None:
    result = build([SEEDS], tmp_path / "out", outputs=("store",))
    assert "threads" in result.timings
    assert not result.started


def test_a_build_stopped_while_drawing_stops_the_store_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The document graphs are handed to the store, then redrawing the shared
    descriptions fails: the thread stops and its folder goes."""
    from kg.rdf.assemble import GraphIndex

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(GraphIndex, "apply", broken)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="drawing failed"):
        build([SEEDS], out, outputs=("store",))
    assert not _build_threads()
    assert not list(out.glob(".store-*"))
    assert not (out / "store").exists()
