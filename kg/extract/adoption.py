"""A regulation's heading and adoption line: the document it is and the body that adopted it.

Laws, regulations and measures open with their title on a line of its own, then a line in
brackets that says who adopted them and when (（2019年5月23日四川省第十三届人民代表大会常务
委员会第十一次会议通过）, …公布, …批准). The title names a policy document; the bodies in
the adoption line are its authors (``authorOf``), and the zone the title names is the one
it is issued for (``link_titles_to_zones`` draws that once the title is a mention).
"""

from __future__ import annotations

import re

from ..model import DateFact, Entity
from ..read.dates import full_date
from .context import DocContext
from .holding import holding

__all__ = ["find_adoption", "find_issuers"]

# The kinds of legal text whose title stands alone on the first line.
_KINDS = ("条例", "办法", "规定", "决定", "实施细则", "细则", "总体方案", "方案", "法")
_ADOPTED = re.compile(r"(?:会议|常务会议)?(?:通过|批准|公布|修正|修订|发布)")
# The adoption lines come before the first chapter or article.
_BODY_STARTS = re.compile(r"^\s*第[一二三四五六七八九十百零〇\d]+[章条节]")
_MAX_TITLE = 40
# 本条例自2019年7月1日起施行: the day the text comes into force
_IN_FORCE = re.compile(r"自([^自]{6,16}?)起\s*(?:施行|实施|生效)")


def find_adoption(ctx: DocContext) -> None:
    if not ctx.sentences:
        return
    heading = ctx.sentences[0]
    title = heading.text.strip()
    if not (4 < len(title) <= _MAX_TITLE and title.endswith(_KINDS)) or "，" in title:
        return
    start = ctx.text.index(title, heading.start)
    known = [
        m
        for m in ctx.mentions_in(start, start + len(title))
        if (m.start, m.end) == (start, start + len(title)) and m.entity.cls == "PolicyDocument"
    ]
    if known:
        document = known[0].entity  # the lexicon's or another rule's name for it
    else:
        document = ctx.lexicon.find("PolicyDocument", title) or Entity("PolicyDocument", title)
        ctx.add_mention(start, start + len(title), document, heading, "title:heading")
    _legal_basis(ctx, document)
    header = []
    for sentence in ctx.sentences[1:6]:
        if _BODY_STARTS.match(sentence.text):
            break
        header.append(sentence)
    # the adoption line may be broken over lines (…人民代表大会常务 / 委员会第四次会议通过）)
    if not _ADOPTED.search("".join(s.text for s in header)):
        return _in_force(ctx, document)
    # the first date: the adoption, not a later amendment
    for sentence in header:
        date = full_date(sentence.text)
        if date:
            ctx.dates.append(DateFact(document, "issued", date, sentence.index, "adoption:issued"))
            break
    for sentence in header:
        mentions = ctx.mentions_in(sentence.start, sentence.end)
        bodies = [m for m in mentions if m.entity.cls == "Organization"]
        titles = [m for m in mentions if m.entity.cls == "PolicyDocument"]
        for i, body in enumerate(bodies):
            # 根据…常务委员会《关于修改〈…〉的决定》修正: a body followed by a title wrote that
            # title; otherwise it adopted the document itself
            stop = bodies[i + 1].start if i + 1 < len(bodies) else sentence.end
            written = next((t.entity for t in titles if body.end <= t.start < stop), document)
            ctx.add_relation(body.entity, "authorOf", written, sentence, "adoption:authorOf")
    _in_force(ctx, document)


# 根据…《…总体方案》，结合本省实际，制定本条例: the texts a regulation is made under
_MADE_UNDER = re.compile(r"(?:根据|依据|按照)(.+?)制定本(?:条例|办法|规定|决定|细则)")


def _legal_basis(ctx: DocContext, document: Entity) -> None:
    for sentence in ctx.sentences[:60]:  # 第一条, after a table of contents
        match = _MADE_UNDER.search(sentence.text)
        if not match:
            continue
        start, end = sentence.start + match.start(1), sentence.start + match.end(1)
        for m in ctx.mentions_in(start, end):
            if m.entity.cls == "PolicyDocument" and m.entity != document:
                ctx.add_relation(document, "linkedWith", m.entity, sentence, "basis:linkedWith")
        return


def _in_force(ctx: DocContext, document: Entity) -> None:
    for sentence in ctx.sentences:
        match = _IN_FORCE.search(sentence.text)
        date = full_date(match.group(1)) if match else ""
        if date:
            rule = "adoption:inForceFrom"
            ctx.dates.append(DateFact(document, "inForceFrom", date, sentence.index, rule))
            return


# 市人民政府2015年4月17日公布的《…管理办法》, 国务院印发《…总体方案》: the body issued the
# document.
_ISSUING = ("公布", "发布", "印发", "制定", "出台", "颁布")
_ISSUED = re.compile(rf"^[^，；。：《》]{{0,14}}?(?:{'|'.join(_ISSUING)})(?:了|的)?$")


def find_issuers(ctx: DocContext) -> None:
    # the verb stands between a body and a document of the sentence: in its text
    for sentence in holding(ctx.sentences, _ISSUING):
        mentions = ctx.mentions_in(sentence.start, sentence.end)
        for body, document in zip(mentions, mentions[1:], strict=False):
            if body.entity.cls != "Organization" or document.entity.cls != "PolicyDocument":
                continue
            if _ISSUED.match(ctx.text[body.end : document.start]):
                ctx.add_relation(
                    body.entity, "authorOf", document.entity, sentence, "issued:authorOf"
                )
