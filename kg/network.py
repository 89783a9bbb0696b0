"""The graph as a network (nodes, edges) for maps, statistics and Gephi. Placeholder until built."""

from __future__ import annotations

from pathlib import Path

from .errors import FtzKgError

__all__ = ["export_network"]


def export_network(fmt: str, data: str | None, out_dir: str, output: str) -> list[Path]:
    raise FtzKgError(f"network export ({fmt}) is not available yet")
