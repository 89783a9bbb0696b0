"""Countries written by one character each: 中蒙俄, 中日韩, 日、韩等国家, 对美出口."""

from __future__ import annotations

import bisect
import re
from operator import itemgetter

from ..read.normalize import CJK
from .context import Coverage, DocContext
from .wordtags import word_tags

__all__ = ["find_country_compounds"]

_ABBREVIATION_NEXT = (
    "出口",
    "进口",
    "贸易",
    "投资",
    "关系",
    "合作",
    "机构",
    "经贸",
    "外交",
    "企业",
    "留学",
    # 深化对俄全方位合作, 扩大对日开放
    "全方位",
    "全面",
    "开放",
    "交流",
)
# jieba's tags of words that are no name: a compound of country characters that jieba
# knows with one of them (非法 'b') is that word (中美, 中欧, 中俄 are tagged as names).
_PLAIN_WORD_TAGS = frozenset(
    {"a", "ad", "an", "b", "c", "d", "m", "p", "q", "r", "u", "v", "vd", "vn"}
)
# A transliterated personal name (穆杰塔巴·哈梅内伊, 加巴德) is not Tajikistan and Pakistan;
# one that holds 中 is China and its partner (塔中关系, 开门过大年·中巴携手行).
_NAME_TAGS = frozenset({"nrt"})
# The dot between the parts of a transliterated name (阿里·哈梅内伊).
_NAME_DOTS = frozenset("·•‧・")
# What follows two countries' characters when they name the two (中朝关系, 中韩战略合作).
_TIES = (
    *_ABBREVIATION_NEXT,
    *("战略", "传统", "友好", "两国", "两党", "三国", "长期", "全面", "新时代"),
)
_ABBREVIATION_PREV = {"对", "在", "赴", "驻", "访", "同", "与"}


def find_country_compounds(ctx: DocContext) -> None:
    """中蒙俄, 俄蒙, 美欧日 → one mention per country; 对美出口 → 美国."""
    abbreviations = ctx.lexicon.abbreviations
    if not abbreviations:
        return
    chars_class = "[" + "".join(sorted(abbreviations)) + "]"
    run = re.compile(chars_class + "+")
    # 日、韩等国家, 中、俄两国: one character a country, listed with 、 before 国
    listed = re.compile(rf"(?:{chars_class}、)+{chars_class}(?=等?(?:[两三四]?国|国家))")
    covered = Coverage((m.start, m.end) for m in ctx.mentions)
    for sentence in ctx.sentences:
        tokens = ctx.tokens.get(sentence.index, [])
        # the list's characters are joined by 、: a sentence without one has no such list
        for match in listed.finditer(sentence.text) if "、" in sentence.text else ():
            for i in range(match.start(), match.end(), 2):
                start = sentence.start + i
                ctx.add_mention(
                    start, start + 1, abbreviations[sentence.text[i]], sentence, "abbreviation"
                )
                covered.add(start, start + 1)
        for match in run.finditer(sentence.text):
            start = sentence.start + match.start()
            end = sentence.start + match.end()
            chars = match.group(0)
            if covered.overlaps(start, end):
                continue
            if not ctx.aligned(start, end):
                continue
            if (
                chars.startswith("中")
                and ctx.text.endswith("发展", 0, start)
                and not ctx.text.startswith(_TIES, end)
            ):
                continue  # 发展中老问题: 发展中 (developing) takes the 中; not 发展中朝关系
            if ctx.text.startswith(_PLACE_AFTER, end):
                continue  # 蒙中地区, 拉法市: a place's name
            if _CONTINENTS.match(ctx.text, end):
                continue  # 欧美亚三大洲: continents, not the countries of their characters
            if "中" not in chars and (
                _next_to_name_dot(ctx.text, start, end) or word_tags().get(chars) in _NAME_TAGS
            ):
                continue
            if not ctx.text.startswith(_TIES, end) and _among_single_characters(
                ctx, tokens, start, end
            ):
                continue  # 丁薛祥李希韩正: characters of names jieba does not know
            if len(chars) == 1:
                if not _single_abbreviation_ok(ctx, tokens, start, end):
                    continue
            elif len(set(chars)) != len(chars) or len(chars) > 5:
                continue
            elif word_tags().get(chars, "x") in _PLAIN_WORD_TAGS:
                continue  # 非法 (打击非法集资) is a word of its own, not Africa and France
            for i, ch in enumerate(chars):
                ctx.add_mention(
                    start + i, start + i + 1, abbreviations[ch], sentence, "abbreviation"
                )


# Words after which the characters are a place's name (蒙中地区, 拉法市).
_PLACE_AFTER = ("地区", "市", "县", "镇", "村", "水库")
_CONTINENTS = re.compile("[亚非欧美澳]*[两三四五六七]?大?洲")


def _next_to_name_dot(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1] in _NAME_DOTS) or text[end : end + 1] in _NAME_DOTS


# Words of one character that may stand beside a compound of country characters.
_GLUE = frozenset("对在赴驻访同与和及跟向、的是")


def _among_single_characters(
    ctx: DocContext, tokens: list[tuple[int, int]], start: int, end: int
) -> bool:
    """The run sits among lone characters, as in a list of names jieba split into
    characters (丁薛祥李希韩正 → 丁/薛/祥/李/希/韩/正): at least one on each side and four in
    all. Fewer are words of their own (奏韩中两国国歌, 外接俄蒙通欧亚)."""
    # the spans' starts never decrease (tokenize cuts the sentence in order): the first
    # token starting at ``start`` and the last starting at ``end``, by bisection
    first = bisect.bisect_left(tokens, start, key=_START)
    last = bisect.bisect_right(tokens, end, key=_START) - 1
    if first == len(tokens) or tokens[first][0] != start or last < 0 or tokens[last][0] != end:
        return False
    before = 0
    while first - before - 1 >= 0 and _lone(ctx, tokens[first - before - 1]):
        before += 1
    after = 0
    while last + after < len(tokens) and _lone(ctx, tokens[last + after]):
        after += 1
    return before >= 1 and after >= 1 and before + after >= 4


def _lone(ctx: DocContext, token: tuple[int, int]) -> bool:
    char = ctx.text[token[0] : token[1]]
    return len(char) == 1 and char not in _GLUE and _CJK.match(char) is not None


_CJK = re.compile(f"[{CJK}]")
_START = itemgetter(0)


def _single_abbreviation_ok(
    ctx: DocContext, tokens: list[tuple[int, int]], start: int, end: int
) -> bool:
    """对美出口, 在美机构: a lone country character between a preposition and trade words."""
    # from the first token starting at ``start`` (their starts never decrease)
    for i in range(bisect.bisect_left(tokens, start, key=_START), len(tokens)):
        s, e = tokens[i]
        if s != start:
            break  # none later starts at ``start``
        if e == end and 0 < i < len(tokens) - 1:
            prev = ctx.text[tokens[i - 1][0] : tokens[i - 1][1]]
            nxt = ctx.text[tokens[i + 1][0] : tokens[i + 1][1]]
            return prev in _ABBREVIATION_PREV and nxt.startswith(_ABBREVIATION_NEXT)
    return False
