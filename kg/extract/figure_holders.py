"""Which names of a sentence can hold its figures, and which one opens it."""

from __future__ import annotations

import re

from ..model import Entity, Mention, Sentence
from .context import DASHES, DocContext, listed_up_to
from .destinations import destination
from .non_subjects import counted_by
from .respectively import PARTNER_MARKERS

__all__ = ["OUTPUT", "PARTNER_CLASSES", "holders", "is_partner", "names_what_is_counted", "opening"]

# who can be the partner of a flow (对美出口, 与德国相差): places and bodies
PARTNER_CLASSES = (
    "Country",
    "Region",
    "City",
    "PilotFreeTradeZone",
    "FreeTradePort",
    "Area",
    "Port",
    "Organization",
)

_DIGIT = re.compile(r"\d")
_CLAUSE_END = re.compile("[，；：]")
_SCOPES = ("全省", "全市", "全区", "全国", "我国", "全自治区")
# Names whose figures a news sentence goes on giving (中欧班列…开行…，货值…): things
# run or held, not fields or policies
_OPENERS = frozenset({"Platform", "Port", "Organization", "PilotFreeTradeZone", "Area"})


def opening(
    ctx: DocContext, sentence: Sentence, mentions: list[Mention], pos: int
) -> Entity | None:
    """中欧班列（郑州）今年开行2300列，货值超过180亿美元: the name that opens the sentence
    is the subject of its clauses that have no name of their own, not a place of the
    sentence before."""
    names = holders(ctx, sentence, mentions)
    if not names:
        return None
    first = names[0]
    if (
        first.start - sentence.start > 1
        or first.end > sentence.start + pos
        or any(ch in "，；：" for ch in ctx.text[first.end : first.end + 2])
    ):
        return None
    # only a sentence about the name's figures: its own clause gives one (国家区域医疗中心
    # 引入新项目874项，全省新增8个…: a list of deeds, each clause its own)
    own = _CLAUSE_END.search(ctx.text, first.end, sentence.end)
    own_end = own.start() if own else sentence.end
    if own_end >= sentence.start + pos or not _DIGIT.search(ctx.text, first.end, own_end):
        return None
    if first.entity.cls not in _OPENERS:
        return None
    clause = sentence.start + max(sentence.text.rfind(ch, 0, pos) for ch in "，；：") + 1
    if ctx.text.startswith(_SCOPES, clause) or clause == sentence.start + pos:
        return None  # …，全省新增8个…, …，197家医院…: the clause names its own scope
    return first.entity


def holders(ctx: DocContext, sentence: Sentence, mentions: list[Mention]) -> list[Mention]:
    """The sentence's names that can hold a figure (worked out once per sentence: each of
    its figures asks)."""
    memo = ctx.memo.get(_HOLDERS)
    if not isinstance(memo, dict):
        memo = ctx.memo[_HOLDERS] = {}
    cached = memo.get(sentence.index)
    if cached is not None and cached[0] is mentions:
        return list(cached[1])
    found = _holders(ctx, sentence, mentions)
    memo[sentence.index] = (mentions, found)
    return list(found)


_HOLDERS = "figure_holders.holders"


def _holders(ctx: DocContext, sentence: Sentence, mentions: list[Mention]) -> list[Mention]:
    # A partner (对美出口) is part of the indicator, never the subject; nor is the source of
    # the figures (据海口海关统计，…).
    sources = [(m.start, m.end) for m in mentions if counted_by(ctx, m)]
    ends = {m.end: m for m in mentions}
    mentions = [
        m
        for m in mentions
        if not _in_partner_list(ctx, sentence, ends, m)
        and not any(a <= m.start and m.end <= b for a, b in sources)
        and not names_what_is_counted(ctx.text, m)
        and not destination(ctx, m.start)
        and not _pair_part(ctx, m)
        and not _bracketed(ctx.text, m)
    ]
    # 内蒙古自贸试验区作为沿边开放的重要制度平台，实施范围…: what it serves as is no subject
    return [m for m in mentions if not _after_as(ctx, mentions, m)]


def _bracketed(text: str, m: Mention) -> bool:
    """郑州 in 中欧班列（郑州）: the place a name is written with holds none of its figures."""
    return text[m.start - 1 : m.start] in "（(" and text[m.end : m.end + 1] in ("）", ")")


def _pair_part(ctx: DocContext, m: Mention) -> bool:
    """中越边境贸易额, 中国—东盟信息港: a country abbreviated or joined by a dash to a partner
    names whose trade or project it is, and holds no figure."""
    if m.rule == "abbreviation" or (
        m.entity.cls == "Country" and ctx.text.startswith(DASHES, m.end)
    ):
        return True
    return ctx.text.endswith(DASHES, 0, m.start) and any(
        n.entity.cls == "Country" and n.end == m.start - 1
        for n in ctx.mentions_in(m.start - 8, m.start)
    )


# 一家比利时企业…产能提升30%: the country says whose the firm is; the figure is not the country's
_FIRMS = ("企业", "公司", "客商", "投资者", "商人")
_FIRMS_OF = frozenset({"Country", "Sector"})
_FIELDS = ("领域", "行业", "产业")
# what an industry produces, earns, trades or draws (高技术制造业增加值增长9%, 南繁种业年产值
# 突破180亿元, 高技术产业实际使用外资保持两位数增长)
OUTPUT = (
    "年产值",
    "总产值",
    "产值",
    "增加值",
    "营业收入",
    "营收",
    "总规模",
    "规模",
    "实际使用外资",
    "利用外资",
    "进出口",
    "出口额",
    "出口",
    "进口",
)


def names_what_is_counted(text: str, m: Mention) -> bool:
    """美资企业, 数字经济企业124家, 高技术制造业增加值增长9%: the firms of a country or an
    industry, or an industry's output, are what is counted; the name is part of the
    indicator, and the place the sentence speaks of holds the figure."""
    if m.entity.cls not in _FIRMS_OF:
        return False
    if m.entity.cls == "Sector" and text.startswith(OUTPUT, m.end):
        return True
    after = m.end + 2 if text.startswith(_FIELDS, m.end) else m.end
    return text.startswith(_FIRMS, after)


def _after_as(ctx: DocContext, mentions: list[Mention], m: Mention) -> bool:
    clause_start = max(ctx.text.rfind(mark, 0, m.start) for mark in "，；。：\n") + 1
    at = ctx.text.find("作为", clause_start, m.start)
    return at > clause_start and any(
        clause_start <= other.start and other.end <= at for other in mentions
    )


def is_partner(sentence: Sentence, mention: Mention) -> bool:
    """Whether ``mention`` is the partner of a flow (the 美 of 对美出口)."""
    at = mention.start - sentence.start
    return (
        at > 0
        and sentence.text[at - 1] in PARTNER_MARKERS
        and mention.entity.cls in PARTNER_CLASSES
    )


def _in_partner_list(
    ctx: DocContext, sentence: Sentence, ends: dict[int, Mention], m: Mention
) -> bool:
    """A partner, or an item of a list of them (新疆与哈萨克斯坦、…、俄罗斯等国接壤)."""
    return any(is_partner(sentence, item) for item in listed_up_to(ctx.text, ends, m))
