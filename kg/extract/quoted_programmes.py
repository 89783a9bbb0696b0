"""Programmes named inside another name: 服务“一带一路”核心区建设 names the core area, a role,
and the programme it is the core of; 《关于实施自由贸易试验区提升战略的意见》 names an opinion
and the strategy it carries out. A reader sees both. The programme the lexicon knows, quoted
inside a name or named inside a document's title, is a mention of it beside the name that
holds it, so that the clause's subject is related to it as to any programme it names."""

from __future__ import annotations

import re

from ..model import Entity, Mention
from .context import DocContext
from .lexicon_match import label_trie

__all__ = ["find_quoted_programmes"]

_QUOTED = re.compile(r"[“\"]([^”\"]{2,16})[”\"]")
_HOLDERS = ("StrategicPosition", "Platform", "Port", "Organization")
_TITLED = "PolicyDocument"
_MIN_TITLED = 4  # a programme named inside a title by four characters or more (一带一路)


def find_quoted_programmes(ctx: DocContext) -> None:
    by_index = {s.index: s for s in ctx.sentences}
    # what a title holds is read from its surface and the lexicon alone: once per title,
    # however often the text names it
    titled: dict[str, list[tuple[int, int, Entity]]] = {}
    for m in list(ctx.mentions):
        if m.entity.cls in _HOLDERS:
            inside = _quoted(ctx, m)
        elif m.entity.cls == _TITLED:
            if m.surface not in titled:
                titled[m.surface] = _titled(ctx, m)
            inside = titled[m.surface]
        else:
            continue
        for at, size, programme in inside:
            start, end = m.start + at, m.start + at + size
            if any(n.entity == programme for n in ctx.mentions_in(start - 1, end + 1)):
                continue
            sentence = by_index[m.sentence]
            ctx.add_mention(start, end, programme, sentence, "name:Initiative")
            if m.entity.cls == _TITLED:  # the document carries the programme out
                ctx.add_relation(m.entity, "linkedWith", programme, sentence, "name:linkedWith")


def _quoted(ctx: DocContext, m: Mention) -> list[tuple[int, int, Entity]]:
    found: list[tuple[int, int, Entity]] = []
    if "“" not in m.surface and '"' not in m.surface:
        return found  # _QUOTED opens with one of them
    for quoted in _QUOTED.finditer(m.surface):
        if quoted.start() == 0 and quoted.end() == len(m.surface):
            continue  # the whole name is the quotation
        programme = ctx.lexicon.find("Initiative", quoted.group(1))
        if programme is not None:
            found.append((quoted.start(1), len(quoted.group(1)), programme))
    return found


def _titled(ctx: DocContext, m: Mention) -> list[tuple[int, int, Entity]]:
    """The longest programme the lexicon knows inside a title, each part of it read once."""
    trie = label_trie(ctx.lexicon)
    surface = m.surface
    found = []
    at = 0
    while at < len(surface):
        longest = max(
            (
                (stop, programme)
                for label, stop in trie.matches(surface, at)
                if stop - at >= _MIN_TITLED and stop - at < len(surface.strip("《》"))
                for programme in [ctx.lexicon.find("Initiative", label)]
                if programme is not None
            ),
            default=None,
            key=lambda found: found[0],
        )
        if longest is None:
            at += 1
            continue
        found.append((at, longest[0] - at, longest[1]))
        at = longest[0]
    return found
