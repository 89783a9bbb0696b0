"""Resolve overlapping mentions: one reading per span of text.

Descriptive containers (a strategic position, a task, a document title) may hold names
inside them (中蒙俄经济走廊 in 中蒙俄经济走廊核心枢纽) and both are kept, but not a shorter
reading of the same role (重要门户 in …对外开放的重要门户); between two names, the longer span
wins, and on equal spans the more specific rule.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Entity, Mention, Relation
from .context import Coverage, DocContext, in_order
from .sectors import LIST_RULE
from .wordtags import word_tags

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
    "zone:listed": 7,
    # 钦州港 in 南宁、钦州港、崇左三个片区: the area the lexicon knows, not the port
    "enum-known:Area": 7,
    "enum:Area": 6,
    "head:Area": 6,
    "enum:Port": 6,
    "head:Port": 6,
    LIST_RULE: 5,
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
    """Keep, from the longest and most specific down, each mention that clashes with none
    kept so far: two names clash when they overlap, a container clashes only with a
    mention of exactly its span."""
    verb_led = _verb_led_positions(ctx)
    unique = {
        (m.start, m.end, m.entity): m
        for m in sorted(ctx.mentions, key=_rank)
        if m not in verb_led and not _group_as_qualifier(ctx, m)
    }
    mentions = sorted(unique.values(), key=_rank, reverse=True)
    kept: list[Mention] = []
    spans: set[tuple[int, int]] = set()  # of every kept mention
    container_spans: set[tuple[int, int]] = set()
    # kept positions, by character: a shorter reading of another role inside one is noise
    position_at: dict[int, Entity] = {}
    names = Coverage()  # the kept mentions that are neither containers nor phrases
    phrases = Coverage()  # kept names of bodies and facilities (phrase:*), which hold places
    owner: dict[int, tuple[int, int]] = {}  # position -> the phrase span that covers it
    for mention in mentions:
        span = (mention.start, mention.end)
        if mention.entity.cls in CONTAINER_CLASSES:
            if span in spans:
                continue
            if mention.entity.cls == "StrategicPosition":
                held = {position_at.get(i) for i in range(*span)} - {None}
                if held - {mention.entity}:
                    continue  # 重要门户 in 引领我国新时代对外开放的重要门户
                position_at.update(dict.fromkeys(range(*span), mention.entity))
            container_spans.add(span)
        elif mention.rule.startswith("phrase:") or mention.rule == "head:Initiative":
            # a programme named after its partners holds them (广西—文莱经济走廊, 中巴经济走廊)
            if span in container_spans or names.overlaps(*span) or phrases.overlaps(*span):
                continue
            phrases.add(*span)
            owner.update(dict.fromkeys(range(*span), span))
        else:
            if span in container_spans or names.overlaps(*span):
                continue
            if phrases.overlaps(*span):
                outer = owner.get(mention.start)
                inside = outer is not None and mention.end <= outer[1]
                if not (inside and _inner_name(mention)) or ctx.lexicon.is_country_group(
                    mention.entity
                ):
                    continue  # “一带一路”沿线国家港口: the group is part of the port's name
                if (
                    outer is not None
                    and outer[1] == mention.end
                    and mention.entity.cls == "Platform"
                    and "（" in ctx.text[outer[0] : mention.start]
                ):
                    continue  # 中国（郑州）跨境电子商务综合试验区: one of the kind its end names
            names.add(*span)
        spans.add(span)
        kept.append(mention)
    ctx.mentions = in_order(kept)


_NAMES = frozenset(
    {"PilotFreeTradeZone", "FreeTradePort", "Area", "Port", "Region", "City", "Country"}
)


def _verb_led_positions(ctx: DocContext) -> set[Mention]:
    """Positions read from an earlier trigger that hold the clause of a later one
    (建设好新征程…先行示范区, 遵义打造对接…桥头堡): the reading after that clause's verb wins."""
    ends: dict[int, list[Mention]] = {}
    for m in ctx.mentions:
        if m.entity.cls == "StrategicPosition":
            ends.setdefault(m.end, []).append(m)
    tags = word_tags()
    out: set[Mention] = set()
    for group in ends.values():
        for longer in group:
            for shorter in group:
                if shorter.start <= longer.start or shorter.entity == longer.entity:
                    continue
                words = [
                    ctx.text[s:e]
                    for s, e in ctx.tokens.get(longer.sentence, [])
                    if longer.start <= s and e <= shorter.start
                ]
                if any(tags.get(w, "x") == "v" for w in words):
                    out.add(longer)
    return out


def _group_as_qualifier(ctx: DocContext, m: Mention) -> bool:
    """服务“一带一路”沿线国家和地区的转口贸易: a group of countries that only qualifies a noun
    is no partner named; after 与 it is one (深化与…沿线国家的经贸合作)."""
    if not ctx.text.startswith("的", m.end) or not ctx.lexicon.is_country_group(m.entity):
        return False
    clause = max(ctx.text.rfind(mark, 0, m.start) for mark in "，；。：\n")
    return not any(ctx.text.find(p, clause + 1, m.start) >= 0 for p in "与同")


def _inner_name(inner: Mention) -> bool:
    """A place or a known platform inside the name of a body or facility (天津 in
    天津仲裁委员会, 中欧班列 in 中欧班列运营平台) is kept too; a sector is not (跨境贸易 in
    跨境贸易电子商务平台 names no sector), unless an enumeration names it (高端制造业和临港
    产业基地: the last item shares the facility's head)."""
    if inner.entity.cls == "Sector":
        return inner.rule == LIST_RULE
    return inner.entity.cls in _NAMES or inner.rule == "lexicon"


# Typographic variants of one name (2018-2022 / 2018—2022, 中国·AI / 中国•AI) are one entity.
_LABEL_FOLD = str.maketrans({"―": "—", "–": "—", "－": "—", "•": "·", "・": "·", "‧": "·"})
_DIGIT_DASH = re.compile(r"(?<=\d)[-~～](?=\d)")


_STRATEGY = "战略"


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
            if found is None and entity.cls == "Initiative" and label.endswith(_STRATEGY):
                # 西部大开发战略, 国家向北开放战略: the programme the lexicon knows
                bare = label[: -len(_STRATEGY)]
                found = ctx.lexicon.find(entity.cls, bare) or ctx.lexicon.find(
                    entity.cls, bare.removeprefix("国家")
                )
            cache[entity] = found or Entity(entity.cls, label)
        return cache[entity]

    # A record whose entities stay the same objects is kept as it is: dataclasses.replace
    # costs 3-4 µs a record, and most mentions are of the lexicon's entities. A changed
    # mention or relation is made by its constructor, with every field as replace gives it
    # (tests/test_speed_relations.py holds their fields)
    ctx.mentions = [
        m
        if (e := canon(m.entity)) is m.entity
        else Mention(m.start, m.end, e, m.surface, m.sentence, m.rule)
        for m in ctx.mentions
    ]
    relations = []
    for r in ctx.relations:
        subject, obj = canon(r.subject), canon(r.object)
        same = subject is r.subject and obj is r.object
        relations.append(r if same else Relation(subject, r.predicate, obj, r.sentence, r.rule))
    ctx.relations = relations
    ctx.observations = [
        o if (e := canon(o.subject)) is o.subject else replace(o, subject=e)
        for o in ctx.observations
    ]
