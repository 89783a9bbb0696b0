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

__all__ = ["mark_proposed_zones"]

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
