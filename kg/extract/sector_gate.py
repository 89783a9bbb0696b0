"""What a segment after a verb must hold for the sector finder to find anything in it.

Most segments after a development or governing verb name no industry (推进制度创新,
建设国际枢纽): the enumeration reads them through the lexicon, the leading noise and
jieba's words to find nothing. One search in C over the segment, or over the rest of the
clause for all its segments, tells most of them apart first.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .business import BUSINESS_STAGES
from .context import DocContext
from .enumerations import _CONNECTOR, _QUOTES, _labels_of, _platform_heads
from .lexicon import Lexicon
from .memo import by_identity
from .patterns import Patterns
from .sector_list_kinds import JOINED_ACTIVITIES
from .word_trees import longest_word_regex

__all__ = ["SectorGate", "sector_gate"]

# the word after an item that the text calls an industry (物流行业发展)
_INDUSTRY = "行业"
# the heads the enumeration itself trims or reads an item without (医疗医药行业, 石化产业,
# 跨境融资租赁服务)
_HEADS = (_INDUSTRY, "产业", "服务")
_QUOTE_CHARS = "“”‘’\"'「」"  # what classify_item removes from an item before reading it
_QUOTE = re.compile(f"[{_QUOTE_CHARS}]")


class SectorGate(NamedTuple):
    """The two tests, made once from a lexicon and a pattern file (``sector_gate``)."""

    # a word an item's core may end in, the words trimmed after it, then the item's end
    item_end: re.Pattern[str]
    # any of those words, a 行, or a quotation mark (where the words may be read without)
    anywhere: re.Pattern[str]

    def segment(self, ctx: DocContext, text: str, end: int) -> bool:
        """An open enumeration of ``text`` (which ends at ``end`` in the document) could
        find a sector or a platform: False only when it surely finds none.

        Why a False is safe. ``_enumeration`` closes an open list only where its last item
        ends in 业务 or 业态, or in 产业. Each item ends at the text's end or before a
        connector, and its core ends where the words the enumeration trims from it start
        (trailing words, a business and what is done with it, 行业, 产业, 服务), or before
        a quotation that closes on 服务. An item is found by one of four readings of its
        core:

        - ``classify_item`` of an open list finds nothing unless ``_may_name_one`` holds:
          the core without its quotes ends in a suffix of a sector (of any of the suffix
          sets the enumeration passes), a platform's head or a label of a sector or
          platform;
        - ``currency_business`` is asked only when the item ends in 业务 or 业态;
        - ``_named_industry`` only when 行业 starts where the core ends: among the trimmed
          words, across the text's end (it ends in 行) or right after it;
        - ``_shared_head`` only after an item found before.

        A list none of whose items is found gets one from ``settle_list`` only where
        ``join_coordinated_pair`` joins two items: a conjunction and a bare activity
        (``JOINED_ACTIVITIES``), or a second item that ends in a sector's suffix, each
        where its item's core ends.

        So each needs, in the text without quotation marks, one of those words followed by
        trimmed words only, then a connector or the end: what ``item_end`` finds."""
        if text.endswith(_INDUSTRY[0]) or ctx.text.startswith(_INDUSTRY, end):
            return True
        if _QUOTE.search(text):
            text = text.translate(_QUOTES)
        return self.item_end.search(text) is not None

    def stretches(self, ctx: DocContext, text: str, end: int, start: int) -> bool:
        """``segment`` could hold for a stretch of ``text[start:]`` (which ends at ``end``
        in the document): False only when it holds for none.

        Why a False is safe: a stretch it holds for ends in 行, is followed by 行业 (in the
        text, a 行 in it, or after its end) or holds one of the words ``item_end`` starts
        with, once its quotation marks are removed; and so does the text."""
        if ctx.text.startswith(_INDUSTRY, end):
            return True
        found = self.anywhere.search(text, start)
        if found is None or found.group() not in _QUOTE_CHARS:
            return found is not None
        return self.anywhere.search(text[start:].translate(_QUOTES)) is not None


def sector_gate(ctx: DocContext) -> SectorGate:
    return _gate(ctx.lexicon, ctx.patterns)


@by_identity  # asked for every clause and segment: kg.extract.memo
def _gate(lexicon: Lexicon, p: Patterns) -> SectorGate:
    labels, _ = _labels_of(lexicon, ("Sector", "Platform"))
    words = set(labels).union(
        _platform_heads(p.heads),
        p.sector_suffixes,
        p.sector_strict_suffixes,
        p.sector_activity_suffixes,
        p.sector_business_heads,
        _HEADS,
        JOINED_ACTIVITIES,
    )
    trimmed = set(p.sector_trail_words).union(p.sector_business_heads, BUSINESS_STAGES, _HEADS)
    # a word that ends in another is found where that one is: the shorter is enough
    ending = [w for w in words if not any(w[i:] in words for i in range(1, len(w)))]
    trims = "|".join(map(re.escape, sorted(trimmed, key=len, reverse=True)))
    item_end = re.compile(
        rf"(?:{longest_word_regex(ending)}|(?={_INDUSTRY}))(?:{trims})*(?:{_CONNECTOR.pattern}|\Z)"
    )
    # anywhere, a word that holds another is found where that one is
    held = words.union(_INDUSTRY[0], _QUOTE_CHARS)
    needed = [w for w in held if not any(part in held for part in _parts(w))]
    return SectorGate(item_end, re.compile(longest_word_regex(needed)))


def _parts(word: str) -> list[str]:
    """The shorter stretches of ``word``."""
    n = len(word)
    return [word[i:j] for i in range(n) for j in range(i + 1, n + 1) if j - i < n]
