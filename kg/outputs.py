"""Extra outputs written by ``ftz-kg build`` besides the Turtle and TriG files.

Each feature that derives something from a build (the embedded SPARQL store, the
relation-map views) provides one writer ``(BuildResult) -> list[Path]``; ``build`` runs
them after the graph files are written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .build import BuildResult

__all__ = ["Writer", "default_outputs"]

Writer = Callable[[BuildResult], list[Path]]


def default_outputs() -> list[Writer]:
    from .store import store_output
    from .views import views_output

    return [store_output, views_output]
