"""The relation-map views (issue: relation map for policy teams). Placeholder until built."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import BuildResult

__all__ = ["views_output"]


def views_output(result: BuildResult) -> list[Path]:
    return []
