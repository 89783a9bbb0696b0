"""The heads of the phrase rules, as words an item or a clause is tested against.

The sector finder asks whether an item ends in the head of a facility or a body (…产业基地,
…服务机构) for every item of every list: 126 heads, one ``str.endswith`` test each.
"""

from __future__ import annotations

from typing import NamedTuple

from .memo import by_identity
from .patterns import PhraseRule

__all__ = ["HeadWords", "ends_in_head", "phrase_head_words"]


class HeadWords(NamedTuple):
    words: tuple[str, ...]  # one tuple for str.endswith and str.startswith
    # their last characters; None when a head is empty (every item ends in it)
    last: frozenset[str] | None


@by_identity  # asked for once per clause and item: kg.extract.memo
def phrase_head_words(
    rules: tuple[PhraseRule, ...], classes: tuple[str, ...] | None = None
) -> HeadWords:
    """The heads of the phrase rules (of ``classes``)."""
    words = tuple(h for r in rules if classes is None or r.cls in classes for h in r.heads)
    return HeadWords(words, None if "" in words else frozenset(h[-1] for h in words))


def ends_in_head(item: str, heads: HeadWords) -> bool:
    """``item.endswith(heads.words)``. An item that ends in a head ends in the head's last
    character: the set tells in one step for most items (more than four in five end in
    none) what the test of each head would."""
    if heads.last is not None and item[-1:] not in heads.last:
        return False
    return item.endswith(heads.words)
