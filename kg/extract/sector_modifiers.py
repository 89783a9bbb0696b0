"""Lexicon sectors that are no mention of the sector: a modifier of the noun after it
(保税物流网络, 国际贸易“单一窗口”), an aspect of a task, one half of a balanced whole."""

from __future__ import annotations

import re

from ..model import Mention, Sentence
from .context import DocContext
from .sector_segments import (
    COORDINATING,
    bodies_after,
    guarded_fields,
    longest_first,
    segment_start,
)
from .sector_words import _modifies_after_followers, _word_after, _word_tags
from .sectors import _COUNTED_KIND, _OPEN_QUOTES, _names_body

__all__ = ["drop_sector_modifiers"]


def drop_sector_modifiers(ctx: DocContext) -> None:
    """A lexicon sector that modifies the noun after it (保税物流网络, 国际贸易通关) is dropped."""
    p = ctx.patterns
    tags = _word_tags()
    keep = []
    sector_starts = {m.start for m in ctx.mentions if m.entity.cls == "Sector"}
    for m in ctx.mentions:
        if m.entity.cls == "Sector" and m.rule == "lexicon":
            sentence = ctx.sentence_at(m.start)
            if sentence is None:
                continue
            # 国际贸易“单一窗口”: the quoted noun is modified all the same
            after = m.end + (ctx.text[m.end : m.end + 1] in _OPEN_QUOTES)
            nxt = _word_after(ctx, sentence, after)
            if (
                nxt in p.sector_qualities
                and ctx.text[after + len(nxt) : after + len(nxt) + 1] in "、的，"
            ):
                continue  # …、金融服务完善的国际一流自由贸易园区: a quality of the place
            if (
                nxt in p.sector_predicates
                and ctx.text[m.end + len(nxt) : m.end + len(nxt) + 1] in "、，；。"
            ):
                pass  # 在货物贸易便利化、服务贸易开放…方面: the sector is the topic
            elif nxt and nxt not in p.sector_followers and not nxt.startswith("服务"):
                tag = tags.get(nxt, "x")
                if (tag[:1] in "njlb" and tag != "vn") or ctx.text.startswith(
                    tuple(p.sector_modified), after
                ):
                    continue  # 网络安全等级保护制度: 等级 is a distinguishing word
                if ctx.text.startswith(p.sector_list_modifies, after + len(nxt)):
                    continue  # 推动跨境贸易结算便利化: what is eased is the settlement
            if ctx.text[m.start - 1 : m.start] != "、" and _modifies_after_followers(
                ctx, sentence, after, nxt, tags
            ):
                continue  # 与国际贸易业务发展需求相适应: the whole phrase qualifies 需求
            if _qualifies_last_item(ctx, sentence, m.end) or _in_excluded_list(ctx, sentence, m):
                continue
            if m.end in sector_starts:
                continue  # 战略性新兴产业融资租赁业务: it qualifies the sector after it
            if _COUNTED_KIND.search(ctx.text[max(sentence.start, m.start - 4) : m.start]):
                continue  # 第二类、第三类医疗器械: goods of a class, not the industry
            before = ctx.word_ending_at(sentence.index, m.start)
            if before.endswith("化") and before not in p.phrase_verbs:
                continue  # 标准化电子信息: a thing, not the industry (强化 is a verb)
        keep.append(m)
    ctx.mentions = keep


def _in_excluded_list(ctx: DocContext, sentence: Sentence, m: Mention) -> bool:
    """The lexicon's sector stands in a list that names no industries: aspects of a task
    (…、检验检测认证等方面合作) or the balanced halves of a whole (统筹开展国际贸易和国内贸易)."""
    rest = _CLAUSE_END.split(ctx.text[m.end : sentence.end], maxsplit=1)[0]
    head = _CLAUSE_END.split(ctx.text[sentence.start : m.start])[-1]
    cut = rest.find("等")
    if cut >= 0:
        if rest.startswith(ctx.patterns.sector_aspect_closers, cut + 1):
            return True
        if guarded_fields(ctx, rest, cut):
            return True
        if bodies_after(ctx, rest, cut) and _names_body(ctx, _LIST_SPLIT.split(head)[0]):
            return True  # 律师事务所、会计师事务所和知识产权服务…等专业服务机构: kinds of firm
    if _object_of_instrument_verb(ctx, sentence, m):
        return True
    return any(c in head for c in COORDINATING)


def _object_of_instrument_verb(ctx: DocContext, sentence: Sentence, m: Mention) -> bool:
    """管委会负责自贸试验区内投资、贸易、金融服务…; 利用互联网与移动终端: the sector stands in
    the object of a verb of duty or means, the last verb before it."""
    c_start = max(
        (x.end() for x in _CLAUSE_END.finditer(ctx.text, sentence.start, m.start)),
        default=sentence.start,
    )
    clause = ctx.text[c_start : m.end]
    begin, _ = segment_start(
        ctx, clause, c_start, 0, m.start - c_start, longest_first(ctx.patterns.sector_triggers)
    )
    return clause.endswith(ctx.patterns.sector_instrument_verbs, 0, begin)


_CLAUSE_END = re.compile(r"[，。；：！？,;:]")
_LIST_SPLIT = re.compile(r"[、和及与]")


def _qualifies_last_item(ctx: DocContext, sentence: Sentence, end: int) -> bool:
    """促进跨境贸易、投融资结算便利化: the list after the sector ends in what it qualifies."""
    rest = re.split(r"[，。；：！？,;:]", ctx.text[end : sentence.end], maxsplit=1)[0]
    return rest.startswith(("、", "和", "及")) and rest.endswith(ctx.patterns.sector_list_modifies)
