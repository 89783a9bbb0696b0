"""The data of the zone profiles (:mod:`kg.views.profiles` reads it from a store): typed, frozen
and ordered, so that the same graph gives equal profiles and the same pages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..rdf.edges import ENTITY_CLASSES

__all__ = [
    "SECTIONS",
    "Entity",
    "Figure",
    "Link",
    "MatrixCell",
    "Series",
    "Source",
    "TimelineEntry",
    "ZoneMatrix",
    "ZoneProfile",
    "zone_slug",
]

# Sections of a profile: the class of the other end of a relation decides where it goes.
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("sectors", "重点产业 sectors", ("Sector",)),
    ("positions", "战略定位 positions", ("StrategicPosition",)),
    ("tasks", "改革任务 tasks", ("ReformTask",)),
    ("platforms", "平台 platforms", ("Platform",)),
    ("ports", "口岸 ports", ("Port",)),
    ("countries", "面向国家 partner countries", ("Country",)),
    ("initiatives", "倡议与协定 initiatives", ("Initiative", "Agreement")),
)
_SECTION_OF = {cls: key for key, _, classes in SECTIONS for cls in classes}


# -- data -----------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Entity:
    label: str  # skos:prefLabel (zh); first so that entities sort by label
    iri: str
    label_en: str = ""
    cls: str = ""


@dataclass(frozen=True, order=True)
class Source:
    """A sentence that states something, with the document (or article) it comes from."""

    date: str  # the article's or else the document's dcterms:date ("" when none)
    title: str  # the article's or else the document's title
    path: str  # the source file
    text: str
    sentence: str  # the Sentence IRI


@dataclass(frozen=True)
class Link:
    """One relation of the zone or of one of its areas (``holder``) with ``target``."""

    holder: Entity
    relation: str  # short name: focusesOnSector, linkedWith, skos:broader …
    relation_zh: str
    relation_en: str
    target: Entity
    incoming: bool  # target → holder (e.g. a platform ftz:partOf the zone)
    sources: tuple[Source, ...]  # empty: a lexicon fact, no sentence states it

    @property
    def statements(self) -> int:
        return len(self.sources)

    @property
    def documents(self) -> int:
        return len({s.path for s in self.sources})


@dataclass(frozen=True)
class Figure:
    """A figure quoted about ``entity`` (an ``ftz:Observation``)."""

    entity: Entity
    indicator: str
    value: str  # as written
    unit: str
    normalized: Decimal | None  # in base units
    base_unit: str
    year: str
    period: str
    change_rate: str  # percent, "" when none
    source: Source | None


@dataclass(frozen=True)
class Series:
    """The same indicator of the same entity in several years (base units)."""

    entity: Entity
    indicator: str
    base_unit: str
    points: tuple[tuple[str, Decimal], ...]  # (year, value), by year


@dataclass(frozen=True, order=True)
class TimelineEntry:
    """A document (or an article of one) whose sentences mention the zone or its areas."""

    date: str
    title: str
    path: str
    sentences: int


@dataclass(frozen=True)
class ZoneProfile:
    zone: Entity
    slug: str
    aliases: tuple[str, ...]
    areas: tuple[Entity, ...]
    links: tuple[Link, ...]  # the zone's and its areas' relations, hasArea included
    task_fields: Mapping[str, tuple[Entity, ...]]  # task IRI -> the fields it covers
    figures: tuple[Figure, ...]  # about the zone or its areas
    nearby_figures: tuple[Figure, ...]  # of other entities, in sentences that mention them
    series: tuple[Series, ...]
    timeline: tuple[TimelineEntry, ...]  # dated first, by date; then undated, by title

    def section(self, key: str, holder: str | None = None) -> tuple[Link, ...]:
        """The links of one section (:data:`SECTIONS`), of ``holder`` only if given."""
        return tuple(
            link
            for link in self.links
            if _SECTION_OF.get(link.target.cls) == key
            and (holder is None or link.holder.iri == holder)
        )

    def others(self) -> tuple[Link, ...]:
        """Links in no section (cities, regions, documents …), hasArea aside."""
        return tuple(
            link
            for link in self.links
            if link.target.cls not in _SECTION_OF
            and not (link.relation == "hasArea" and link.target.iri in self.area_iris)
        )

    @property
    def area_iris(self) -> frozenset[str]:
        return frozenset(a.iri for a in self.areas)

    @property
    def statements(self) -> int:
        return len({s.sentence for link in self.links for s in link.sources})


@dataclass(frozen=True)
class MatrixCell:
    statements: int  # distinct sentences stating a sector of the zone or of its areas
    documents: int


@dataclass(frozen=True)
class ZoneMatrix:
    zones: tuple[ZoneProfile, ...]
    sectors: tuple[Entity, ...]  # by statements over all zones, most first
    cells: Mapping[tuple[str, str], MatrixCell] = field(default_factory=dict)  # (zone, sector)


def zone_slug(iri: str) -> str:
    """The file name (without ``.html``) of a zone's page: its IRI's last path segment."""
    last = iri.rstrip("/").rsplit("/", 1)[-1].lower()
    return re.sub(r"[^a-z0-9-]+", "-", last).strip("-") or "zone"


assert set(_SECTION_OF) <= set(ENTITY_CLASSES)
