"""Progress display for multi-document builds, on stderr.

A corpus build spends a minute or more in extraction. On a terminal the user sees a tqdm
bar per document and one line per later stage. Off a terminal (a log file, a pipe, CI) a
bar would be noise, but silence looks like a hang: there the build prints one plain line
per stage and one each time another tenth of the documents is extracted (deterministic:
by count, not by time).
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


class _Lines:
    """Plain progress lines: one at each further tenth of ``total`` documents."""

    def __init__(self, total: int, desc: str, initial: int) -> None:
        self.total, self.desc, self.done = total, desc, initial
        self.tenth = initial * 10 // total
        done = f" ({initial} already done)" if initial else ""
        _line(f"{desc} {total} documents{done}")

    def update(self, n: int = 1) -> None:
        self.done += n
        tenth = self.done * 10 // self.total
        if tenth > self.tenth:
            self.tenth = tenth
            _line(
                f"{self.desc}: {self.done}/{self.total} documents ({self.done * 100 // self.total} %)"
            )

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        pass


def _line(text: str) -> None:
    print(f"… {text}", file=sys.stderr, flush=True)


class Progress:
    """Progress of one build.

    ``enabled=None``: a bar on a terminal, plain lines elsewhere; ``True``: a bar;
    ``False``: nothing.
    """

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = enabled is not False
        self.lines = enabled is None and not interactive()

    @contextmanager
    def bar(self, total: int, desc: str, initial: int = 0) -> Iterator[ProgressBar]:
        """A bar over ``total`` documents (``initial`` of them already done)."""
        if not self.enabled or total <= 1:
            yield _Silent()
            return
        if self.lines:
            yield _Lines(total, desc, initial)
            return
        try:
            from tqdm import tqdm
        except ImportError:  # tqdm is only for display: build without a bar
            yield _Silent()
            return
        # No monitor thread: a second thread would make the process engine spawn its
        # workers instead of forking them (see kg.build.engine.start_method).
        tqdm.monitor_interval = 0
        with tqdm(
            total=total, initial=initial, desc=desc, unit="doc", file=sys.stderr, leave=False
        ) as bar:
            yield bar

    def stage(self, text: str) -> None:
        """One status line for a stage that has no per-document steps (graph, writing)."""
        if self.enabled:
            _line(text)
