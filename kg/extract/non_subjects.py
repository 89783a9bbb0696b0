"""Mentions that are no subject of a relation, though they stand before its object: a
place a verb governs (依托港澳), a partner after 与, a name that qualifies a noun (发挥
“内联八省…”的区位优势), a place inside an item of what a verb builds, a facility governed
in an earlier clause."""

from __future__ import annotations

import re

from ..model import Mention, Sentence
from ..read.normalize import CJK
from .context import DocContext, listed_up_to
from .wordtags import word_tags

__all__ = [
    "PLACE_CLASSES",
    "news_source",
    "after_preposition",
    "counted_by",
    "facility_as_object",
    "item_after_object",
    "means_in_earlier_clause",
    "modifier",
    "modifies_noun",
    "place_as_object",
]

PLACE_CLASSES = frozenset({"Region", "City", "Country"})
_CJK = re.compile(f"[{CJK}]")


def place_as_object(ctx: DocContext, sentence: Sentence, m: Mention) -> bool:
    """自贸试验区应当依托港澳、服务内地: a place right after a verb is its object, no subject;
    after a verb that makes its object act (支持内蒙古自贸试验区发挥…作用) it is one."""
    if m.entity.cls not in PLACE_CLASSES or ctx.text.endswith(_PIVOTS, 0, m.start):
        return False
    before = ctx.word_ending_at(sentence.index, m.start)
    if ctx.text[m.end : m.end + 1] not in _OBJECT_ENDS or before in _VISITS:
        # 发挥内蒙古“内联八省…”的区位优势: the name qualifies the object; 来到辽宁: the
        # place visited is what the item is about
        return False
    return word_tags().get(before, "x") in _VERB_TAGS


def item_after_object(
    ctx: DocContext, sentence: Sentence, m: Mention, ends: dict[int, Mention]
) -> bool:
    """打造东北亚国际航运枢纽、东部沿海重要的创新中心: a place in an item of a list whose
    item before it names something else is part of what the verb builds, no subject."""
    if m.entity.cls not in PLACE_CLASSES:
        return False
    text = ctx.text
    at = m.start
    while at > sentence.start and text[at - 1] not in _ITEM_BOUNDS:
        at -= 1
    if at <= sentence.start or text[at - 1] != "、":
        return False
    previous = ends.get(at - 1)
    if previous is None or previous.entity.cls in PLACE_CLASSES:
        return False
    item_end = min((i for i in range(m.end, sentence.end) if text[i] in _ITEM_BOUNDS), default=0)
    if "的" in text[m.end : item_end]:
        return True  # 联通长江经济带和粤港澳大湾区的…走廊: a qualifier of the item's name
    # 打造…样板、构建新疆融入…枢纽, …、在上海设立…: an item that opens with a verb or a
    # preposition is a clause of its own
    tags = word_tags()
    return not any(
        tags.get(text[s:e], "x") in _VERB_TAGS or tags.get(text[s:e], "x") == "p"
        for s, e in ctx.tokens.get(sentence.index, [])
        if at <= s and e <= m.start
    )


_ITEM_BOUNDS = frozenset("、，。；：,;:")


def facility_as_object(ctx: DocContext, sentence: Sentence, m: Mention) -> bool:
    """A platform or port a verb governs; not the means a clause names (依托二连浩特、满洲里
    等重点口岸，深化与俄蒙互联互通: the ports face them)."""
    if m.entity.cls not in ("Platform", "Port"):
        return False
    verb = ctx.word_ending_at(sentence.index, m.start)
    return verb not in _MEANS and word_tags().get(verb, "x") in _VERB_TAGS


_MEANS = frozenset({"依托", "借助", "利用", "通过", "依靠", "凭借", "发挥"})
_OBJECT_ENDS = frozenset("、，。；：,;:和及与")
_VISITS = frozenset({"在", "到", "来到", "前往", "赴", "走进", "考察", "视察", "调研", "访问"})


_VERB_TAGS = frozenset({"v", "vn", "vd"})
_PIVOTS = (
    "支持",
    "推动",
    "鼓励",
    "引导",
    "允许",
    "带动",
    "促进",
    "推进",
    "使",
    "让",
    "把",
    "将",
    "由",
)


def means_in_earlier_clause(ctx: DocContext, sentence: Sentence, m: Mention, c_start: int) -> bool:
    """借力海南自贸港政策和RCEP机制，突出发展数字贸易: a zone an earlier clause's verb takes as
    its means (依托, 借力, 利用…) is no subject of the clauses after it."""
    if m.start >= c_start or m.entity.cls not in _ZONES:
        return False
    return ctx.word_ending_at(sentence.index, m.start) in _MEANS_OF_CLAUSES


