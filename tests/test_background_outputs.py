"""The SPARQL store loaded on a thread beside the SHACL check (kg.build.background) is the
store loaded in its turn, and the thread neither hides an error nor outlives the build."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

import kg.store.stream as stream_module
from kg.build import build
from kg.build.background import Background
from kg.errors import StoreError, ValidationError
from kg.namespaces import XSD
from kg.store.embedded import build_store, store_info
from kg.store.stream import StoreStream

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


def test_the_streamed_store_counts_its_quads_as_the_store_does(tmp_path: Path) -> None:
    """The metadata's count is the drawing's (each graph's triples, summed) rather than the
    store's: the same number, a document drawn as another's duplicate included."""
    seed = next(SEEDS.glob("*.txt"))
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_bytes(seed.read_bytes())
    (inputs / "b.txt").write_bytes(seed.read_bytes())  # drawn as a's duplicate
    (inputs / "c.txt").write_text("上海自贸试验区临港新片区发展集成电路产业。\n", encoding="utf-8")
    out = tmp_path / "out"
    build([inputs], out, outputs=("store",))
    assert store_info(out)["quads"] == len(_quads(out / "store"))
    plain = tmp_path / "plain"
    build_store(out / "kg.trig", plain)
    assert store_info(out)["quads"] == store_info(plain)["quads"]


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


class _Loads:
    """A stand-in for the store the stream fills: what each bulk load was given."""

    def __init__(self) -> None:
        self.inputs: list[bytes] = []
        self.loaded = threading.Event()

    def bulk_load(self, *, input: bytes, format: object) -> None:  # noqa: A002 (pyoxigraph's name)
        self.inputs.append(input)
        self.loaded.set()


def _fill_on_a_thread(stream: StoreStream, store: _Loads) -> threading.Thread:
    thread = threading.Thread(target=stream._fill, args=(store,))
    thread.start()
    return thread


def test_the_drawn_documents_wait_for_a_lot_then_load_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the documents are drawn nothing loads below a lot; once they are all drawn,
    everything waiting loads in one go."""
    monkeypatch.setattr(stream_module, "_LOT", 1 << 30)
    stream, store = StoreStream(tmp_path), _Loads()
    thread = _fill_on_a_thread(stream, store)
    stream.add([(URIRef("urn:g:1"), b"<urn:a> <urn:b> <urn:c> .\n")])
    stream.add([(URIRef("urn:g:2"), b"<urn:a> <urn:b> <urn:d> .\n")])
    assert not store.loaded.wait(0.2)
    stream.drawn()
    stream.add([(None, b"<urn:a> <urn:b> <urn:e> .\n")])
    stream.finish()
    thread.join()
    assert len(store.inputs) == 1
    assert all(g in store.inputs[0] for g in (b"<urn:g:1> {", b"<urn:g:2> {", b"<urn:e>"))


def test_a_full_lot_loads_while_the_documents_are_still_drawn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream_module, "_LOT", 1)
    stream, store = StoreStream(tmp_path), _Loads()
    thread = _fill_on_a_thread(stream, store)
    stream.add([(URIRef("urn:g:1"), b"<urn:a> <urn:b> <urn:c> .\n")])
    assert store.loaded.wait(10)  # before drawn(): the first document alone
    stream.drawn()
    stream.finish()
    thread.join()
    assert len(store.inputs) == 1 and b"<urn:g:1> {" in store.inputs[0]


def test_a_store_loaded_in_many_lots_is_the_store_loaded_from_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream_module, "_LOT", 1)  # a load per document, or nearly
    texts = tmp_path / "texts"
    texts.mkdir()
    lines = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8").splitlines()
    for n in range(3):  # three documents, each a third of the seed
        (texts / f"part{n}.txt").write_text("\n".join(lines[n::3]), encoding="utf-8")
    out = tmp_path / "out"
    loads: list[int] = []
    loaded = threading.Semaphore(0)
    load, add = ox.Store.bulk_load, StoreStream.add

    def counted(store: ox.Store, **kwargs: object) -> None:
        load(store, **kwargs)  # type: ignore[arg-type]
        loads.append(1)
        loaded.release()

    def add_then_wait(
        stream: StoreStream, graphs: Iterable[tuple[URIRef | None, bytes]], quads: int | None
    ) -> None:
        add(stream, graphs, quads)  # and wait for its load: each body is a lot of its own
        assert loaded.acquire(timeout=60)

    monkeypatch.setattr(ox.Store, "bulk_load", counted)
    monkeypatch.setattr(StoreStream, "add", add_then_wait)
    build([texts], out, outputs=("store",))
    assert len(loads) == 4  # three documents, then the default graph
    plain = tmp_path / "plain"
    build_store(out / "kg.trig", plain)
    assert _quads(out / "store") == _quads(plain / "store")


def _bodies(graph: int, count: int) -> bytes:
    """``count`` statements of one subject each, laid out as a drawn body is (a blank line
    between two statements; a literal's line break escaped)."""
    return "\n".join(
        f'<urn:s:{graph}:{n}> <urn:p> "a\\n\\nb {n}" ;\n    <urn:q> <urn:o:{n}>, <urn:o> .\n'
        for n in range(count)
    ).encode()


