"""Immutable records that flow through the pipeline.

Offsets are character offsets into :attr:`Document.text`, the *normalised* text of a
source file (see :mod:`kg.read.documents`), so that a sentence, a mention and an observation can
always be cut back out of the text they came from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from operator import attrgetter
from typing import Any, TypeVar

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

_T = TypeVar("_T")


def _pickled_by_fields(cls: type[_T]) -> type[_T]:
    """Pickle ``cls`` (a frozen dataclass with slots) as a call of its constructor with its
    fields. Otherwise pickle stores each record's state and sets it back field by field in
    Python (dataclasses' ``__setstate__``); a worker process sends every extraction to the
    build pickled, and the parent's unpickling, on a core the other worker needs, halved
    the speed-up of two workers (the 750 KB file's records: 0.053 -> 0.027 s to load,
    0.053 -> 0.030 s to dump). Records pickled the other way still load."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    values: Callable[[Any], Any] = attrgetter(*names)
    if len(names) == 1:  # attrgetter of one name gives the value, not a tuple
        one = values
        values = lambda record: (one(record),)  # noqa: E731

    def __reduce__(self: _T) -> tuple[type[_T], tuple[Any, ...]]:
        return cls, values(self)

    setattr(cls, "__reduce__", __reduce__)  # noqa: B010 (a method set on the class)
    return cls


@_pickled_by_fields
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


@_pickled_by_fields
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


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int
    article: int = -1


@_pickled_by_fields
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


@_pickled_by_fields
@dataclass(frozen=True, slots=True, order=True)
class Mention:
    start: int
    end: int
    entity: Entity
    surface: str
    sentence: int
    rule: str


@_pickled_by_fields
@dataclass(frozen=True, slots=True, order=True)
class Relation:
    subject: Entity
    predicate: str
    object: Entity
    sentence: int
    rule: str


@_pickled_by_fields
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


@_pickled_by_fields
@dataclass(frozen=True, slots=True, order=True)
class DateFact:
    """A dated event of an entity a text states: a regulation adopted (``issued``) or put
    into force (``inForceFrom``) on ``date`` (YYYY-MM-DD)."""

    entity: Entity
    kind: str
    date: str
    sentence: int
    rule: str


@_pickled_by_fields
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
