"""Zones a text only proposes: 积极申建中国（甘肃）自由贸易试验区.

A province's work report that applies for a zone names one that does not exist. Typed as a
zone, it would become the document's zone and take every sector, platform and position of
the report. A zone the lexicon does not know, which the document names only after a verb of
applying (申建, 申报, 申请设立, 争取设立, 争创), is a ``ProposedZone``. 成功申建 reports a zone
that was granted, so it stays a zone.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Entity
from .context import DocContext
from .document_zone import document_zone

__all__ = ["mark_proposed_zones", "find_proposed_ports"]

_ZONE_CLASSES = ("PilotFreeTradeZone", "FreeTradePort")
_APPLYING = re.compile(r"(?<!成功)(?:申建|申报|申请设立|争取设立|争创|推动设立|谋划设立)$")


def mark_proposed_zones(ctx: DocContext) -> None:
    proposed: dict[Entity, bool] = {}
    for m in ctx.mentions:
        if m.entity.cls not in _ZONE_CLASSES or m.entity.key:
            continue  # the lexicon's zones exist, whatever a text asks for
        before = ctx.text[max(0, m.start - 8) : m.start]
        proposed[m.entity] = proposed.get(m.entity, True) and bool(_APPLYING.search(before))
    renamed = {
        entity: Entity("ProposedZone", entity.label)
        for entity, only_applied_for in proposed.items()
        if only_applied_for
    }
    if renamed:
        ctx.mentions = [
            replace(m, entity=renamed[m.entity]) if m.entity in renamed else m for m in ctx.mentions
        ]


# 自贸试验区应当积极探索建设符合内陆开放发展定位的自由贸易港: a free trade port the zone is
# to work towards, named by its kind alone.
_PORT = "自由贸易港"
_TOWARDS = re.compile(r"(?:探索建设|探索建立|建设|申建|打造)[^，；。]{0,20}$")


def find_proposed_ports(ctx: DocContext) -> None:
    """A bare 自由贸易港 that a zone's document has it explore or build is a proposed zone,
    linked with the zone (not the Hainan port, whose name is a place and the kind)."""
    own = document_zone(ctx)
    if own is None or own.cls != "PilotFreeTradeZone":
        return
    port = Entity("ProposedZone", _PORT)
    for sentence in ctx.sentences:
        at = sentence.text.find(_PORT)
        while at >= 0:
            start = sentence.start + at
            named = ctx.mentions_in(max(sentence.start, start - 12), start + len(_PORT))
            if not any(m.end >= start + len(_PORT) for m in named) and _TOWARDS.search(
                sentence.text, 0, at
            ):
                ctx.add_mention(start, start + len(_PORT), port, sentence, "proposed:port")
                ctx.add_relation(own, "linkedWith", port, sentence, "proposed:linkedWith")
            at = sentence.text.find(_PORT, at + 1)
