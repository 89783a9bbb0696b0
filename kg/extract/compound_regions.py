"""Regions named by a direction and a kind of region: 西北沿边地区, 东部沿海地区. The text names
one region, the part of the kind (沿边地区) that lies in the direction (西北地区); it lies in
both, which the lexicon knows."""

from __future__ import annotations

from ..model import Entity
from .context import DocContext, in_order

__all__ = ["find_compound_regions"]

_REGION = "地区"


def find_compound_regions(ctx: DocContext) -> None:
    kinds = ctx.patterns.sector_region_kinds
    by_index = {s.index: s for s in ctx.sentences}
    regions = [m for m in in_order(ctx.mentions) if m.entity.cls == "Region"]
    starts = {m.start: m for m in regions}
    for direction in regions:
        kind = starts.get(direction.end)
        if (
            kind is None
            or not kind.surface.startswith(kinds)
            or not kind.surface.endswith(_REGION)
            or not direction.entity.label.endswith(_REGION)  # a province's coast is no region
            or direction.surface.endswith(_REGION)
            or direction.surface.startswith(kinds)
        ):
            continue
        label = direction.surface + kind.surface
        compound = ctx.lexicon.find("Region", label) or Entity("Region", label)
        sentence = by_index[direction.sentence]
        ctx.add_mention(direction.start, kind.end, compound, sentence, "compound:Region")
        for part in (direction, kind):
            ctx.add_relation(compound, "locatedIn", part.entity, sentence, "compound:locatedIn")
