"""Where the name of a platform or a body begins: the words before its head that belong
to it (对俄罗斯…中心, 在川高校, 自贸试验区推进工作领导小组) and those that do not (a
governing 好, a quotation left open)."""

from __future__ import annotations

import re

from .context import DocContext
from .wordtags import word_tags

__all__ = [
    "not_a_complement",
    "stationed",
    "toward_a_partner",
    "unopened_quote",
    "zone_short_names",
]


def stationed(ctx: DocContext, at: int) -> bool:
    """在川高校, 中央在渝机构: 在 before a province's one-character name says where the body
    is, as 驻 does; it governs nothing."""
    if ctx.text[at : at + 1] != "在":
        return False
    sentence = ctx.sentence_at(at)
    place = ctx.word_starting_at(sentence.index, at + 1) if sentence is not None else ""
    return len(place) == 1 and word_tags().get(place, "x") in ("j", "ns")


def not_a_complement(ctx: DocContext, at: int, verb: str) -> bool:
    """服务好…: 好 governs only as the complement of a verb (“非洲好物” is a name)."""
    if verb != "好":
        return False
    sentence = ctx.sentence_at(at)
    before = ctx.word_ending_at(sentence.index, at) if sentence is not None else ""
    return word_tags().get(before, "x") not in ("v", "vn")


_SHORT_ZONES = ("自贸试验区", "自由贸易试验区")
# what stands between a zone's short name and its own body's head (…推进工作领导小组)
_ZONE_WORK = re.compile("(?:推进|建设|发展)?(?:工作)?(?:领导小组)?")


def toward_a_partner(ctx: DocContext, at: int, word: str) -> bool:
    """对俄罗斯进出口商品交易中心, 对日合作示范区: 对 before a partner begins a name."""
    return word == "对" and any(
        m.start == at + 1 and m.entity.cls in _PARTNERS for m in ctx.mentions_in(at + 1, at + 8)
    )


_PARTNERS = frozenset({"Country", "Region"})


def zone_short_names(text: str, item: int, h_start: int) -> list[int]:
    """自贸试验区推进工作领导小组: the zone's short name, read after the phrases, begins the
    name of the zone's own body too (where the words between are those of such a body)."""
    found = []
    for zone in _SHORT_ZONES:
        short = text.rfind(zone, item, h_start)
        if short >= 0 and _ZONE_WORK.fullmatch(text, short + len(zone), h_start):
            found.append(short)
    return found


def unopened_quote(lead: str) -> int:
    """一带一路"沿线国家港口: the phrase began inside a quotation; it starts after its end.
    “二线口岸”: a quotation left open before the head is not part of the name."""
    cut = 0
    if lead.count('"') % 2:
        cut = lead.rfind('"') + 1
    close = lead.rfind("”")
    if close >= cut and "“" not in lead[:close]:
        cut = close + 1
    if lead.count("“") > lead.count("”"):
        cut = max(cut, lead.rfind("“") + 1)  # 10个“二线口岸”: the quotation closes after the head
    return cut
