"""The lexicon of known entities: ``ontology/lexicon.ttl`` plus the full country list.

The lexicon is data: an entity or an alias is added by editing Turtle. Countries come from
pycountry's ISO 3166 list with its zh_CN names, so every country is known without a hand
list; the Turtle file only overrides the common Chinese name, adds aliases (俄方, 我国) and
the one-character forms used in compounds (中蒙俄 → 中国, 蒙古国, 俄罗斯).
"""

from __future__ import annotations

import gettext
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pycountry
from rdflib import Graph, Literal, URIRef

from ..errors import OntologyError
from ..model import Entity
from ..namespaces import FTZ, ID, RDF, RDFS, SKOS
from ..resources import ontology_file

__all__ = ["LexEntry", "Lexicon", "load_lexicon", "CLASS_PRIORITY", "PLACE_CLASSES"]

# When one surface form names entities of several classes, the more specific wins.
CLASS_PRIORITY = (
    "FreeTradePort",
    "PilotFreeTradeZone",
    "Area",
    "Port",
    "Agreement",
    "PolicyDocument",
    "Initiative",
    "ProposedZone",
    "Platform",
    "Organization",
    "Country",
    "Region",
    "City",
    "Sector",
    "ReformTask",
    "TaskField",
    "StrategicPosition",
    "Person",
    "Article",
)
PLACE_CLASSES = frozenset({"City", "Region", "Country"})
_NOT_COUNTRIES = frozenset({"TW", "HK", "MO"})  # Chinese regions, typed Region in the lexicon
_FTZ_NS = str(FTZ._NS)


@dataclass(frozen=True, slots=True)
class LexEntry:
    key: str
    cls: str
    pref: str
    alts: tuple[str, ...]
    english: str
    abbreviations: tuple[str, ...] = ()
    # False when a rule, not label matching, names the entry (ftz:labelsMatched false)
    matched: bool = True

    @property
    def entity(self) -> Entity:
        return Entity(self.cls, self.pref, self.key)


@dataclass(eq=False)  # hashable by identity: caches key on the loaded lexicon
class Lexicon:
    """Known entities indexed by every surface form."""

    entries: dict[str, LexEntry]
    graph: Graph
    by_label: dict[str, tuple[Entity, ...]] = field(default_factory=dict)
    abbreviations: dict[str, Entity] = field(default_factory=dict)
    place_names: frozenset[str] = frozenset()
    city_names: frozenset[str] = frozenset()
    facts: tuple[tuple[str, str, str], ...] = ()
    # What the lexicon was loaded from (file content, pycountry version); "" for one made
    # in code. It identifies the lexicon for the extraction cache without walking it.
    source_digest: str = ""
    _by_entity: dict[Entity, LexEntry] = field(default_factory=dict)

    def lookup(self, label: str) -> tuple[Entity, ...]:
        return self.by_label.get(label, ())

    def best(self, label: str, prefer: tuple[str, ...] = ()) -> Entity | None:
        """The entity a bare surface form most likely names (``prefer`` classes first)."""
        candidates = self.by_label.get(label, ())
        if not candidates:
            return None
        for cls in prefer:
            for entity in candidates:
                if entity.cls == cls:
                    return entity
        return candidates[0]

    def find(self, cls: str, label: str) -> Entity | None:
        for entity in self.by_label.get(label, ()):
            if entity.cls == cls:
                return entity
        return None

    def is_country_group(self, entity: Entity) -> bool:
        """A partner the lexicon types as a country that is none (沿线国家): no ISO code."""
        return (
            entity.cls == "Country"
            and bool(entity.key)
            and not entity.key.startswith(str(ID["country/"]))
        )

    def entry(self, entity: Entity) -> LexEntry | None:
        return self._by_entity.get(entity)

    def labels(self) -> list[str]:
        return list(self.by_label)


def _local(uri: URIRef) -> str:
    return str(uri)[len(_FTZ_NS) :] if str(uri).startswith(_FTZ_NS) else ""


def _most_specific(classes: list[str]) -> str:
    for cls in CLASS_PRIORITY:
        if cls in classes:
            return cls
    return sorted(classes)[0]


def _zh(graph: Graph, subject: URIRef, predicate: URIRef) -> list[str]:
    out = []
    for obj in graph.objects(subject, predicate):
        if isinstance(obj, Literal) and (obj.language or "").startswith("zh"):
            out.append(str(obj))
    return sorted(out)


def _en(graph: Graph, subject: URIRef) -> str:
    for obj in sorted(graph.objects(subject, RDFS.label), key=str):
        if isinstance(obj, Literal) and (obj.language or "") == "en":
            return str(obj)
    return ""


