"""Immutable records that flow through the pipeline.

Offsets are character offsets into :attr:`Document.text`, the *normalised* text of a
source file (see :mod:`kg.read.documents`), so that a sentence, a mention and an observation can
always be cut back out of the text they came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

__all__ = [
    "Entity",
    "Document",
    "Sentence",
    "ArticleInfo",
    "Mention",
    "Relation",
    "Observation",
    "Extraction",
]


@dataclass(frozen=True, slots=True, order=True)
class Entity:
    """What a mention refers to: its class (ontology local name) and canonical Chinese label.

    Two mentions with equal ``Entity`` are the same node in the graph. ``key`` is the
    lexicon key (an IRI string) when the entity comes from the lexicon, else empty and the
    IRI is minted from ``cls`` and ``label`` by :mod:`kg.rdf.iris`.
    """

    cls: str
    label: str
    key: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """A source file after decoding and normalisation."""

    path: str
    name: str
    text: str
    content_hash: str
    encoding: str
    title: str = ""
    date: str = ""


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int
    article: int = -1


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """One article inside a source file (a newspaper page holds several)."""

    index: int
    title: str
    start: int
    end: int
    author: str = ""
    affiliation: str = ""
    byline: str = ""
    date: str = ""


@dataclass(frozen=True, slots=True, order=True)
class Mention:
    start: int
    end: int
    entity: Entity
    surface: str
    sentence: int
    rule: str


@dataclass(frozen=True, slots=True, order=True)
class Relation:
    subject: Entity
    predicate: str
    object: Entity
    sentence: int
    rule: str


@dataclass(frozen=True, slots=True, order=True)
class Observation:
    start: int
    end: int
    subject: Entity
    indicator: str
    value: Decimal
    unit: str
    surface: str
    sentence: int
    rule: str
    normalized_value: Decimal | None = None
    base_unit: str = ""
    year: str = ""
    period: str = ""
    change_rate: Decimal | None = None


@dataclass(frozen=True, slots=True, order=True)
class DateFact:
    """A dated event of an entity a text states: a regulation adopted (``issued``) or put
    into force (``inForceFrom``) on ``date`` (YYYY-MM-DD)."""

    entity: Entity
    kind: str
    date: str
    sentence: int
    rule: str


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one document: the unit the graph builder consumes."""

    document: Document
    sentences: tuple[Sentence, ...]
    articles: tuple[ArticleInfo, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...]
    observations: tuple[Observation, ...]
    warnings: tuple[str, ...] = field(default=())
    dates: tuple[DateFact, ...] = field(default=())
