"""What a document about one zone says of it without naming it each time.

A zone's regulation speaks of "自贸试验区" in every article, and of the bodies that work for
it (片区管理机构负责…, 配合金融监管部门…) and the other zones it borrows from (推行上海、
天津…等自贸试验区已经试点的…). The zone the document is about is the one its title names,
or the only zone it names; a text about several zones has none.
"""

from __future__ import annotations

import re

from ..model import Entity, Mention, Sentence
from ..namespaces import ID
from .context import DocContext
from .entities import _ZONE_FULL, region_short_names

__all__ = [
    "LEGAL_ARTICLE",
    "document_zone",
    "is_regulation",
    "place_chain",
    "foreign_region",
    "zone_of",
    "heading_zone",
    "link_other_zones",
    "link_partner_regions",
    "bodies_serve_the_zone",
    "link_alliances",
    "zones_run_their_programmes",
]


def document_zone(ctx: DocContext) -> Entity | None:
    """The zone a document is about: the one its title names, or the only zone it names
    (three times or more), provided it has most of the zone mentions; none for a text about
    several zones (a news digest whose first item names one). The free trade port counts
    where no pilot zone is named."""
    if "document_zone" not in ctx.memo:
        ctx.memo["document_zone"] = _document_zone(ctx)
    found = ctx.memo["document_zone"]
    return found if isinstance(found, Entity) else None


def zone_of(ctx: DocContext, sentence: Sentence) -> Entity | None:
    """The document's zone, where ``sentence`` speaks of it: in a file of several news items
    only the items that name the zone are about it (国务院印发《…中国（上海）…总体方案》 in
    its first item says nothing of the next item's 《关于实施自由贸易试验区提升战略的意见》)."""
    own = document_zone(ctx)
    if own is None:
        return None
    articles = ctx.memo.get("zone_articles")
    if not isinstance(articles, set):
        articles = {m.sentence for m in ctx.mentions if m.entity == own}
        by_index = {s.index: s.article for s in ctx.sentences}
        articles = {by_index[i] for i in articles}
        ctx.memo["zone_articles"] = articles
    return own if sentence.article in articles else None


def heading_zone(ctx: DocContext, article: int) -> Entity | None:
    """The one zone an item's heading names (新疆自贸试验区挂牌成立, …印发《关于实施自由贸易
    试验区提升战略的意见》): what the item says with no subject, it says of that zone."""
    found = ctx.memo.get("heading_zones")
    if not isinstance(found, dict):
        named: dict[int, Entity] = {}
        for info in ctx.articles:
            end = ctx.text.find("\n", info.start, info.end)
            zones = {
                m.entity
                for m in ctx.mentions_in(info.start, info.end if end < 0 else end)
                if m.entity.cls in ("PilotFreeTradeZone", "FreeTradePort")
            }
            if len(zones) == 1:
                named[info.index] = next(iter(zones))
        ctx.memo["heading_zones"] = found = named
    zone = found.get(article)
    return zone if isinstance(zone, Entity) else None


def _document_zone(ctx: DocContext) -> Entity | None:
    zones = [m for m in ctx.mentions if m.entity.cls == "PilotFreeTradeZone"]
    if not zones:  # 海南自由贸易港建设总体方案: a text about the free trade port alone
        zones = [m for m in ctx.mentions if m.entity.cls == "FreeTradePort"]
    if not zones:
        return None
    lead = len(ctx.text) - len(ctx.text.lstrip())
    title_end = ctx.text.find("\n", lead)
    in_title = {m.entity for m in zones if title_end < 0 or m.end <= title_end}
    named = {m.entity for m in zones}
    regulation = is_regulation(ctx)
    if len(in_title) == 1:
        zone = next(iter(in_title))
    elif len(named) == 1 and len(zones) >= 3 and (ctx.articles or _named_throughout(ctx, zones)):
        zone = zones[0].entity
    elif regulation and not in_title:
        zone = zones[0].entity  # 第一条 为了推进和保障中国（…）自由贸易试验区建设 (no title)
    else:
        return None
    share = sum(m.entity == zone for m in zones) / len(zones)
    # a regulation's articles are all about its zone, however many others it names (and
    # so are the items of a text that names it in its title)
    about_it = (ctx.articles or regulation) and (zone in in_title or regulation)
    return zone if share > 0.5 or about_it else None


