"""Pilot programmes a text carries out: "开展本外币合一银行账户体系试点" → the programme
本外币合一银行账户体系 (an ``Initiative``; what is written, with 试点, is a form of it)."""

from __future__ import annotations

import re

from ..model import Entity, Sentence
from ..read.normalize import CJK
from .context import DocContext
from .holding import holding

__all__ = ["find_pilots"]

_PILOT = re.compile(rf"(?:开展|推进|实施|探索|进行|承担)(?P<name>[{CJK}“”]{{4,20}}?)试点")
# what stands before the programme's name in the object (新一轮服务业…): no part of it
_LEADS = ("新一轮", "国家级", "国家", "全国", "有关", "相关", "各项", "各类", "一批", "好")
# programmes named by a quality are named with their 试点 (服务业扩大开放综合试点)
_QUALITIES = ("综合", "示范", "创新", "联动", "集成")
# the names read already that a programme's name may be (本外币合一银行账户试点)
_PROGRAMME_LIKE = frozenset({"Initiative", "Platform"})
# a name qualified by 的, a list, or a word that names no programme of its own
_NOT_A_NAME = re.compile("[的等和及与或、]|改革$|^扩大开放$|^改革|试验|自贸|自由贸易|片区")


def find_pilots(ctx: DocContext) -> None:
    for sentence in holding(ctx.sentences, ("试点",)):  # the word _PILOT ends with
        for match in _PILOT.finditer(sentence.text):
            name = match.group("name")
            start = sentence.start + match.start("name")
            lead = next((w for w in _LEADS if name.startswith(w)), "")
            while lead:
                name, start = name[len(lead) :], start + len(lead)
                lead = next((w for w in _LEADS if name.startswith(w)), "")
            bare = name.strip("“”")
            if bare.count("“") != bare.count("”"):
                continue  # 教育强国“促进县中发展振兴”…: a quotation cut in two
            if len(bare) < 4 or _NOT_A_NAME.search(bare) or _has_verb(ctx, sentence, start, bare):
                continue
            end = start + len(name) + len("试点")
            # a name read already (交通强国 in 交通强国专项, the sector 离岸贸易) is left as it
            # was read; a facility's name may be the programme's (本外币合一银行账户试点)
            if any(
                (m.start, m.end) != (start, end - 2) or m.entity.cls not in _PROGRAMME_LIKE
                for m in ctx.mentions_in(start, end)
            ):
                continue
            label = bare + "试点" if bare.endswith(_QUALITIES) else bare
            entity = (
                ctx.lexicon.find("Initiative", bare + "试点")
                or ctx.lexicon.find("Initiative", bare)
                or Entity("Initiative", label)
            )
            ctx.add_mention(start, end, entity, sentence, "pilot:Initiative")


def _has_verb(ctx: DocContext, sentence: Sentence, start: int, name: str) -> bool:
    """整县推进…, 深化…建设: a governing verb inside says the object is a clause, not a
    name (创新 in 离岸创新创业 is none)."""
    end = start + len(name)
    verbs = ctx.patterns.phrase_verbs
    return any(
        ctx.text[s:e] in verbs
        for s, e in ctx.tokens.get(sentence.index, [])
        if start <= s and e <= end
    )
