"""Vocabularies used by ftz-kg, as rdflib namespace objects.

The ontology terms are a :class:`~rdflib.namespace.DefinedNamespace` so that a typo in a
term name fails at import time instead of producing a silent new IRI.
"""

from __future__ import annotations

import functools
from typing import TypeVar

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD, DefinedNamespace

__all__ = [
    "FTZ",
    "ID",
    "ONTOLOGY_IRI",
    "PREFIXES",
    "bind_prefixes",
    "term",
    "DCTERMS",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SH",
    "SKOS",
    "XSD",
]

ONTOLOGY_IRI = URIRef("https://w3id.org/ftz-kg/ontology")


class FTZ(DefinedNamespace):
    """The ftz-kg ontology (``ontology/ftz.ttl``)."""

    _NS = Namespace("https://w3id.org/ftz-kg/ontology#")
    _fail = True

    # classes
    Entity: URIRef
    Place: URIRef
    PilotFreeTradeZone: URIRef
    FreeTradePort: URIRef
    ZoneCollective: URIRef
    Area: URIRef
    Port: URIRef
    City: URIRef
    Region: URIRef
    Country: URIRef
    Sector: URIRef
    ReformTask: URIRef
    TaskField: URIRef
    StrategicPosition: URIRef
    Initiative: URIRef
    ProposedZone: URIRef
    Agreement: URIRef
    PolicyDocument: URIRef
    Platform: URIRef
    Organization: URIRef
    Person: URIRef
    Article: URIRef
    Observation: URIRef
    Document: URIRef
    Sentence: URIRef
    Mention: URIRef
    Assertion: URIRef

    # object properties
    hasArea: URIRef
    areaOf: URIRef
    locatedIn: URIRef
    focusesOnSector: URIRef
    facesCountry: URIRef
    hasTask: URIRef
    coversField: URIRef
    hasPosition: URIRef
    involvesCountry: URIRef
    partOf: URIRef
    linkedWith: URIRef
    supports: URIRef
    issuedFor: URIRef
    authorOf: URIRef
    affiliatedWith: URIRef
    mentions: URIRef
    denotes: URIRef
    inSentence: URIRef
    observedEntity: URIRef
    duplicateOf: URIRef

    # datatype properties
    text: URIRef
    surfaceForm: URIRef
    rule: URIRef
    startOffset: URIRef
    endOffset: URIRef
    contentHash: URIRef
    sourcePath: URIRef
    indicator: URIRef
    value: URIRef
    unit: URIRef
    normalizedValue: URIRef
    baseUnit: URIRef
    year: URIRef
    inForceFrom: URIRef
    period: URIRef
    changeRate: URIRef
    count: URIRef
    abbreviation: URIRef
    labelsMatched: URIRef
    byline: URIRef


def _resolve_terms(namespace: type[DefinedNamespace]) -> None:
    """Store every declared term as a plain class attribute.

    rdflib looks a DefinedNamespace term up through its metaclass' ``__getattr__`` on every
    use (about 1 µs); drawing a corpus graph uses terms millions of times. The stored values
    are the very IRIs the lookup returns, and undeclared names still fail.
    """
    for cls in namespace.__mro__:
        for name in getattr(cls, "__annotations__", {}):
            if not name.startswith("_") and name not in vars(namespace):
                type.__setattr__(namespace, name, namespace[name])


for _namespace in (FTZ, DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD):
    _resolve_terms(_namespace)

ID = Namespace("https://w3id.org/ftz-kg/id/")

# Only the prefixes the graph uses are bound: rdflib's default binds dozens of unused ones.
PREFIXES: dict[str, Namespace] = {
    "ftz": Namespace(str(FTZ._NS)),
    "id": ID,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "prov": Namespace(str(PROV)),
    "dcterms": Namespace(str(DCTERMS)),
}


@functools.lru_cache(maxsize=256)
def term(name: str) -> URIRef:
    """The ontology term ``ftz:<name>``; raises AttributeError for a term the ontology lacks."""
    return URIRef(getattr(FTZ, name))


G = TypeVar("G", bound=Graph)


def bind_prefixes(graph: G) -> G:
    """Bind exactly ftz-kg's prefixes on ``graph`` and return it."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph
