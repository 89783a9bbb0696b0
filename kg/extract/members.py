"""Departments listed as members of a body: "海关、海事、边检、金融、税务等驻自贸试验区工作机构"
→ each department named by one word is part of the body the list closes."""

from __future__ import annotations

import re

from ..model import Mention
from ..read.normalize import CJK
from .context import DocContext

__all__ = ["find_members"]

# Between two listed departments: a separator, or another short item that names no body
# (海关、边检、金融、税务: 金融 is a field, not a department).
_GLUE = re.compile(rf"^(?:、|和|及|与|以及)(?:[{CJK}]{{1,4}}(?:、|和|及|与))?$")
# Between the last department and the body that closes the list.
_CLOSING = re.compile(rf"^(?:(?:、|和|及)[{CJK}]{{1,4}})?等(?:部门|单位)?$")


def find_members(ctx: DocContext) -> None:
    departments = {
        w for cls, words in ctx.patterns.phrase_standalone if cls == "Organization" for w in words
    }
    for sentence in ctx.sentences:
        bodies = [
            m
            for m in ctx.mentions_in(sentence.start, sentence.end)
            if m.entity.cls == "Organization"
        ]
        for i, head in enumerate(bodies):
            members: list[Mention] = []
            for j in range(i - 1, -1, -1):
                gap = ctx.text[bodies[j].end : (members[-1].start if members else head.start)]
                if not (_GLUE.match(gap) if members else _CLOSING.match(gap)):
                    break
                if bodies[j].surface not in departments:
                    break
                members.append(bodies[j])
            if len(members) < 2:
                continue  # one department before 等 is an example, not a list of members
            for member in members:
                ctx.add_relation(member.entity, "partOf", head.entity, sentence, "members:partOf")
