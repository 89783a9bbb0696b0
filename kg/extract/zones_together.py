"""China's zones taken together: what national policy says of 自贸试验区 as a whole.

建设自由贸易试验区是…重要战略举措, 我国陆续建成22个自贸试验区, 《关于实施自由贸易试验区
提升战略的意见》: a text (or a news item) about no one zone speaks of all of them when it
writes 自贸试验区 bare, and the lexicon has a node for that (``id:zone/all``, typed
``ftz:ZoneCollective``). Its labels are not matched like other names, because in a zone's
regulation, in a report or item about one zone, the same words are that zone.

A bare name inside a programme's name (自由贸易试验区提升战略) is one the zones carry out;
inside a document's title, one the document is for (found later from the title).
"""

from __future__ import annotations

import re

from ..model import Entity, Mention, Sentence
from ..namespaces import ID
from .context import Coverage, DocContext
from .document_zone import document_zone, zone_of
from .resolve import CONTAINER_CLASSES

__all__ = ["find_zones_together", "ZONES_TOGETHER"]

ZONES_TOGETHER = str(ID["zone/all"])
_ZONES = ("PilotFreeTradeZone", "FreeTradePort")
# 申建自贸试验区: a zone asked for is no zone yet, let alone all of them
_PROPOSED = ("申建", "申报", "申设", "申请设立", "争取设立")
# the zones together carry out a programme named after them (自贸试验区提升战略)
_PROGRAMMES = frozenset({"Initiative"})
_PLACES = frozenset({"Region", "City", "Country"})


def find_zones_together(ctx: DocContext) -> None:
    entry = ctx.lexicon.entries.get(ZONES_TOGETHER)
    if entry is None:
        return
    whole = entry.entity
    own = document_zone(ctx)  # computed before: the zones together are no document's zone
    pattern = re.compile(
        "|".join(re.escape(n) for n in sorted((entry.pref, *entry.alts), key=len, reverse=True))
    )
    names = Coverage(
        (m.start, m.end) for m in ctx.mentions if m.entity.cls not in CONTAINER_CLASSES
    )
    programmes: dict[int, list[Mention]] = {}
    for m in ctx.mentions:
        if m.entity.cls in _PROGRAMMES:
            programmes.setdefault(m.start, []).append(m)
    place_ends = {m.end for m in ctx.mentions if m.entity.cls in _PLACES}
    about_one = _articles_about_one_zone(ctx)
    found: dict[int, list[tuple[int, int, Sentence, Mention | None]]] = {}
    for sentence in ctx.sentences:
        if sentence.article in about_one or (own is not None and zone_of(ctx, sentence)):
            continue
        for match in pattern.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if sentence.text[: match.start()].endswith(_PROPOSED):
                continue
            if start in place_ends:
                continue  # 京津冀自贸试验区: the zones of that region, not all of them
            programme = _programme_opening_with(programmes, start, end)
            if programme is None and names.overlaps(start, end):
                continue
            found.setdefault(sentence.article, []).append((start, end, sentence, programme))
    for spans in found.values():
        # 上海…落实自贸试验区提升战略: a programme's name alone does not speak of the zones
        # together; an item must name them on their own too
        if all(programme is not None for *_, programme in spans):
            continue
        for start, end, sentence, programme in spans:
            ctx.add_mention(start, end, whole, sentence, "zones-together")
            if programme is not None:
                ctx.add_relation(
                    whole, "supports", programme.entity, sentence, "zones-together:supports"
                )


def _programme_opening_with(
    programmes: dict[int, list[Mention]], start: int, end: int
) -> Mention | None:
    """自由贸易试验区提升战略: the programme whose name opens with the bare zone name."""
    return next((m for m in programmes.get(start, ()) if m.end > end), None)


def _articles_about_one_zone(ctx: DocContext) -> set[int]:
    """The items that name one zone and no other: there a bare 自贸试验区 may be that zone
    (新疆自贸试验区…自贸试验区将…), so it is left unread."""
    named: dict[int, set[Entity]] = {}
    by_index: dict[int, Sentence] = {s.index: s for s in ctx.sentences}
    for m in ctx.mentions:
        if m.entity.cls in _ZONES and m.entity.key != ZONES_TOGETHER:
            named.setdefault(by_index[m.sentence].article, set()).add(m.entity)
    return {article for article, zones in named.items() if len(zones) == 1}
