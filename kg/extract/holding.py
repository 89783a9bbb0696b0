"""The sentences that hold one of some words: all a finder of those words need read."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..model import Sentence

__all__ = ["holding"]


def holding(sentences: Sequence[Sentence], words: Iterable[str]) -> list[Sentence]:
    """The sentences (in their order) whose text holds one of ``words``, found by one search
    of them as one pattern, in C. An empty word stands in every text, and no words at all
    are taken the same way: every sentence is kept."""
    wanted = set(words)
    if not wanted or "" in wanted:
        return list(sentences)
    # a search of an alternation finds a match wherever one of its words stands
    anyword = re.compile("|".join(map(re.escape, sorted(wanted))))
    return [s for s in sentences if anyword.search(s.text)]
