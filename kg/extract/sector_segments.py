"""Where the object of a development verb runs in a clause, and when it names no industry.

Each verb of a clause (发展, 培育, but also 建设, 设立) governs the words up to the next verb
or 等; the words after a verb that is no development trigger count only when they are
unmistakable industry names. A verb glued into a list (政策支持和…) is a noun, a preposition
after the verb frames the fields (与俄蒙在教育、科技等领域), and a list that closes on
aspects (等方面) or on a body (等专业服务机构) names no industries.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..read.normalize import CJK
from .context import DocContext
from .memo import by_identity
from .patterns import PhraseRule
from .word_trees import longest_word_regex

__all__ = [
    "COORDINATING",
    "QUALIFYING_CLOSE",
    "bodies_after",
    "guarded_fields",
    "longest_first",
    "scope_pattern",
    "scope_segments",
    "segment_start",
    "trigger_segments",
]

_CN_NUM = r"(?:\d+|[一二三四五六七八九十两]+)"
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
COORDINATING = ("统筹",)
_NOUN_LIST_GLUE = ("和", "与", "及", "、", "以及")
_CJK_CHAR = re.compile(f"[{CJK}]")
# A verb's object that starts with a preposition is an adverbial (建立与国际贸易发展需求
# 相适应的…), not the thing developed, unless a 的 closes it (建设与东部产业配套协作的…).
# 对外 is no preposition but a qualifier (发展对外文化贸易).
_PREPOSITIONS = ("与", "同", "跟", "对", "向", "为", "按", "依", "以")
QUALIFYING_CLOSE = re.compile(rf"等[{CJK}]{{0,8}}?领域的")


@lru_cache(maxsize=4)
def longest_first(words: tuple[str, ...]) -> tuple[str, ...]:
    """Words in the order an alternation must try them (longest first: 重点发展 before 发展)."""
    return tuple(sorted(words, key=len, reverse=True))


def guarded_fields(ctx: DocContext, text: str, at: int) -> bool:
    """The list closed by 等 at ``at`` names fields whose risks or order are guarded, not
    developed (健全跨境贸易、金融、数据等领域的风险防控机制)."""
    close = QUALIFYING_CLOSE.match(text, at)
    return close is not None and text.startswith(ctx.patterns.sector_guarded, close.end())


@by_identity  # asked for once per clause: kg.extract.memo
def _verb_pattern(
    triggers: tuple[str, ...], verbs: tuple[str, ...]
) -> tuple[re.Pattern[str], frozenset[str]]:
    """The verbs as one alternation (the longest that occurs where several start), and
    which of them are triggers."""
    return re.compile(longest_word_regex(set(triggers) | set(verbs))), frozenset(triggers)


def _verbs_in(
    ctx: DocContext, clause: str, offset: int, lo: int, hi: int, triggers: tuple[str, ...]
) -> list[tuple[int, int, bool]]:
    """(start, end, is_trigger) of the governing verbs in ``clause[lo:hi]``, whole words only
    for one-character verbs."""
    pattern, trigger_set = _verb_pattern(triggers, ctx.patterns.sector_verbs)
    found = []
    for m in pattern.finditer(clause, lo, hi):
        start, end = m.span()  # the word's length is end - start
        if end - start < 2 and not ctx.aligned(offset + start, offset + end):
            continue
        found.append((start, end, m.group() in trigger_set))
    return found


def segment_start(
    ctx: DocContext, clause: str, offset: int, lo: int, hi: int, triggers: tuple[str, ...]
) -> tuple[int, bool]:
    """The enumeration closed at ``hi`` starts after the last governing verb before it;
    and whether that verb is a development trigger."""
    verbs = _verbs_in(ctx, clause, offset, lo, hi, triggers)
    return (verbs[-1][1], verbs[-1][2]) if verbs else (lo, False)


def trigger_segments(
    ctx: DocContext, clause: str, offset: int, lo: int, triggers: tuple[str, ...]
) -> list[tuple[int, int, bool]]:
    """What follows each verb in the clause, up to the next verb or 等: (start, end, strict).
    After a verb that is no development trigger (建设, 设立) only unmistakable industry
    names count (``strict``)."""
    merged = _verbs_in(ctx, clause, offset, lo, len(clause), triggers)
    if not merged:
        return []  # what the loop below would give, without building its tables
    segments = []
    listed = "等" in clause  # _list_end finds no 等 in a clause without one
    # the test in C that _glue_after makes first, without a call for the usual verb
    glued = [
        clause.startswith(_NOUN_LIST_GLUE, end) and _glue_after(ctx, clause, offset + end, end)
        for _, end, _ in merged
    ]
    # the first verb after each one that is glued into no list (len(merged): none),
    # found in one pass from the end rather than one search per verb
    unglued = [len(merged)] * len(merged)
    for j in range(len(merged) - 1, 0, -1):
        unglued[j - 1] = j if not glued[j] else unglued[j]
    for i, (begin, end, is_trigger) in enumerate(merged):
        if is_trigger and glued[i]:
            continue  # 提供政策支持和技术评估服务: the trigger is a noun of a list
        if clause.startswith(ctx.patterns.sector_instrument_verbs, begin) or clause.startswith(
            ctx.patterns.sector_clause_verbs, begin
        ):
            continue
        stop = merged[i + 1][0] if i + 1 < len(merged) else len(clause)
        if i + 1 < len(merged) and glued[i + 1] and _noun_verb(ctx, clause, merged[i + 1]):
            stop = merged[i + 1][1]  # 金融支持和监管服务: the last item is 金融支持, no sector
        # 发展项目、金融支持和监管服务等方面: a verb that the list goes on after is a noun of
        # it, and the list closes on aspects of a task
        following = unglued[i]
        further = merged[following][0] if following < len(merged) else len(clause)
        aspect = clause.find("等", stop, further)
        if aspect >= 0 and clause.startswith(ctx.patterns.sector_aspect_closers, aspect + 1):
            continue
        if (
            i + 1 < len(merged)
            and clause.startswith("等", merged[i + 1][1])  # where each closing aspect starts
            and clause.startswith(
                _closing_aspects(ctx.patterns.sector_aspect_closers), merged[i + 1][1]
            )
            and "在" not in clause[:begin]
        ):
            # 推进…金融服务和海洋经济发展等方面的创新措施: aspects of the measures again; a
            # frame (在…推动数字经济发展等方面开展探索) still names what is developed
            continue
        cut = _list_end(ctx, clause, offset, end, stop) if listed else -1
        strict = not is_trigger
        if cut >= 0:
            if clause.startswith(ctx.patterns.sector_aspect_closers, cut + 1):
                continue  # 货物通关、…、检验检测认证等方面合作: aspects of a task, no industries
            if is_trigger and QUALIFYING_CLOSE.match(clause, cut) and "在" not in clause[end:cut]:
                # 推进金融保险、…等高端服务领域的贸易便利化: what is furthered is the object
                # after 的; a frame (在教育、科技…等领域的交流) still names the fields
                continue
            # …、信用服务等专业服务机构: kinds of body; only plain industries among them
            # (金融租赁、汽车金融、消费金融公司等非银行金融机构) are sectors
            strict = strict or bodies_after(ctx, clause, cut)
            stop = cut
        frame = clause.rfind("在", end, stop)
        adverbial = clause.startswith(_PREPOSITIONS, end) and not clause.startswith("对外", end)
        if adverbial and frame > end:
            end = frame + 1  # 深化与俄蒙在教育、科技、旅游等领域…: the fields follow 在
        elif (
            clause.startswith(_MODIFYING_VERBS, stop) and _verb_is_modifier(ctx, clause, stop)
        ) or (adverbial and "的" not in _QUOTED.sub("", clause[end:stop])):
            continue
        if clause.endswith(COORDINATING, 0, begin):
            continue  # 统筹开展国际贸易和国内贸易: both sides of a whole are balanced, not developed
        if stop > end:
            segments.append((end, stop, strict))
    return segments


@by_identity
def _closing_aspects(closers: tuple[str, ...]) -> tuple[str, ...]:
    """等方面, 等领域…: a list closed on aspects of a task."""
    return tuple("等" + word for word in closers)


def _list_end(ctx: DocContext, clause: str, offset: int, start: int, stop: int) -> int:
    """The 等 that closes a list, a word of its own (not 等级 of 等级保护制度)."""
    cut = clause.find("等", start, stop)
    while cut >= 0 and not ctx.aligned(offset + cut, offset + cut + 1):
        cut = clause.find("等", cut + 1, stop)
    return cut


def _noun_verb(ctx: DocContext, clause: str, verb: tuple[int, int, bool]) -> bool:
    """The verb ends a compound noun with the word before it (金融支持); 发展, 创新 and
    the like after an industry (空天产业发展和生态集聚) leave the industry whole."""
    start, end, _ = verb
    return (
        start > 0
        and _CJK_CHAR.match(clause, start - 1) is not None
        and clause[start:end] not in ctx.patterns.sector_followers
    )


def _glue_after(ctx: DocContext, clause: str, at: int, end: int) -> bool:
    """A conjunction, as a word of its own (not 和 of 和林格尔), follows ``end``."""
    # one test in C first: after most verbs comes none of them
    return clause.startswith(_NOUN_LIST_GLUE, end) and any(
        clause.startswith(glue, end) and ctx.aligned(at, at + len(glue)) for glue in _NOUN_LIST_GLUE
    )


# the verbs after which a noun makes the segment's end a modifier; the segment finder tests
# them in one call before it asks _verb_is_modifier, which is False where none starts
_MODIFYING_VERBS = ("发展", "开放", "创新")


def _verb_is_modifier(ctx: DocContext, clause: str, at: int) -> bool:
    """专利导航产业发展机制: the verb that ends the segment modifies the noun after it, so
    the words before it are no object of development either."""
    for verb in _MODIFYING_VERBS:
        if clause.startswith(verb, at):  # at most one of them starts there: it decides
            return clause.startswith(ctx.patterns.sector_verb_nouns, at + len(verb))
    return False


def bodies_after(ctx: DocContext, clause: str, at: int) -> bool:
    """What follows 等 at ``at`` is a kind of body or facility (等专业服务机构)."""
    return _bodies_pattern(ctx.patterns.phrase_heads).match(clause, at) is not None


@lru_cache(maxsize=4)
def _bodies_pattern(rules: tuple[PhraseRule, ...]) -> re.Pattern[str]:
    """等, a count, a short modifier, then the head of a body or a facility."""
    heads = {h for r in rules if r.cls in ("Organization", "Platform") for h in r.heads}
    alternatives = "|".join(map(re.escape, sorted(heads, key=len, reverse=True)))
    return re.compile(rf"等(?:{_CN_NUM}[个家类])?[{CJK}]{{0,8}}?(?:{alternatives})")


def scope_segments(ctx: DocContext, clause: str) -> list[tuple[int, int]]:
    """扩大内外贸同船运输、国轮捎带运输适用范围, 增强江海联运服务功能: the lines of business
    whose scope or function is widened are ones the text develops (start, end in ``clause``)."""
    return [(m.start("object"), m.end("object")) for m in scope_pattern(ctx).finditer(clause)]


def scope_pattern(ctx: DocContext) -> re.Pattern[str]:
    """What ``scope_segments`` finds a segment at each match of: a clause it does not
    match has none."""
    return _scope_pattern(ctx.patterns.sector_scope_verbs, ctx.patterns.sector_scope_nouns)


@lru_cache(maxsize=4)
def _scope_pattern(verbs: tuple[str, ...], nouns: tuple[str, ...]) -> re.Pattern[str]:
    def alternatives(words: tuple[str, ...]) -> str:
        return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

    return re.compile(
        rf"(?:{alternatives(verbs)})(?P<object>[{CJK}、]{{2,30}}?)等?(?:{alternatives(nouns)})"
    )
