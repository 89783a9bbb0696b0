"""Programmes quoted inside another name: 服务“一带一路”核心区建设 names the core area, a role,
and the programme it is the core of; a reader sees both. The quoted name the lexicon knows as
a programme is a mention of it, beside the name that holds it, so that the clause's subject
is related to it as to any programme it names."""

from __future__ import annotations

import re

from .context import DocContext

__all__ = ["find_quoted_programmes"]

_QUOTED = re.compile(r"[“\"]([^”\"]{2,16})[”\"]")
_HOLDERS = ("StrategicPosition", "Platform", "Port", "Organization")


def find_quoted_programmes(ctx: DocContext) -> None:
    by_index = {s.index: s for s in ctx.sentences}
    for m in list(ctx.mentions):
        if m.entity.cls not in _HOLDERS:
            continue
        for quoted in _QUOTED.finditer(m.surface):
            if quoted.start() == 0 and quoted.end() == len(m.surface):
                continue  # the whole name is the quotation
            programme = ctx.lexicon.find("Initiative", quoted.group(1))
            if programme is None:
                continue
            start = m.start + quoted.start(1)
            end = start + len(quoted.group(1))
            if any(n.entity == programme for n in ctx.mentions_in(start - 1, end + 1)):
                continue
            ctx.add_mention(start, end, programme, by_index[m.sentence], "name:Initiative")
