"""Relations between typed mentions, from the rules in ``patterns.toml``.

For every object mention, a rule applies when its trigger stands in the object's clause;
the subject is the nearest earlier mention of a subject class in the sentence, together
with the enumeration it belongs to (二连浩特、满洲里等重点口岸 → both ports); a sentence
with no subject inherits the last one of the article ("subject carried").
"""

from __future__ import annotations

import bisect
import re

from ..model import Entity, Mention, Sentence
from .context import DocContext, clauses
from .destinations import destination
from .document_relations import attach_orphan_areas, link_titles_to_zones
from .document_zone import (
    LEGAL_ARTICLE,
    document_zone,
    foreign_region,
    heading_zone,
    place_chain,
    zone_of,
)
from .entities import _BARE_ZONE
from .non_subjects import (
    PLACE_CLASSES,
    after_preposition,
    facility_as_object,
    item_after_object,
    means_in_earlier_clause,
    modifies_noun,
    news_source,
    place_as_object,
)
from .positions import served_goal
from .relation_memo import (
    SentenceMemo,
    any_of,
    bracketed_in_name,
    hidden_subject,
    inside_names,
    rules_by_object,
)
from .topic_ends import (
    CLAUSE_MARKS,
    ITEM_MARK,
    ZONE_CLASSES,
    clause_start,
    continues,
    governed,
    headline,
    names_the_nation,
    one_long_text,
    opener,
    opens_list,
    opens_on_another_province,
    opens_on_its_own_actor,
)
from .zones_together import ZONES_TOGETHER

__all__ = ["find_relations", "attach_orphan_areas", "link_titles_to_zones"]

_TOPIC_CLASSES = ("PilotFreeTradeZone", "FreeTradePort", "Area", "Region", "City")
_PLACE_CLASSES = PLACE_CLASSES
_GROUP_GLUE = re.compile(r"^(、|和|及|与|以及|等)?$")


