"""What the items of one list of sectors say of each other: they are of one kind (a short
item between sectors is one), modifiers built alike share the next item's head, and bare
activities after an item that ends in one share its object."""

from __future__ import annotations

import re

from ..model import Entity
from ..read.normalize import CJK
from .context import DocContext
from .enumerations import facility_words
from .sector_words import _FUNCTION_CHARS, _LIST_MARKS, _word_tags

__all__ = [
    "drop_parallel_modifiers",
    "join_bare_activity",
    "join_shared_object",
    "share_list_class",
]


def share_list_class(
    ctx: DocContext, results: list[tuple[int, int, tuple[Entity, int] | None]]
) -> None:
    """The items of one enumeration are of one kind: when most of them are sectors, a short
    item between them (经贸、文化、科技、金融、医疗、物流等领域; 维修、分销、展览等服务贸易)
    names a sector too, though two characters alone would not be trusted."""
    sectors = sum(1 for _, _, f in results if f is not None and f[0].cls == "Sector")
    if sectors < 2 or 2 * sectors < len(results):
        return
    share_list_head(ctx, results)
    tags = _word_tags()
    for i, (start, end, found) in enumerate(results):
        word = ctx.text[start:end]
        if found is not None or len(word) != 2 or not re.fullmatch(rf"[{CJK}]+", word):
            continue
        if ctx.text[end : end + 1] not in _LIST_MARKS and not ctx.text.startswith(
            ctx.patterns.sector_business_heads, end
        ):  # 国际中转、集拼、分拨业务: the last item ends at the business all share
            continue  # 专利转化: the item runs on past a verb the segmenter cut off
        if word in ctx.patterns.sector_generic or word[-1] in _FUNCTION_CHARS:
            continue
        if word in facility_words(ctx.patterns.phrase_heads):
            continue  # 在港口、物流…等领域: a kind of facility, no industry
        if word in ctx.lexicon.place_names or tags.get(word, "x") in ("ns", "nr", "nt"):
            continue  # 甘肃与天津…就新能源、新材料等领域: a place, not a field
        # a word the dictionary lacks (集拼) but the segmenter keeps whole is one too
        if tags.get(word, "v")[:1] in "nv" and ctx.aligned(start, end):
            results[i] = (start, end, (Entity("Sector", word), 0))


def drop_parallel_modifiers(
    ctx: DocContext, results: list[tuple[int, int, tuple[Entity, int] | None]]
) -> None:
    """保税燃料油跨关区、跨港区直供; 境内外高技术、高附加值产品维修: an item ends in a
    modifier built like the start of the next item (跨关区 / 跨港区, 高技术 / 高附加值), whose
    head (直供, 产品维修) both share. The item alone lacks its head: no sector, unless the
    lexicon knows it."""
    for i in range(len(results) - 1):
        start, end, found = results[i]
        if found is None or found[0].key:
            continue
        word, nxt = ctx.text[start:end], ctx.text[results[i + 1][0] : results[i + 1][1]]
        if len(word) < 5 or len(nxt) < 4 or word.endswith(ctx.patterns.sector_suffixes):
            continue
        at = word.find(nxt[0], len(word) - 4, len(word) - 1)
        if at > 0 and word[at:] != nxt[: len(word) - at]:
            results[i] = (start, end, None)


_AND = ("和", "与", "及")


def join_shared_object(
    ctx: DocContext, results: list[tuple[int, int, tuple[Entity, int] | None]]
) -> None:
    """保税文化艺术品展示、拍卖、交易: bare activities after an item that ends in one share
    its object; the activities on that object are one line of business, named as written."""
    for i, (start, end, found) in enumerate(results[:-1]):
        if found is None or found[0].key or found[1] or end - start < 5:
            continue
        if ctx.text[start:end].endswith(ctx.patterns.sector_suffixes):
            continue  # 航空物流、仓储、配送: the first item is an industry of its own
        if _word_tags().get(ctx.text[end - 2 : end], "x")[:1] not in "vj":
            continue  # 赋能游戏、动漫、直播: nouns, each an industry
        rest = results[i + 1 :]
        if all(
            e - s == 2
            and (f is None or not f[0].key)
            and re.fullmatch(rf"[{CJK}]+", ctx.text[s:e])
            and ctx.text[s - 1] == "、"
            for s, e, f in rest
        ):
            obj = ctx.text[start : end - 2]
            p = ctx.patterns
            if len(obj) < 3 or obj in p.sector_qualifiers:
                return  # 境内外维修、检测: no object shared, each activity its own line
            if len(obj) >= 4 and obj.endswith(p.sector_suffixes + p.sector_activity_suffixes):
                # 涉海装备研发、制造、维修、服务, 陆海联运中转、分拨、配送: the object is an
                # industry of its own, and the one the activities serve
                entity = ctx.lexicon.find("Sector", obj) or Entity("Sector", obj)
                results[i:] = [(start, end - 2, (entity, 0))]
                return
            first = i
            if i > 0 and results[i - 1][2] is None and ctx.text[results[i - 1][1] : start] in _AND:
                # 文物和文化艺术品保税存储、展示: the goods before 和 are stored and shown too
                first, start = i - 1, results[i - 1][0]
            label = ctx.text[start : rest[-1][1]]
            results[first:] = [(start, rest[-1][1], (Entity("Sector", label), 0))]
            return


def share_list_head(
    ctx: DocContext, results: list[tuple[int, int, tuple[Entity, int] | None]]
) -> None:
    """金融服务、航运服务、商贸服务、文化服务、社会服务: an item built like the sector items
    beside it, on the same head, is one more of them (the head alone would not be trusted
    after a verb that is no trigger)."""
    heads = {
        ctx.text[end - 2 : end]
        for start, end, f in results
        if f is not None and f[0].cls == "Sector" and end - start >= 4
    }
    heads &= set(ctx.patterns.sector_suffixes)
    for i, (start, end, found) in enumerate(results):
        word = ctx.text[start:end]
        if found is not None or not 4 <= len(word) <= 6 or word[-2:] not in heads:
            continue
        if re.fullmatch(rf"[{CJK}]+", word) and ctx.aligned(start, end):
            results[i] = (start, end, (Entity("Sector", word), 0))


# activities that name no industry alone: after 和 they are the item before's (医药研发和生产)
_BARE_ACTIVITIES = frozenset(
    {"生产", "制造", "加工", "销售", "研发", "应用", "经营", "流通", "运营", "维修", "推广"}
)


def join_bare_activity(
    ctx: DocContext, results: list[tuple[int, int, tuple[Entity, int] | None]]
) -> None:
    """医药研发和生产: a bare activity joined by 和 to the sector before it carries on that
    sector's object; the two are one line of business, named as written."""
    if len(results) < 2:
        return
    (start, _, found), (s_last, e_last, _) = results[-2], results[-1]
    if found is None or found[0].cls != "Sector" or found[1]:
        return
    if ctx.text[s_last:e_last] in _BARE_ACTIVITIES and ctx.text[s_last - 1] in "和及与":
        label = ctx.text[start:e_last]
        results[-2:] = [(start, e_last, (Entity("Sector", label), 0))]
