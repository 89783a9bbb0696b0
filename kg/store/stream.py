"""A new SPARQL store loaded before the graph files are written.

A first build used to load ``kg.trig`` once the file was written, beside the SHACL check,
and the maps then waited for the end of the load (0.4 s of 3.7 on the 750 KB file). The
file is made of bodies that exist before it is written: the named graph of each document
as soon as it is drawn, the default graph once the shared descriptions are redrawn
(:meth:`kg.rdf.assemble.GraphIndex.apply`, 0.4 s on that file). :class:`StoreStream`
hands the bodies to a thread as soon as they exist, and the thread loads them with
pyoxigraph's bulk loader, which runs in Rust without the GIL, beside the build: while the
documents are drawn, in lots of :data:`_LOT` bytes or more (each load writes files of its
own, which the queries then read through), then whatever is waiting at once.

Loading the documents while they are drawn was taken out in the seventh round (the
corpus's drawing slowed from 13-14 to 24-26 s). Measured again in the tenth (five
alternating pairs on the corpus, the machine busy with other work, load 2-4): the drawing
is slower when no core is free (16-25 s against 15-20 s), the check faster (6-8 s
against 8-17 s), the store's wait gone (4.5-7.3 s), the whole build 57.4 s against 60.3
s (medians, ahead in four pairs of five), the process's CPU time unchanged and its peak
memory 700 MB lower (1,960-1,990 MB against 2,680-2,720 MB: the loader never holds the
whole body). A lot of fewer than a million quads loads on one thread (the loader's
second thread sorts batches of a million), so the load takes one core of two.

The store holds what loading the finished ``kg.trig`` gives: the same bodies, each named
graph in its graph (the files hold no blank nodes, so loading them apart changes no node);
``tests/test_background_outputs.py`` compares the two. The thread finishes, describes and
swaps in the store only after :meth:`StoreStream.finish`, once ``kg.trig`` is in the stage;
a build that stops before then calls :meth:`StoreStream.abort` and the folder goes.
"""

from __future__ import annotations

import queue
import shutil
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from ..rdf.graph_files import DATASET_FILE, PREFIX_HEADER
from ..rdf.rdfwrite import nt_term
from .embedded import (
    fill_store,
    load_error,
    new_store_folder,
    publish_store,
    sha256_of,
    whole_file_meta,
)

__all__ = ["StoreStream"]

_PREFIXES = PREFIX_HEADER.encode("utf-8")


class _Drawn:
    """What :meth:`StoreStream.drawn` puts in the queue: no more document comes, so what
    is waiting is loaded at once rather than kept for a lot."""


class _End:
    """What ends the thread's loop: :meth:`StoreStream.finish` or :meth:`~StoreStream.abort`."""

    def __init__(self, keep: bool) -> None:
        self.keep = keep


class _Aborted(Exception):
    """The build stopped before its graph file was written."""


# (the TriG opening of a named graph or b"", its body), added at once; or the end
_Item = list[tuple[bytes, bytes]] | _Drawn | _End

# While the documents are drawn, their bodies are loaded in lots of this many bytes at
# least (the corpus: 96 MB in about five loads).
_LOT = 16 << 20