def find_relations(ctx: DocContext) -> None:
    topic: dict[str, Entity] = {}
    article = None
    paragraph: int | None = None
    in_list = False
    list_topic: dict[str, Entity] = {}
    named_in: dict[str, int] = {}  # the paragraph where each topic was last named
    own_zone = document_zone(ctx)
    heading: Entity | None = None
    lead = ""
    verbs = sorted({t for rule in ctx.patterns.relations for t in rule.triggers if t != "any"})
    any_verb = any_of(tuple(verbs))
    by_object = rules_by_object(ctx.patterns.relations)
    for sentence in ctx.sentences:
        if LEGAL_ARTICLE.match(sentence.text):
            # a regulation's 第N条 opens a new unit, as a news item does: 本市 named in
            # 第一条 is no subject of 第三条, the zone the text is about stays one
            topic = {own_zone.cls: own_zone} if own_zone is not None else {}
            lead = ""
        if sentence.article != article:
            topic = {}
            article = sentence.article
            heading = heading_zone(ctx, article)
            lead = ""
        elif sentence.paragraph != paragraph and own_zone is None and one_long_text(ctx):
            # 推进中国（广西）自由贸易试验区…: the later paragraphs of a report that names the
            # zone in passing are not the zone's (a text about one zone and a regulation's
            # articles are about their zone throughout; a news item carries to its end)
            in_list = paragraph is not None and continues(ctx, paragraph, sentence, in_list)
            if in_list and opens_list(ctx, paragraph or 0):
                list_topic = dict(topic)  # what the lead-in speaks of governs every item
            elif in_list:
                topic = dict(list_topic)  # an item starts from the lead-in, not from its sibling
            else:
                topic = {}
        if sentence.paragraph != paragraph and own_zone is None:
            # a long news item: a zone or place not named for two paragraphs is no longer its topic
            for cls in set(_TOPIC_CLASSES) & topic.keys():
                if sentence.paragraph - named_in.get(cls, sentence.paragraph) > _ZONE_SPAN:
                    del topic[cls]
        if sentence.paragraph != paragraph and headline(ctx, sentence):
            # 【国内联播快讯】: each story under its own headline; a place one story names is
            # no topic of the next (the zone a text is about stays one under its headings)
            topic = {cls: e for cls, e in topic.items() if e == own_zone}
        paragraph = sentence.paragraph
        mentions = ctx.mentions_in(sentence.start, sentence.end)
        if not ITEM_MARK.match(sentence.text):
            lead = ""
        if not mentions:
            # a third of the sentences: no object, no subject, no topic, and no province
            # opening it; all the rest would find nothing, only a list's lead goes on
            lead = _list_lead(sentence) or lead
            continue
        ends = {m.end: m for m in mentions}
        if own_zone is None and opens_on_another_province(ctx, sentence, mentions, topic):
            # 在湖北，襄阳综合保税区…: the story has moved on from the zone of its last province
            for cls in ZONE_CLASSES:
                topic.pop(cls, None)

        inside = inside_names(mentions)  # once per sentence: every object and subject asks
        # 上海将推动…: a sentence about its own actor takes no topic from the ones before;
        # asked only where a topic would be carried
        own_actor: bool | None = None
        actor: Mention | None = None

        starts = [m.start for m in mentions]  # sorted: mentions_in sorts by start first
        known = SentenceMemo(sentence, mentions, ends, starts)

        for c_start, c_end in clauses(sentence):
            clause = ctx.text[c_start:c_end]
            masked: str | None = None
            if lead and c_start == sentence.start and not any_verb.search(clause):
                # （一）转口贸易； under 重点发展下列产业：: an item that is a bare noun has
                # the lead's verb (an item with a verb of its own, 促进…发展, has its own)
                clause += lead
            # whether rule i's trigger stands in this clause, by i: the same for every object
            triggered: dict[int, bool] = {}
            # the mentions that start in the clause: one run of the sorted list
            first = bisect.bisect_left(starts, c_start)
            for obj in mentions[first : bisect.bisect_left(starts, c_end, first)]:
                if obj.entity.cls in _PLACE_CLASSES and (
                    id(obj) in inside[1] or bracketed_in_name(ctx, obj)
                ):
                    continue  # 天津 in 天津口岸: the clause speaks of the port
                if obj.entity.cls == "Area" and id(obj) in inside[1]:
                    continue  # 深圳前海蛇口片区管理委员会: the body's name, no object
                # the rules whose objects are of another class are passed over
                for i, rule, any_trigger, triggers in by_object.get(obj.entity.cls, ()):
                    # most rules exclude nothing: an empty set holds no key's last part
                    if rule.exclude_objects and (
                        obj.entity.key.rsplit("/", 1)[-1] in rule.exclude_objects
                    ):
                        continue
                    if rule.outside_sectors and masked is None:
                        masked = _masked(ctx.text, c_start, c_end, mentions)
                    if not any_trigger:
                        hit = triggered.get(i)
                        if hit is None:
                            words = (
                                masked if rule.outside_sectors and masked is not None else clause
                            )
                            hit = triggered[i] = triggers.search(words) is not None
                        if not hit:
                            continue
                    if rule.partner and not after_preposition(ctx, obj, ends):
                        continue
                    if rule.predicate == "hasPosition" and served_goal(ctx, sentence, obj):
                        continue
                    subjects, how = _subjects(
                        ctx,
                        sentence,
                        known,
                        inside,
                        obj,
                        rule.subjects,
                        topic if rule.carry else {},
                        topic.get("PilotFreeTradeZone") or own_zone,
                        governed=rule.predicate == "facesCountry",
                        own_clause=rule.clause,
                    )
                    if (
                        not subjects
                        and rule.document
                        and own_zone is not None
                        and "PilotFreeTradeZone" in rule.subjects
                        and rule.predicate != "hasPosition"
                        and not _names_zone(mentions, obj, own_zone)
                        and zone_of(ctx, sentence) is not None
                    ):
                        # 开展境内外融资租赁业务 in an article of a zone's regulation: the
                        # zone the document is about does it (a position it must be given)
                        subjects, how = [own_zone], "document"
                    if (
                        not subjects
                        and heading is not None
                        and rule.carry
                        and heading.cls in rule.subjects
                        and rule.predicate != "hasPosition"
                    ):
                        # 《意见》提出，要…推动货物贸易优化升级 in an item headed by the zones'
                        # document: what names no subject, the item says of its heading's zone
                        subjects, how = [heading], "heading"
                    if how == "carried" and own_zone is None and own_actor is None:
                        actor = opener(ctx, sentence, mentions)
                        own_actor = opens_on_its_own_actor(
                            ctx, sentence, mentions, actor
                        ) or names_the_nation(ctx, mentions, inside[0] | inside[1])
                    if how == "carried" and own_actor:
                        # 今年，江苏计划…，大力发展…: the opener, where the rule takes it
                        subjects = (
                            [actor.entity]
                            if actor and actor.entity.cls in rule.subjects and actor != obj
                            else []
                        )
                        how = "clause"
                    for subject in subjects:
                        if _contradicts_lexicon(ctx, subject, rule.predicate, obj.entity):
                            continue
                        ctx.add_relation(
                            subject, rule.predicate, obj.entity, sentence, f"{how}:{rule.predicate}"
                        )
        if any(
            # foreign_region asks the class first: a test in line spares the call
            m.entity.cls == "Region"
            and foreign_region(ctx, m.entity)
            and not known.modifier(ctx, m)
            for m in mentions
        ):
            # 非洲国家…: the sentence speaks of a partner abroad; the region named before is
            # no longer what the next sentences speak of
            topic.pop("Region", None)
        for m in mentions:
            if (
                m.entity.cls in _TOPIC_CLASSES
                # (every test reads and only caches: the cheap ones go first)
                # 沿江, 内陆: a broad region is the subject of its own sentence at most
                and not m.entity.label.endswith("地区")
                # 设立了上海、海南…等21个自贸试验区: zones listed are no topic of what follows
                and m.rule != "zone:listed"
                and not known.modifier(ctx, m)
                # 河南 in 河南郑州出口加工区 is no topic
                and not (
                    m.entity.cls in _PLACE_CLASSES
                    and (id(m) in inside[0] or id(m) in inside[1] or bracketed_in_name(ctx, m))
                )
                # 班列发往…中亚国家: nor is where something goes, nor where a meeting is
                # held (在北京召开, 在京会见)
                and not destination(ctx, m.start)
                and not ctx.text.startswith(_EVENTS, m.end)
                # 欧洲, 非洲: a partner abroad is no actor of the sentences after it
                and not foreign_region(ctx, m.entity)
                # 加快发展服贸会、进博会、自贸试验区…: the zones together are the topic of
                # what follows only where they open a clause (当前，自贸试验区已形成…)
                and (m.entity.key != ZONES_TOGETHER or clause_start(ctx, m.start, 0) == m.start)
                # 加快建设海南自由贸易港: a zone a verb governs is no topic of what follows
                and not (m.entity.cls in ZONE_CLASSES and governed(ctx, m, any_verb))
            ):
                topic[m.entity.cls] = m.entity
                named_in[m.entity.cls] = sentence.paragraph
        if any(m.entity.cls in ("PilotFreeTradeZone", "FreeTradePort") for m in mentions):
            topic.pop("Area", None)
        lead = _list_lead(sentence) or lead


