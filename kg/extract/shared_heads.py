"""Bodies listed by their places before one head: "石家庄市、唐山市人民政府" names
石家庄市人民政府 and 唐山市人民政府, as "呼和浩特、满洲里片区" names two areas."""

from __future__ import annotations

from ..model import Entity, Mention
from .context import DocContext, joined_before
from .relation_memo import any_of

__all__ = ["find_shared_head_bodies"]

_PLACES = frozenset({"City", "Region"})
# the places must be units of one kind (市、市, 县、县): 河北省、唐山市人民政府 is a
# province and a city's government
_UNITS = "省市县区州盟旗"
_JOINS = ("、", "和", "及")


def find_shared_head_bodies(ctx: DocContext) -> None:
    heads = tuple(
        h for rule in ctx.patterns.phrase_heads if rule.cls == "Organization" for h in rule.heads
    )
    any_head = any_of(heads)
    for sentence in ctx.sentences:
        # the head shared is the text between a place and the end of a body of the
        # sentence: a sentence that holds none of the heads names no such body
        if any_head.search(sentence.text) is None:
            continue
        mentions = ctx.mentions_in(sentence.start, sentence.end)
        places = {m.end: m for m in mentions if m.entity.cls in _PLACES}
        for body in mentions:
            if body.entity.cls != "Organization":
                continue
            first = next(
                (
                    m
                    for m in mentions
                    if m.start == body.start and m.end < body.end and m.entity.cls in _PLACES
                ),
                None,
            )
            if first is None or first.surface[-1:] not in _UNITS:
                continue
            head = ctx.text[first.end : body.end]
            if head not in heads:
                continue
            for place in _listed_before(ctx, places, first):
                label = place.surface + head
                entity = ctx.lexicon.find("Organization", label) or Entity("Organization", label)
                ctx.add_mention(place.start, place.end, entity, sentence, "shared:Organization")


def _listed_before(ctx: DocContext, places: dict[int, Mention], first: Mention) -> list[Mention]:
    listed: list[Mention] = []
    at = first.start
    while (before := joined_before(ctx.text, places, at, _JOINS)) is not None:
        if before.surface[-1:] != first.surface[-1:]:
            break
        listed.append(before)
        at = before.start
    return listed