class StoreStream:
    """The store of the build staged in ``stage``, loaded body by body by :meth:`run` (the
    work of a thread, :class:`kg.build.background.Background`)."""

    def __init__(self, stage: Path) -> None:
        self._stage = stage
        self._source = stage / DATASET_FILE
        self._items: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._folder = new_store_folder(stage)
        self._ended = False
        self._digest: str | None = None  # kg.trig's SHA-256, read while the last lot loads
        # The quads the bodies hold, for the metadata (None: some add() did not say).
        self._quads: int | None = 0

    def add(self, graphs: Iterable[tuple[URIRef | None, bytes]], quads: int | None = None) -> None:
        """Named graphs' bodies (Turtle statements), by graph; with the graph None, the
        default graph's. What is added at once is loaded at once.

        ``quads`` says how many triples the bodies hold (each graph's distinct triples):
        the metadata's count is then their sum, not the store's (``len``, which reads a
        whole index: 0.4-0.6 s on the corpus's store, at the end of the load the zone
        pages wait for)."""
        if quads is None or self._quads is None:
            self._quads = None
        else:
            self._quads += quads
        self._items.put(
            [(b"" if g is None else f"{nt_term(g)} {{\n".encode(), body) for g, body in graphs]
        )

    def handed(self, last: bool) -> Callable[[URIRef, bytes, int], None]:
        """What a document's drawing calls with its graph and body as soon as it has
        them (:func:`kg.rdf.parts.document_part`'s ``handed``): :meth:`add`, then, for
        the ``last`` document, :meth:`drawn`. The last body's load starts before its
        part is made (on the 750 KB file, 0.1 s of the drawing after its body)."""

        def add(graph: URIRef, body: bytes, quads: int) -> None:
            self.add([(graph, body)], quads)
            if last:
                self.drawn()

        return add

    def drawn(self) -> None:
        """Every document's body has been added (the default graph's comes later)."""
        self._items.put(_Drawn())

    def finish(self) -> None:
        """Every body has been added and ``kg.trig`` is in the stage: finish the store."""
        self._end(keep=True)

    def abort(self) -> None:
        """The build stops: load nothing more and remove the store's folder."""
        self._end(keep=False)

    def _end(self, keep: bool) -> None:
        if not self._ended:
            self._ended = True
            self._items.put(_End(keep))

    def run(self) -> list[Path]:
        """Load what is added until :meth:`finish` (then swap the store into the stage and
        return its path) or :meth:`abort` (then return nothing)."""
        try:
            fill_store(
                self._folder,
                self._fill,
                lambda store: whole_file_meta(store, self._source, self._digest, self._quads),
            )
        except _Aborted:
            shutil.rmtree(self._folder, ignore_errors=True)
            return []
        except (SyntaxError, ValueError, OSError) as exc:
            shutil.rmtree(self._folder, ignore_errors=True)
            raise load_error(self._source, exc) from exc
        except BaseException:
            shutil.rmtree(self._folder, ignore_errors=True)
            raise
        return [publish_store(self._folder, self._stage)]

    def _fill(self, store: ox.Store) -> None:
        beside: list[_Beside] = []  # lots loading on threads of their own
        try:
            self._take(store, beside)
            if beside:  # kg.trig is in the stage (finish()): its digest for the metadata
                self._digest = sha256_of(self._source)
        finally:
            for lot in beside:  # the store's folder may go once this returns
                lot.join()
        for lot in beside:
            lot.raise_failure()

    def _take(self, store: ox.Store, beside: list[_Beside]) -> None:
        """Load what is added, lot by lot, until the end. A lot loaded in halves (the last
        document's body) loads beside this thread, which loads what comes meanwhile (the
        default graph's body) at once rather than after it: on the 750 KB file the
        default graph was loaded, and the store described, after the body's 0.4 s."""
        done = False
        drawing = True
        while not done:
            batch: list[tuple[bytes, bytes]] = []  # (the TriG opening or b"", the body)
            size = 0
            item = self._items.get()
            while True:  # and whatever else is waiting, in the same load
                if isinstance(item, _End):
                    if not item.keep:
                        raise _Aborted
                    done = True
                    break
                if isinstance(item, _Drawn):
                    drawing = False
                else:
                    batch.extend(item)
                    size += sum(len(body) for _opening, body in item)
                if drawing and size < _LOT:
                    item = self._items.get()
                    continue
                try:
                    item = self._items.get_nowait()
                except queue.Empty:
                    break
            if batch and not drawing and _HALVES <= size < _LOT:
                beside.append(_Beside(store, batch, size))
            elif batch:
                _load(store, batch, size, halves=not drawing)
        # No store.optimize() (RocksDB's compaction) after the loads: it cost 2.3-3.9 CPU
        # seconds of the corpus's load, in the build's store wait, and the maps' queries
        # read the two loads' files about as fast (corpus builds: the wait 1.5-2.2 s
        # against 5.8-6.9 s, the maps 7.1-10.5 s against 6.7-9.3 s; the store as large).


