"""Figures given 分别 (respectively) for the items of a list before them.

"对越南、泰国、马来西亚进出口分别增长15%、9.6%和11.2%": three rates, one per partner, each
with its own indicator (对越南进出口, 对泰国进出口, 对马来西亚进出口). "南宁、崇左片区分别实现
进出口500亿元、120亿元": one figure per area, each the area's own.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..model import Entity, Mention, Observation, Sentence
from .context import DocContext, joined_before

__all__ = ["PARTNER_MARKERS", "distribute_respectively"]

_RESPECTIVELY = re.compile(
    r"分别(?:为|是|达到?|实现|完成)?(?P<word>增长|下降|增加|减少|提高|降低|上升|回落|下滑)?"
)
_JOINS = ("以及", "、", "和", "及", "与")
# A place right after one of these is the trade partner of a figure, not its subject:
# 对美出口, 与东盟贸易额, 自日本进口, 向欧盟出口, 从韩国进口.
PARTNER_MARKERS = frozenset("对与同向自从")
_CLAUSE_MARKS = "，；。：,;"
_FALLING = ("下降", "减少", "降低", "回落", "下滑")
# who holds the figures of a flow to the partners listed
_HOLDERS = frozenset({"PilotFreeTradeZone", "FreeTradePort", "Area", "City", "Port"})


def distribute_respectively(
    ctx: DocContext,
    sentence: Sentence,
    found: list[Observation],
    mentions: list[Mention],
    default: Entity | None,
) -> list[Observation]:
    """``found``, the figures of ``sentence``, with those listed after 分别 given to the
    items of the list before it, one each, when the two lists are as long. Partners' figures
    (对东盟、欧盟进出口) are held by the zone or place named before them, else ``default``."""
    text = sentence.text
    for match in _RESPECTIVELY.finditer(text):
        clause_end = min(
            [i for i in (text.find(c, match.end()) for c in "；。;") if i >= 0] or [len(text)]
        )
        figures = sorted(
            (o for o in found if match.start() <= o.start - sentence.start < clause_end),
            key=lambda o: o.start,
        )
        items = _listed_before(ctx, sentence, mentions, match.start())
        if len(figures) < 2 or len(items) != len(figures):
            continue
        first = items[0].start - sentence.start
        lead = text[max(text.rfind(c, 0, first) for c in _CLAUSE_MARKS) + 1 : first]
        partners = lead[-1:] in PARTNER_MARKERS
        shared = text[items[-1].end - sentence.start : match.start()]
        if any(glue in shared for glue in "、和及"):
            continue  # 新能源汽车、集成电路、工业机器人产量: the list goes on past the names
        word = match.group("word")
        listed = {m.entity for m in items}
        holder = next(
            (
                m.entity
                for m in mentions
                if m.end <= items[0].start and _holds(m.entity) and m not in items
            ),
            default if default is not None and _holds(default) else None,
        )
        for item, figure in zip(items, figures, strict=True):
            written = ctx.text[item.start : item.end]
            rate = figure.change_rate
            if word and figure.unit == "%" and rate is None:
                rate = -figure.value if word in _FALLING else figure.value
            changed = replace(
                figure,
                # the items' figures share what the first of them measures
                indicator=(lead[-1] + written + shared) if partners else figures[0].indicator,
                change_rate=rate,
            )
            if not partners:
                changed = replace(changed, subject=item.entity)
            elif figure.subject in listed and holder is not None:
                changed = replace(changed, subject=holder)
            found[found.index(figure)] = changed
    return found


def _holds(entity: Entity) -> bool:
    """A zone, an area, a port, a city or a province, not a broad region (东南亚, 内陆)."""
    if entity.cls == "Region":
        return entity.label.endswith(_PROVINCE_ENDS)
    return entity.cls in _HOLDERS


_PROVINCE_ENDS = ("省", "市", "自治区", "特别行政区")


def _listed_before(
    ctx: DocContext, sentence: Sentence, mentions: list[Mention], pos: int
) -> list[Mention]:
    """The list of mentions of one class that ends closest before ``pos`` in its clause,
    joined by 、/和/及 (越南、泰国、马来西亚)."""
    absolute = sentence.start + pos
    clause_start = sentence.start + max(sentence.text.rfind(c, 0, pos) for c in _CLAUSE_MARKS) + 1
    before = [m for m in mentions if clause_start <= m.start and m.end <= absolute]
    if not before:
        return []
    ends = {m.end: m for m in before}
    items = [before[-1]]
    while (prev := joined_before(ctx.text, ends, items[0].start, _JOINS)) is not None:
        if prev.entity.cls != items[0].entity.cls:
            break
        items.insert(0, prev)
    return items if len(items) >= 2 else []
