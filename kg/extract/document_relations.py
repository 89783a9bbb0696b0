"""Relations a document states as a whole, once the rules have read its sentences: an
area no rule placed belongs to the zone the document is about, and a plan whose title
names a zone is issued for it."""

from __future__ import annotations

from ..model import Entity, Sentence
from .context import DocContext
from .entities import dominant

__all__ = ["attach_orphan_areas", "link_titles_to_zones"]


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