_ZONE_SPAN = 2
_EVENTS = ("召开", "举行", "会见", "会晤", "出席", "开幕", "闭幕")

_LIST_LEAD = re.compile(r"(?:下列|以下(?!简称))[^，,：:。；]*[：:]\s*$")


def _masked(text: str, start: int, end: int, mentions: list[Mention]) -> str:
    """The clause with the sectors in it blanked: a trigger is a word of the clause, not
    part of a sector's name (服务 in 现代服务业, 专业服务)."""
    chars = list(text[start:end])
    for m in mentions:
        if m.entity.cls == "Sector" and m.start < end and m.end > start:
            for i in range(max(m.start, start), min(m.end, end)):
                chars[i - start] = "\u3000"
    return "".join(chars)


def _list_lead(sentence: Sentence) -> str:
    """The clause that opens a numbered list (重点发展下列海洋产业和项目：), whose verb
    and head govern items that are bare nouns (（一）海洋生物医药；)."""
    if "下列" not in sentence.text and "以下" not in sentence.text:
        return ""  # the words _LIST_LEAD opens with: without them it finds nothing
    text = sentence.text.rstrip()
    if not _LIST_LEAD.search(text):
        return ""
    start = max(text.rfind(mark, 0, len(text) - 1) for mark in "，,。；")
    return " " + text[start + 1 :]


