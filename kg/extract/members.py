"""Bodies part of another: departments listed as members of a body ("海关、海事、边检、金融、
税务等驻自贸试验区工作机构" → each department named by one word is part of the body the
list closes), a body another sets up ("省人民政府设立的自贸试验区工作领导小组",
"议事协调机构下设办事机构" → the one set up is part of the one that sets it up), and the
office that does a body's daily work ("工作办公室承担领导小组的日常工作"), and the departments
of a named body ("省人民政府有关部门" → part of 省人民政府)."""

from __future__ import annotations

import re

from ..model import Entity, Mention
from ..read.normalize import CJK
from .context import DocContext
from .holding import with_mentions

__all__ = ["find_members", "find_programme_parts", "find_set_up_bodies"]

# Between two listed departments: a separator, or another short item that names no body
# (海关、边检、金融、税务: 金融 is a field, not a department; so are 外汇、金融 in 边检、外汇、
# 金融、税务).
_GLUE = re.compile(rf"^(?:、|和|及|与|以及)(?:[{CJK}]{{1,4}}(?:、|和|及|与)){{0,3}}$")
# Between the last department and the body that closes the list (fields that name no body,
# 金融监管、国家税务, may stand between them as between departments).
# (…等部门驻自贸试验区的工作机构: where they are stationed may stand before the body;
# …等部门设立自贸试验区工作机构: so may the verb by which they set it up.)
_CLOSING = re.compile(
    rf"^(?:(?:、|和|及)[{CJK}]{{1,4}}){{0,3}}等(?:部门|单位)?(?:设立|设置|派驻)?(?:驻[{CJK}]{{1,10}}的)?$"
)


_LIST_CLOSE = "等"  # a word _CLOSING always holds


def find_members(ctx: DocContext) -> None:
    departments = {
        w for cls, words in ctx.patterns.phrase_standalone if cls == "Organization" for w in words
    }
    for sentence in ctx.sentences:
        if _LIST_CLOSE not in sentence.text:
            continue  # the list closes with 等 (_CLOSING), between two bodies of the sentence
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


# Between the body that sets up and the one set up: 设立(的), 下设, 在片区设立, 设立承担…的.
_SET_UP = re.compile(
    r"^(?:在[^，；。、]{1,10})?(?:设立|下设|设置|组建|建立)(?:[^，；。]{0,24}的)?$"
)
# 管委会（以下简称…）作为省人民政府的派出机构: the body sent out is the other's
_SENT_OUT = re.compile(r"^(?:[（(][^）)]{0,20})?[）)]?作为$")
_SENT_OUT_AFTER = ("的派出机构", "的派驻机构")


_DAILY_WORK = re.compile(r"^[^，；。,;]{0,16}?承担$")
_DAILY_WORK_OF = ("的日常工作", "日常工作")
_OFFICES = ("办事机构", "办公室", "工作机构", "派出机构")
_DEPARTMENTS = ("有关部门", "相关部门")
# 领导小组办公室 after 自贸试验区工作领导小组: the office is named after the body's head
_COLLECTIVE = ("领导小组", "委员会", "管委会", "议事协调机构")


def find_set_up_bodies(ctx: DocContext) -> None:
    named: dict[str, Entity] = {}  # the last body named so far whose name ends in each head
    # a sentence that names no body adds nothing, and changes nothing of ``named``
    for sentence in with_mentions(ctx, _BODIES):
        bodies = [
            m
            for m in ctx.mentions_in(sentence.start, sentence.end)
            if m.entity.cls == "Organization"
        ]
        for parent, child in zip(bodies, bodies[1:], strict=False):
            gap = ctx.text[parent.end : child.start]
            if _SET_UP.match(gap) and "批准" not in gap:
                ctx.add_relation(child.entity, "partOf", parent.entity, sentence, "set-up:partOf")
            elif gap == "的" and child.entity.label.endswith(_OFFICES):
                # 议事协调机构的办事机构: the office of the body before 的
                ctx.add_relation(child.entity, "partOf", parent.entity, sentence, "office:partOf")
            elif _SENT_OUT.match(gap) and ctx.text.startswith(_SENT_OUT_AFTER, child.end):
                ctx.add_relation(parent.entity, "partOf", child.entity, sentence, "sent:partOf")
            elif _DAILY_WORK.match(gap) and ctx.text.startswith(_DAILY_WORK_OF, child.end):
                # 工作办公室承担领导小组的日常工作: the office of the group
                ctx.add_relation(parent.entity, "partOf", child.entity, sentence, "office:partOf")
        for m in bodies:
            head = next((h for h in _COLLECTIVE if m.entity.label.startswith(h)), "")
            if head and m.entity.label[len(head) :] in _OFFICES and head in named:
                ctx.add_relation(m.entity, "partOf", named[head], sentence, "office:partOf")
            for h in _COLLECTIVE:
                if m.entity.label.endswith(h) and len(m.entity.label) > len(h):
                    named[h] = m.entity
            suffix = next((d for d in _DEPARTMENTS if m.entity.label.endswith(d)), "")
            if suffix and m.surface == m.entity.label:
                # 省人民政府有关部门: the departments of the body they are named after
                size = len(m.surface) - len(suffix)
                name = m.surface[:size]
                owner = ctx.lexicon.find("Organization", name) or Entity("Organization", name)
                if not any(
                    n.start == m.start and n.entity == owner
                    for n in ctx.mentions_in(m.start, m.start + size)
                ):
                    ctx.add_mention(m.start, m.start + size, owner, sentence, "name:Organization")
                ctx.add_relation(m.entity, "partOf", owner, sentence, "name:partOf")


# 推进证照分离、多证合一…等商事制度改革; 以资本项目可兑换为重点的外汇管理改革: the named
# programmes are parts of the reform that closes the list or that they are the focus of.
_PROGRAMME_GLUE = re.compile(r"^(?:、|和|及|与)$")
_PROGRAMME_CLOSING = re.compile(rf"^(?:、[{CJK}]{{2,6}})*等$")
_FOCUS = re.compile(r"^为(?:重点|核心|主线|突破口)的$")
_PROGRAMMES = frozenset({"Initiative"})
_BODIES = frozenset({"Organization"})


def find_programme_parts(ctx: DocContext) -> None:
    for sentence in with_mentions(ctx, _PROGRAMMES):  # where one is named
        programmes = [
            m for m in ctx.mentions_in(sentence.start, sentence.end) if m.entity.cls == "Initiative"
        ]
        for i, whole in enumerate(programmes):
            if not whole.entity.label.endswith("改革"):
                continue
            parts: list[Mention] = []
            for j in range(i - 1, -1, -1):
                gap = ctx.text[programmes[j].end : (parts[-1].start if parts else whole.start)]
                first = not parts
                if first and _FOCUS.match(gap) and ctx.text.endswith("以", 0, programmes[j].start):
                    parts.append(programmes[j])
                    break
                if not (_PROGRAMME_CLOSING.match(gap) if first else _PROGRAMME_GLUE.match(gap)):
                    break
                parts.append(programmes[j])
            for part in parts:
                ctx.add_relation(part.entity, "partOf", whole.entity, sentence, "programme:partOf")
