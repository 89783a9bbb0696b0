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
    "JOINED_ACTIVITIES",
    "drop_parallel_modifiers",
    "join_coordinated_pair",
    "join_shared_object",
    "settle_list",
    "share_list_class",
]


def settle_list(ctx: DocContext, results: list[tuple[int, int, tuple[Entity, int] | None]]) -> None:
    """What the items of a list say of each other, in the order one reading depends on the
    last: parallel modifiers first, then joined items, then the kind of the whole list."""
    drop_parallel_modifiers(ctx, results)
    join_shared_object(ctx, results)
    join_coordinated_pair(ctx, results)
    share_list_class(ctx, results)


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
# activities that pair with a bare one after 和 (飞机总装组装和制造): the object is made
_PAIRED_ACTIVITIES = _BARE_ACTIVITIES | {"组装", "总装", "设计", "封装", "测试", "检测"}
# what a list holds where join_coordinated_pair joins two items neither of which is a
# sector (医药研发和生产): a conjunction, then a bare activity (kg.extract.sector_gate)
JOINED_ACTIVITIES = frozenset(join + word for join in _AND for word in _BARE_ACTIVITIES)


def join_coordinated_pair(
    ctx: DocContext, results: list[tuple[int, int, tuple[Entity, int] | None]]
) -> None:
    """医药研发和生产, 飞机总装组装和制造: a bare activity joined by 和 to the sector (or the
    activity on an object) before it carries on that object; 油品离岸和在岸贸易: an item
    without a head of its own, joined to the next by a word built like that item's start,
    shares its head. The two are one line of business, named as written."""
    for i in range(len(results) - 1):
        start, end, found = results[i]
        s_next, e_next, _ = results[i + 1]
        first, second = ctx.text[start:end], ctx.text[s_next:e_next]
        if second in _BARE_ACTIVITIES and ctx.text[end:s_next] in _AND:
            if found is None:  # an object named before the activity (not 技术研发及应用)
                joined = len(first) >= 5 and first[-2:] in _PAIRED_ACTIVITIES
            else:
                joined = found[0].cls == "Sector" and not found[1]
        elif found is None and ctx.text[end:s_next] in ("和", "与"):
            # the two words are jieba's own (not 国家级和省级, 节能与新能源)
            joined = (
                len(second) >= 4
                and not first.endswith(ctx.patterns.sector_suffixes)
                and second.endswith(ctx.patterns.sector_suffixes)
                and _built_alike(first[-2:], second[:2])
                and ctx.aligned(end - 2, end)
                and ctx.aligned(s_next, s_next + 2)
            )
        else:
            continue
        if joined and re.fullmatch(rf"[{CJK}]+", first + second):
            label = ctx.text[start:e_next]
            results[i : i + 2] = [(start, e_next, (Entity("Sector", label), 0))]
            return


def _built_alike(a: str, b: str) -> bool:
    """离岸 / 在岸, 进口 / 出口, 境内 / 境外: two words of two characters, one of them shared in
    its place."""
    return len(a) == len(b) == 2 and (a[0] == b[0]) != (a[1] == b[1])
