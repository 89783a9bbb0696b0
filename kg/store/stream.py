"""A new SPARQL store filled while the build is still drawing the graph.

A first build used to load ``kg.trig`` once the file was written: on the 750 KB file the
load (about 1 CPU second) then ran beside the SHACL check only and the maps waited for
its end; on the corpus (13 CPU seconds) likewise. The graph file is made of bodies that
exist before it is written: each document's named graph as soon as the document is drawn,
the default graph once every document is. :class:`StoreStream` hands each body over to a
thread as it is drawn, and the thread loads them in batches with pyoxigraph's bulk loader,
which runs in Rust without the GIL, beside the drawing.

The store holds what loading the finished ``kg.trig`` gives: the same bodies, each named
graph in its graph (the files hold no blank nodes, so loading them apart changes no node);
``tests/test_background_outputs.py`` compares the two. The thread finishes, describes and
swaps in the store only after :meth:`StoreStream.finish`, once ``kg.trig`` is in the stage;
a build that stops before then calls :meth:`StoreStream.abort` and the folder goes.
"""

from __future__ import annotations

import queue
import shutil
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from ..rdf.graph_files import DATASET_FILE, PREFIX_HEADER
from ..rdf.rdfwrite import nt_term
from .embedded import fill_store, load_error, new_store_folder, publish_store, whole_file_meta

__all__ = ["StoreStream"]

# Each bulk load writes a set of sorted files that the store's compaction merges at the
# end; batches of a few megabytes keep them few without holding the thread back.
_BATCH = 8 << 20
_PREFIXES = PREFIX_HEADER.encode("utf-8")


class _End:
    """What ends the thread's loop: :meth:`StoreStream.finish` or :meth:`~StoreStream.abort`."""

    def __init__(self, keep: bool) -> None:
        self.keep = keep


class _Aborted(Exception):
    """The build stopped before its graph file was written."""


_Item = tuple[bytes, bytes] | _End  # (TriG opening of a named graph or b"", its body)


class StoreStream:
    """The store of the build staged in ``stage``, loaded body by body by :meth:`run` (the
    work of a thread, :class:`kg.build.background.Background`)."""

    def __init__(self, stage: Path) -> None:
        self._stage = stage
        self._source = stage / DATASET_FILE
        self._items: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._folder = new_store_folder(stage)
        self._ended = False

    def add(self, graph: URIRef | None, body: bytes) -> None:
        """A named graph's body (Turtle statements), or with ``graph`` None the default graph's."""
        opening = b"" if graph is None else f"{nt_term(graph)} {{\n".encode()
        self._items.put((opening, body))

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
            fill_store(self._folder, self._fill, lambda store: whole_file_meta(store, self._source))
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
        done = False
        while not done:
            batch = [_PREFIXES]
            size = 0
            # Wait for a batch's worth: the drawing hands over one document at a time.
            while size < _BATCH and not done:
                item = self._items.get()
                if isinstance(item, _End):
                    if not item.keep:
                        raise _Aborted
                    done = True
                    continue
                opening, body = item
                batch.extend((opening, body, b"}\n" if opening else b"\n"))
                size += len(body)
            if size:
                store.bulk_load(input=b"".join(batch), format=ox.RdfFormat.TRIG)
        store.optimize()
