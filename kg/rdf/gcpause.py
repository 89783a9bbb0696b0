"""Keeping Python's cyclic garbage collector off the data a build holds.

Drawing a document, indexing a graph for SHACL or reading the store for the maps makes
hundreds of thousands of small tuples, strings and terms, none of them cyclic, and a
build keeps most of them to its end. Each burst of allocations triggers collections, and
each full one walks the whole heap again (the extraction's records, jieba's dictionaries,
the graph drawn so far): on the 750 KB file the collector took two thirds of the drawing.

:func:`paused_gc` turns the collector off over such a stage. Inside a build
(:func:`build_heap`), what is still alive at the stage's end is also frozen
(``gc.freeze``): later collections skip it instead of walking it again (turning the
collector off alone only moves that walk to the next stage). The build unfreezes it when
it returns, so a long-lived process collects it as usual afterwards. Reference counting
frees everything acyclic at once either way.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

__all__ = ["build_heap", "paused_gc"]

_P = ParamSpec("_P")
_R = TypeVar("_R")
_builds = 0  # builds running in this process (nested calls count once each)


_lock = threading.Lock()
_pauses = 0  # pauses running now, on every thread
_resume = False  # whether the collector was on when the first of them began


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block (usable as a decorator); nests. The switch is
    the process's, so pauses are counted, on every thread together: the collector comes
    back when the last one ends (the maps' network is read on a thread while the main
    thread's stages pause and resume: kg.build.views_output.start_network)."""
    global _pauses, _resume
    with _lock:
        if not _pauses:
            _resume = gc.isenabled()
        _pauses += 1
        gc.disable()
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if not _pauses and _resume:
                if _builds:
                    gc.freeze()
                gc.enable()


def build_heap(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Mark ``function`` as a build: stages paused inside it freeze what they leave.

    Only when nothing else froze objects before (a process that froze its own heap, say
    before forking workers, keeps its frozen set as it was: the build freezes nothing)."""

    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        global _builds
        if _builds == 0 and gc.get_freeze_count():
            return function(*args, **kwargs)
        _builds += 1
        try:
            return function(*args, **kwargs)
        finally:
            _builds -= 1
            if not _builds:
                gc.unfreeze()

    return run
