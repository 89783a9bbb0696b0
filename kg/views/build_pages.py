"""The pages a build writes: their names and folders, their index page, how to tell them from
views of one's own, and removing the stale ones."""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .html import BUILD_GENERATOR, HEADING, _fill, _read_static

if TYPE_CHECKING:
    pass

VIEWS_DIR = "views"


def _slug(iri: str, fallback: str = "area") -> str:
    return (
        re.sub(r"[^a-z0-9-]+", "-", iri.rstrip("/").rsplit("/", 1)[-1].lower()).strip("-")
        or fallback
    )


def _index_page(entries: Sequence[tuple[str, str, str]], source: str) -> bytes:
    template = _read_static("view-index.html")
    items = "\n".join(
        f'<li><a href="{html.escape(href)}">{html.escape(label)}</a> <span>{html.escape(note)}</span></li>'
        for label, href, note in entries
    )
    css = _read_static("view.css")
    return _fill(
        template,
        {
            "generator": BUILD_GENERATOR,
            "heading": html.escape(HEADING),
            "source": html.escape(source),
            "items": items,
            "css": css,
        },
    ).encode("utf-8")


WHOLE_VIEW = "all.html"

INDEX_VIEW = "index.html"

ZONES_DIR = "zones"


def is_build_page(path: Path) -> bool:
    """Whether ``path`` is a page a build wrote (its generator says so)."""
    marker = f'<meta name="generator" content="{BUILD_GENERATOR}">'
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return marker in handle.read(2048)
    except OSError:
        return False


def _remove_stale(folder: Path, keep: set[str]) -> None:
    """Delete area pages an earlier build wrote for areas that are gone (the build's own
    pages only: views written by ``ftz-kg view`` stay)."""
    for path in sorted(folder.glob("*.html")):
        if path.name not in keep and is_build_page(path):
            with contextlib.suppress(OSError):
                path.unlink()
