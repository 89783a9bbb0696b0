"""Platforms named after the sectors they serve.

A facility's name says what it is for: 跨境电子商务综合试验区, 区域性融资租赁集聚区 and
文化产业基地 serve 跨境电子商务, 融资租赁 and 文化产业 (``supports``), as an analyst reads
them, and so do the items of a list that shares the facility's head (高端制造业、现代服务业
和临港产业基地: bases for all three). Where the document names the sector nowhere else, a
known sector that is all of the name before its head (less a place or a word of scope
before it, and a word after it that says what kind of facility it is: 示范, 综合 …) is
found there: 内陆地区国际多式联运示范平台 serves 多式联运. A sector read inside a longer
modifier is not (跨境贸易 in 跨境贸易电子商务平台).
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..model import Entity, Mention, Sentence
from .context import DocContext, in_order, joined_before
from .sectors import LIST_RULE

__all__ = ["platforms_serve_sectors"]

_SERVED = ("Sector", "Initiative")
# Platforms whose name holds a sector as a modifier only: a window, an account, a train of
# goods, a centre a city is to become (国际贸易“单一窗口”, 上海国际金融中心).
_NOT_FOR_A_SECTOR = ("窗口", "窗口”", "账户", "班列", "中心")
# Heads of facilities built for a line of business, and the words between the sector and
# the head that say what kind of facility it is; longest first.
_FACILITY_HEADS = (
    "产业园区",
    "集聚区",
    "聚集区",
    "产业园",
    "试验区",
    "示范区",
    "发射场",
    "基地",
    "园区",
    "平台",
)
_KINDS = ("创新发展", "统一登记", "综合", "示范", "配套", "")
# A centre is named for the work it does on its sector (人工智能创新合作中心); a sector and
# 中心 alone name the hub a city is to become (上海国际金融中心).
_CENTRE = "中心"
_CENTRE_KINDS = ("创新合作", "创新", "研发", "合作", "研究")
# Words of scope that may stand before the sector in such a name (区域性融资租赁集聚区).
_SCOPES = ("国家级", "区域性", "新一代", "国家", "国际", "区域", "内陆")
_DASHES = ("—", "－", "-")
_PLACES = frozenset({"Region", "City", "Country", "Area", "PilotFreeTradeZone"})
_GLUE = ("、", "和", "及", "与", "以及")
NAME_RULE = "name:sector"


def platforms_serve_sectors(ctx: DocContext) -> None:
    by_index = {s.index: s for s in ctx.sentences}
    # sorted after the filter: a stable sort orders the platforms as it did among all
    platforms = in_order(m for m in ctx.mentions if m.entity.cls == "Platform")
    if not platforms:
        return
    _sectors_in_names(ctx, by_index, platforms)
    _named_after_sectors(ctx, by_index, platforms)
    _lists_sharing_the_head(ctx, by_index, platforms)


def _named_after_sectors(
    ctx: DocContext, by_index: dict[int, Sentence], platforms: list[Mention]
) -> None:
    """A platform whose name holds a sector or programme the document names serves it."""
    served = {m.entity for m in ctx.mentions if m.entity.cls in _SERVED and len(m.entity.label) > 1}
    by_label: dict[str, list[Entity]] = defaultdict(list)
    for entity in sorted(served):
        if entity.label not in ctx.patterns.sector_generic:
            by_label[entity.label].append(entity)
    if not by_label:
        return
    # one search per platform name for every label it holds (a lookahead finds overlapping
    # ones), instead of a test per platform and label
    labels = sorted(by_label, key=len, reverse=True)
    inside = re.compile("(?=(" + "|".join(map(re.escape, labels)) + "))")
    done: set[Entity] = set()
    for m in platforms:
        platform = m.entity
        if platform in done:
            continue
        done.add(platform)
        centre = platform.label.endswith(_CENTRE)
        if platform.label.endswith(_NOT_FOR_A_SECTOR) and not centre:
            continue
        held = {match.group(1) for match in inside.finditer(platform.label)}
        if centre:
            held = _centre_sector(platform.label, held)
        for label in sorted(held - {platform.label}):
            for entity in by_label[label]:
                ctx.add_relation(
                    platform, "supports", entity, by_index[m.sentence], "name:supports"
                )


def _centre_sector(name: str, held: set[str]) -> set[str]:
    """人工智能创新中心: a centre serves the sector right before the work it does, the longest
    one (工业互联网, not 互联网) and not a bare word (科技创新中心 is the hub a region is to
    become); 上海国际金融中心, a sector and 中心 alone, serves none."""
    ends = tuple(k + _CENTRE for k in _CENTRE_KINDS)
    before = [
        label for label in held if len(label) > 2 and name.endswith(tuple(label + e for e in ends))
    ]
    return {max(before, key=len)} if before else set()


def _sectors_in_names(
    ctx: DocContext, by_index: dict[int, Sentence], platforms: list[Mention]
) -> None:
    """内陆地区国际多式联运示范平台: the known sector the facility is named for is found
    in its name when the document names it nowhere else."""
    named = {m.entity for m in ctx.mentions if m.entity.cls == "Sector"}
    added = False
    for m in platforms:
        found = _sector_of_name(ctx, m)
        if found is None or found[2] in named:
            continue
        start, end, sector = found
        ctx.add_mention(start, end, sector, by_index[m.sentence], NAME_RULE)
        added = True
    if added:
        ctx.sort_mentions()


def _sector_of_name(ctx: DocContext, m: Mention) -> tuple[int, int, Entity] | None:
    surface = m.surface
    head = next((h for h in (*_FACILITY_HEADS, _CENTRE) if surface.endswith(h)), None)
    if head is None:
        return None
    before = surface[: -len(head)]
    places: dict[int, int] | None = None  # looked up once a known sector is found
    for kind in _CENTRE_KINDS if head == _CENTRE else _KINDS:
        if not before.endswith(kind):
            continue
        body = before[: len(before) - len(kind)]
        for i in range(len(body) - 1):
            sector = ctx.lexicon.find("Sector", body[i:])
            if sector is None or sector.label in ctx.patterns.sector_generic:
                continue
            if head == _CENTRE and len(body) - i <= 2:
                continue  # 科技创新中心: the hub a region is to become
            if i and places is None:
                places = {
                    p.start - m.start: p.end - m.start
                    for p in ctx.mentions_in(m.start, m.end)
                    if p.entity.cls in _PLACES or p.entity.key and p.entity.cls == "Organization"
                }
            if _scope_only(body[:i], places or {}):
                return m.start + i, m.start + len(body), sector
    return None


def _scope_only(lead: str, places: dict[int, int]) -> bool:
    """What stands before the sector is places and words of scope only."""
    at = 0
    while at < len(lead):
        end = places.get(at)
        if end is not None and end <= len(lead):
            at = end
            continue
        # 中国—东盟: the partners a centre joins, written with a dash
        scope = next((s for s in (*_SCOPES, *_DASHES) if lead.startswith(s, at)), None)
        if scope is None:
            return False
        at += len(scope)
    return True


def _lists_sharing_the_head(
    ctx: DocContext, by_index: dict[int, Sentence], platforms: list[Mention]
) -> None:
    """高端制造业、现代服务业和临港产业基地: the facility serves every item of the list whose
    last item it closes."""
    sectors_by_end: dict[int, Mention] = {}
    for m in ctx.mentions:
        if m.entity.cls == "Sector":
            sectors_by_end.setdefault(m.end, m)
    for platform in platforms:
        if not any(
            s.entity.cls == "Sector" and s.rule == LIST_RULE and s.start == platform.start
            for s in ctx.mentions_in(platform.start, platform.end)
        ):
            continue  # the facility closes no list of sectors
        at = platform.start
        while True:
            earlier = joined_before(ctx.text, sectors_by_end, at, _GLUE)
            if earlier is None or earlier.sentence != platform.sentence:
                break
            ctx.add_relation(
                platform.entity,
                "supports",
                earlier.entity,
                by_index[platform.sentence],
                "shared-head:supports",
            )
            at = earlier.start
