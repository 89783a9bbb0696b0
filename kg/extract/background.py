"""Background facts from the lexicon that a text relies on without stating them.

A regulation of 中国（辽宁）自由贸易试验区 never says that the zone lies in 辽宁省 and so in
中国, nor that its 沈阳片区 lies in 沈阳; 中蒙俄经济走廊 names its three countries by one
character each. A reader knows this, so the graph states it, as relations of the document
whose provenance rule says where they come from (``lexicon:locatedIn``): the place chain of
every zone, area and port found, the countries a corridor's or initiative's name spells,
and the regions a programme is named after (内地与香港基金产品互认: 香港, 内地).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from ..model import Entity, Mention, Sentence
from ..read.normalize import CJK
from .context import DASHES, DocContext, in_order
from .lexicon import Lexicon
from .lexicon_match import label_trie

__all__ = ["add_background_facts", "is_province"]

_PLACED = ("PilotFreeTradeZone", "FreeTradePort", "Area", "Port")
_ZONES = ("PilotFreeTradeZone", "FreeTradePort")
_MAX_HOPS = 3


def add_background_facts(ctx: DocContext) -> None:
    facts = _facts(ctx.lexicon)
    spelled = _spelled_by(ctx.lexicon)
    by_index = {s.index: s for s in ctx.sentences}
    first: dict[Entity, tuple[Sentence, str]] = {}
    surfaces: dict[Entity, set[str]] = defaultdict(set)
    # (each loop here sorts only the mentions it reads: they keep their order among all)
    # a programme the text names itself may be named after regions too (内陆与沿海…协同开放战略)
    for m in in_order(m for m in ctx.mentions if m.entity.key or m.entity.cls == "Initiative"):
        first.setdefault(m.entity, (by_index[m.sentence], m.surface))
        surfaces[m.entity].add(m.surface)
    for entity, (sentence, _surface) in sorted(first.items()):
        if entity.cls in _PLACED:
            _place_chain(ctx, facts, entity, sentence)
        for predicate, obj in facts.get(entity.key, ()):
            if predicate != "involvesCountry" or obj not in ctx.lexicon.entries:
                continue
            chars = spelled.get(obj, frozenset())
            if any(ch in surface for surface in surfaces[entity] for ch in chars):
                country = ctx.lexicon.entries[obj].entity
                ctx.add_relation(entity, predicate, country, sentence, "lexicon:involvesCountry")
    _named_after_cities(ctx, facts, by_index)
    _regions_in_names(ctx, first, surfaces)
    _countries_opening_names(ctx, by_index)
    _stationed_bodies(ctx, by_index)
    _zones_opening_area_names(ctx, by_index)


def _zones_opening_area_names(ctx: DocContext, by_index: dict[int, Sentence]) -> None:
    """上海自贸区临港新片区: the zone written at the start of its area's name is named by the
    text, and has that area, though the longer name was matched as the area alone."""
    for m in in_order(m for m in ctx.mentions if m.entity.cls == "Area"):
        for size in range(len(m.surface) - 2, 1, -1):
            zone = ctx.lexicon.find("PilotFreeTradeZone", m.surface[:size])
            if zone is None:
                continue
            sentence = by_index[m.sentence]
            if not any(n.start == m.start and n.entity == zone for n in ctx.mentions):
                ctx.add_mention(m.start, m.start + size, zone, sentence, "name:zone")
            ctx.add_relation(zone, "hasArea", m.entity, sentence, "name:hasArea")
            break


def _stationed_bodies(ctx: DocContext, by_index: dict[int, Sentence]) -> None:
    """中央驻鲁单位, 国家有关驻津机构, 在川高校: a body named as stationed in a province by
    its one-character name lies in that province."""
    chars = ctx.patterns.phrase_province_chars
    done: set[Entity] = set()
    for m in in_order(m for m in ctx.mentions if m.entity.cls == "Organization"):
        if m.entity in done:
            continue
        found = _STATIONED.search(m.surface)
        if found is None or found.group(1) not in chars:
            continue
        region = ctx.lexicon.find("Region", chars[found.group(1)])
        if region is not None:
            done.add(m.entity)
            sentence = by_index[m.sentence]
            ctx.add_relation(m.entity, "locatedIn", region, sentence, "name:locatedIn")


# 驻 or 在, one character, then the body's own word (单位, 机构, 高校…)
_STATIONED = re.compile(rf"[驻在](.)(?=[{CJK}]{{2}})")


def _countries_opening_names(ctx: DocContext, by_index: dict[int, Sentence]) -> None:
    """中日韩消费专区, 中韩（烟台）产业园, 中国—东盟…合作中心, 中柬自由贸易协定: a platform,
    programme or agreement named after partners, by one character each or joined by a dash,
    involves them."""
    done: set[tuple[Entity, Entity]] = set()
    named = ("Platform", "Initiative", "Agreement")
    for m in in_order(m for m in ctx.mentions if m.entity.cls in named):
        at, partners, dashed = m.start, [], False
        for country in sorted(
            (n for n in ctx.mentions_in(m.start, m.end) if _partner_in_name(n)),
            key=lambda n: n.start,
        ):
            dash = at > m.start and country.start == at + 1 and ctx.text[at] in DASHES
            # 中日、中韩通关合作机制: China named again after 、 pairs it with one more
            again = country.start == at + 1 and ctx.text[at] == "、" and country.surface == "中"
            if not (country.start == at or dash or again):
                break
            at, dashed = country.end, dashed or dash
            partners.append(country)
        if not dashed and any(n.rule != "abbreviation" for n in partners):
            continue  # 广西政府投资基金, 江西内陆…: places' names, no partners (中国—东盟… are)
        for country in partners:
            if (m.entity, country.entity) not in done:
                done.add((m.entity, country.entity))
                # 中非经贸深度合作先行区: a continent's character names a region it is tied to
                predicate = "involvesCountry" if country.entity.cls == "Country" else "linkedWith"
                ctx.add_relation(
                    m.entity, predicate, country.entity, by_index[m.sentence], f"name:{predicate}"
                )


def _partner_in_name(n: Mention) -> bool:
    return n.rule == "abbreviation" or (
        n.rule == "lexicon" and n.entity.cls in ("Country", "Region", "Organization")
    )


def _regions_in_names(
    ctx: DocContext,
    first: dict[Entity, tuple[Sentence, str]],
    surfaces: dict[Entity, set[str]],
) -> None:
    """内地与香港基金产品互认, 京津冀协同发展: a programme named after regions is tied to
    them, though the longer name left no mention of the regions themselves."""
    for entity, (sentence, _surface) in sorted(first.items()):
        if entity.cls != "Initiative":
            continue
        found: set[Entity] = set()
        for surface in sorted(surfaces[entity]):
            covered: set[int] = set()
            # the longest name first (粤港澳大湾区), each read once with the lexicon's trie
            for minus_size, at, region in sorted(_regions_inside(ctx, surface)):
                if not covered.intersection(range(at, at - minus_size)):
                    found.add(region)
                    covered.update(range(at, at - minus_size))
        for region in sorted(found):
            ctx.add_relation(entity, "linkedWith", region, sentence, "name:linkedWith")


def _regions_inside(ctx: DocContext, surface: str) -> list[tuple[int, int, Entity]]:
    """The regions named inside ``surface`` but not all of it: (−size, start, region)."""
    trie = label_trie(ctx.lexicon)
    inside = []
    for at in range(len(surface)):
        for label, stop in trie.matches(surface, at):
            region = ctx.lexicon.find("Region", label)
            if region is not None and 2 <= stop - at < len(surface):
                inside.append((at - stop, at, region))
    return inside


def _place_chain(
    ctx: DocContext,
    facts: dict[str, list[tuple[str, str]]],
    entity: Entity,
    sentence: Sentence,
) -> None:
    current = entity
    for hop in range(_MAX_HOPS):
        parent = next((o for p, o in facts.get(current.key, ()) if p == "locatedIn"), None)
        if parent is None or parent not in ctx.lexicon.entries:
            return
        entry = ctx.lexicon.entries[parent]
        if entry.cls == "Country" and not any(n in ctx.text for n in (entry.pref, *entry.alts)):
            return  # a news item that never names China: no node the text does not speak of
        place = entry.entity
        ctx.add_relation(current, "locatedIn", place, sentence, "lexicon:locatedIn")
        if hop and place.cls == "Country" and entity.cls in _ZONES:
            # a zone lies in its country too, said outright: 中国（辽宁）自由贸易试验区 → 中国
            ctx.add_relation(entity, "locatedIn", place, sentence, "lexicon:locatedIn")
        current = place


_NAMED_AFTER = ("Area", "Port")
_PROVINCE_ENDS = ("省", "自治区")
_MUNICIPALITIES = frozenset({"北京市", "天津市", "上海市", "重庆市"})


def _named_after_cities(
    ctx: DocContext, facts: dict[str, list[tuple[str, str]]], by_index: dict[int, Sentence]
) -> None:
    """成都国际航空枢纽, 大连港 …: a port or area the lexicon does not place lies in the
    city or province its name starts with; so does a site (上海外高桥保税区, 舟山航空产业园)
    and a body the text names after its place (天津仲裁委员会, 海南省人民政府)."""
    done: set[Entity] = set()
    # only these classes are placed by name (_placed_by_name)
    kinds = (*_NAMED_AFTER, "Platform", "Organization")
    for m in in_order(m for m in ctx.mentions if m.entity.cls in kinds):
        entity = m.entity
        if entity in done or not _placed_by_name(ctx, entity):
            continue
        done.add(entity)
        if any(p == "locatedIn" for p, _ in facts.get(entity.key or "", ())):
            continue
        label = entity.label
        for size in (4, 3, 2):
            if len(label) - size < 2:
                continue
            # a city, or a province or city of province rank (天津口岸 → 天津市)
            city = ctx.lexicon.find("City", label[:size]) or _province(ctx, label[:size])
            if city is not None:
                sentence = by_index[m.sentence]
                ctx.add_relation(entity, "locatedIn", city, sentence, "name:locatedIn")
                _place_chain(ctx, facts, city, sentence)
                break


def _placed_by_name(ctx: DocContext, entity: Entity) -> bool:
    if entity.cls in _NAMED_AFTER:
        return True
    if entity.cls == "Platform":
        return entity.label.endswith(ctx.patterns.phrase_sites)
    # a body of the lexicon is known by its whole name (上海合作组织 lies in no 上海)
    return entity.cls == "Organization" and not entity.key


def is_province(ctx: DocContext, region: Entity) -> bool:
    """A province, autonomous region or city of province rank (海南省, 上海市), by its
    preferred label."""
    entry = ctx.lexicon.entries.get(region.key or "")
    pref = entry.pref if entry is not None else region.label
    return pref.endswith(_PROVINCE_ENDS) or pref in _MUNICIPALITIES


def _province(ctx: DocContext, name: str) -> Entity | None:
    region = ctx.lexicon.best(name, ("Region",))
    return region if region is not None and is_province(ctx, region) else None


@lru_cache(maxsize=4)
def _facts(lexicon: Lexicon) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s, p, o in sorted(lexicon.facts):
        out[s].append((p, o))
    return dict(out)


@lru_cache(maxsize=4)
def _spelled_by(lexicon: Lexicon) -> dict[str, frozenset[str]]:
    """Country key -> the one-character abbreviations that stand for it (俄 → 俄罗斯)."""
    out: dict[str, set[str]] = defaultdict(set)
    for char, entity in lexicon.abbreviations.items():
        out[entity.key].add(char)
    return {k: frozenset(v) for k, v in out.items()}
