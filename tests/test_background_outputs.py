"""The SPARQL store loaded on a thread beside the SHACL check (kg.build.background) is the
store loaded in its turn, the maps drawn from the same quads in memory meanwhile are the
maps drawn from that store, and the threads neither hide an error nor outlive the build."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal

from kg.build import build
from kg.build.background import Background
from kg.build.outputs import MAPS_WRITER, STORE_WRITER, early_outputs, early_parts
from kg.build.views_output import views_output
from kg.errors import StoreError, ValidationError
from kg.namespaces import XSD
from kg.store.embedded import build_store, store_is_current

from .conftest import ROOT, SEEDS


def _quads(store_dir: Path | ox.Store) -> list[bytes]:
    store = store_dir if isinstance(store_dir, ox.Store) else ox.Store.read_only(str(store_dir))
    return sorted((store.dump(format=ox.RdfFormat.N_QUADS) or b"").splitlines())


def _build_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("ftz-kg ")]


def test_store_loaded_beside_the_check_is_the_store_loaded_after_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([SEEDS], out, outputs=("store",))
    plain = tmp_path / "plain"
    build_store(out / "kg.trig", plain)
    assert _quads(out / "store") == _quads(plain / "store")
    assert not _build_threads()


def test_the_maps_store_loaded_in_two_steps_holds_the_quads_of_kg_trig(tmp_path: Path) -> None:
    # The document graphs before the default graph is drawn, the default graph after.
    result = build([SEEDS], tmp_path / "out", outputs=())
    assembly = result.assembly
    assert assembly is not None and assembly.full
    stage = tmp_path / "stage"
    stage.mkdir()
    (stage / "kg.trig").write_bytes((tmp_path / "out" / "kg.trig").read_bytes())
    writers = {STORE_WRITER, MAPS_WRITER}
    started = early_parts(writers, assembly.added, full=True)
    early_outputs(writers, stage, assembly, started)
    try:
        plain = ox.Store()
        plain.bulk_load(path=str(stage / "kg.trig"), format=ox.RdfFormat.TRIG)
        assert _quads(started[MAPS_WRITER].result()) == _quads(plain)
        assert started[STORE_WRITER].result() == [stage / "store"]
        assert _quads(stage / "store") == _quads(plain)
    finally:
        for job in started.values():
            job.join()


def test_maps_drawn_beside_the_store_load_are_the_maps_drawn_from_the_store(
    tmp_path: Path,
) -> None:
    assert f"{views_output.__module__}:{views_output.__qualname__}" == MAPS_WRITER
    out = tmp_path / "out"
    result = build([SEEDS], out)  # the store and the maps, both started early
    pages = sorted([out / "kg.html", *(out / "views").iterdir(), *(out / "zones").iterdir()])
    early = {p: p.read_bytes() for p in pages}
    assert not result.started and not _build_threads()
    # Drawn again by the plain writer, which reads the store on disk.
    assert store_is_current(out)
    assert set(views_output(result)) == set(pages)
    assert {p: p.read_bytes() for p in pages} == early


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity here")
def test_on_one_core_the_maps_wait_for_the_store_and_are_the_same(tmp_path: Path) -> None:
    # On one core the maps' in-memory store is not loaded (it would only add its time):
    # the maps then read the store on disk once its thread has loaded it.
    out = tmp_path / "out"  # both built there (the pages name it), then moved aside
    build([SEEDS], out)
    out.rename(tmp_path / "two")
    code = (
        "import os, sys; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
        "from kg.build import build; build([sys.argv[1]], sys.argv[2])"
    )
    subprocess.run(
        [sys.executable, "-P", "-c", code, str(SEEDS), str(out)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
    )
    out.rename(tmp_path / "one")
    for name in ("kg.html", "views", "zones"):
        two, one = tmp_path / "two" / name, tmp_path / "one" / name
        if two.is_dir():
            assert sorted(p.name for p in one.iterdir()) == sorted(p.name for p in two.iterdir())
            for page in two.iterdir():
                assert (one / page.name).read_bytes() == page.read_bytes(), page.name
        else:
            assert one.read_bytes() == two.read_bytes()
    assert _quads(tmp_path / "one" / "store") == _quads(tmp_path / "two" / "store")


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


def test_background_after_waits_for_the_jobs_before_it() -> None:
    made: list[str] = []
    gate = threading.Event()

    def first() -> list[Path]:
        gate.wait()
        made.append("first")
        return []

    before = Background("test", first).start()
    then = Background("test", lambda: list(made), after=[before]).start()
    gate.set()
    assert then.result() == ["first"]
    assert then.seconds >= 0.0