# A text that names its one zone in few of its paragraphs (a city's work report: 上海自贸
# 试验区 in 2 of 114) is about something else; what it says with no subject is not the zone's.
_ZONE_PARAGRAPHS = 0.1


def _named_throughout(ctx: DocContext, zones: list[Mention]) -> bool:
    paragraphs = {s.paragraph for s in ctx.sentences}
    by_index = {s.index: s.paragraph for s in ctx.sentences}
    named = {by_index[m.sentence] for m in zones}
    return len(named) >= _ZONE_PARAGRAPHS * len(paragraphs)


def link_other_zones(ctx: DocContext) -> None:
    """Every other zone a zone's document names is one it is tied to."""
    own = document_zone(ctx)
    if own is None:
        return
    by_index = {s.index: s for s in ctx.sentences}
    seen: set[Entity] = set()
    for m in ctx.mentions:
        if m.entity.cls == "PilotFreeTradeZone" and m.entity != own and m.entity not in seen:
            seen.add(m.entity)
            ctx.add_relation(
                own, "linkedWith", m.entity, by_index[m.sentence], "document:linkedWith"
            )


# 第一条, 第二十一条: an article of a law or regulation, at the start of a line
LEGAL_ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十百零〇\d]+条", re.M)


def is_regulation(ctx: DocContext) -> bool:
    """A text of numbered articles (three or more 第N条 opening a line)."""
    if "is_regulation" not in ctx.memo:
        ctx.memo["is_regulation"] = len(LEGAL_ARTICLE.findall(ctx.text)) >= 3
    return bool(ctx.memo["is_regulation"])


def link_partner_regions(ctx: DocContext) -> None:
    """In a zone's regulation, the regions its articles name (加强与香港特别行政区…合作,
    港澳台地区专业服务人员…在自贸试验区内开展业务, 扩展至…河北省) are ones it is tied to;
    the province it lies in is no partner, nor is a region inside a longer name."""
    own = document_zone(ctx)
    first_article = LEGAL_ARTICLE.search(ctx.text)
    if own is None or first_article is None or not is_regulation(ctx):
        return
    home = place_chain(ctx, own)
    by_index = {s.index: s for s in ctx.sentences}
    seen: set[Entity] = set()
    for m in ctx.mentions:
        if m.entity.cls != "Region" or m.entity.key in home or m.entity in seen:
            continue
        if m.start < first_article.start() or _inside_longer(ctx, m):
            continue
        seen.add(m.entity)
        ctx.add_relation(own, "linkedWith", m.entity, by_index[m.sentence], "document:linkedWith")


def place_chain(ctx: DocContext, zone: Entity) -> set[str]:
    """The keys of the places a zone lies in, from the lexicon (四川省, 中国)."""
    located = ctx.memo.get("located_in")
    if not isinstance(located, dict):
        located = {s: o for s, p, o in ctx.lexicon.facts if p == "locatedIn"}
        ctx.memo["located_in"] = located
    chain: set[str] = set()
    key = zone.key
    if not key:  # a zone the lexicon does not know lies in the province it is named after
        named = _ZONE_FULL.fullmatch(zone.label)
        region = region_short_names(ctx).get(named.group(1)) if named else None
        if region is None or not region.key:
            return chain
        key = region.key
        chain.add(key)
    while key in located and located[key] not in chain:
        key = located[key]
        chain.add(key)
    return chain


def foreign_region(ctx: DocContext, entity: Entity) -> bool:
    """A region of the lexicon outside China (欧洲, 非洲, 中东): a partner of China's texts,
    never the actor their later sentences speak of."""
    if entity.cls != "Region" or not entity.key:
        return False
    known = ctx.memo.get("foreign_regions")
    if not isinstance(known, dict):
        known = ctx.memo["foreign_regions"] = {}
    if entity not in known:
        known[entity] = str(ID["country/cn"]) not in place_chain(ctx, entity)
    return bool(known[entity])


