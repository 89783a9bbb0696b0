"""A view of one's own (``ftz-kg view``): the network selected, named after its options and
written where it never replaces a build's page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import OutputError
from ..rdf.serialize import write_atomic
from .build_pages import VIEWS_DIR, _slug, is_build_page
from .html import describe, render_html
from .network import Network
from .read_graph import construct_network, load_network
from .selection import Selection, find_entity, select

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class ViewResult:
    path: Path
    nodes: int
    edges: int
    subtitle: str
    hint: str = ""

    def summary(self) -> str:
        text = f"wrote {self.path}: {self.nodes} entities, {self.edges} relations"
        return text + (f"\nhint: {self.hint}" if self.hint else "")


def make_view(
    *,
    data: str | Path | None = None,
    out_dir: str | Path = "out",
    output: str | Path | None = None,
    selection: Selection | None = None,
    query: str | Path | None = None,
) -> ViewResult:
    """Load the graph, select the view (or run the CONSTRUCT ``query``) and write the page."""
    selection = selection or Selection()
    network, graph = load_network(data, out_dir, output_option="-o")
    filters = []
    if query is not None:
        query_path = Path(query)
        try:
            text = query_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise OutputError(
                f"{query_path}: cannot be read ({exc}); give a UTF-8 .rq file"
            ) from exc
        network = construct_network(graph, text, name=str(query_path))
        filters.append(f"query {query_path.name}")
    view = select(network, selection)
    filters.extend(selection.describe())
    source = str(data) if data else str(Path(out_dir) / "kg.ttl")
    subtitle = describe(view, source, filters)
    if output:
        path = Path(output)
    else:
        name = view_name(network, selection, Path(query) if query is not None else None)
        path = Path(out_dir) / VIEWS_DIR / f"{name}.html"
    _refuse_build_page(path, Path(out_dir))
    write_atomic(path, render_html(view, subtitle=subtitle, from_query=query is not None))
    hint = ""
    if not view.nodes:
        hint = "nothing matches these filters; loosen --class, --relation or the query"
    elif selection.focus is not None and selection.depth > 0 and len(view.nodes) == 1:
        if selection.direction == "out":
            hint = f"{selection.focus} has no relation going out of it; add --direction both to see what points to it"
        else:
            hint = (
                f"{selection.focus} has no relation here; try another --direction or fewer filters"
            )
    return ViewResult(path, len(view.nodes), len(view.edges), subtitle, hint)


def view_name(network: Network, selection: Selection, query: Path | None = None) -> str:
    """The file name ``ftz-kg view`` gives a view without ``-o``, from what it shows:
    ``focus-neimenggu-manzhouli-d1-out``, ``class-area-sector``, ``query-my``, ``whole``.
    Each starts with a word no build page starts with."""
    parts = []
    if query is not None:
        parts.append("query-" + _slug(query.stem, "rq"))
    if selection.focus is not None:
        iri = find_entity(network, selection.focus).id
        parts.append(f"focus-{_slug(iri)}-d{selection.depth}-{selection.direction}")
    if selection.classes:
        parts.append("class-" + _slug("-".join(selection.classes), "x"))
    if selection.relations:
        parts.append("relation-" + _slug("-".join(selection.relations), "x"))
    return "_".join(parts)[:150] or "whole"


def _refuse_build_page(path: Path, out_dir: Path) -> None:
    """``ftz-kg view`` never replaces the build's maps: the overview and the views it wrote."""
    own = path.resolve() == (out_dir / "kg.html").resolve() or is_build_page(path)
    if own:
        raise OutputError(
            f"{path} is a map that `ftz-kg build` wrote; a view never replaces it. "
            f"Give another file with -o, or leave -o out to write {out_dir / VIEWS_DIR}/<name>.html"
        )
