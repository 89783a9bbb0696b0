"""What ``find_relations`` works out once and asks again for every object: the rules each
class of object takes, and what each sentence's mentions are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Mention, Sentence
from .context import DocContext
from .memo import by_identity
from .non_subjects import modifier
from .patterns import RelationRule

__all__ = ["SentenceMemo", "any_of", "rules_by_object"]


@by_identity  # kg.extract.memo
def rules_by_object(
    rules: tuple[RelationRule, ...],
) -> dict[str, tuple[tuple[int, RelationRule, bool, re.Pattern[str]], ...]]:
    """Object class -> the rules that take it, in the rules' order, each with its index,
    whether any trigger does (``"any"`` among its triggers) and its triggers as one pattern:
    most rules name other classes of objects, and asking each rule of every object was much
    of the loop."""
    classes = {cls for rule in rules for cls in rule.objects}
    table = [(i, rule, rule.any_trigger, any_of(rule.triggers)) for i, rule in enumerate(rules)]
    return {cls: tuple(row for row in table if cls in row[1].objects) for cls in classes}


def any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern that finds something in a text exactly where one of ``words`` stands in it
    (``any(w in text for w in words)``; one search costs a sixth of those tests)."""
    return re.compile("|".join(map(re.escape, words)) if words else "(?!)")


@dataclass
class SentenceMemo:
    """One sentence, its mentions (sorted), the mention ending at each offset, and what is
    found of them once: whether each (by ``id``) may be a subject at all, and whether it is
    a modifier. None of it hangs on the object asked about, only on the sentence's text and
    mentions, which find_relations leaves be."""

    sentence: Sentence
    mentions: list[Mention]
    ends: dict[int, Mention]
    fit: dict[int, bool] = field(default_factory=dict)
    modifies: dict[int, bool] = field(default_factory=dict)

    def modifier(self, ctx: DocContext, m: Mention) -> bool:
        found = self.modifies.get(id(m))
        if found is None:
            found = self.modifies[id(m)] = modifier(ctx, m)
        return found
