"""The district a government governs: 浦东新区人民政府 names 浦东新区, a place.

A body's name holds the place it is the government of. The lexicon's places are matched
already; a district it does not know (浦东新区, 滨海新区) is a region when the segmenter
knows its name as a place, though its head 新区 reads elsewhere as a park's: once a text
names a district's government, the district is a place throughout that text.
"""

from __future__ import annotations

from ..model import Entity, Mention
from .context import DocContext
from .wordtags import word_tags

__all__ = ["find_governed_districts"]

_GOVERNMENT = "人民政府"
_DISTRICTS = ("新区", "区", "县")
_RULE = "seat"
_PARK = "phrase:Platform"


def find_governed_districts(ctx: DocContext) -> None:
    districts: dict[str, Entity] = {}
    for body in [m for m in ctx.mentions if m.entity.cls == "Organization"]:
        if not body.surface.endswith(_GOVERNMENT):
            continue
        end = body.end - len(_GOVERNMENT)
        name = ctx.text[body.start : end]
        if len(name) < 3 or not name.endswith(_DISTRICTS):
            continue
        inside = [m for m in ctx.mentions_in(body.start, end) if m is not body]
        if any((m.start, m.end, m.rule) != (body.start, end, _PARK) for m in inside):
            continue  # a place the lexicon knows, or a name of several words
        bare = name[:-2] if name.endswith("新区") else name[:-1]
        if "ns" not in (word_tags().get(name), word_tags().get(bare)):
            continue
        entity = ctx.lexicon.find("Region", name) or Entity("Region", name)
        districts[name] = entity
        sentence = ctx.sentences[body.sentence]
        ctx.add_mention(body.start, end, entity, sentence, _RULE)
    if districts:
        ctx.mentions = [
            Mention(m.start, m.end, districts[m.surface], m.surface, m.sentence, _RULE)
            if m.rule == _PARK and m.surface in districts
            else m
            for m in ctx.mentions
        ]
