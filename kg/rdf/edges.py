"""What an entity and a relation of the graph are: one definition for every count.

The build summary, ``ftz-kg stats`` and the maps all count "relations"; they count what
:func:`is_relation` accepts: a distinct triple between two different entities whose
predicate is not bookkeeping (a type, a mention, an observation's subject). It does not
matter whether a text stated it (``ftz:hasArea`` read in a sentence) or the lexicon did
(a port ``ftz:facesCountry`` a country, a sector's ``skos:broader``): a triple stated
by several documents, or by a document and the lexicon, is one relation.

An entity is a node typed with one of :data:`ENTITY_CLASSES` and with no provenance
class (a source document is also typed ``ftz:Article``, and is no entity).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from rdflib import URIRef

from ..namespaces import FTZ, RDF
from .rdfwrite import Triple

__all__ = [
    "ENTITY_CLASSES",
    "NOT_RELATIONS",
    "entity_class",
    "entity_classes",
    "is_relation",
    "relations_of",
]

_FTZ = str(FTZ._NS)

# Entity classes, most specific first: a node typed with several gets the first one.
ENTITY_CLASSES: tuple[str, ...] = (
    "FreeTradePort",
    "PilotFreeTradeZone",
    "Area",
    "Port",
    "City",
    "Region",
    "Country",
    "Sector",
    "ReformTask",
    "TaskField",
    "StrategicPosition",
    "Initiative",
    "ProposedZone",
    "Agreement",
    "PolicyDocument",
    "Platform",
    "Organization",
    "Person",
    "Article",
)
_CLASS_RANK = {name: i for i, name in enumerate(ENTITY_CLASSES)}
# Provenance: never an entity. A source document is also typed Article.
PROVENANCE_CLASSES = frozenset(
    str(FTZ[name]) for name in ("Document", "Sentence", "Mention", "Assertion", "Observation")
)
# Predicates between two entities that are not relations.
NOT_RELATIONS = frozenset(str(p) for p in (RDF.type, FTZ.mentions, FTZ.denotes, FTZ.observedEntity))


def entity_class(types: Iterable[str]) -> str | None:
    """The class name of a node typed with ``types`` (IRIs), or None if it is no entity."""
    types = set(types)
    if types & PROVENANCE_CLASSES:
        return None
    names = [t[len(_FTZ) :] for t in types if t.startswith(_FTZ)]
    ranked = sorted((n for n in names if n in _CLASS_RANK), key=_CLASS_RANK.__getitem__)
    return ranked[0] if ranked else None


def entity_classes(triples: Iterable[Triple]) -> dict[str, str]:
    """Entity IRI → class name, for the entities typed in ``triples``."""
    types: dict[str, set[str]] = defaultdict(set)
    for s, p, o in triples:
        if p == RDF.type and isinstance(s, URIRef) and isinstance(o, URIRef):
            types[str(s)].add(str(o))
    return {iri: c for iri, t in types.items() if (c := entity_class(t)) is not None}


def is_relation(subject: str, predicate: str, obj: str, is_entity: Callable[[str], bool]) -> bool:
    """Whether the triple (IRIs as strings) is a relation: see the module doc."""
    return (
        predicate not in NOT_RELATIONS and subject != obj and is_entity(obj) and is_entity(subject)
    )


def relations_of(triples: Iterable[Triple]) -> set[Triple]:
    """The relations among ``triples`` (a whole graph: the entities are those it types)."""
    triples = list(triples)
    entities = entity_classes(triples).__contains__
    return {
        (s, p, o)
        for s, p, o in triples
        if isinstance(o, URIRef) and is_relation(str(s), str(p), str(o), entities)
    }