_ZONES = frozenset({"PilotFreeTradeZone", "FreeTradePort", "Area"})
# the verbs that take a zone as the means of what the next clauses do
_MEANS_OF_CLAUSES = frozenset({"依托", "借力", "借助", "利用", "用好", "凭借", "依靠", "发挥"})


def after_preposition(ctx: DocContext, m: Mention, ends: dict[int, Mention]) -> bool:
    """加强与沿海地区协同: a partner after 与/同/向/对 is not the subject of the clause, nor
    is any later item of its list (加强与香港、澳门在金融…等领域的合作), nor the group
    the list closes with 等 (与哈萨克斯坦等中亚国家); ``ends`` holds the sentence's
    mentions by where they end."""
    return any(
        ctx.text[item.start - 1 : item.start] in _PREPOSITIONS
        for item in listed_up_to(ctx.text, ends, m, ("、", "和", "及", "等"))
    )


_PREPOSITIONS = frozenset("与同向对跟")


def modifies_noun(ctx: DocContext, sentence: Sentence, m: Mention) -> bool:
    """香港、澳门…和内地机构可以…: the places qualify the noun after them, which is the
    sentence's subject. The list runs on over names of other classes (…、台湾地区和内地)."""
    end, last = m.end, m
    place = m.entity.cls in PLACE_CLASSES
    later = ctx.mentions_in(m.end, sentence.end)
    names = {n.start: n for n in later if n.entity.cls in PLACE_CLASSES}
    while True:
        # 青岛市、烟台市人民政府: the unit's character stays with its place
        end += place and ctx.text[end : end + 1] in _UNIT_SUFFIXES
        glue = next((g for g in _LIST_GLUE if ctx.text.startswith(g, end)), "")
        after = names.get(end + len(glue)) if glue else None
        if after is None:
            break
        end, last = after.end, after
    if place and any(
        n.start <= last.start and n.end > end and n.entity.cls not in PLACE_CLASSES
        for n in ctx.mentions_in(last.start, sentence.end)
    ):
        return True  # the last place begins a name: 烟台市人民政府
    word = ctx.word_starting_at(sentence.index, end)
    return word_tags().get(word, "x") in _NOUN_TAGS


_LIST_GLUE = ("、", "和", "及", "与")
_UNIT_SUFFIXES = frozenset("省市县")


_NOUN_TAGS = frozenset({"n", "ng", "nz"})


def modifier(ctx: DocContext, m: Mention) -> bool:
    """发挥“内联八省、外通欧亚”的区位优势: a name before 的 qualifies the noun after it;
    促进内陆加工贸易发展: a broad region (…地区, not a province) written onto a sector
    names the sector's kind."""
    mark = next((k for k in _MODIFIER_MARKS if ctx.text.startswith(k, m.end)), "")
    if mark:
        # 自贸试验区的实施范围…，涵盖…片区: a zone's own extent speaks of the zone
        return not ctx.text.startswith(_EXTENT, m.end + len(mark))
    if m.entity.cls == "Region" and any(
        n.start == m.end and n.entity.cls == "Sector"
        for n in ctx.mentions_in(m.end, m.end + _LONGEST_SECTOR)
    ):
        return True  # 开展非洲非资源性产品集散交易加工: the region qualifies the trade
    if m.entity.cls != "Region" or not m.entity.label.endswith("地区"):
        return False
    word = ctx.word_starting_at(m.sentence, m.end)
    # a compound jieba's dictionary does not tag (国际物流) is a noun
    tag = word_tags().get(word, "n" if _CJK.match(word) else "x")
    if not ctx.text.endswith("地区", 0, m.end) and tag in _NOUN_TAGS:
        return True  # 发挥内陆国际物流枢纽功能: 内陆 qualifies the hub
    return any(
        n.start == m.end and n.entity.cls == "Sector"
        for n in ctx.mentions_in(m.end, m.end + _LONGEST_SECTOR)
    )


_LONGEST_SECTOR = 24
_MODIFIER_MARKS = ("的", "”的", '"的', "’的")
_EXTENT = ("实施范围", "范围", "总面积", "面积")


def news_source(ctx: DocContext, m: Mention) -> bool:
    """记者从河南省商务厅获悉, 据海口海关统计: the body the news comes from acts in none of
    its clauses."""
    text = ctx.text
    heard = text.endswith("从", 0, m.start) and text.startswith(_HEARD, m.end)
    return heard or counted_by(ctx, m)


def counted_by(ctx: DocContext, m: Mention) -> bool:
    """海口海关 in 据海口海关统计: the body that counted, not what was counted."""
    return ctx.text.endswith("据", 0, m.start) and ctx.text.startswith(_COUNTED, m.end)


_HEARD = ("获悉", "了解到", "得知")
_COUNTED = ("统计", "数据", "监测", "测算", "发布", "显示", "介绍")
