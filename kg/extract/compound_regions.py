"""Places named by two names. A direction and a kind of region (西北沿边地区, 东部沿海地区)
name one region, the part of the kind (沿边地区) that lies in the direction (西北地区); it lies
in both. A province and a place name jieba knows after it (江苏太仓, 浙江义乌) name a town of
that province the lexicon need not list."""

from __future__ import annotations

from ..model import Entity
from .context import Coverage, DocContext, in_order
from .wordtags import word_tags

__all__ = ["find_compound_regions", "find_towns_after_provinces"]

_REGION = "地区"


def find_compound_regions(ctx: DocContext) -> None:
    kinds = ctx.patterns.sector_region_kinds
    by_index = {s.index: s for s in ctx.sentences}
    # sorted alone: the regions keep their order among all the mentions
    regions = in_order(m for m in ctx.mentions if m.entity.cls == "Region")
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


_PROVINCES = ("省", "自治区")
_TOWN_SUFFIXES = ("市", "县")
_PLACE_TAG = "ns"
_NAME_ENDS = frozenset("，、。；：,;")


def find_towns_after_provinces(ctx: DocContext) -> None:
    by_index = {s.index: s for s in ctx.sentences}
    # the mentions as they stand before a town is added (add_mention appends): covered
    # only where a word asks, and the provinces sorted alone (their order among all)
    before = len(ctx.mentions)
    covered: Coverage | None = None
    tags = word_tags()
    provinces = in_order(
        m for m in ctx.mentions if m.entity.cls == "Region" and m.entity.label.endswith(_PROVINCES)
    )
    for province in provinces:
        word = ctx.word_starting_at(province.sentence, province.end)
        name = word[:-1] if word.endswith(_TOWN_SUFFIXES) and len(word) > 2 else word
        after = ctx.text[province.end + len(word) : province.end + len(word) + 1]
        if (
            not 2 <= len(name) <= 3
            or tags.get(word) != _PLACE_TAG
            # 江苏太仓，…; 江苏太仓市: the name ends there (湖北长江天鹅洲, 海南离岛免税: the
            # word begins something else)
            or not (name != word or after in _NAME_ENDS)
            or ctx.lexicon.lookup(name)
        ):
            continue
        if covered is None:
            covered = Coverage((m.start, m.end) for m in ctx.mentions[:before])
        if covered.overlaps(province.end, province.end + len(word)):
            continue
        town = Entity("City", name)
        sentence = by_index[province.sentence]
        ctx.add_mention(province.end, province.end + len(name), town, sentence, "town:City")
        ctx.add_relation(town, "locatedIn", province.entity, sentence, "town:locatedIn")
