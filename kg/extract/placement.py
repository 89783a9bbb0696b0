"""Ports written after the place they stand in: 川南临港片区国家对外开放口岸, 凭祥友谊关口岸,
自贸试验区内的港口 → the port lies there (``locatedIn``), as an analyst reads it. Bodies and
platforms are no places in the ontology (``ftz:locatedIn`` joins places), so they are left
out. Countries written after a programme (“一带一路”沿线国家) take part in it."""

from __future__ import annotations

from ..model import Mention
from .context import DocContext, in_order, joined_before

__all__ = ["find_corridor_countries", "find_placements", "find_zone_seats"]

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


# 在海南岛全岛设立海南自由贸易港, 在上海市浦东新区设立…: where a zone is set up is where it lies
_SEAT_PLACES = frozenset({"Region", "City"})
_SEAT_SCOPES = ("", "全岛", "全境", "全域", "境内", "范围内")
_SET_UP = ("设立", "设置", "建立")


def find_zone_seats(ctx: DocContext) -> None:
    by_index = {s.index: s for s in ctx.sentences}
    ends: dict[int, list[Mention]] = {}
    for m in ctx.mentions:
        if m.entity.cls in _SEAT_PLACES and ctx.text[m.start - 1 : m.start] == "在":
            ends.setdefault(m.end, []).append(m)
    for zone in in_order(ctx.mentions):
        if zone.entity.cls not in ("PilotFreeTradeZone", "FreeTradePort"):
            continue
        verb = next((v for v in _SET_UP if ctx.text.endswith(v, 0, zone.start)), None)
        if verb is None:
            continue
        at = zone.start - len(verb)
        for scope in _SEAT_SCOPES:
            places = [p for p in ends.get(at - len(scope), ()) if p.sentence == zone.sentence]
            if places and ctx.text.startswith(scope, at - len(scope)):
                sentence = by_index[zone.sentence]
                for place in places:
                    ctx.add_relation(
                        zone.entity, "locatedIn", place.entity, sentence, "seat:locatedIn"
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
