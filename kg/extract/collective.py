"""Collective names a text defines: "海关特殊监管区域、保税监管场所（以下统称围网区域）" →
围网区域 is an entity of the listed items' class, each item is ``partOf`` it, and every
later 围网区域 is a mention of it."""

from __future__ import annotations

import re

from ..model import Entity, Mention
from ..read.normalize import CJK
from .context import Coverage, DocContext
from .holding import holding

__all__ = ["find_collective_names"]

_COLLECTIVE = re.compile(rf"[（(](?:以下)?统称[“\"]?(?P<name>[{CJK}]{{2,12}})[”\"]?[）)]")
_GLUE = re.compile(r"^(?:、|和|及|与|以及|或者)$")


def find_collective_names(ctx: DocContext) -> None:
    names: dict[str, Entity] = {}
    for sentence in holding(ctx.sentences, ("统称",)):  # a word _COLLECTIVE holds
        for match in _COLLECTIVE.finditer(sentence.text):
            at = sentence.start + match.start()
            items = _items_before(ctx, ctx.mentions_in(sentence.start, at), at)
            if len(items) < 2 or len({m.entity.cls for m in items}) != 1:
                continue
            name = match.group("name")
            entity = ctx.lexicon.find(items[0].entity.cls, name) or Entity(
                items[0].entity.cls, name
            )
            names[name] = entity
            start = sentence.start + match.start("name")
            ctx.add_mention(start, start + len(name), entity, sentence, "collective")
            for item in items:
                ctx.add_relation(item.entity, "partOf", entity, sentence, "collective:partOf")
    if names:
        _later_mentions(ctx, names)


def _items_before(ctx: DocContext, mentions: list[Mention], at: int) -> list[Mention]:
    """The mentions listed right before ``at``, joined by 、/和/及."""
    items: list[Mention] = []
    end = at
    for m in reversed(mentions):
        if m.end != end and not (items and _GLUE.match(ctx.text[m.end : end])):
            break
        items.append(m)
        end = m.start
    return items[::-1]


def _later_mentions(ctx: DocContext, names: dict[str, Entity]) -> None:
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    covered = Coverage((m.start, m.end) for m in ctx.mentions)
    for sentence in ctx.sentences:
        for match in pattern.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if covered.overlaps(start, end):
                continue
            ctx.add_mention(start, end, names[match.group(0)], sentence, "collective")
