"""Ports written after the place they stand in: 川南临港片区国家对外开放口岸, 凭祥友谊关口岸,
自贸试验区内的港口 → the port lies there (``locatedIn``), as an analyst reads it. Bodies and
platforms are no places in the ontology (``ftz:locatedIn`` joins places), so they are left
out. Countries written after a programme (“一带一路”沿线国家) take part in it."""

from __future__ import annotations

from ..model import Mention
from .context import DocContext, in_order, joined_before

__all__ = ["find_corridor_countries", "find_placements"]

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


# Between programmes named before one group of countries: 丝绸之路经济带和二十一世纪海上
# 丝绸之路沿线国家, “一带一路”沿线国家.
_JOINS = ("", "和", "与", "及", "、", "”", '"', "”和", '"和')  # shortest first


def find_corridor_countries(ctx: DocContext) -> None:
    """The countries along a programme (“一带一路”沿线国家) take part in it
    (``involvesCountry``), and so do those along each programme joined before them, even
    where the programme stands after 与 and so is no subject of its clause."""
    by_index = {s.index: s for s in ctx.sentences}
    ends: dict[int, Mention] = {}
    for m in ctx.mentions:
        if m.entity.cls == "Initiative":
            ends[m.end] = m
    for country in in_order(ctx.mentions):
        if country.entity.cls != "Country" or not country.surface.startswith("沿线"):
            continue
        at = country.start
        while True:
            before = joined_before(ctx.text, ends, at, _JOINS)
            if before is None or before.sentence != country.sentence:
                break
            ctx.add_relation(
                before.entity,
                "involvesCountry",
                country.entity,
                by_index[country.sentence],
                "along:involvesCountry",
            )
            at = before.start
