"""An output written on a thread of its own while the build goes on.

pyoxigraph's bulk loader parses and sorts the quads in Rust with the GIL released (a Python
loop beside it runs at full speed), so the SPARQL store can load ``kg.trig`` while the main
thread checks the graph against the shapes. The work is only started once the graph files
are in the build's stage (:mod:`kg.store.generations`): a build that then fails discards
the stage, store included, and readers never see it.

The maps' network is read on such a thread too, from the graph in memory, while the main
thread waits for the store (:func:`kg.build.views_output.start_network`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

__all__ = ["AnyJob", "Background", "Job"]

T = TypeVar("T")


class Job(Generic[T]):
    """``work`` run on a thread: :meth:`result` waits for it and hands back what it gave,
    raising what it raised (a :class:`~kg.errors.StoreError` reaches the caller as it
    would have without the thread). ``timing``: the build's timing its seconds go to."""

    def __init__(self, name: str, work: Callable[[], T], timing: str = "threads") -> None:
        self._work = work
        self._written: T | None = None
        self._error: BaseException | None = None
        self.timing = timing
        self.seconds = 0.0  # how long the work took (it overlaps the build's stages)
        self._thread = threading.Thread(target=self._run, name=f"ftz-kg {name}", daemon=True)

    def _run(self) -> None:
        start = time.perf_counter()
        try:
            self._written = self._work()
        except BaseException as exc:  # handed to the thread that waits for the result
            self._error = exc
        finally:
            self.seconds = time.perf_counter() - start

    def start(self) -> Job[T]:
        self._thread.start()
        return self

    def join(self) -> None:
        """Wait for the work to end, whatever it gave: a build calls this in ``finally``, so
        that no thread outlives it or writes into a stage being discarded."""
        if self._thread.ident is not None:
            self._thread.join()

    def result(self) -> T:
        self.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        return cast(T, self._written)  # set: the work ended without raising


# An output written on a thread (the files it wrote), or other work of the build's there.
Background = Job[list[Path]]
AnyJob = Job[Any]
