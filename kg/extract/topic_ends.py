"""Where a topic ends: what a sentence with no subject of its own is about stops being so at a
story's headline, at a report's next paragraph, when the story moves to another province,
and never starts with a zone a verb governs (加快建设海南自由贸易港)."""

from __future__ import annotations

import re

from ..model import Entity, Mention, Sentence
from .background import is_province
from .context import DASHES, DocContext
from .document_zone import is_regulation, place_chain
from .name_starts import VERB_TAGS, tokens_from
from .wordtags import word_tags

__all__ = [
    "CLAUSE_MARKS",
    "ITEM_MARK",
    "ZONE_CLASSES",
    "clause_start",
    "continues",
    "governed",
    "headline",
    "names_the_nation",
    "one_long_text",
    "opens_on_another_province",
    "opens_list",
    "opens_on_its_own_actor",
    "opener",
]

ZONE_CLASSES = frozenset({"PilotFreeTradeZone", "FreeTradePort", "Area"})

ITEM_MARK = re.compile(
    r"\s*(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|[一二三四五六七八九十]+、)"
)


def one_long_text(ctx: DocContext) -> bool:
    """One text of many paragraphs (a work report), neither a regulation (第一条, 第二条 …)
    nor a file of news items (each item is a unit of its own)."""
    if "one_long_text" not in ctx.memo:
        ctx.memo["one_long_text"] = len(
            {s.article for s in ctx.sentences}
        ) <= 1 and not is_regulation(ctx)
    return bool(ctx.memo["one_long_text"])


_OPENS_LIST = ("：", ":")
_HEADLINE_LENGTH = 40
_CHAPTER = re.compile(r"第[一二三四五六七八九十百零〇\d]+[章节编条]")


def headline(ctx: DocContext, sentence: Sentence) -> bool:
    """A paragraph of one short line with no end mark: the headline of a story (a numbered
    heading, （三）发展目标, goes on with what the text spoke of)."""
    text = ctx.paragraph_text(sentence.paragraph).strip()
    if not 0 < len(text) <= _HEADLINE_LENGTH or ITEM_MARK.match(text):
        return False
    return _CHAPTER.match(text) is None and not re.search("[。！？；：!?;:]", text)


def continues(ctx: DocContext, previous: int, sentence: Sentence, in_list: bool) -> bool:
    """The paragraph goes on with the one before: that one ends in a colon (…采取下列措施：),
    or both are items of the list it opened. A numbered heading after a paragraph that opened
    nothing (（九）扎实保障和改善民生) starts afresh."""
    if ctx.paragraph_text(previous).rstrip().endswith(_OPENS_LIST):
        return True
    return in_list and bool(ITEM_MARK.match(sentence.text))


CLAUSE_MARKS = "，；：。！？!?;:,"


def opens_on_another_province(
    ctx: DocContext, sentence: Sentence, mentions: list[Mention], topic: dict[str, Entity]
) -> bool:
    """The sentence opens on a province (甘肃与天津…, 在湖北，…) in which no zone of the topic lies."""
    zones = [e for cls, e in topic.items() if cls in ZONE_CLASSES]
    first = mentions[0] if mentions else None
    if not zones or first is None or first.entity.cls != "Region":
        return False
    if ctx.text[sentence.start : first.start].strip(" “") not in ("", "在"):
        return False
    if not first.entity.key or not is_province(ctx, first.entity):
        return False
    return not any(first.entity.key in place_chain(ctx, zone) for zone in zones)


def governed(ctx: DocContext, m: Mention, any_verb: re.Pattern[str]) -> bool:
    """A verb (``any_verb`` finds one) stands before ``m`` in its clause."""
    return any_verb.search(ctx.text, clause_start(ctx, m.start, 0), m.start) is not None


def clause_start(ctx: DocContext, pos: int, floor: int) -> int:
    """Where the clause holding ``pos`` starts: after the last clause mark or line break
    before it, never before ``floor`` (its sentence's start)."""
    # From the document's marks, listed once (DocContext.last_mark_before): searched back
    # from ``pos``, a text without marks was read back to ``floor`` (the document's start
    # for ``governed``) at every call
    return max(floor, ctx.last_mark_before(_BREAKS, pos) + 1)


# the clause marks and a line break: where a clause ends
_BREAKS = CLAUSE_MARKS + "\n"


def opens_list(ctx: DocContext, paragraph: int) -> bool:
    """The paragraph ends in a colon: what follows are the items it opens."""
    return ctx.paragraph_text(paragraph).rstrip().endswith(_OPENS_LIST)


# What a sentence may open on that is not the zone: a place, a country or a body that acts
# (上海将推动…, 商务部将对接…, 中国开放指数提高…), a facility or a programme that does or
# undergoes what the sentence says (虹桥国际中央商务区正主动对接…, …议定书正式签署,
# 高水平对外开放是…); not the zone's own plan or tasks (《总体方案》提出…, 80条试点措施已落地),
# nor an industry, whose sentence goes on about the place's (新材料产业瞄准高端化发力…)
_NOT_ACTORS = ZONE_CLASSES | {"Article", "PolicyDocument", "ReformTask", "Sector"}
_LEAD_IN = 10  # 今年，下一步，试点一年多来，: a time or a step before the subject
_ACTING_TAGS = frozenset({"v", "vd", "vi", "vg", "d", "p", "ad"})


