"""Commands of the relation-map feature, registered on the ``ftz-kg`` group: ``view`` and
``stats``. Thin: parse the options, call one library function, format the result."""

from __future__ import annotations

import json
from typing import Any

import click

from ..views.selection import DIRECTIONS
from .common import handle_errors, out_option


def _split(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip() for part in value.replace("，", ",").split(",") if part.strip())


def format_stats(stats: dict[str, Any]) -> str:
    """``ftz-kg stats`` as readable text."""
    comps = stats["components"]
    lines = [
        f"{stats['nodes']} entities, {stats['edges']} relations, "
        f"{comps['count']} connected component(s) "
        f"(largest {comps['sizes'][0] if comps['sizes'] else 0}, isolated {comps['isolated']})",
        "",
        "entities per class:",
    ]
    lines += [
        f"  {c['class']:<20} {c['count']:>6}  {c['zh']} / {c['en']}" for c in stats["classes"]
    ]
    lines += ["", "relations:"]
    lines += [
        f"  {r['relation']:<20} {r['count']:>6}  {r['zh']} / {r['en']}" for r in stats["relations"]
    ]
    lines += ["", "top entities by degree:"]
    lines += [
        f"  {i:>2}. {e['label']} ({e['class']}) {e['degree']}"
        for i, e in enumerate(stats["top_degree"], 1)
    ]
    lines += ["", f"top entities by betweenness ({stats['betweenness']}):"]
    lines += [
        f"  {i:>2}. {e['label']} ({e['class']}) {e['betweenness']:.4f}"
        for i, e in enumerate(stats["top_betweenness"], 1)
    ]
    sizes = comps["sizes"]
    shown = ", ".join(str(s) for s in sizes[:15]) + (" …" if len(sizes) > 15 else "")
    lines += ["", f"component sizes: {shown}"]
    return "\n".join(lines)


def register(group: click.Group) -> None:
    """Add this feature's commands to ``group``."""

    @group.command()
    @click.option(
        "--data", type=click.Path(), default=None, help="Graph file to draw (default: OUT/kg.ttl)."
    )
    @click.option(
        "-o",
        "--output",
        type=click.Path(),
        default=None,
        help="HTML file to write (default: OUT/views/<name>.html, named after the options). "
        "Never one of the build's own maps.",
    )
    @out_option()
    @click.option(
        "--focus",
        default=None,
        help="Centre on this entity: its label, an alias, its English name or IRI.",
    )
    @click.option(
        "--depth",
        default=1,
        show_default=True,
        type=click.IntRange(0, 20),
        help="Steps from --focus.",
    )
    @click.option(
        "--direction",
        type=click.Choice(DIRECTIONS),
        default="out",
        show_default=True,
        help="Follow relations going out of the focus (its sectors, countries …), into it, or both.",
    )
    @click.option(
        "--class",
        "classes",
        default=None,
        help="Only these classes, comma-separated: Area,Sector,Country.",
    )
    @click.option(
        "--relation",
        "relations",
        default=None,
        help="Only these relations, comma-separated: focusesOnSector,facesCountry.",
    )
    @click.option(
        "--query",
        type=click.Path(exists=True, dir_okay=False),
        default=None,
        help="Draw the graph of this SPARQL CONSTRUCT file (run on the loaded graph).",
    )
    @handle_errors
    def view(
        data: str | None,
        output: str | None,
        out_dir: str,
        focus: str | None,
        depth: int,
        direction: str,
        classes: str | None,
        relations: str | None,
        query: str | None,
    ) -> None:
        """Draw the graph as an interactive relation map: one HTML file that works offline.

        Open the file in any browser, no internet needed: colour and shape show the class
        (see the legend, which is also a filter), lines are labelled in Chinese with the
        English name on hover, and clicking a node or a line shows the sentences it comes
        from. Options narrow the view; views over 1,500 entities are laid out before they
        are shown. Without -o the page goes to OUT/views/<name>.html (the path is printed);
        the build's own maps (OUT/kg.html, its views) are never replaced.

        \b
        Example:
            ftz-kg view --focus 满洲里片区 --depth 1     # out/views/focus-neimenggu-manzhouli-d1-out.html
            ftz-kg view --focus 满洲里片区 --depth 1 -o out/manzhouli.html
            ftz-kg view --class Area,Sector,Country
            ftz-kg view --relation focusesOnSector,facesCountry
            ftz-kg view --query my-construct.rq -o out/query.html
        """
        from ..views.make import make_view
        from ..views.selection import Selection

        selection = Selection(
            focus=focus,
            depth=depth,
            direction=direction,
            classes=_split(classes),
            relations=_split(relations),
        )
        result = make_view(
            data=data, out_dir=out_dir, output=output, selection=selection, query=query
        )
        click.echo(result.summary())

    @group.command()
    @click.option(
        "--data", type=click.Path(), default=None, help="Graph file (default: OUT/kg.ttl)."
    )
    @out_option()
    @click.option(
        "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
    )
    @click.option(
        "--top",
        default=10,
        show_default=True,
        type=click.IntRange(1, 1000),
        help="How many top entities.",
    )
    @handle_errors
    def stats(data: str | None, out_dir: str, fmt: str, top: int) -> None:
        """Network statistics of the graph's entities and relations.

        Counts per class and per relation, the entities with the most relations (degree)
        and those that bridge the most paths (betweenness), and the connected components.

        \b
        Example:
            ftz-kg stats
            ftz-kg stats --format json --top 20 > out/stats.json
        """
        from ..views.stats import stats_of

        result = stats_of(data, out_dir, top=top)
        if fmt == "json":
            click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            click.echo(format_stats(result))
