"""Ports named by the role a text gives them ("以“天津东疆”为船籍港" → 天津东疆 is a port),
or by the ports listed beside them (天津港、京唐港 → 京唐港)."""

from __future__ import annotations

import re

from ..model import Entity, Mention, Sentence
from ..read.normalize import CJK
from .context import DocContext
from .facility_names import PORT_KINDS, name_before
from .wordtags import word_tags

__all__ = ["find_listed_ports", "find_port_roles"]

_ROLE = re.compile(
    rf"以[“\"]?(?P<name>[{CJK}]{{2,10}})[”\"]?为(?:船籍港|母港|始发港|中转港|枢纽港|出海口)"
)


def find_port_roles(ctx: DocContext) -> None:
    for sentence in ctx.sentences:
        for match in _ROLE.finditer(sentence.text):
            start = sentence.start + match.start("name")
            end = start + len(match.group("name"))
            inner = [m for m in ctx.mentions_in(start, end) if m.entity.cls == "Port"]
            if inner:
                port = inner[0]
                if port.start > start and port.end == end:
                    # 以“中国洋山港”为船籍港: the port's registry name, its country before it
                    ctx.add_mention(start, end, port.entity, sentence, "role:Port")
                continue
            name = match.group("name")
            entity = ctx.lexicon.find("Port", name) or Entity("Port", name)
            ctx.add_mention(start, end, entity, sentence, "role:Port")


# A port the lexicon does not know, listed beside one it knows: 天津港、京唐港和黄骅港
_NEXT = re.compile(rf"[、和及与](?P<name>[{CJK}]{{2,6}}?)港(?=[、和及与，。；等]|$)")
_PREVIOUS = re.compile(rf"(?P<name>[{CJK}]{{2,6}})港[、和及与]$")
_PROPER = frozenset({"ns", "nr", "nrt", "nrfg", "nt", "nz"})


_PORT = "港"


def find_listed_ports(ctx: DocContext) -> None:
    for sentence in ctx.sentences:
        text = sentence.text
        if _PORT not in text:
            continue  # each port it starts from is a name of the sentence that ends in 港
        ports = [
            m
            for m in ctx.mentions_in(sentence.start, sentence.end)
            if m.entity.cls == "Port" and m.surface.endswith("港")
        ]
        while ports:
            port = ports.pop()
            begin, end = port.start - sentence.start, port.end - sentence.start
            ahead = _NEXT.match(text, end)
            behind = _PREVIOUS.search(text, max(0, begin - 8), begin)
            for found, whole in ((ahead, True), (behind, False)):
                added = found and _add_listed(ctx, sentence, found, whole)
                if added:
                    ports.append(added)


def _add_listed(
    ctx: DocContext, sentence: Sentence, found: re.Match[str], whole: bool
) -> Mention | None:
    """The port named before the 港 ``found`` ends with; ``whole``: the name must fill it."""
    end = sentence.start + found.end("name")
    name = name_before(ctx, sentence, end) or _proper_word(ctx, sentence, end)
    start = end - len(name)
    if not name or name in PORT_KINDS or (whole and start != sentence.start + found.start("name")):
        return None
    if any(m.start < end + 1 and m.end > start for m in ctx.mentions_in(start - 12, end + 13)):
        return None
    return ctx.add_mention(start, end + 1, Entity("Port", name + "港"), sentence, "listed:Port")


def _proper_word(ctx: DocContext, sentence: Sentence, end: int) -> str:
    word = ctx.word_ending_at(sentence.index, end)
    return word if len(word) >= 2 and word_tags().get(word, "nz") in _PROPER else ""
