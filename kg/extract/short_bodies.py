"""A body named again by its head word: 自贸试验区工作领导小组 … 承担领导小组日常工作.

Regulations set up a body in full once and then name it by its head word alone (领导小组,
管理委员会). Where exactly one body named earlier in the document ends with that word, the
word is that body. Kinds of bodies (金融监管部门, 商业银行) and governments (市人民政府) are
bodies of their own in these texts, never short names.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Entity
from .context import DocContext

__all__ = ["find_short_bodies"]

# the head words a regulation names the bodies it sets up by, once they are named in full
_SHORT_NAMES = frozenset({"领导小组", "领导小组办公室", "工作办公室", "管理委员会", "管委会"})


def find_short_bodies(ctx: DocContext) -> None:
    first: dict[Entity, int] = {}
    for m in ctx.mentions:
        if m.entity.cls == "Organization":
            first.setdefault(m.entity, m.start)
    if len(first) < 2:
        return
    by_label = {e.label: e for e in first}
    full: dict[Entity, Entity] = {}
    for entity in first:
        label = entity.label
        if label not in _SHORT_NAMES:
            continue
        longer = [e for name, e in by_label.items() if name != label and name.endswith(label)]
        if len(longer) == 1 and first[longer[0]] < first[entity]:
            full[entity] = longer[0]
    if full:
        ctx.mentions = [
            replace(m, entity=full[m.entity]) if m.entity in full else m for m in ctx.mentions
        ]
