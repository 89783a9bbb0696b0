"""Ports written after the place they stand in: 川南临港片区国家对外开放口岸, 凭祥友谊关口岸,
自贸试验区内的港口 → the port lies there (``locatedIn``), as an analyst reads it. A site or a
body is placed only where the text sets it up there (在舟山离岛片区布局形成…基地): written after
a place, it is often only named after it. Countries written after a programme (“一带一路”沿线
国家) take part in it."""

from __future__ import annotations

import re

from ..model import Mention
from .context import DocContext, in_order, joined_before

__all__ = ["find_corridor_countries", "find_placements", "find_site_seats", "find_zone_seats"]

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
    # (each loop here sorts only the mentions it reads: they keep their order among all)
    for thing in in_order(m for m in ctx.mentions if m.entity.cls in _PLACED):
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
    zones = ("PilotFreeTradeZone", "FreeTradePort")
    for zone in in_order(m for m in ctx.mentions if m.entity.cls in zones):
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


# 在舟山离岛片区布局形成大型油品储运基地, 依法在自贸试验区设立司法机构: a site or a body set
# up in a place stands there
_SITE_PLACES = frozenset({"PilotFreeTradeZone", "Area", "City", "Region"})
_SITES = frozenset({"Platform", "Organization", "Port"})
_SITE_LEAD = re.compile(
    "(?:内|区内|范围内)?(?:依法|加快|积极|率先|重点)?"
    "(?:设立|设置|建立|建设|成立|布局|新设|筹建|创建|打造|组建)"
)
_SITE_SPAN = 16  # characters from the verb to what it sets up
_CLAUSE_END = re.compile("[，。；：！？\n]")
_LISTED = ("、", "和", "及", "以及")


def find_site_seats(ctx: DocContext) -> None:
    by_index = {s.index: s for s in ctx.sentences}
    ends = {m.end: m for m in ctx.mentions if m.entity.cls in _SITE_PLACES}
    for place in in_order(m for m in ctx.mentions if m.entity.cls in _SITE_PLACES):
        if not _after_at(ctx, place, ends):
            continue
        if place.end in ends and ends[place.end] != place:
            continue  # the longest place ending here speaks for it
        lead = _SITE_LEAD.match(ctx.text, place.end)
        if lead is None:
            continue
        stop = _CLAUSE_END.search(ctx.text, lead.end())
        limit = stop.start() if stop else len(ctx.text)
        sites = [m for m in ctx.mentions_in(lead.end(), limit) if m.entity.cls in _SITES]
        if not sites or sites[0].start - lead.end() > _SITE_SPAN:
            continue
        sentence = by_index[place.sentence]
        last = sites[0]
        for site in sites:
            if site is not last and ctx.text[last.end : site.start] not in _LISTED:
                break
            if site.entity != place.entity:
                ctx.add_relation(
                    site.entity, "locatedIn", place.entity, sentence, "set-up:locatedIn"
                )
            last = site


def _after_at(ctx: DocContext, place: Mention, ends: dict[int, Mention]) -> bool:
    """在 stands before the place, or before the places it is written after (在上海自贸试验区
    临港新片区…)."""
    current: Mention | None = place
    while current is not None:
        if ctx.text[current.start - 1 : current.start] == "在":
            return True
        current = ends.get(current.start)
    return False


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
    for country in in_order(
        m for m in ctx.mentions if m.entity.cls == "Country" and m.surface.startswith("沿线")
    ):
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
