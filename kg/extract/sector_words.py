"""The words around a sector: what follows it, and whether it modifies the noun after it."""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Sentence
from ..read.normalize import CJK
from .context import DocContext
from .patterns import PhraseRule
from .wordtags import word_tags

_LIST_MARKS = frozenset("、和及与或等")
_FUNCTION_CHARS = frozenset("的为在对向与和及把将被从")


def _modifies_after_followers(
    ctx: DocContext, sentence: Sentence, after: int, nxt: str, tags: dict[str, str]
) -> bool:
    """The words that may follow a sector (业务, 发展) are followed in turn by a plain noun:
    the sector, with them, modifies that noun (国际贸易发展需求, 金融业务发展水平)."""
    followers = ctx.patterns.sector_followers
    end = after
    steps = 0
    while nxt and nxt in followers and (nxt == "等" or nxt[0] not in _LIST_MARKS):
        end += len(nxt)
        nxt = _word_after(ctx, sentence, end)
        steps += 1
    if not steps or not nxt or not re.match(rf"[{CJK}]", nxt):
        return False
    if nxt in ctx.patterns.sector_verb_nouns:
        return True
    if len(nxt) >= 4 and tags.get(nxt[-2:], "x") == "v":
        return False  # 保税维修业务顺利开展: a phrase jieba calls a noun, ending in a verb
    tag = tags.get(nxt, "x")
    return tag[:1] == "n" and tag != "vn" and nxt not in followers


def _word_after(ctx: DocContext, sentence: Sentence, end: int) -> str:
    """The word that follows ``end``; if ``end`` falls inside a word, the rest of that word."""
    for s, e in ctx.tokens.get(sentence.index, []):
        if s <= end < e:
            return ctx.text[end:e]
        if s > end:
            break
    return ""


def _token_at(ctx: DocContext, sentence: int, start: int) -> str:
    for s, e in ctx.tokens.get(sentence, []):
        if s == start:
            return ctx.text[s:e]
        if s > start:
            break
    return ""


def _word_tags() -> dict[str, str]:
    return word_tags()


def _plain_filler(ctx: DocContext, filler: str) -> bool:
    """The words between 等 and the closer are a modifier, not a clause (等要求的先进产业,
    等金融机构为产业链…)."""
    if any(ch in _FUNCTION_CHARS for ch in filler):
        return False
    if filler.startswith("地"):
        return False  # 东兴市、凭祥市等地积极发展…贸易: the items are places
    verbs = (*ctx.patterns.phrase_verbs, *ctx.patterns.sector_triggers)
    return _filler_words(ctx.patterns.phrase_heads, verbs).search(filler) is None


@lru_cache(maxsize=4)
def _filler_words(rules: tuple[PhraseRule, ...], verbs: tuple[str, ...]) -> re.Pattern[str]:
    """Any head of a body, or any verb of two characters or more: one search for all."""
    bodies = [h for r in rules if r.cls == "Organization" for h in r.heads]
    words = [*bodies, *(v for v in verbs if len(v) > 1)]
    return re.compile("|".join(map(re.escape, words)) or "(?!)")
