"""Find every known entity by longest match over the lexicon's surface forms."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from ..model import Entity
from ..read.normalize import CJK
from .context import DocContext
from .lexicon import Lexicon

__all__ = ["match_lexicon", "LabelTrie"]

import re

_HAN = re.compile(rf"[{CJK}]")
_CHAPTER = re.compile(r"第[一二三四五六七八九十百零]+[章节编]\s*\S{1,20}$")


class LabelTrie:
    """A character trie of labels; ``longest(text, i)`` is the longest label at ``i``."""

    __slots__ = ("root",)

    def __init__(self, labels: list[str]) -> None:
        self.root: dict[str, dict] = {}  # type: ignore[type-arg]
        for label in labels:
            node = self.root
            for ch in label:
                node = node.setdefault(ch, {})
            node[""] = label  # type: ignore[assignment]

    def matches(self, text: str, i: int) -> list[tuple[str, int]]:
        """All labels starting at ``i`` with where each ends in ``text``, longest first.
        Quotes inside a name are passed over (多式联运“一单制” is 多式联运一单制)."""
        node = self.root
        found: list[tuple[str, int]] = []
        opened = False
        for j in range(i, len(text)):
            nxt = node.get(text[j])
            if nxt is None:
                if j > i and text[j] in _INNER_QUOTES:
                    opened = opened or text[j] in _OPENING
                    continue
                break
            node = nxt
            if "" in node:
                # the quote opened inside the name closes with it (多式联运“一单制”)
                closes = opened and text[j + 1 : j + 2] in _CLOSING
                found.append((node[""], j + 2 if closes else j + 1))  # type: ignore[arg-type]
        found.reverse()
        return found


_OPENING = frozenset('“‘"')
_CLOSING = frozenset('”’"')
_INNER_QUOTES = _OPENING | _CLOSING


@lru_cache(maxsize=4)
def label_trie(lexicon: Lexicon) -> LabelTrie:
    return LabelTrie(lexicon.labels())


@lru_cache(maxsize=4)
def _label_starts(trie: LabelTrie) -> re.Pattern[str]:
    """A label's first character (a label of one character, or one followed by any
    label's second character or a quote): a place ``match_lexicon`` tries can be no other."""
    firsts = {c: node for c, node in trie.root.items() if c}
    seconds = {c for node in firsts.values() for c in node if c} | _INNER_QUOTES
    alone = [c for c, node in firsts.items() if "" in node]
    places = [f"{_char_class(firsts)}(?={_char_class(seconds)})"] if firsts else []
    places += [_char_class(alone)] if alone else []
    return re.compile("|".join(places) or "(?!)")  # (?!): no label, no place


def _char_class(chars: Iterable[str]) -> str:
    return "[" + "".join(map(re.escape, sorted(chars))) + "]"


def match_lexicon(ctx: DocContext) -> None:
    lexicon = ctx.lexicon
    trie = label_trie(lexicon)
    min_free = ctx.patterns.sector_min_free_length
    concerning = ctx.patterns.sector_concerning
    root = trie.root
    starts = _label_starts(trie)
    for sentence in ctx.sentences:
        text = sentence.text
        # 第五章 金融服务: a chapter's title names its subject matter, no sector developed
        heading = _CHAPTER.match(text) is not None
        i = 0  # where the next label may start: after the last one placed
        # the places where a label may start, found in C: every one the test below passes,
        # so the loop makes it at the same places as it did at each
        for start_at in starts.finditer(text):
            if (at := start_at.start()) < i:
                continue
            i = at
            # no label starts here: skip the call (nine in ten of the first characters
            # of a label are followed by none of its second ones, or a quote)
            node = root.get(text[i])
            if node is None or (
                "" not in node
                and (after := text[i + 1 : i + 2]) not in node
                and after not in _INNER_QUOTES
            ):
                continue
            for label, stop in trie.matches(text, i):
                start = sentence.start + i
                end = sentence.start + stop
                entity = lexicon.best(label)
                if entity is None:
                    continue
                if entity.cls == "Sector" and (heading or len(label) < min_free):
                    continue  # 教育, 文化: only as items of an enumeration (enumerations.py)
                # A short label must sit on word boundaries; a long one is unambiguous.
                if (
                    _HAN.match(label[0])
                    and len(label) < 4
                    and not ctx.aligned(start, end)
                    and not _in_place_pair(ctx, sentence.index, start, end, entity)
                ):
                    continue
                if entity.cls == "Sector" and i >= 2 and text.startswith(concerning, i - 2):
                    # 涉海金融服务, 涉外法律服务: the sector of one field is another, as written
                    start -= 2
                    entity = Entity("Sector", ctx.text[start:end])
                ctx.add_mention(start, end, entity, sentence, "lexicon")
                i = stop
                break


_PLACES = ("City", "Region")


def _in_place_pair(ctx: DocContext, sentence: int, start: int, end: int, entity: Entity) -> bool:
    """福建厦门, 江苏太仓: jieba may write a province and its city as one word; each is
    named when the word is the two places and nothing else."""
    if entity.cls not in _PLACES:
        return False
    if start in ctx.boundaries:
        rest = ctx.word_starting_at(sentence, start)[end - start :]
    elif end in ctx.boundaries:
        word = ctx.word_ending_at(sentence, end)
        rest = word[: len(word) - (end - start)]
    else:
        return False
    other = ctx.lexicon.best(rest) if rest else None
    return other is not None and other.cls in _PLACES