def _inside_longer(ctx: DocContext, m: Mention) -> bool:
    return any(
        n.start <= m.start and m.end <= n.end and (n.start, n.end) != (m.start, m.end)
        for n in ctx.mentions_in(max(0, m.start - 30), m.end + 30)
    )


# A body that has a duty in the zone's document: the subject of 负责/承担/应当…, or the
# one others 配合 (work with).
# (…设立自贸试验区工作领导小组，统筹…: the body set up is the subject of the next clause;
# ASCII marks are clause marks as the full-width ones are)
_DUTY_AFTER = re.compile(r"[，,]?[^，；。：,;:]{0,6}?(?:负责|承担|应当|统筹|协调|指导|依法履行)")
_DUTY_BEFORE = ("配合", "由")


def bodies_serve_the_zone(ctx: DocContext) -> None:
    """片区管理机构负责片区改革试验的具体事务: in a zone's document, a body with a duty
    there supports that zone; a body named after an area supports the area."""
    by_index = {s.index: s for s in ctx.sentences}
    for m in ctx.mentions:
        if m.entity.cls != "Organization" or m.rule.startswith("byline"):
            continue
        for area in ctx.mentions_in(m.start, m.end - 1):
            if area.entity.cls == "Area" and area.start == m.start:
                # 深圳前海蛇口片区管理委员会: a body named after an area serves it
                ctx.add_relation(
                    m.entity, "supports", area.entity, by_index[m.sentence], "name:supports"
                )
        if document_zone(ctx) is None:
            continue
        own = zone_of(ctx, by_index[m.sentence])
        if own is not None and _has_duty(ctx, m):
            ctx.add_relation(m.entity, "supports", own, by_index[m.sentence], "document:supports")


def _has_duty(ctx: DocContext, m: Mention) -> bool:
    return bool(_DUTY_AFTER.match(ctx.text, m.end, m.end + 12)) or ctx.text.endswith(
        _DUTY_BEFORE, 0, m.start
    )


# 建立跨区域港口联盟、港航联盟: the alliances a zone's document has it set up.
_SETS_UP = re.compile(r"(?:建立|组建|成立|发起)(?:[^，；。：]{0,12}(?:、|和|及))?$")
_ALLIANCES = ("联盟", "合作联盟", "产业联盟")


def link_alliances(ctx: DocContext) -> None:
    own = document_zone(ctx)
    if own is None:
        return
    by_index = {s.index: s for s in ctx.sentences}
    for m in ctx.mentions:
        if m.entity.cls != "Organization" or not m.entity.label.endswith(_ALLIANCES):
            continue
        clause_start = max(ctx.text.rfind(mark, 0, m.start) for mark in "，；。：\n") + 1
        if _SETS_UP.search(ctx.text, clause_start, m.start):
            ctx.add_relation(
                own, "linkedWith", m.entity, by_index[m.sentence], "document:linkedWith"
            )


_RUNNERS = frozenset({"PilotFreeTradeZone", "FreeTradePort", "Area"})


def zones_run_their_programmes(ctx: DocContext) -> None:
    """海南自贸港全岛封关运作, 临港新片区离岸贸易金融服务综合改革试点: a programme written
    with the zone's name before it is the zone's own (``supports``), whatever the verb."""
    by_index = {s.index: s for s in ctx.sentences}
    starts: dict[int, list[Mention]] = {}
    for m in ctx.mentions:
        if m.entity.cls == "Initiative":
            starts.setdefault(m.start, []).append(m)
    for m in ctx.mentions:
        if m.entity.cls not in _RUNNERS:
            continue
        for programme in starts.get(m.end, []):
            ctx.add_relation(
                m.entity, "supports", programme.entity, by_index[m.sentence], "name:supports"
            )