def test_a_lot_loaded_in_halves_is_the_lot_loaded_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    graphs = [
        (b"<urn:g:1> {\n", _bodies(1, 40)),
        (b"<urn:g:2> {\n", _bodies(2, 300)),
        (b"", _bodies(3, 20)),
    ]
    size = sum(len(body) for _opening, body in graphs)
    first, second = stream_module._halved(graphs, size // 2)
    assert first and second
    # cut between two statements, the graph named again before the second piece
    (opening, head), (same, tail) = first[-1], second[0]
    assert same == opening == b"<urn:g:2> {\n"
    assert bytes(head).endswith(b" .\n\n") and bytes(tail).startswith(b"<urn:s:2:")
    assert abs(sum(len(b) for _o, b in first) - size // 2) < 200  # cut near the half
    whole, halves = ox.Store(), ox.Store()
    stream_module._load(whole, graphs, size, halves=False)
    monkeypatch.setattr(stream_module, "_HALVES", 1)
    loads: list[bytes] = []
    load = ox.Store.bulk_load

    def counted(store: ox.Store, **kwargs: object) -> None:
        loads.append(kwargs["input"])  # type: ignore[arg-type]
        load(store, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ox.Store, "bulk_load", counted)
    stream_module._load(halves, graphs, size, halves=True)
    assert len(loads) == 2
    assert set(whole) == set(halves) and len(halves) == 360 * 3


def test_an_error_in_the_second_half_is_raised_by_the_load() -> None:
    graphs = [(b"<urn:g:1> {\n", _bodies(1, 40) + b"\n<urn:broken> <urn:p> .\n")]
    size = len(graphs[0][1])
    with pytest.raises(SyntaxError):
        stream_module._load(ox.Store(), graphs, size, halves=True)
    assert not [t for t in threading.enumerate() if t.name == "ftz-kg store half"]


def test_a_full_lot_is_loaded_at_once_even_after_the_drawing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A corpus's last lot: the maps' network uses the other core during its load."""
    graphs = [(b"<urn:g:1> {\n", _bodies(1, 300))]
    size = len(graphs[0][1])
    monkeypatch.setattr(stream_module, "_HALVES", 1)
    monkeypatch.setattr(stream_module, "_LOT", size)
    store = _Loads()
    stream_module._load(store, graphs, size, halves=True)  # type: ignore[arg-type]
    assert len(store.inputs) == 1


def test_each_body_goes_to_the_store_before_its_part_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last document's body is handed, and the drawing said to be over, while its part
    is still being made (kg.rdf.parts.document_part's ``handed``): the same bodies, in
    the same order, as the parts hold."""
    import importlib

    assembly = importlib.import_module("kg.build.assembly")
    events: list[tuple[str, object]] = []
    draw = assembly.document_part

    def recorded(*args: object, **kwargs: object) -> object:
        part = draw(*args, **kwargs)
        events.append(("part", (part.graph, part.body)))
        return part

    monkeypatch.setattr(assembly, "document_part", recorded)
    add, drawn = StoreStream.add, StoreStream.drawn

    def added(
        self: StoreStream, graphs: Iterable[tuple[URIRef | None, bytes]], quads: int | None
    ) -> None:
        graphs = list(graphs)
        events.append(("add", graphs[0] if graphs[0][0] is not None else "default"))
        add(self, graphs, quads)

    def over(self: StoreStream) -> None:
        events.append(("drawn", None))
        drawn(self)

    monkeypatch.setattr(StoreStream, "add", added)
    monkeypatch.setattr(StoreStream, "drawn", over)
    # Two documents: the seed, and the seed's text under another name and a line more.
    seed = next(SEEDS.glob("*.txt"))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "other.txt").write_bytes(seed.read_bytes() + "\n上海自贸试验区扩区。\n".encode())
    out = tmp_path / "out"
    build([folder], out, outputs=("store",))
    kinds = [kind for kind, _ in events]
    assert kinds == ["add", "part", "add", "drawn", "part", "add"], kinds
    assert events[0][1] == events[1][1] and events[2][1] == events[4][1]
    assert events[5][1] == "default"
    plain = tmp_path / "plain"
    build_store(out / "kg.trig", plain)
    assert _quads(out / "store") == _quads(plain / "store")


def test_what_is_added_while_the_last_lot_loads_in_halves_loads_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default graph's body, added while the last document's body loads in halves,
    loads at once beside them rather than after them; the metadata's digest is kg.trig's."""
    monkeypatch.setattr(stream_module, "_HALVES", 1)
    monkeypatch.setattr(stream_module, "_LOT", 1 << 30)
    halves_started, default_loaded = threading.Semaphore(0), threading.Event()
    waited: list[bool] = []

    class Store:
        def bulk_load(self, *, input: bytes, format: object) -> None:  # noqa: A002
            if b"<urn:g:1> {" in input:  # a half of the document's body
                halves_started.release()
                waited.append(default_loaded.wait(10))
            else:
                default_loaded.set()

    (tmp_path / "kg.trig").write_bytes(b"the graph file")
    stream = StoreStream(tmp_path)
    thread = threading.Thread(target=stream._fill, args=(Store(),))
    thread.start()
    stream.add([(URIRef("urn:g:1"), _bodies(1, 300))])
    stream.drawn()
    assert halves_started.acquire(timeout=10) and halves_started.acquire(timeout=10)
    stream.add([(None, b"<urn:a> <urn:b> <urn:e> .\n")])
    stream.finish()
    thread.join()
    assert waited == [True, True]
    assert stream._digest == stream_module.sha256_of(tmp_path / "kg.trig")
    assert not [t for t in threading.enumerate() if t.name == "ftz-kg store lot"]


def test_an_error_in_a_lot_loaded_beside_is_raised_by_the_stream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream_module, "_HALVES", 1)
    broken = _bodies(1, 300) + b"\n<urn:broken> <urn:p> .\n"
    (tmp_path / "kg.trig").write_bytes(b"the graph file")
    stream = StoreStream(tmp_path)
    stream.add([(URIRef("urn:g:1"), broken)])
    stream.drawn()
    stream.finish()
    with pytest.raises(StoreError):
        stream.run()
    assert not list(tmp_path.glob(".store-*"))
