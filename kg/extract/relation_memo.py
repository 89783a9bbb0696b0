"""What ``find_relations`` works out once and asks again for every object: the rules each
class of object takes, and what each sentence's mentions are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Mention, Sentence
from ..read.normalize import CJK
from .context import DocContext
from .memo import by_identity
from .non_subjects import PLACE_CLASSES, modifier
from .patterns import RelationRule
from .resolve import CONTAINER_CLASSES

__all__ = [
    "SentenceMemo",
    "any_of",
    "bracketed_in_name",
    "hidden_subject",
    "inside_names",
    "rules_by_object",
]


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
    starts: list[int]  # the mentions' starts, in their order
    fit: dict[int, bool] = field(default_factory=dict)
    modifies: dict[int, bool] = field(default_factory=dict)

    def modifier(self, ctx: DocContext, m: Mention) -> bool:
        found = self.modifies.get(id(m))
        if found is None:
            found = self.modifies[id(m)] = modifier(ctx, m)
        return found


def bracketed_in_name(ctx: DocContext, m: Mention) -> bool:
    """重庆 in 中欧班列（重庆）国际铁路大通道: a place in brackets inside a name."""
    text = ctx.text
    return (
        m.start >= 2
        and text[m.start - 1] in "（("
        and text[m.end : m.end + 1] in ("）", ")")
        and _CJK.match(text[m.start - 2]) is not None
        and _CJK.match(text[m.end + 1 : m.end + 2]) is not None
    )


_CJK = re.compile(f"[{CJK}]")


def inside_names(mentions: list[Mention]) -> tuple[set[int], set[int]]:
    """The mentions (by ``id``) that lie inside a longer container (内陆 in 内陆开放型经济新
    高地), and those inside a longer name (天津 in 天津口岸, 沿江 in 沿海沿江港口). By ``id``:
    a Mention hashes all its fields at every test, and one equal to a mention of the list
    is inside exactly where that one is (the test reads its offsets alone)."""
    in_container: set[int] = set()
    in_name: set[int] = set()
    for m in mentions:
        for other in mentions:
            if (
                other is not m
                and other.start <= m.start
                and m.end <= other.end
                and other.end - other.start > m.end - m.start
            ):
                (in_container if other.entity.cls in CONTAINER_CLASSES else in_name).add(id(m))
    return in_container, in_name


def hidden_subject(inside: tuple[set[int], set[int]], m: Mention) -> bool:
    """Whatever lies inside a position's name, and a place inside another name, is no
    subject."""
    in_container, in_name = inside
    return id(m) in in_container or (id(m) in in_name and m.entity.cls in PLACE_CLASSES)
