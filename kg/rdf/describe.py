"""The default graph's descriptions: each entity's type, labels and aliases, lexicon facts and
the ontology terms a graph uses, drawn subject by subject by the :class:`Describer`."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..extract.lexicon import Lexicon
from ..model import Entity
from ..namespaces import (
    FTZ,
    ONTOLOGY_IRI,
    OWL,
    RDF,
    RDFS,
    SKOS,
    term,
)
from .iris import (
    SECTOR_SCHEME,
    entity_iri,
)
from .literals import tagged
from .rdfwrite import Triple

_DIGIT_CJK = re.compile(r"(?<=\d)(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?=\d)")

_EXTRA_TYPES = {"FreeTradePort": (FTZ.PilotFreeTradeZone,), "Sector": (SKOS.Concept,)}


@functools.lru_cache(maxsize=65536)
def _zh(text: str) -> Literal:
    return tagged(text, "zh")


_TYPE = frozenset({RDF.type})


def used_terms(triples: Iterable[Triple]) -> set[Node]:
    """The ontology terms ``triples`` use: their predicates and the classes they type with."""
    used: set[Node] = {p for _s, p, _o in triples}
    if RDF.type in used:  # set membership: rdflib's term __eq__ is slow
        used.update(o for _s, p, o in triples if p is RDF.type or p in _TYPE)
    return used


class Describer:
    """The default graph's description of entities, one subject at a time.

    A subject's description depends only on the entity, the surface forms it was found
    under, and which lexicon entities were found (a lexicon fact is kept when both ends
    were), so that an incremental build can redraw exactly the subjects a document touches.
    """

    def __init__(self, lexicon: Lexicon, ontology: Graph) -> None:
        self.lexicon = lexicon
        self.ontology = ontology
        self._facts: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for s, p, o in lexicon.facts:
            self._facts[s].append((p, o))
        # Which subjects' descriptions change when a lexicon entity comes or goes.
        self._dependents: dict[str, set[str]] = defaultdict(set)
        for subject, _p, obj in lexicon.graph:
            if isinstance(obj, URIRef) and isinstance(subject, URIRef):
                self._dependents[str(obj)].add(str(subject))

    def dependents(self, key: str) -> set[str]:
        """Lexicon subjects whose description mentions the lexicon entity ``key``."""
        return self._dependents.get(key, set())

    def describe(
        self, entity: Entity, surfaces: Iterable[str], found: Callable[[str], bool]
    ) -> set[Triple]:
        g: set[Triple] = set()
        iri = entity_iri(entity)
        g.add((iri, RDF.type, term(entity.cls)))
        for extra in _EXTRA_TYPES.get(entity.cls, ()):
            g.add((iri, RDF.type, extra))
        g.add((iri, SKOS.prefLabel, _zh(entity.label)))
        alts = set(surfaces)
        entry = self.lexicon.entry(entity)
        if entry is not None:
            alts.update(entry.alts)
            if entry.english:
                g.add((iri, RDFS.label, Literal(entry.english, lang="en")))
            self._copy_lexicon(g, iri, found)
        for label in list(alts) + [entity.label]:
            spaced = _DIGIT_CJK.sub(" ", label)
            if spaced != label:
                alts.add(spaced)
        for alt in sorted(alts - {entity.label}):
            g.add((iri, SKOS.altLabel, _zh(alt)))
        if entity.cls == "Sector":
            g.add((iri, SKOS.inScheme, SECTOR_SCHEME))
        if entity.cls == "ReformTask":
            count = re.match(r"\d+", entity.label)
            if count:
                g.add((iri, FTZ.count, Literal(int(count.group(0)))))
        if entity.key:
            for p, o in self._facts.get(entity.key, ()):
                if found(o):
                    g.add((URIRef(entity.key), term(p), URIRef(o)))
        return g

    def _copy_lexicon(self, g: set[Triple], iri: URIRef, found: Callable[[str], bool]) -> None:
        for p, o in self.lexicon.graph.predicate_objects(iri):
            if p in (SKOS.prefLabel, SKOS.altLabel, RDFS.label, FTZ.labelsMatched):
                continue
            if p == RDF.type:  # a narrower class the entity's own does not say (ZoneCollective)
                g.add((iri, p, o))
                continue
            if isinstance(o, Literal) or o == SECTOR_SCHEME or found(str(o)):
                g.add((iri, p, o))

    def uses_scheme(self, entities: Iterable[Entity]) -> bool:
        """Whether the sector scheme is described: when any lexicon entity is."""
        return any(self.lexicon.entry(e) is not None for e in entities)

    def scheme(self) -> set[Triple]:
        return {
            (SECTOR_SCHEME, p, o) for p, o in self.lexicon.graph.predicate_objects(SECTOR_SCHEME)
        }

    def ontology_terms(self, used: set[Node]) -> set[Triple]:
        """The ontology's description of the terms used, closed over their super-classes,
        domains, ranges and inverses."""
        closure = set(used) | {ONTOLOGY_IRI}
        frontier = list(closure)
        while frontier:
            node = frontier.pop()
            for p, o in self.ontology.predicate_objects(node):
                if (
                    p in (RDFS.subClassOf, RDFS.domain, RDFS.range, OWL.inverseOf)
                    and o not in closure
                ):
                    closure.add(o)
                    frontier.append(o)
        return {(node, p, o) for node in closure for p, o in self.ontology.predicate_objects(node)}