def _names_zone(mentions: list[Mention], obj: Mention, zone: Entity) -> bool:
    """《中国（天津）自由贸易试验区条例》: a title that names the zone is its own document."""
    return any(m.entity == zone and obj.start <= m.start and m.end <= obj.end for m in mentions)


def _known_zones(ctx: DocContext) -> dict[str, str]:
    """Area key -> its zone's key, from the lexicon's facts (computed once per lexicon)."""
    known: dict[str, str] | None = getattr(ctx.lexicon, "_zone_of_area", None)
    if known is None:
        known = {o: s for s, p, o in ctx.lexicon.facts if p == "hasArea"}
        ctx.lexicon._zone_of_area = known  # type: ignore[attr-defined]
    return known


def _contradicts_lexicon(ctx: DocContext, subject: Entity, predicate: str, obj: Entity) -> bool:
    """A known area belongs to its known zone only: "辽宁大连自贸片区" after a sentence about
    Shanghai is not an area of Shanghai's zone, whatever the carried topic says; the places
    a known zone lies in are none of its partners."""
    if not obj.key:
        return False
    if predicate == "linkedWith" and subject.cls in ("PilotFreeTradeZone", "FreeTradePort"):
        # 构建新疆融入…的重要枢纽: the province a zone lies in is no partner of it
        return obj.key in place_chain(ctx, subject)
    if predicate != "hasArea" or not subject.key:
        return False
    zone = _known_zones(ctx).get(obj.key)
    return zone is not None and zone != subject.key


def _subjects(
    ctx: DocContext,
    sentence: Sentence,
    known: SentenceMemo,
    inside: tuple[set[int], set[int]],
    obj: Mention,
    classes: frozenset[str],
    topic: dict[str, Entity],
    opening_zone: Entity | None = None,
    governed: bool = False,
    own_clause: bool = False,
) -> tuple[list[Entity], str]:
    mentions, ends, fit = known.mentions, known.ends, known.fit
    before = []
    # those that start after the object also end after it: the sorted list's run up to it
    # holds every mention that ends before it
    up_to = mentions[: bisect.bisect_right(known.starts, obj.start)]
    for m in up_to:
        if m.end <= obj.start and m.entity.cls in classes:
            ok = fit.get(id(m))
            if ok is None:
                ok = fit[id(m)] = (
                    not after_preposition(ctx, m, ends)
                    and not known.modifier(ctx, m)
                    and not hidden_subject(inside, m)
                    and not (
                        m.entity.cls in _PLACE_CLASSES
                        and (bracketed_in_name(ctx, m) or modifies_noun(ctx, sentence, m))
                    )
                    and not place_as_object(ctx, sentence, m)
                    and not item_after_object(ctx, sentence, m, ends)
                    and not news_source(ctx, m)
                )
            if ok:
                before.append(m)
    c_start = clause_start(ctx, obj.start, sentence.start)
    in_clause: list[Mention] = []  # each filter keeps nothing of no mentions
    if before:
        # 作为我国西北沿边地区首个自贸试验区，新疆自贸试验区肩负着…: what an opening 作为 clause
        # names describes the subject of the clauses after it, and is none
        before = [
            m
            for m in before
            if m.start >= c_start
            or not ctx.text.startswith("作为", clause_start(ctx, m.start, sentence.start))
        ]
        if own_clause:
            before = [m for m in before if m.start >= c_start]
        before = [m for m in before if not means_in_earlier_clause(ctx, sentence, m, c_start)]
        if governed:
            # 推动中老铁路沿线开发，扩大与老挝、泰国…的经贸往来: a facility a verb governs in an
            # earlier clause faces no partner of a later one
            before = [
                m for m in before if m.start >= c_start or not facility_as_object(ctx, sentence, m)
            ]
        in_clause = [m for m in before if m.start >= c_start]
    if not in_clause and obj.entity.cls == "Sector":
        fronted = _subject_after_frame(ctx, sentence, mentions, obj, c_start, classes)
        if fronted:
            return fronted, "fronted"
    if not in_clause and before:
        # The object's clause has no subject: the sentence's topic (its first mention,
        # "内蒙古自贸试验区……，涵盖……三大片区，应在跨境贸易……等领域开展先行先试") governs it.
        first = mentions[0]
        if (
            first.entity.cls in ZONE_CLASSES
            and len(mentions) > 1
            and mentions[1].start == first.end
            and mentions[1].entity.cls == "Area"
        ):
            first = mentions[1]  # 自贸试验区青岛片区、烟台片区应当…: the zone says whose areas
        lead = ctx.text[sentence.start : first.start]
        zone = topic.get("PilotFreeTradeZone") or opening_zone
        # 自贸试验区青岛片区、烟台片区应当…: the zone's word names whose areas they are
        if (
            zone is not None
            and _BARE_ZONE.search(lead)
            and not (first.entity.cls == "Area" and _ENDS_IN_ZONE.search(lead) is not None)
        ):
            # 自贸试验区应当推进中老铁路沿线开发，…，深化与越南…的合作: the zone the sentence
            # opens with, unnamed, is its subject, not the first thing it names
            return ([zone], "carried") if "PilotFreeTradeZone" in classes else ([], "")
        if (
            first in before
            and not any(ch in CLAUSE_MARKS for ch in lead)
            and not place_as_object(ctx, sentence, first)
        ):
            group = _group(ctx, before, before.index(first), 1)
            while group and modifies_noun(ctx, sentence, group[-1]):
                group.pop()  # 省人民政府和青岛市、烟台市人民政府: 青岛 names a body
            if group:
                return [m.entity for m in group], "topic"
    if in_clause and ctx.text.startswith(_SUBJECT_MARKERS, in_clause[0].end):
        # 内蒙古自贸试验区作为…沿边地区首个…面向俄罗斯: the clause's grammatical subject
        return [m.entity for m in _group(ctx, before, before.index(in_clause[0]), 1)], "clause"
    if before:
        return [m.entity for m in _group(ctx, before, len(before) - 1, -1)], "clause"
    if any(
        m.entity.cls in ZONE_CLASSES
        and c_start <= m.start
        and m.end <= obj.start
        and id(m) not in inside[0]
        and id(m) not in inside[1]
        for m in up_to
    ):
        return [], ""  # 把海南自由贸易港打造成为…: a zone the rule does not take is the subject
    for cls in _TOPIC_CLASSES:
        if cls in classes and cls in topic:
            return [topic[cls]], "carried"
    return [], ""


