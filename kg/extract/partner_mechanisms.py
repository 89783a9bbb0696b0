"""Mechanisms named after their partners: 中日、中韩通关合作机制, 中俄总理定期会晤机制.

A standing mechanism between China and the countries its name abbreviates is a programme
of theirs; named by its partners it is no generic 合作机制 (建立区域合作机制 is not read).
The countries it involves are linked by ``background`` like those of a platform named so.
"""

from __future__ import annotations

import re

from ..model import Entity, Mention
from ..read.normalize import CJK
from .context import DocContext

__all__ = ["find_partner_mechanisms"]

# 中欧、中法…等政府间对话机制 names kinds of mechanism, no one of them
_MECHANISM = re.compile(rf"(?:(?![等的])[{CJK}]){{0,8}}?(?:合作|会晤|对话|磋商|协调|协作)机制")
RULE = "phrase:Initiative"  # a name that holds places, like the phrases (resolve)


def find_partner_mechanisms(ctx: DocContext) -> None:
    abbreviations = sorted((m for m in ctx.mentions if _china_first(m)), key=lambda m: m.start)
    by_index = {s.index: s for s in ctx.sentences}
    done_until = -1
    for m in abbreviations:
        if m.start < done_until:
            continue
        end = _partner_run_end(ctx, m.start)
        if end == m.end:
            continue  # 中 alone: no partner named
        found = _MECHANISM.match(ctx.text, end)
        if found is None:
            continue
        label = ctx.text[m.start : found.end()]
        ctx.add_mention(
            m.start, found.end(), Entity("Initiative", label), by_index[m.sentence], RULE
        )
        done_until = found.end()


def _china_first(m: Mention) -> bool:
    return m.rule == "abbreviation" and m.surface == "中" and m.entity.cls == "Country"


def _partner_run_end(ctx: DocContext, start: int) -> int:
    """Where the run of one-character country names from ``start`` ends; a run goes on
    across 、 where China is named again (中日、中韩)."""
    at = start
    while True:
        nxt = [
            n
            for n in ctx.mentions_in(at, at + 2)
            if n.rule == "abbreviation" and n.start in (at, at + 1) and n.end == n.start + 1
        ]
        if not nxt:
            return at
        n = min(nxt, key=lambda n: n.start)
        if n.start == at + 1 and not (ctx.text[at] == "、" and n.surface == "中"):
            return at
        at = n.end
