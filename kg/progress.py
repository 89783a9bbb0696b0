"""Progress display for multi-document builds: a tqdm bar on stderr, only on a terminal.

A corpus build spends a minute or more in extraction; on a terminal the user sees a bar
per document and one line per later stage. When output goes to a file, a pipe or a test
runner, nothing is printed, so logs and captured output stay clean.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

__all__ = ["Progress", "ProgressBar", "interactive"]


class ProgressBar(Protocol):
    def update(self, n: int = 1) -> Any: ...

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> Any: ...


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        pass


def interactive() -> bool:
    """True when both stdout and stderr are terminals (the bar goes to stderr)."""
    try:
        return sys.stdout.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed streams
        return False


class Progress:
    """Progress of one build. ``enabled=None`` shows it only on a terminal."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = interactive() if enabled is None else enabled

    @contextmanager
    def bar(self, total: int, desc: str, initial: int = 0) -> Iterator[ProgressBar]:
        """A bar over ``total`` documents (``initial`` of them already done)."""
        if not self.enabled or total <= 1:
            yield _Silent()
            return
        try:
            from tqdm import tqdm
        except ImportError:  # tqdm is only for display: build without a bar
            yield _Silent()
            return
        # No monitor thread: a second thread would make the process engine spawn its
        # workers instead of forking them (see kg.engine.start_method).
        tqdm.monitor_interval = 0
        with tqdm(
            total=total, initial=initial, desc=desc, unit="doc", file=sys.stderr, leave=False
        ) as bar:
            yield bar

    def stage(self, text: str) -> None:
        """One status line for a stage that has no per-document steps (graph, writing)."""
        if self.enabled:
            print(f"… {text}", file=sys.stderr, flush=True)
