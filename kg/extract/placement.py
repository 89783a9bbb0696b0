"""Ports written after the place they stand in: 川南临港片区国家对外开放口岸, 凭祥友谊关口岸,
自贸试验区内的港口 → the port lies there (``locatedIn``), as an analyst reads it. Bodies and
platforms are no places in the ontology (``ftz:locatedIn`` joins places), so they are left
out."""

from __future__ import annotations

from ..model import Mention
from .context import DocContext, in_order

__all__ = ["find_placements"]

_PLACES = frozenset({"PilotFreeTradeZone", "Area", "City"})
_PLACED = frozenset({"Port"})
# Between the place and what stands in it: nothing, 内, 内的 (片区的… is a thing *of* the
# area; only 内 says where).
_GAPS = ("", "内", "内的", "区内", "区内的")


def find_placements(ctx: DocContext) -> None:
    by_index = {s.index: s for s in ctx.sentences}
    places: dict[int, list[Mention]] = {}
    for m in ctx.mentions:
        if m.entity.cls in _PLACES:
            places.setdefault(m.end, []).append(m)
    for thing in in_order(ctx.mentions):
        if thing.entity.cls not in _PLACED:
            continue
        for gap in _GAPS:
            found = [
                p
                for p in places.get(thing.start - len(gap), ())
                if p.sentence == thing.sentence
                and ctx.text.startswith(gap, p.end)
                and p.entity != thing.entity
            ]
            if found:
                place = max(found, key=lambda p: p.end - p.start)
                sentence = by_index[thing.sentence]
                ctx.add_relation(
                    thing.entity, "locatedIn", place.entity, sentence, "placed:locatedIn"
                )
                break