@lru_cache(maxsize=2)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Load the lexicon (cached: it is immutable once loaded)."""
    graph = Graph(bind_namespaces="none")
    source = path or str(ontology_file("lexicon.ttl"))
    try:
        graph.parse(source, format="turtle")
    except Exception as exc:  # rdflib raises many parser types
        raise OntologyError(f"{source}: not valid Turtle ({exc}); fix the lexicon file") from exc
    entries: dict[str, LexEntry] = {}
    country_ns = str(ID["country/"])
    for subject in sorted(set(graph.subjects()), key=str):
        if not isinstance(subject, URIRef):
            continue
        classes = [
            _local(t)
            for t in graph.objects(subject, RDF.type)
            if isinstance(t, URIRef) and _local(t)
        ]
        if str(subject).startswith(country_ns):
            classes = ["Country"]  # an override of pycountry's entry; the type is implied
        if not classes:
            continue
        prefs = _zh(graph, subject, SKOS.prefLabel)
        if classes == ["Country"] and not prefs:
            prefs = [""]  # keeps pycountry's name
        if len(prefs) != 1:
            raise OntologyError(
                f"{subject}: needs exactly one skos:prefLabel in Chinese (@zh), has {len(prefs)}"
            )
        abbreviations = tuple(sorted(str(o) for o in graph.objects(subject, FTZ.abbreviation)))
        entries[str(subject)] = LexEntry(
            key=str(subject),
            cls=_most_specific(classes),
            pref=prefs[0],
            alts=tuple(_zh(graph, subject, SKOS.altLabel)),
            english=_en(graph, subject),
            abbreviations=abbreviations,
            matched=Literal(False) not in set(graph.objects(subject, FTZ.labelsMatched)),
        )
    _add_countries(entries, graph)
    lexicon = _index(entries, graph)
    lexicon.source_digest = _source_digest(source)
    return lexicon


def _add_countries(entries: dict[str, LexEntry], graph: Graph) -> None:
    try:
        zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    except OSError as exc:
        raise OntologyError("pycountry has no zh_CN names; reinstall pycountry") from exc
    for country in pycountry.countries:
        if country.alpha_2 in _NOT_COUNTRIES:
            continue
        key = str(ID[f"country/{country.alpha_2.lower()}"])
        names = {zh.gettext(country.name)}
        for attr in ("common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and zh.gettext(value) != value:
                names.add(zh.gettext(value))
        names = {n for n in names if n and not n.isascii()}
        english = getattr(country, "common_name", None) or country.name
        override = entries.get(key)
        if override is not None:
            pref = override.pref or zh.gettext(country.name)
            alts = set(override.alts) | (names - {pref})
            entries[key] = LexEntry(
                key,
                "Country",
                pref,
                tuple(sorted(alts)),
                override.english or english,
                override.abbreviations,
            )
        elif names:
            pref = zh.gettext(country.name)
            if pref == country.name:
                continue
            entries[key] = LexEntry(key, "Country", pref, tuple(sorted(names - {pref})), english)
        graph.add((URIRef(key), RDF.type, FTZ.Country))


def _index(entries: dict[str, LexEntry], graph: Graph) -> Lexicon:
    by_label: dict[str, list[Entity]] = defaultdict(list)
    abbreviations: dict[str, Entity] = {}
    places: set[str] = set()
    cities: set[str] = set()
    rank = {cls: i for i, cls in enumerate(CLASS_PRIORITY)}
    for entry in entries.values():
        entity = entry.entity
        for label in (entry.pref, *entry.alts) if entry.matched else ():
            if len(label) >= 2 and entity not in by_label[label]:
                by_label[label].append(entity)
            if entry.cls in PLACE_CLASSES or entry.cls == "Area":
                places.add(label)
            if entry.cls == "City":
                cities.add(label)
                if label.endswith(("市", "县", "镇", "旗")) and len(label) > 2:
                    cities.add(label[:-1])
        for abbreviation in entry.abbreviations:
            abbreviations[abbreviation] = entity
    for found in by_label.values():
        found.sort(key=lambda e: (rank.get(e.cls, 99), e.key))
    facts = []
    for s, p, o in graph:
        name = _local(p) if isinstance(p, URIRef) else ""
        if name and str(s) in entries and str(o) in entries and name != "abbreviation":
            facts.append((str(s), name, str(o)))
    lexicon = Lexicon(
        entries=entries,
        graph=graph,
        by_label={k: tuple(v) for k, v in by_label.items()},
        abbreviations=abbreviations,
        place_names=frozenset(places),
        city_names=frozenset(cities),
        facts=tuple(sorted(facts)),
    )
    lexicon._by_entity = {e.entity: e for e in entries.values()}
    return lexicon


def _source_digest(source: str) -> str:
    digest = hashlib.sha256(Path(source).read_bytes())
    digest.update(f"pycountry={getattr(pycountry, '__version__', '?')}".encode())
    return digest.hexdigest()
