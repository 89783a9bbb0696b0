"""The name a facility's head is written after, when it is longer than one word.

上海外高桥保税区, 上海浦东机场综合保税区, 重庆西永综合保税区: a place and the words that
follow it name one facility. jieba (HMM off) cuts a name it does not know into single
characters (洋山 → 洋/山), so a run of them is a name too. A common noun or a function word
opening the run (其他, 各类, 国际) makes it no name: 本市其他综合保税区 is the kind.
"""

from __future__ import annotations

import re

from ..model import Sentence
from ..read.normalize import CJK
from .context import DocContext
from .wordtags import word_tags

__all__ = ["PORT_KINDS", "city_and_own_name", "name_before", "own_name_word", "place_word"]

_MAX_NAME = 6
_HAN = re.compile(rf"[{CJK}]+")
# tags that end a name going back: verbs, prepositions, conjunctions, particles, pronouns,
# numerals, measure words, adverbs, distinguishing words (所属, 新型)
_NO_NAME_TAGS = ("v", "p", "c", "u", "r", "m", "q", "d", "b", "f", "a")
# a character's own tag says little (洋 of 洋山 is an adjective), but these end a name
_NO_CHARACTER_TAGS = ("v", "p", "c", "u", "d", "r", "m", "q")
_FUNCTION_CHARACTERS = frozenset("的和与及或在等其各本该为对向从由到把被将之所并至于以及个家类项")
_PLACES = frozenset({"City", "Region", "Port", "Area"})
_PROPER_TAGS = frozenset({"ns", "nr", "nrt", "nt", "nz"})


def name_before(ctx: DocContext, sentence: Sentence, end: int) -> str:
    """The name of several words right before ``end`` (an offset in the text), or ""."""
    tokens = ctx.tokens.get(sentence.index, [])
    words: list[tuple[int, int]] = []
    for start, stop in reversed(tokens):
        if stop > end:
            continue
        if stop < end and not words:
            return ""  # the head starts inside a word
        word = ctx.text[start:stop]
        tag = word_tags().get(word, "x")
        if not _HAN.fullmatch(word):
            break
        if len(word) == 1 and (word in _FUNCTION_CHARACTERS or tag.startswith(_NO_CHARACTER_TAGS)):
            break  # 宿州获批…: a verb cut into characters
        if word in ctx.patterns.phrase_verbs:
            break  # 宿州获批国家物流枢纽
        if len(word) > 1 and tag.startswith(_NO_NAME_TAGS):
            break
        words.insert(0, (start, stop))
        end = start
        if words[-1][1] - start > _MAX_NAME:
            return ""
    if len(words) < 2:
        return ""
    first_start, first_end = words[0]
    first = ctx.text[first_start:first_end]
    opens_with_place = any(
        m.start == first_start and m.entity.cls in _PLACES
        for m in ctx.mentions_in(first_start, first_end + 1)
    )
    unknown = all(b - a == 1 for a, b in words)
    if opens_with_place or word_tags().get(first, "x") in _PROPER_TAGS or unknown:
        return ctx.text[first_start : words[-1][1]]
    return ""


# 海南自贸港机场群 is the zone's airports: no airport's own name holds these
# a port's kind, a province, or a count of facilities (海南三大机场, 长三角多地机场)
_NOT_OWN = re.compile("[港区省市]|自贸|[一二三四五六七八九十两几多数][大个座地]")
_BUILT = frozenset({"新建", "在建", "拟建", "现有", "新的", "城市"})


def city_and_own_name(ctx: DocContext, text: str, end: int, most: int) -> str:
    """A city and a facility's own name of up to ``most`` characters before ``end``.

    杭州萧山 (国际机场), 大连金州湾 (国际机场); the four cities that are provinces count
    too (上海浦东国际机场), a country does not.
    """
    lexicon = ctx.lexicon
    for size in range(2, most + 1):
        own = text[end - size : end]
        if not _HAN.fullmatch(own) or _NOT_OWN.search(own):
            return ""
        if any(c in _FUNCTION_CHARACTERS for c in own):
            return ""  # 曹妃甸片区和大兴机场片区: a list, not a name
        if own in _BUILT or word_tags().get(own, "n").startswith("v"):
            return ""  # 郑州新建机场: what is done to the airport
        for length in range(min(8, end - size), 1, -1):
            city = text[end - size - length : end - size]
            known = city in lexicon.city_names or city in lexicon.place_names
            if known and not {e.cls for e in lexicon.lookup(city)} & {"Country", "Area"}:
                return city + own
    return ""


def own_name_word(ctx: DocContext, sentence: Sentence, start: int, end: int) -> str:
    """浦东国际机场: the segmenter knows the facility by its own name, one proper word."""
    word = ctx.word_ending_at(sentence.index, sentence.start + end)
    own = word[: -(end - start)] if len(word) > end - start else ""
    if len(own) < 2 or word_tags().get(word, "x") not in _PROPER_TAGS:
        return ""
    return own


# kinds of port, not names (沿海港、内河港)
PORT_KINDS = frozenset(
    {"沿海", "沿江", "内河", "内陆", "国际", "枢纽", "支线", "干线", "出海", "保税"}
)


def place_word(ctx: DocContext, sentence: Sentence, end: int) -> str:
    """The word before ``end`` (in the sentence) if jieba knows it as a place and no
    mention covers it (城陵矶 before 港; not 沿海 of 沿海港, a region)."""
    at = sentence.start + end
    word = ctx.word_ending_at(sentence.index, at)
    if len(word) < 2 or word in PORT_KINDS or word in _BUILT:
        return ""  # 新建机场: what is done to it (jieba knows 新建 as a county too)
    if word_tags().get(word) not in ("ns", "nrfg"):
        return ""
    if any(m.start < at and m.end > at - len(word) for m in ctx.mentions_in(at - 12, at + 12)):
        return ""
    return word
