"""Ports named by the role a text gives them: "以“天津东疆”为船籍港" → 天津东疆 is a port."""

from __future__ import annotations

import re

from ..model import Entity
from ..read.normalize import CJK
from .context import DocContext

__all__ = ["find_port_roles"]

_ROLE = re.compile(
    rf"以[“\"]?(?P<name>[{CJK}]{{2,10}})[”\"]?为(?:船籍港|母港|始发港|中转港|枢纽港|出海口)"
)


def find_port_roles(ctx: DocContext) -> None:
    for sentence in ctx.sentences:
        for match in _ROLE.finditer(sentence.text):
            start = sentence.start + match.start("name")
            end = start + len(match.group("name"))
            if any(m.entity.cls == "Port" for m in ctx.mentions_in(start, end)):
                continue
            name = match.group("name")
            entity = ctx.lexicon.find("Port", name) or Entity("Port", name)
            ctx.add_mention(start, end, entity, sentence, "role:Port")
