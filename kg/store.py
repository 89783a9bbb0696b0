"""The embedded SPARQL store (issue: SPARQL for researchers). Placeholder until built."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import BuildResult

__all__ = ["store_output"]


def store_output(result: BuildResult) -> list[Path]:
    return []
