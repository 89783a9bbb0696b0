"""The sentences that hold one of some words: all a finder of those words need read."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from ..model import Sentence
from .context import DocContext

__all__ = ["holding", "with_mentions"]


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


def with_mentions(ctx: DocContext, classes: frozenset[str]) -> list[Sentence]:
    """The sentences (in their order) where ``ctx.mentions_in`` of their span holds a
    mention of one of ``classes``: a mention starts in one sentence at most, found by its
    start among theirs, where the sentences follow each other without overlapping (as the
    segmenter cuts them); where they do not, every sentence."""
    sentences = ctx.sentences
    starts = [s.start for s in sentences]
    if any(a.end > b.start for a, b in zip(sentences, sentences[1:], strict=False)):
        return list(sentences)
    found: set[int] = set()
    for m in ctx.mentions:
        if m.entity.cls in classes:
            i = bisect.bisect_right(starts, m.start) - 1
            # mentions_in(start, end): a start in [start, end), an end by ``end``
            if i >= 0 and m.start < sentences[i].end and m.end <= sentences[i].end:
                found.add(i)
    return [sentences[i] for i in sorted(found)]
