"""Relations between typed mentions, from the rules in ``patterns.toml``.

For every object mention, a rule applies when its trigger stands in the object's clause;
the subject is the nearest earlier mention of a subject class in the sentence, together
with the enumeration it belongs to (二连浩特、满洲里等重点口岸 → both ports); a sentence
with no subject inherits the last one of the article ("subject carried").
"""

from __future__ import annotations

import re

from ..model import Entity, Mention, Sentence
from .context import DocContext, clauses
from .entities import dominant

__all__ = ["find_relations", "attach_orphan_areas", "link_titles_to_zones"]

_TOPIC_CLASSES = ("PilotFreeTradeZone", "FreeTradePort", "Area", "Region", "City")
_GROUP_GLUE = re.compile(r"^(、|和|及|与|以及|等)?$")


def find_relations(ctx: DocContext) -> None:
    topic: dict[str, Entity] = {}
    article = None
    for sentence in ctx.sentences:
        if sentence.article != article:
            topic = {}
            article = sentence.article
        mentions = ctx.mentions_in(sentence.start, sentence.end)
        for c_start, c_end in clauses(sentence):
            clause = ctx.text[c_start:c_end]
            for obj in (m for m in mentions if c_start <= m.start < c_end):
                for rule in ctx.patterns.relations:
                    if obj.entity.cls not in rule.objects:
                        continue
                    if obj.entity.key.rsplit("/", 1)[-1] in rule.exclude_objects:
                        continue
                    if not rule.any_trigger and not any(t in clause for t in rule.triggers):
                        continue
                    subjects, how = _subjects(
                        ctx, mentions, obj, rule.subjects, topic if rule.carry else {}
                    )
                    for subject in subjects:
                        ctx.add_relation(
                            subject, rule.predicate, obj.entity, sentence, f"{how}:{rule.predicate}"
                        )
        for m in mentions:
            if m.entity.cls in _TOPIC_CLASSES:
                topic[m.entity.cls] = m.entity
        if any(m.entity.cls in ("PilotFreeTradeZone", "FreeTradePort") for m in mentions):
            topic.pop("Area", None)


def _subjects(
    ctx: DocContext,
    mentions: list[Mention],
    obj: Mention,
    classes: frozenset[str],
    topic: dict[str, Entity],
) -> tuple[list[Entity], str]:
    before = [m for m in mentions if m.end <= obj.start and m.entity.cls in classes]
    if before:
        nearest = before[-1]
        group = [nearest]
        for m in reversed(before[:-1]):
            glue = ctx.text[m.end : group[-1].start]
            if m.entity.cls == nearest.entity.cls and _GROUP_GLUE.match(glue):
                group.append(m)
            else:
                break
        return [m.entity for m in group], "clause"
    for cls in _TOPIC_CLASSES:
        if cls in classes and cls in topic:
            return [topic[cls]], "carried"
    return [], ""


def attach_orphan_areas(ctx: DocContext) -> None:
    """An area no rule attached to a zone belongs to the zone its document is about."""
    zone = dominant(ctx, "PilotFreeTradeZone")
    if zone is None:
        return
    attached = {r.object for r in ctx.relations if r.predicate == "hasArea"}
    lexicon_areas = {o for _, p, o in ctx.lexicon.facts if p == "hasArea"}
    first: dict[Entity, Sentence] = {}
    by_index = {s.index: s for s in ctx.sentences}
    for m in ctx.mentions:
        if m.entity.cls == "Area":
            first.setdefault(m.entity, by_index[m.sentence])
    for area, sentence in sorted(first.items()):
        if area in attached or (area.key and area.key in lexicon_areas):
            continue
        ctx.add_relation(zone, "hasArea", area, sentence, "document-zone:hasArea")


def link_titles_to_zones(ctx: DocContext) -> None:
    """A plan whose title names a zone (《中国（X）自由贸易试验区总体方案》) is issued for it."""
    by_index = {s.index: s for s in ctx.sentences}
    for doc in (m for m in ctx.mentions if m.entity.cls == "PolicyDocument"):
        for zone in ctx.mentions_in(doc.start, doc.end):
            if zone.entity.cls in ("PilotFreeTradeZone", "FreeTradePort"):
                ctx.add_relation(
                    doc.entity,
                    "issuedFor",
                    zone.entity,
                    by_index[doc.sentence],
                    "title-names-zone:issuedFor",
                )
