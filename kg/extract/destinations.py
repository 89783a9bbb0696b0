"""A first test for :func:`kg.extract.context.is_destination` that costs a bisection.

A name is a destination only where one of the verbs of going stands between the last
mark before it and its start: ``is_destination`` looks each verb up there in turn. Most
names have none of them before them in their clause: the places of all the verbs, listed
once per document, tell so at once, and only where one stands is the whole test asked.
"""

from __future__ import annotations

import bisect

from .context import _DESTINATION_VERBS, SENTENCE_MARKS, DocContext, is_destination

__all__ = ["destination"]

_MEMO = "destinations"  # the document's verb places, in DocContext.memo


def destination(ctx: DocContext, start: int) -> bool:
    """``is_destination(ctx, start)``, faster."""
    # is_destination finds a verb with ctx.find(verb, clause_start, start): a place where
    # the verb stands wholly inside [clause_start, start). Where no place from clause_start
    # on ends by start, none of its look-ups finds one and the answer is False. (Searching
    # the stretch itself cost its length: in a text without marks, the whole text before
    # every name.)
    clause_start = ctx.last_mark_before(SENTENCE_MARKS, start) + 1
    starts, first_ends = _verb_places(ctx)
    i = bisect.bisect_left(starts, clause_start)
    if i == len(starts) or first_ends[i] > start:
        return False
    return is_destination(ctx, start)


def _verb_places(ctx: DocContext) -> tuple[list[int], list[int]]:
    """Where each verb of going stands in the document (every place, overlapping ones
    too: the lists ``is_destination``'s look-ups read), by start, and for each place the earliest end among it and the places after."""
    found = ctx.memo.get(_MEMO)
    if found is None:
        spans = sorted(
            (at, at + len(verb)) for verb in _DESTINATION_VERBS for at in ctx.places(verb)
        )
        ends = [end for _start, end in spans]
        for k in range(len(ends) - 2, -1, -1):
            ends[k] = min(ends[k], ends[k + 1])
        found = ctx.memo[_MEMO] = ([s for s, _end in spans], ends)
    assert isinstance(found, tuple)
    return found
