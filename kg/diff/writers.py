"""Writers of a :class:`~kg.diff.Changeset`: the human summary (or the same as JSON), a
SPARQL 1.1 Update and an RDF Patch.

Both machine formats turn a store holding OLD into one holding NEW:

- ``sparql-update``: ``DELETE DATA { … } ; INSERT DATA { … }`` in one request (a store
  runs it as one transaction), the quads of each named graph inside ``GRAPH <g> { … }``
  and those of the default graph outside. The removals come first, although no quad is
  both removed and added, so that the request reads in the order the store applies it.
- ``rdf-patch`` (https://afs.github.io/rdf-patch/): a header ``H id <uuid:…>`` (derived
  from the rows, so the same changeset always has the same id), then ``TX .``, one
  ``D S P O [G] .`` row per quad removed, one ``A S P O [G] .`` row per quad added
  (no graph term for the default graph) and ``TC .``.

Terms are written in their N-Triples form (full IRIs, escaped literals), which both formats
accept, and in the changeset's canonical order, so the output is byte-identical for the
same two inputs.
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox

from .changes import Changeset, Summary

__all__ = ["FORMATS", "rdf_patch", "render", "sparql_update", "summary_json", "summary_text"]


def _triple(quad: ox.Quad) -> str:
    return f"{quad.subject} {quad.predicate} {quad.object} ."


def _quad_data(quads: Iterable[ox.Quad]) -> Iterator[str]:
    """The lines of a QuadData block: default-graph triples, then one GRAPH block per graph
    (``quads`` arrive sorted by graph, the default graph first)."""
    current: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None
    for quad in quads:
        graph = quad.graph_name
        if graph != current:
            if current is not None and not isinstance(current, ox.DefaultGraph):
                yield "  }"
            if not isinstance(graph, ox.DefaultGraph):
                yield f"  GRAPH {graph} {{"
            current = graph
        indent = "  " if isinstance(graph, ox.DefaultGraph) else "    "
        yield indent + _triple(quad)
    if current is not None and not isinstance(current, ox.DefaultGraph):
        yield "  }"


def sparql_update(changeset: Changeset) -> str:
    """The SPARQL 1.1 Update that turns OLD into NEW."""
    lines = [
        f"# ftz-kg diff {changeset.old} -> {changeset.new}: "
        f"{len(changeset.removed)} quad(s) deleted, {len(changeset.added)} inserted",
        "DELETE DATA {",
        *_quad_data(changeset.removed),
        "} ;",
        "INSERT DATA {",
        *_quad_data(changeset.added),
        "}",
    ]
    return "\n".join(lines) + "\n"


def _row(op: str, quad: ox.Quad) -> str:
    graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else f" {quad.graph_name}"
    return f"{op} {quad.subject} {quad.predicate} {quad.object}{graph} ."


def rdf_patch(changeset: Changeset) -> str:
    """The RDF Patch that turns OLD into NEW, as one transaction."""
    rows = [_row("D", q) for q in changeset.removed] + [_row("A", q) for q in changeset.added]
    patch_id = uuid.uuid5(uuid.NAMESPACE_URL, "\n".join(rows))
    return "\n".join([f"H id <uuid:{patch_id}> .", "TX .", *rows, "TC ."]) + "\n"


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """Rows aligned under ``header``: the first column left, the numbers right."""
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        first = row[0] + " " * (widths[0] - _width(row[0]))
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  " + "  ".join([first, *rest]).rstrip())
    return lines


def _signed(added: int, removed: int) -> str:
    return f"+{added} -{removed}"


def summary_text(changeset: Changeset) -> str:
    """What changed, for a reader: quads, documents, entities per class, relations per
    property, and entities and relations per zone (see :mod:`kg.diff` for the terms)."""
    s: Summary = changeset.summary
    lines = [
        f"ftz-kg diff {changeset.old} -> {changeset.new}",
        f"quads: {s.old_quads} -> {s.new_quads} ({_signed(len(changeset.added), len(changeset.removed))}), "
        f"graphs: {s.old_graphs} -> {s.new_graphs}",
    ]
    if changeset.empty:
        lines.append("no change: the two graphs hold the same quads")
        return "\n".join(lines) + "\n"
    lines.append(f"documents: {_signed(len(s.documents_added), len(s.documents_removed))}")
    lines.extend(f"  + {name}" for name in s.documents_added)
    lines.extend(f"  - {name}" for name in s.documents_removed)
    lines.append(
        f"entities: {_signed(s.entities_added, s.entities_removed)}, "
        f"{s.entities_changed} changed (labels, aliases, values)"
    )
    if s.classes:
        lines.extend(
            _table(
                ("class", "added", "removed", "changed"),
                [(c.cls, str(c.added), str(c.removed), str(c.changed)) for c in s.classes],
            )
        )
    lines.append(
        f"relations: {_signed(s.relations_added, s.relations_removed)} "
        f"(evidence: {_signed(s.assertions_added, s.assertions_removed)} assertions)"
    )
    if s.relations:
        lines.extend(
            _table(
                ("relation", "added", "removed"), [(p, str(a), str(r)) for p, a, r in s.relations]
            )
        )
    if s.zones:
        lines.append("per zone (entities and relations):")
        lines.extend(
            _table(
                ("zone", "entities+", "entities-", "relations+", "relations-"),
                [
                    (
                        z.zone,
                        str(z.entities_added),
                        str(z.entities_removed),
                        str(z.relations_added),
                        str(z.relations_removed),
                    )
                    for z in s.zones
                ],
            )
        )
    return "\n".join(lines) + "\n"


def summary_json(changeset: Changeset) -> str:
    """The summary as JSON, for scripts: the same counts as :func:`summary_text`."""
    s = changeset.summary
    data = {
        "old": changeset.old,
        "new": changeset.new,
        "quads_removed": len(changeset.removed),
        "quads_added": len(changeset.added),
        "entities_added": s.entities_added,
        "entities_removed": s.entities_removed,
        "entities_changed": s.entities_changed,
        "relations_added": s.relations_added,
        "relations_removed": s.relations_removed,
        **dataclasses.asdict(s),
        "classes": [
            {"class": c.cls, "added": c.added, "removed": c.removed, "changed": c.changed}
            for c in s.classes
        ],
        "relations": [{"relation": p, "added": a, "removed": r} for p, a, r in s.relations],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


FORMATS: dict[str, Callable[[Changeset], str]] = {
    "summary": summary_text,
    "json": summary_json,
    "sparql-update": sparql_update,
    "rdf-patch": rdf_patch,
}


def render(changeset: Changeset, fmt: str = "summary") -> bytes:
    """``changeset`` in format ``fmt`` (a key of :data:`FORMATS`), as UTF-8."""
    return FORMATS[fmt](changeset).encode("utf-8")
