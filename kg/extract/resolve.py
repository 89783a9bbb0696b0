"""Resolve overlapping mentions: one reading per span of text.

Descriptive containers (a strategic position, a task, a document title) may hold names
inside them (中蒙俄经济走廊 in 中蒙俄经济走廊核心枢纽) and both are kept; between two names,
the longer span wins, and on equal spans the more specific rule.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Entity, Mention
from .context import DocContext

__all__ = ["resolve_overlaps", "canonical_entities", "CONTAINER_CLASSES"]

CONTAINER_CLASSES = frozenset({"StrategicPosition", "PolicyDocument", "ReformTask", "Article"})
_RULE_RANK = {
    "enum:field": 9,
    "position:quoted": 9,
    "byline:title": 9,
    "byline:author": 9,
    "byline:affiliation": 9,
    "task": 8,
    "title": 8,
    "zone:full": 7,
    "zone:short": 7,
    "zone:port": 7,
    "enum:Area": 6,
    "head:Area": 6,
    "enum:Port": 6,
    "head:Port": 6,
    "enum:sector": 5,
    "trigger:sector": 5,
    "lexicon": 4,
    "head:Platform": 3,
    "phrase:Organization": 3,
    "phrase:Platform": 3,
    "phrase:Initiative": 3,
    "phrase:PolicyDocument": 3,
    "phrase:Agreement": 3,
    "head:Initiative": 3,
    "position:trigger": 3,
    "abbreviation": 2,
}


def _rank(m: Mention) -> tuple[int, int, int]:
    return (m.end - m.start, _RULE_RANK.get(m.rule, 1), -m.start)


def resolve_overlaps(ctx: DocContext) -> None:
    unique = {(m.start, m.end, m.entity): m for m in sorted(ctx.mentions, key=_rank)}
    mentions = sorted(unique.values(), key=_rank, reverse=True)
    kept: list[Mention] = []
    for mention in mentions:
        container = mention.entity.cls in CONTAINER_CLASSES
        clash = False
        for other in kept:
            if other.start < mention.end and mention.start < other.end:
                if _named_inside(mention, other) or _named_inside(other, mention):
                    continue
                if container or other.entity.cls in CONTAINER_CLASSES:
                    if (other.start, other.end) == (mention.start, mention.end):
                        clash = True
                        break
                    continue
                clash = True
                break
        if not clash:
            kept.append(mention)
    ctx.mentions = sorted(kept)


_NAMES = frozenset(
    {"PilotFreeTradeZone", "FreeTradePort", "Area", "Port", "Region", "City", "Country"}
)


def _named_inside(inner: Mention, outer: Mention) -> bool:
    """A place or a known platform inside the name of a body or facility (天津 in
    天津仲裁委员会, 中欧班列 in 中欧班列运营平台) is kept too."""
    return (
        outer.rule.startswith("phrase:")
        and (
            inner.entity.cls in _NAMES or (inner.rule == "lexicon" and inner.entity.cls != "Sector")
        )
        and outer.start <= inner.start
        and inner.end <= outer.end
    )


# Typographic variants of one name (2018-2022 / 2018—2022, 中国·AI / 中国•AI) are one entity.
_LABEL_FOLD = str.maketrans({"―": "—", "–": "—", "－": "—", "•": "·", "・": "·", "‧": "·"})
_DIGIT_DASH = re.compile(r"(?<=\d)[-~～](?=\d)")


def canonical_entities(ctx: DocContext) -> None:
    """A pattern-made entity the lexicon knows under any label becomes the lexicon's entity.

    (我国向北开放重要桥头堡 found after 建设 is the lexicon's position whose altLabel is
    向北开放重要桥头堡; 新疆自贸试验区 found by a pattern is zone:xinjiang.)
    """
    cache: dict[Entity, Entity] = {}

    def canon(entity: Entity) -> Entity:
        if entity.key:
            return entity
        if entity not in cache:
            label = _DIGIT_DASH.sub("—", entity.label.translate(_LABEL_FOLD))
            found = ctx.lexicon.find(entity.cls, entity.label) or ctx.lexicon.find(
                entity.cls, label
            )
            cache[entity] = found or Entity(entity.cls, label)
        return cache[entity]

    ctx.mentions = [replace(m, entity=canon(m.entity)) for m in ctx.mentions]
    ctx.relations = [
        replace(r, subject=canon(r.subject), object=canon(r.object)) for r in ctx.relations
    ]
    ctx.observations = [replace(o, subject=canon(o.subject)) for o in ctx.observations]