# From this many bytes, a lot loaded once the documents are drawn is loaded in two halves
# at once, the second on a thread of its own: the loader takes one core (it sorts on a
# second thread only from a million quads), and the main thread, which drew on the other,
# then has less to do (the check) or only waits. The 750 KB file's body (9 MB): 0.85 s
# in one load, 0.40 s in two at once. While the documents are drawn the other core is
# the drawing's; and a lot of a full _LOT or more (a corpus's last) is loaded at once:
# the maps' network, read on a thread after the check, used the core during the wait
# (the corpus's build was 1 s slower with its last lot halved).
_HALVES = 2 << 20


def _trig(graphs: Iterable[tuple[bytes, bytes | memoryview]]) -> bytes:
    parts: list[bytes | memoryview] = [_PREFIXES]
    for opening, body in graphs:
        parts.extend((opening, body, b"}\n" if opening else b"\n"))
    return b"".join(parts)


def _halved(
    graphs: list[tuple[bytes, bytes]], half: int
) -> tuple[list[tuple[bytes, bytes | memoryview]], list[tuple[bytes, bytes | memoryview]]]:
    """``graphs`` in two lists of about ``half`` bytes of bodies each. A body is cut
    between two statements (the blank line that separates them: a literal's line breaks
    are escaped), each piece in its graph."""
    first: list[tuple[bytes, bytes | memoryview]] = []
    second: list[tuple[bytes, bytes | memoryview]] = []
    size = 0
    for opening, body in graphs:
        if size >= half:
            second.append((opening, body))
            continue
        cut = body.find(b"\n\n", half - size) + 2 if size + len(body) > half else 0
        if cut > 1:
            view = memoryview(body)
            first.append((opening, view[:cut]))
            second.append((opening, view[cut:]))
        else:
            first.append((opening, body))
        size += len(body)
    return first, second


class _Beside:
    """:func:`_load` of a lot in halves, on a thread of its own."""

    def __init__(self, store: ox.Store, graphs: list[tuple[bytes, bytes]], size: int) -> None:
        self._failed: list[BaseException] = []
        self._thread = threading.Thread(
            target=self._run, args=(store, graphs, size), name="ftz-kg store lot", daemon=True
        )
        self._thread.start()

    def _run(self, store: ox.Store, graphs: list[tuple[bytes, bytes]], size: int) -> None:
        try:
            _load(store, graphs, size, halves=True)
        except BaseException as exc:  # raised by the stream's thread (raise_failure)
            self._failed.append(exc)

    def join(self) -> None:
        self._thread.join()

    def raise_failure(self) -> None:
        if self._failed:
            raise self._failed[0]


def _load(store: ox.Store, graphs: list[tuple[bytes, bytes]], size: int, halves: bool) -> None:
    if not halves or not _HALVES <= size < _LOT:
        store.bulk_load(input=_trig(graphs), format=ox.RdfFormat.TRIG)
        return
    first, second = _halved(graphs, size // 2)
    failed: list[BaseException] = []

    def load_second() -> None:
        try:
            store.bulk_load(input=_trig(second), format=ox.RdfFormat.TRIG)
        except BaseException as exc:  # raised below, on the loader's thread
            failed.append(exc)

    helper = threading.Thread(target=load_second, name="ftz-kg store half", daemon=True)
    helper.start()
    try:
        store.bulk_load(input=_trig(first), format=ox.RdfFormat.TRIG)
    finally:
        helper.join()  # the store's folder may go once this returns
    if failed:
        raise failed[0]
