"""Where a topic ends: what a sentence with no subject of its own is about stops being so at a
story's headline, at a report's next paragraph, when the story moves to another province,
and never starts with a zone a verb governs (加快建设海南自由贸易港)."""

from __future__ import annotations

import re

from ..model import Entity, Mention, Sentence
from .background import is_province
from .context import DocContext
from .document_zone import is_regulation, place_chain

__all__ = [
    "CLAUSE_MARKS",
    "ITEM_MARK",
    "ZONE_CLASSES",
    "clause_start",
    "continues",
    "governed",
    "headline",
    "one_long_text",
    "opens_on_another_province",
    "opens_list",
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


def governed(ctx: DocContext, m: Mention, verbs: list[str]) -> bool:
    lead = ctx.text[clause_start(ctx, m.start, 0) : m.start]
    return any(verb in lead for verb in verbs)


def clause_start(ctx: DocContext, pos: int, floor: int) -> int:
    """Where the clause holding ``pos`` starts: after the last clause mark or line break
    before it, never before ``floor`` (its sentence's start)."""
    # Searched in windows, nearest first: the marks that are rare (!, ;) would otherwise be
    # looked for back to ``floor``, the document's start for ``governed``, on every call.
    text, hi = ctx.text, pos
    while True:
        lo = max(floor, hi - _CLAUSE_WINDOW)
        last = _LAST_BREAK.match(text, lo, hi) if lo < hi else None
        if last is not None:
            return max(floor, last.end())
        if lo <= floor:
            return floor
        hi = lo


# the last clause mark or line break of what it is matched against
_LAST_BREAK = re.compile(rf"(?s).*[{re.escape(CLAUSE_MARKS)}\n]")
_CLAUSE_WINDOW = 64


def opens_list(ctx: DocContext, paragraph: int) -> bool:
    """The paragraph ends in a colon: what follows are the items it opens."""
    return ctx.paragraph_text(paragraph).rstrip().endswith(_OPENS_LIST)
