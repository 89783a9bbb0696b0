"""The maps drawn by a forked child process (kg.build.forked, kg.build.views_output) are the
maps the build's own process draws, and the child neither hides an error nor writes after
the build (once it has answered it only exits, and holds no lock meanwhile)."""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kg.build import build
from kg.build.forked import Forked
from kg.errors import OutputError

from .conftest import CORPUS, CORPUS_SUBSET, SEEDS, require_shared

views_output = importlib.import_module("kg.build.views_output")  # kg.build.build shadows it


def _files(out: Path) -> dict[str, bytes]:
    """The pages, the folder they name as their source left out."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes().replace(str(out).encode(), b"OUT")
        for folder in (out, out / "views", out / "zones")
        for p in sorted(folder.glob("*.html"))
    }


def _forks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records each child forked for the maps."""
    forked: list[str] = []
    start = Forked.start

    def recorded(self: Forked[Any]) -> Forked[Any]:
        forked.append(self.name)
        return start(self)

    monkeypatch.setattr(Forked, "start", recorded)
    return forked


def _same_maps(paths: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forked = _forks(monkeypatch)
    build(paths, tmp_path / "forked")
    assert forked == ["ftz-kg maps"]
    monkeypatch.setattr(views_output, "can_fork", lambda: False)
    build(paths, tmp_path / "alone")
    assert forked == ["ftz-kg maps"]
    one, other = _files(tmp_path / "forked"), _files(tmp_path / "alone")
    assert "kg.html" in one and "views/all.html" in one and "zones/index.html" in one
    assert one == other
    assert b'"profile":"zones/' in one["kg.html"]  # the overview links the zone pages


def test_the_seed_maps_drawn_by_a_child_are_the_maps_drawn_in_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _same_maps([SEEDS], tmp_path, monkeypatch)


def test_a_corpus_maps_drawn_by_a_child_are_the_maps_drawn_in_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = require_shared(CORPUS)
    _same_maps([corpus / name for name in CORPUS_SUBSET[:4]], tmp_path, monkeypatch)


def test_the_written_files_are_listed_as_the_build_lists_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forked = build([SEEDS], tmp_path / "forked").written
    monkeypatch.setattr(views_output, "can_fork", lambda: False)
    alone = build([SEEDS], tmp_path / "alone").written
    assert [p.relative_to(tmp_path / "forked") for p in forked] == [
        p.relative_to(tmp_path / "alone") for p in alone
    ]


def _job(work: Callable[[Callable[[], Any]], Any]) -> Forked[Any]:
    return Forked("test", work, timing="network").start()


def test_the_child_answers_after_what_the_parent_sends() -> None:
    job = _job(lambda receive: ["before", receive(), os.getpid()])
    job.send(3)
    before, sent, pid = job.result()
    assert (before, sent) == ("before", 3) and pid != os.getpid()
    assert job.seconds > 0


def test_a_child_that_asks_nothing_answers_without_a_message() -> None:
    assert _job(lambda receive: "no question").result() == "no question"


def test_a_child_that_asks_and_gets_no_message_stops() -> None:
    job = _job(lambda receive: receive())
    with pytest.raises(OutputError, match="stopped before its end"):
        job.result()


def test_what_the_child_raised_is_raised_by_the_result() -> None:
    def fails(receive: Callable[[], Any]) -> None:
        raise OutputError(f"no room for {receive()}")

    job = _job(fails)
    job.send("the maps")
    with pytest.raises(OutputError, match="no room for the maps"):
        job.result()


def test_a_child_that_dies_is_an_error() -> None:
    job = _job(lambda receive: os._exit(3))
    job.send(None)
    with pytest.raises(OutputError, match="without an answer"):
        job.result()


def test_a_build_that_stops_stops_the_child_waiting_for_it() -> None:
    job = _job(lambda receive: receive())
    start = time.perf_counter()
    job.join()  # never sent: the child is stopped, not waited for
    assert time.perf_counter() - start < 5
    with pytest.raises(OutputError):
        job.result()


def test_a_failed_store_stops_the_maps_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store's writer fails after the child was forked: the build waits for the child's
    end before the stage is discarded, and keeps no page of it."""
    forked = _forks(monkeypatch)
    outputs = importlib.import_module("kg.build.outputs")

    def broken(result: Any) -> list[Path]:
        raise OutputError("no store today")

    monkeypatch.setattr(outputs, "store_output", broken)
    writers = [broken, views_output.views_output]
    with pytest.raises(OutputError, match="no store today"):
        build([SEEDS], tmp_path / "out", outputs=(), extra_outputs=writers)
    assert forked == ["ftz-kg maps"]
    assert not [p for p in (tmp_path / "out").glob("**/*.html") if p.exists()]


def _events(monkeypatch: pytest.MonkeyPatch, spare: float = 0.0) -> list[str]:
    """Records the forks of the maps' child, the bodies handed to the store and the
    checks, in the order they happen; the child of one document is forked once it is
    drawn if ``spare`` cores stood idle (whatever the machine does meanwhile)."""
    from kg.store.stream import StoreStream

    monkeypatch.setattr(importlib.import_module("kg.build.outputs"), "SPARE_CORE", spare)

    events: list[str] = []
    start, add = Forked.start, StoreStream.add
    assembly = importlib.import_module("kg.build.assembly")
    check = assembly._validate_assembly

    def forked(self: Forked[Any]) -> Forked[Any]:
        events.append("fork")
        return start(self)

    def added(self: StoreStream, graphs: Any, quads: int | None) -> None:
        events.append("body")
        add(self, graphs, quads)

    def checked(*args: Any, **kwargs: Any) -> Any:
        events.append("check")
        return check(*args, **kwargs)

    monkeypatch.setattr(Forked, "start", forked)
    monkeypatch.setattr(StoreStream, "add", added)
    monkeypatch.setattr(assembly, "_validate_assembly", checked)
    return events


def test_one_document_forks_the_maps_child_once_drawn_and_its_maps_are_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build of one document forks the child when the document's graph is drawn, before
    its body goes to the store (the child adds the default graph itself): the pages are
    those drawn in the build's own process."""
    paths = [require_shared(CORPUS) / CORPUS_SUBSET[0]]
    events = _events(monkeypatch)
    build(paths, tmp_path / "forked")
    assert events[:3] == ["fork", "body", "body"] and events.count("fork") == 1, events
    monkeypatch.setattr(views_output, "can_fork", lambda: False)
    build(paths, tmp_path / "alone")
    one, other = _files(tmp_path / "forked"), _files(tmp_path / "alone")
    assert "views/all.html" in one and len(one) == len(other)
    assert one == other


def test_one_document_forks_the_maps_child_after_the_check_when_no_core_was_spare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = _events(monkeypatch, spare=float("inf"))
    build([SEEDS], tmp_path / "out")
    assert events.index("fork") > events.index("check") and events.count("fork") == 1, events


def test_spare_cores_says_how_many_cores_stood_idle() -> None:
    from kg.build.forked import spare_cores

    spare = spare_cores()()
    assert isinstance(spare, float) and spare >= 0.0


def test_several_documents_fork_the_maps_child_after_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = require_shared(CORPUS)
    events = _events(monkeypatch)
    build([corpus / name for name in CORPUS_SUBSET[:2]], tmp_path / "out")
    assert events.index("fork") > events.index("check") and events.count("fork") == 1, events


def test_a_failed_check_stops_the_child_forked_once_drawn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check refuses the one document's graph after its child was forked: the child is
    stopped, no page of it is kept and the previous outputs stay."""
    from rdflib import Literal
    from rdflib.namespace import XSD

    import kg.rdf.graph as graph_module
    from kg.errors import ValidationError

    out = tmp_path / "out"
    build([SEEDS], out)
    before = _files(out)
    events = _events(monkeypatch)
    monkeypatch.setattr(
        graph_module, "_decimal", lambda value: Literal("not a number", datatype=XSD.string)
    )
    with pytest.raises(ValidationError):
        build([SEEDS], out)
    assert events[0] == "fork" and "check" in events
    assert _files(out) == before
    assert len(list(out.glob(".gen-*"))) == 1


def test_the_overview_is_laid_out_before_the_zone_pages_are_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """draw_maps lays the overview out before it asks for the zone pages: only its links
    to them wait (the child's answer then comes sooner after the parent's message)."""
    from kg.store.embedded import open_store
    from kg.views import overview
    from kg.views.read_store import store_network

    out = tmp_path / "out"
    build([SEEDS], out)
    network = store_network(open_store(out))
    events: list[str] = []
    laid_out = overview.build_overview

    def recorded(net: Any) -> Any:
        events.append("overview")
        return laid_out(net)

    monkeypatch.setattr(overview, "build_overview", recorded)

    def zone_pages() -> int:
        events.append("zones")
        return len(list((out / "zones").glob("*.html")))

    before = (out / "kg.html").read_bytes()
    views_output.draw_maps(network, out, str(out / "kg.ttl"), zone_pages)
    assert events == ["overview", "zones"]
    assert (out / "kg.html").read_bytes() == before


def test_a_forked_child_does_not_hold_the_build_lock(tmp_path: Path) -> None:
    """A child shares its parent's lock file: closed in the child at the fork, the lock is
    the parent's alone, and a child still exiting after its answer (the parent no longer
    waits for that) cannot turn the next build of the folder away."""
    from kg.build.lock import lock_folder
    from kg.errors import FolderBusyError

    ready_r, ready_w = os.pipe()
    release_r, release_w = os.pipe()
    with lock_folder(tmp_path):
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child's coverage is not recorded)
            os.write(ready_w, b"x")  # after the fork handlers: the lock is closed here
            os.read(release_r, 1)  # alive until the parent has locked again
            os._exit(0)
        os.read(ready_r, 1)
        with pytest.raises(FolderBusyError), lock_folder(tmp_path):  # the parent's lock
            pass
    try:
        with lock_folder(tmp_path):  # the child, still alive, holds nothing
            pass
    finally:
        os.write(release_w, b"x")
        os.waitpid(pid, 0)
        for fd in (ready_r, ready_w, release_r, release_w):
            os.close(fd)