# verbs that open a clause naming the ground of the next one, whose subject follows
_FRAMES = ("围绕", "聚焦", "依托", "立足", "针对", "瞄准", "紧扣", "紧抓")


def _subject_after_frame(
    ctx: DocContext,
    sentence: Sentence,
    mentions: list[Mention],
    obj: Mention,
    clause_start: int,
    classes: frozenset[str],
) -> list[Entity]:
    """围绕大宗商品、生物医药等重点产业，浙江、江苏等地推动…: a clause that a frame verb opens
    has its subject at the start of the clause after it."""
    if not ctx.text.startswith(_FRAMES, clause_start):
        return []
    mark = ctx.text.find("，", obj.end, sentence.end)
    if mark < 0 or any(ch in CLAUSE_MARKS for ch in ctx.text[obj.end : mark]):
        return []
    after = [m for m in mentions if m.start > mark and m.entity.cls in classes]
    if not after or after[0].start != mark + 1:
        return []
    return [m.entity for m in _group(ctx, after, 0, 1)]


_ENDS_IN_ZONE = re.compile(f"(?:{_BARE_ZONE.pattern})$")
# words after which the mention before them is the subject of its clause
_SUBJECT_MARKERS = ("作为", "应当", "要", "将", "是", "已", "应", "可以")


def _group(ctx: DocContext, mentions: list[Mention], anchor: int, step: int) -> list[Mention]:
    """The enumeration ``mentions[anchor]`` belongs to (二连浩特、满洲里等重点口岸), walking ``step``."""
    group = [mentions[anchor]]
    i = anchor + step
    while 0 <= i < len(mentions):
        m, last = mentions[i], group[-1]
        left, right = (m, last) if step < 0 else (last, m)
        if m.entity.cls != last.entity.cls or not _GROUP_GLUE.match(
            ctx.text[left.end : right.start]
        ):
            break
        group.append(m)
        i += step
    return group
