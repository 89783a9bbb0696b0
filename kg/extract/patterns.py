"""Typed view of ``ontology/patterns.toml``: the words the extractor keys on."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..errors import OntologyError
from ..resources import ontology_file

__all__ = ["HeadRule", "PhraseRule", "RelationRule", "Patterns", "load_patterns"]


@dataclass(frozen=True, slots=True)
class HeadRule:
    cls: str
    heads: tuple[str, ...]
    name: str  # "place" or "any"
    attached: bool
    plural: tuple[str, ...]
    context: tuple[str, ...] = ()
    # the most characters of a facility's own name between the city and the head
    # (石家庄正定国际机场: 正定)
    own_name: int = 0
    # a word jieba tags as a place may name it though no lexicon knows the place (城陵矶港)
    place_word: bool = False


@dataclass(frozen=True, slots=True)
class PhraseRule:
    """Compounds ending in one of ``heads`` are entities of ``cls`` (see ``[[phrase.head]]``)."""

    cls: str
    heads: tuple[str, ...]
    min_modifier: int = 1
    strip_places: bool = False
    keep_zone: bool = False
    # the modifier describes the thing (沿海, 长江中下游) and holds no verb (深入港口, 到港口)
    no_verbs: bool = False
    # words after the head that make it a modifier for this class only (中俄战略合作)
    blockers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RelationRule:
    predicate: str
    subjects: frozenset[str]
    objects: frozenset[str]
    triggers: tuple[str, ...]
    exclude_objects: frozenset[str]
    carry: bool = True
    # an object with no subject in its sentence is the document's zone's (its regulation
    # speaks of it throughout); by default as far as the topic is carried
    document: bool = True
    # the object must be a partner: after 与/同/向/对, or listed after one (与东盟国家…合作)
    partner: bool = False
    # the subject must stand in the object's own clause (a programme named in an earlier
    # clause involves none of the countries of a later one)
    clause: bool = False
    # a trigger inside a sector's name is none (服务 in 现代服务业)
    outside_sectors: bool = False

    @property
    def any_trigger(self) -> bool:
        return "any" in self.triggers


@dataclass(frozen=True, slots=True)
class Patterns:
    heads: tuple[HeadRule, ...]
    task_counters: tuple[str, ...]
    task_heads: tuple[str, ...]
    task_max_between: int
    field_closers: tuple[str, ...]
    position_triggers: tuple[str, ...]
    position_heads: tuple[str, ...]
    position_strip: tuple[str, ...]
    position_quoted_closers: tuple[str, ...]
    position_strong_triggers: tuple[str, ...]
    position_max_length: int
    position_strong_only_heads: frozenset[str]
    position_qualified_heads: tuple[str, ...]
    position_never_heads: tuple[str, ...]
    position_role_words: tuple[str, ...]
    position_role_heads: tuple[str, ...]
    sector_triggers: tuple[str, ...]
    sector_closers: tuple[str, ...]
    sector_industry_closers: tuple[str, ...]
    sector_suffixes: tuple[str, ...]
    sector_strict_suffixes: tuple[str, ...]
    sector_max_length: int
    sector_min_free_length: int
    sector_lead_words: tuple[str, ...]
    sector_qualifiers: tuple[str, ...]
    sector_concerning: tuple[str, ...]
    sector_region_kinds: tuple[str, ...]
    sector_generic: frozenset[str]
    sector_generic_modifiers: tuple[str, ...]
    sector_closer_is_sector: frozenset[str]
    sector_business_heads: tuple[str, ...]
    sector_trail_words: tuple[str, ...]
    sector_followers: frozenset[str]
    sector_modified: frozenset[str]
    sector_list_modifies: tuple[str, ...]
    sector_guarded: tuple[str, ...]
    sector_qualities: frozenset[str]
    sector_scope_verbs: tuple[str, ...]
    sector_scope_nouns: tuple[str, ...]
    sector_predicates: frozenset[str]
    sector_object_heads: tuple[str, ...]
    sector_closer_strip: tuple[str, ...]
    sector_verb_nouns: tuple[str, ...]
    sector_activity_suffixes: tuple[str, ...]
    sector_aspect_closers: tuple[str, ...]
    sector_instrument_verbs: tuple[str, ...]
    platform_relies: tuple[str, ...]
    platform_builds: tuple[str, ...]
    platform_develops: tuple[str, ...]
    relations: tuple[RelationRule, ...]
    phrase_heads: tuple[PhraseRule, ...]
    phrase_standalone: tuple[tuple[str, tuple[str, ...]], ...]
    phrase_by_place: frozenset[str]
    phrase_stationed_only: frozenset[str]
    phrase_province_chars: dict[str, str]
    phrase_sites: tuple[str, ...]
    phrase_listed_only: frozenset[str]
    phrase_lead_words: tuple[str, ...]
    phrase_verbs: tuple[str, ...]
    # the verbs that end the subject before a list of sectors: the phrases' and the clause
    # verbs of sector.clause_verbs (电子商务带动旅游)
    sector_verbs: tuple[str, ...]
    sector_clause_verbs: tuple[str, ...]
    phrase_never: tuple[str, ...]
    phrase_programme_centres: tuple[str, ...]
    phrase_keep_first: frozenset[str]
    phrase_blockers: frozenset[str]
    phrase_generic: frozenset[str]
    phrase_generic_prefixes: tuple[str, ...]
    phrase_max_length: int
    multipliers: dict[str, Decimal]
    change_up: tuple[str, ...]
    change_down: tuple[str, ...]
    approx: tuple[str, ...]
    units: dict[str, tuple[str, Decimal]]


def _t(values: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


@lru_cache(maxsize=2)
def load_patterns(path: str | None = None) -> Patterns:
    source = path or str(ontology_file("patterns.toml"))
    try:
        with open(source, "rb") as handle:
            data = tomllib.load(handle)
        return _parse(data)
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise OntologyError(f"{source}: cannot be used ({exc}); fix the patterns file") from exc


def _parse(data: dict[str, Any]) -> Patterns:
    heads = tuple(
        HeadRule(
            cls=h["class"],
            heads=_t(h["heads"]),
            name=h.get("name", "any"),
            attached=bool(h.get("attached", False)),
            plural=_t(h.get("plural", [])),
            context=_t(h.get("context", [])),
            own_name=int(h.get("own_name", 0)),
            place_word=bool(h.get("place_word", False)),
        )
        for h in data["head"]
    )
    relations = tuple(
        RelationRule(
            predicate=r["property"],
            subjects=frozenset(r["subjects"]),
            objects=frozenset(r["objects"]),
            triggers=_t(r["triggers"]),
            exclude_objects=frozenset(r.get("exclude_objects", [])),
            carry=bool(r.get("carry", True)),
            document=bool(r.get("document", r.get("carry", True))),
            partner=bool(r.get("partner", False)),
            clause=bool(r.get("clause", False)),
            outside_sectors=bool(r.get("outside_sectors", False)),
        )
        for r in data["relation"]
    )
    numbers = data["numbers"]
    phrase = data["phrase"]
    return Patterns(
        heads=heads,
        task_counters=_t(data["task"]["counters"]),
        task_heads=_t(data["task"]["heads"]),
        task_max_between=int(data["task"]["max_between"]),
        field_closers=_t(data["field"]["closers"]),
        position_triggers=_t(data["position"]["triggers"]),
        position_heads=_t(data["position"]["heads"]),
        position_strip=_t(data["position"]["strip_prefix"]),
        position_quoted_closers=_t(data["position"]["quoted_closers"]),
        position_strong_triggers=_t(data["position"]["strong_triggers"]),
        position_max_length=int(data["position"]["max_length"]),
        position_strong_only_heads=frozenset(data["position"]["strong_only_heads"]),
        position_qualified_heads=_t(data["position"].get("qualified_heads", ())),
        position_never_heads=_t(data["position"].get("never_heads", ())),
        position_role_words=_t(data["position"].get("role_words", ())),
        position_role_heads=_t(data["position"].get("role_heads", ())),
        sector_triggers=_t(data["sector"]["triggers"]),
        sector_closers=_t(data["sector"]["closers"]),
        sector_industry_closers=_t(data["sector"]["industry_closers"]),
        sector_suffixes=_t(data["sector"]["suffixes"]),
        sector_strict_suffixes=_t(data["sector"]["strict_suffixes"]),
        sector_max_length=int(data["sector"]["max_length"]),
        sector_min_free_length=int(data["sector"]["min_free_length"]),
        sector_lead_words=_t(data["sector"]["lead_words"]),
        sector_qualifiers=_t(data["sector"]["qualifiers"]),
        sector_concerning=_t(data["sector"].get("concerning", ())),
        sector_region_kinds=_t(data["sector"]["region_kinds"]),
        sector_generic=frozenset(data["sector"]["generic"]),
        sector_generic_modifiers=_t(data["sector"]["generic_modifiers"]),
        sector_closer_is_sector=frozenset(data["sector"]["closer_is_sector"]),
        sector_business_heads=_t(data["sector"]["business_heads"]),
        sector_trail_words=_t(data["sector"]["trail_words"]),
        sector_followers=frozenset(data["sector"]["followers"]),
        sector_modified=frozenset(data["sector"]["modified"]),
        sector_list_modifies=_t(data["sector"]["list_modifies"]),
        sector_guarded=_t(data["sector"]["guarded"]),
        sector_qualities=frozenset(data["sector"]["qualities"]),
        sector_scope_verbs=_t(data["sector"]["scope_verbs"]),
        sector_scope_nouns=_t(data["sector"]["scope_nouns"]),
        sector_predicates=frozenset(data["sector"]["predicates"]),
        sector_object_heads=_t(data["sector"]["object_heads"]),
        sector_closer_strip=_t(data["sector"]["closer_strip"]),
        sector_verb_nouns=_t(data["sector"]["verb_nouns"]),
        sector_activity_suffixes=_t(data["sector"]["activity_suffixes"]),
        sector_aspect_closers=_t(data["sector"]["aspect_closers"]),
        sector_instrument_verbs=_t(data["sector"].get("instrument_verbs", [])),
        platform_relies=_t(data["platform_work"]["relies"]),
        platform_builds=_t(data["platform_work"]["builds"]),
        platform_develops=_t(data["platform_work"]["develops"]),
        relations=relations,
        phrase_heads=tuple(
            PhraseRule(
                h["class"],
                _t(h["heads"]),
                int(h.get("min_modifier", 1)),
                bool(h.get("strip_places", False)),
                bool(h.get("keep_zone", False)),
                bool(h.get("no_verbs", False)),
                _t(h.get("blockers", ())),
            )
            for h in phrase["head"]
        ),
        phrase_standalone=tuple(
            (str(cls), _t(words)) for cls, words in sorted(phrase["standalone"].items())
        ),
        phrase_by_place=frozenset(phrase.get("by_place", ())),
        phrase_stationed_only=frozenset(phrase.get("stationed_only", ())),
        phrase_province_chars={str(k): str(v) for k, v in phrase["province_chars"].items()},
        phrase_sites=_t(phrase.get("sites", ())),
        phrase_listed_only=frozenset(phrase.get("listed_only", ())),
        phrase_lead_words=tuple(sorted(_t(phrase["lead_words"]), key=len, reverse=True)),
        phrase_verbs=_t(phrase["verbs"]),
        sector_verbs=_t([*phrase["verbs"], *data["sector"]["clause_verbs"]]),
        sector_clause_verbs=_t(data["sector"]["clause_verbs"]),
        phrase_never=_t(phrase["never"]),
        phrase_programme_centres=_t(phrase.get("programme_centres", ())),
        phrase_keep_first=frozenset(phrase["keep_first"]),
        phrase_blockers=frozenset(phrase["blockers"]),
        phrase_generic=frozenset(phrase["generic"]),
        phrase_generic_prefixes=_t(phrase["generic_prefixes"]),
        phrase_max_length=int(phrase["max_length"]),
        multipliers={k: Decimal(v) for k, v in numbers["multipliers"].items()},
        change_up=_t(numbers["change_up"]),
        change_down=_t(numbers["change_down"]),
        approx=_t(numbers["approx"]),
        units={k: (str(v[0]), Decimal(str(v[1]))) for k, v in numbers["units"].items()},
    )
