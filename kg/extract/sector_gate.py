"""What a segment after a verb must hold for the sector finder to find anything in it.

Most segments after a development or governing verb name no industry (推进制度创新,
建设国际枢纽): the enumeration reads them through the lexicon, the leading noise and
jieba's words to find nothing. One search in C over the segment, or over the whole clause
for all its segments, tells most of them apart first.
"""

from __future__ import annotations

import re

from .context import DocContext
from .enumerations import _labels_of, _platform_heads
from .lexicon import Lexicon
from .memo import by_identity
from .patterns import Patterns
from .sector_list_kinds import JOINED_ACTIVITIES
from .word_trees import longest_word_regex

__all__ = ["may_name_a_sector"]

# the word after an item that the text calls an industry (物流行业发展)
_INDUSTRY = "行业"
_QUOTE_CHARS = "“”‘’\"'「」"  # what classify_item removes from an item before reading it


def may_name_a_sector(ctx: DocContext, text: str, end: int, start: int = 0) -> bool:
    """An open enumeration of ``text[start:]`` (which ends at ``end`` in the document), or
    of any stretch of it, could find a sector or a platform: False only when each surely
    finds none.

    Why a False is safe. The enumeration of an open list stays open unless its last item
    ends in 业务 or 业态, or in 产业 (the two ways ``_enumeration`` closes it), and an
    item's core is a stretch of the text (its start moved past noise, its end before
    trimmed words). An item is found by one of four readings of its core:

    - ``classify_item`` of an open list finds nothing unless ``_may_name_one`` holds: the
      core without its quotes ends in a suffix of a sector (of any of the suffix sets the
      enumeration passes), a platform's head or a label of a sector or platform;
    - ``currency_business`` is asked only when the item ends in 业务 or 业态;
    - ``_named_industry`` only when 行业 follows the core: in the text, across its end
      (a 行 in it) or right after it;
    - ``_shared_head`` only after an item found before.

    A list none of whose items is found gets one from ``settle_list`` only where
    ``join_coordinated_pair`` joins two items: a conjunction and a bare activity
    (``JOINED_ACTIVITIES``), or a second item that ends in a sector's suffix.

    Each needs one of the words below, a 行 or a following 行业 (a stretch without quotation
    marks is the same with them removed)."""
    if "行" in text[start:] or ctx.text.startswith(_INDUSTRY, end):
        return True
    return _words_pattern(ctx.lexicon, ctx.patterns).search(text, start) is not None


@by_identity  # asked for every segment: kg.extract.memo
def _words_pattern(lexicon: Lexicon, p: Patterns) -> re.Pattern[str]:
    """Any of the words an item must hold to name one, or a quotation mark (where the
    core may be read without one)."""
    labels, _ = _labels_of(lexicon, ("Sector", "Platform"))
    words = set(labels).union(
        _platform_heads(p.heads),
        p.sector_suffixes,
        p.sector_strict_suffixes,
        p.sector_activity_suffixes,
        p.sector_business_heads,
        [_INDUSTRY],
        JOINED_ACTIVITIES,
        _QUOTE_CHARS,
    )
    # a word that holds another is found where that one is: the shorter is enough
    needed = [w for w in words if not any(part in words for part in _parts(w))]
    return re.compile(longest_word_regex(needed))


def _parts(word: str) -> list[str]:
    """The shorter stretches of ``word``."""
    n = len(word)
    return [word[i:j] for i in range(n) for j in range(i + 1, n + 1) if j - i < n]
