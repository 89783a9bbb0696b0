"""The patterns and tables the phrase finder makes of its settings, once per set of them
(found again by the settings' identity: their tuples hash slowly, and are asked for once
per clause or per head)."""

from __future__ import annotations

import re

from .memo import by_identity
from .patterns import PhraseRule

__all__ = [
    "any_word",
    "head_index",
    "lead_words",
    "standalone_pattern",
    "words_pattern",
]


@by_identity  # kg.extract.memo
def head_index(
    rules: tuple[PhraseRule, ...],
) -> tuple[re.Pattern[str], dict[str, PhraseRule]]:
    by_head: dict[str, PhraseRule] = {}
    for rule in rules:
        for head in rule.heads:
            by_head.setdefault(head, rule)
    heads = sorted(by_head, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, heads))), by_head


@by_identity  # kg.extract.memo
def any_word(
    rules: tuple[PhraseRule, ...], standalone: tuple[tuple[str, tuple[str, ...]], ...]
) -> re.Pattern[str]:
    """A head or a standalone word: found where either pattern finds one."""
    heads, _ = head_index(rules)
    return re.compile(f"{heads.pattern}|{standalone_pattern(standalone).pattern}")


@by_identity  # the settings' tuples hash slowly, asked once per head
def words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """The words as one alternation, longest first (the roles' heads, the governing verbs)."""
    return re.compile("|".join(map(re.escape, sorted(set(words), key=len, reverse=True))))


@by_identity  # kg.extract.memo
def lead_words(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The lead words by their first character, in their order: only those can start at a
    given character (an empty word starts anywhere, so every list holds those, under "")."""
    empty = tuple(word for word in words if not word)
    firsts = {word[0] for word in words if word}
    by_first = {c: tuple(w for w in words if not w or w[0] == c) for c in firsts}
    return {**by_first, "": empty}


@by_identity  # the settings' tuples hash slowly, asked once per clause
def standalone_pattern(standalone: tuple[tuple[str, tuple[str, ...]], ...]) -> re.Pattern[str]:
    words = [word for _, words in standalone for word in words]
    return re.compile("|".join(map(re.escape, words)) or "(?!)")