def _lead_in_comma(ctx: DocContext, sentence: Sentence) -> int:
    return ctx.text.find("，", sentence.start, sentence.start + _LEAD_IN + 1)


def opener(ctx: DocContext, sentence: Sentence, mentions: list[Mention]) -> Mention | None:
    """The name the sentence opens on, after a time or a step at most (今年，上海将…)."""
    comma = _lead_in_comma(ctx, sentence)
    starts = (sentence.start, comma + 1) if comma >= 0 else (sentence.start,)
    return next((m for m in mentions if m.start in starts), None)


def opens_on_its_own_actor(
    ctx: DocContext, sentence: Sentence, mentions: list[Mention], first: Mention | None
) -> bool:
    """The sentence opens on ``first`` (its ``opener``), a name other than a zone's that its
    next word makes the subject (上海将推动…建设联动创新区, 商务部将对接国际高标准经贸规则),
    or on a noun marked so: it is about that, not about the zone of the sentences before."""
    if first is None:
        return _opens_on_a_noun(ctx, sentence, _lead_in_comma(ctx, sentence))
    if first.entity.cls in _NOT_ACTORS:
        return False
    if any(m.start <= first.start and first.end < m.end for m in mentions):
        return False  # 上海东方枢纽…: the place begins a longer name
    nxt = ctx.text[first.end : first.end + 2]
    tags = word_tags()
    if tags.get(nxt, "x") in _ACTING_TAGS or tags.get(nxt[:1], "x") in _ACTING_TAGS:
        return True
    # 上海全力推进…, 上海数据交易所建成…: a word of manner or the rest of its subject, then
    # the verb
    after = [ctx.text[s:e] for s, e in tokens_from(ctx, first.end, sentence.end)[:2]]
    return (
        len(after) == 2
        and tags.get(after[0], "x")[:1] == "n"
        and tags.get(after[1], "x") in VERB_TAGS
    )


# a noun that opens the sentence as its subject (会议听取了…, 新兴产业进一步集聚…); not a
# person, whose words on a visit are about the place visited (习近平指出，…, 他察看…)
_NOUN_TAGS = frozenset({"n", "nz", "j", "nt", "r", "ns"})
_SPEAKERS = frozenset({"他", "她", "他们", "这里", "这", "其", "我们", "我"})
# the word after it marks it the subject: an adverb or a modal (各地正聚焦…, 学校要…), not a
# verb a noun of manner may stand before (协同推进…, 一体推进…)
_SUBJECT_MARKS = frozenset({"d", "p", "ad"})
_MODALS = frozenset({"要", "将", "是", "已", "应", "会", "能", "可"})
# a meeting is the subject of whatever verb follows it (会议听取了…, 全会审议通过…)
_MEETINGS = frozenset({"会议", "全会", "常务会议", "常委会会议"})


def _opens_on_a_noun(ctx: DocContext, sentence: Sentence, comma: int) -> bool:
    """会议听取了…, 各地正聚焦…, 新兴产业进一步集聚…: a noun that the word after it marks as
    the subject opens the sentence, after a time or a step at most (今年，…)."""
    tags = word_tags()
    spans = tokens_from(ctx, sentence.start, sentence.end)
    if comma >= 0:
        if any(tags.get(ctx.text[s:e], "x") in VERB_TAGS for s, e in spans if e <= comma):
            return False  # 要发挥区位优势，…: a clause opens the sentence, not a time
        spans = [span for span in spans if span[0] > comma]
    if len(spans) < 2:
        return False
    first, second = (ctx.text[s:e] for s, e in spans[:2])
    if first in _SPEAKERS or first in ctx.patterns.phrase_verbs:
        return False  # 深化同…: jieba's dictionary calls some verbs nouns
    if tags.get(first, "x") not in _NOUN_TAGS:
        return False
    if first in _MEETINGS and tags.get(second, "x") in VERB_TAGS:
        return True
    return tags.get(second, "x") in _SUBJECT_MARKS or second in _MODALS


def names_the_nation(ctx: DocContext, mentions: list[Mention], in_names: set[int]) -> bool:
    """中国已与150个国家…签署…, 我国的服务业扩大开放综合试点持续扩围: a news sentence that
    names China on its own (not inside ``in_names``, the ids of the mentions a longer one holds:
    中国星网; nor 中国—东盟…) speaks of the nation, not of the zone of the sentences before
    it; a province's report speaks of the province throughout."""
    if one_long_text(ctx):
        return False
    return any(
        m.entity.cls == "Country"
        and m.entity.key.endswith("/cn")
        and ctx.text[m.end : m.end + 1] not in DASHES
        and not ctx.text.startswith("“", m.start - 1)  # “中国酱香”: a brand
        and id(m) not in in_names
        for m in mentions
    )
