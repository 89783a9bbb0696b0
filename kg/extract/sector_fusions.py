"""Sectors fused with a sector: 推动旅游与文化体育、健康医疗、养老养生等深度融合.

What a known industry is to be merged with is of its kind: the items of the list after its
与 are industries too, though none of them carries an industry's head word. A lone partner
(人工智能与实体经济深度融合, 与经济社会发展深度融合) is a sphere, not an industry: only a
list of two or more, closed by 等, is read.
"""

from __future__ import annotations

import re

from ..model import Entity
from ..read.normalize import CJK
from .context import DocContext
from .sectors import LIST_RULE

__all__ = ["find_fused_sectors"]

_FUSION = re.compile(
    rf"与(?P<items>[{CJK}A-Za-z0-9、]{{5,60}}?)等(?:的)?(?:深度|跨界|有机|加速)?融合"
)
_ITEM = re.compile(rf"[{CJK}A-Za-z0-9]{{2,6}}")
# words that name a sphere of life or a stage of growth, not an industry
_NOT_INDUSTRIES = ("发展", "社会", "生活", "治理", "领域", "方面", "产业链", "价值链", "要素")


def find_fused_sectors(ctx: DocContext) -> None:
    for sentence in ctx.sentences:
        text = sentence.text
        if "融合" not in text:
            continue
        for match in _FUSION.finditer(text):
            start = sentence.start + match.start()
            if not _after_a_sector(ctx, start):
                continue
            items = match.group("items").split("、")
            if len(items) < 2 or not all(_ITEM.fullmatch(item) for item in items):
                continue
            if any(_a_sphere(ctx, item) for item in items):
                continue  # 人工智能与产业发展、教育医疗、社会治理等: where it is applied
            at = sentence.start + match.start("items")
            for item in items:
                end = at + len(item)
                if not ctx.mentions_in(at, end) and ctx.aligned(at, end):
                    # a name found already (a place, a known sector) keeps its reading
                    entity = ctx.lexicon.find("Sector", item) or Entity("Sector", item)
                    ctx.add_mention(at, end, entity, sentence, LIST_RULE)
                at = end + 1


def _after_a_sector(ctx: DocContext, at: int) -> bool:
    """The word before 与 is a sector the text has named (旅游 in 推动旅游与…)."""
    return any(m.end == at and m.entity.cls == "Sector" for m in ctx.mentions_in(at - 8, at))


def _a_sphere(ctx: DocContext, item: str) -> bool:
    return item in ctx.patterns.sector_generic or item.endswith(_NOT_INDUSTRIES)
