"""Work of a build done by a forked child process, on the core the main thread leaves free.

After the check, a build's main thread had the maps to draw, all in Python and so one
step after another on the GIL: the network read from the graph in memory (on a thread
that only took turns with the main thread), the whole graph laid out, the area maps, the
zone pages' store queries. A child forked once the check is done starts from the
parent's memory as it is then (copy-on-write), runs the same code on the same objects and
writes the same bytes, while the parent does what the child cannot (the store's queries:
RocksDB is the parent's). :class:`Forked` is such a child, seen from the parent as a
:class:`~kg.build.background.Job`: its thread waits, without the GIL, for the child's
answer. The child may ask the parent one thing on the way (:meth:`Forked.send`), once.

Only on Linux, where ``fork`` is the system's own way to start a process; elsewhere the
caller does the work itself (:func:`can_fork`).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import OutputError
from .background import Job

__all__ = ["Forked", "can_fork", "spare_cores"]

T = TypeVar("T")


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _idle_seconds() -> float | None:
    """The idle time of all the system's cores so far (Linux's /proc/stat), None if unknown."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()
        return (int(fields[4]) + int(fields[5])) / os.sysconf("SC_CLK_TCK")  # idle, iowait
    except (OSError, ValueError, IndexError):
        return None


def spare_cores() -> Callable[[], float]:
    """Start watching the system's idle time: the function returned says how many cores
    stood idle on average since (0.0 where the system does not say)."""
    idle, start = _idle_seconds(), time.perf_counter()

    def since() -> float:
        now, elapsed = _idle_seconds(), time.perf_counter() - start
        if idle is None or now is None or elapsed <= 0:
            return 0.0
        return (now - idle) / elapsed

    return since


class _Stopped(BaseException):
    """The parent will not send what the child waits for: the build stopped."""


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class Forked(Job[T]):
    """``work(receive)`` run in a child process; ``receive()`` there returns what the
    parent gives :meth:`send`. :meth:`result` returns what ``work`` returned (pickled
    back) or raises what it raised. The child runs ``nice`` steps below the parent's
    priority (:func:`os.nice`)."""

    def __init__(
        self, name: str, work: Callable[[Callable[[], Any]], T], timing: str, nice: int = 0
    ) -> None:
        super().__init__(name, self._answer, timing)
        self._child_work = work
        self._nice = nice
        self._pid = 0
        self._to_child = -1
        self._from_child = -1

    def start(self) -> Forked[T]:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child's coverage is not recorded)
            os.close(self._to_child)
            os.close(self._from_child)
            self._child(to_child_r, from_child_w)
        self._pid = pid
        os.close(to_child_r)
        os.close(from_child_w)
        super().start()
        return self

    def _child(self, from_parent: int, to_parent: int) -> None:  # pragma: no cover
        # Never back into the parent's code: whatever happens, the child ends here, without
        # the parent's exit handlers or the buffers it had not flushed yet.
        try:
            gc.disable()  # short-lived: its garbage goes with it
            if self._nice:
                os.nice(self._nice)

            def receive() -> Any:
                data = _read_all(from_parent)
                if not data:
                    raise _Stopped
                return pickle.loads(data)

            try:
                answer: tuple[str, Any] = ("done", self._child_work(receive))
            except _Stopped:
                answer = ("stopped", None)
            except BaseException as exc:  # raised in the parent, by result()
                answer = ("error", exc)
            try:
                data = pickle.dumps(answer)
            except Exception:
                data = pickle.dumps(("error", OutputError(f"{self.name}: {answer[1]!r}")))
            _write_all(to_parent, data)
            # The pipe closes before the exit, not with it: the kernel frees a process's
            # memory before its files, and tearing down the parent's heap, mapped
            # copy-on-write, took 12-25 ms that the parent's read waited for.
            os.close(to_parent)
        finally:
            os._exit(0)

    @property
    def name(self) -> str:
        return self._thread.name

    def send(self, message: Any) -> None:
        """What the child's ``receive()`` returns (once)."""
        if self._to_child >= 0:
            try:
                _write_all(self._to_child, pickle.dumps(message))
            except BrokenPipeError:
                pass  # the child has ended already: result() says how
            finally:
                os.close(self._to_child)
                self._to_child = -1

    def _answer(self) -> T:
        try:
            data = _read_all(self._from_child)
        finally:
            os.close(self._from_child)
        if not data:
            _pid, status = os.waitpid(self._pid, 0)
            raise OutputError(
                f"{self.name}: the child process ended without an answer (wait status {status})"
            )
        # The child has answered and is exiting: reaped beside the build rather than
        # waited for (see _child).
        threading.Thread(target=os.waitpid, args=(self._pid, 0), daemon=True).start()
        kind, value = pickle.loads(data)
        if kind == "error":
            raise value
        if kind == "stopped":
            raise OutputError(f"{self.name}: stopped before its end")
        result: T = value
        return result

    def result(self) -> T:
        """What ``work`` returned; a child that waits for :meth:`send` gets nothing then
        (its ``receive()`` stops it)."""
        self._close()
        return super().result()

    def _close(self) -> None:
        if self._to_child >= 0:
            os.close(self._to_child)
            self._to_child = -1

    def join(self) -> None:
        """Wait for the child's end; one still waiting for :meth:`send` is stopped at
        once (the build stops, and its stage may be discarded)."""
        if self._to_child >= 0 and self._pid:
            self._close()
            os.kill(self._pid, signal.SIGKILL)
        super().join()
