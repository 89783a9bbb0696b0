"""The network of a build's own triples: the tables of :mod:`kg.views.read_store`'s seven
queries, made in Python from the triples the build holds in memory.

A build that drew every document holds its whole graph (each document's triples and the
default graph) until it returns. Its maps read these instead of the SPARQL store: the
queries cost about 5 s of one core on the corpus store, and the maps no longer wait for
the store's load. The tables hold the pyoxigraph terms the queries give, so the network
is made by the same code (:func:`kg.views.read_store._read_tables`) whatever was read;
``tests/test_speed_equivalence.py`` compares the two on built graphs.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import compress
from operator import itemgetter
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from ..namespaces import DCTERMS, FTZ, PROV, RDF, RDFS, SKOS
from ..rdf.edges import ENTITY_CLASSES
from ..rdf.rdfwrite import Triple
from ..store.engines import _from_rdflib_term
from .facts import _assemble
from .network import Network
from .read_store import _read_tables, _StoreTables, _Table

__all__ = ["triples_network"]

# The predicates the queries read (besides every predicate of an entity), by IRI.
_TYPE = str(RDF.type)
_MENTIONS = str(FTZ.mentions)
_DENOTES = str(FTZ.denotes)
_IN_SENTENCE = str(FTZ.inSentence)
_OBSERVED = str(FTZ.observedEntity)
_ENTITY_TYPES = frozenset(str(FTZ[name]) for name in ENTITY_CLASSES)
_DOCUMENT_FIELDS = tuple(str(p) for p in (DCTERMS.title, SKOS.prefLabel, FTZ.sourcePath))
_ASSERTION_PARTS = tuple(
    str(p) for p in (RDF.subject, RDF.predicate, RDF.object, FTZ.inSentence, FTZ.rule)
)
# (column of _Q_SENTENCES / _Q_FIGURES, predicate)
_SENTENCE_COLUMNS = (
    ("text", str(FTZ.text)),
    ("doc", str(PROV.wasDerivedFrom)),
    ("offset", str(FTZ.startOffset)),
)
_SUBJECT = itemgetter(0)
_FIGURE_COLUMNS = (
    ("where", _IN_SENTENCE),
    ("label", str(SKOS.prefLabel)),
    ("surface", str(FTZ.surfaceForm)),
)


def triples_network(graphs: Iterable[Iterable[Triple]]) -> Network:
    """The network :func:`kg.views.read_store.store_network` reads from a store holding
    ``graphs`` (each graph's triples; their union is read, as the store's queries read the
    union of its graphs)."""
    return _assemble(_read_tables(_tables(_by_predicate(graphs))))


def _by_predicate(graphs: Iterable[Iterable[Triple]]) -> dict[str, list[Triple]]:
    """Every triple, grouped by its predicate's IRI (a triple in several graphs comes once
    per graph: the tables are sets, as the queries' solutions are DISTINCT)."""
    found: dict[str, list[Triple]] = defaultdict(list)
    # The list of each predicate term object, by its id (as kg.rdf.shacl._Index does: a
    # drawn graph shares a few hundred predicate objects among all its triples). The term
    # is kept beside its list so that no other object takes its id meanwhile.
    keys: dict[int, tuple[Node, list[Triple]]] = {}
    for triples in graphs:
        for triple in triples:
            p = triple[1]
            known = keys.get(id(p))
            if known is None:
                known = keys[id(p)] = (p, found[sys.intern(str(p))])
            known[1].append(triple)
    return found


class _Terms:
    """pyoxigraph terms of rdflib terms, each IRI made once: what the store's queries give."""

    def __init__(self) -> None:
        self.iris: dict[str, Any] = {}

    def __call__(self, term: Node) -> Any:
        if type(term) is URIRef:
            key = str(term)  # a plain string compares in C, an rdflib term in Python
            made = self.iris.get(key)
            if made is None:
                made = self.iris[key] = ox.NamedNode(key)
            return made
        if type(term) is Literal:  # without _from_rdflib_term's import per call
            if term.language:
                return ox.Literal(str(term), language=term.language)
            datatype = term.datatype
            if datatype is not None:
                return ox.Literal(str(term), datatype=self(datatype))
            return ox.Literal(str(term))
        return _from_rdflib_term(term)


def _columns(
    nodes: Iterable[Node],
    by_predicate: Mapping[str, list[Triple]],
    columns: Sequence[tuple[str, str]],
    term: _Terms,
) -> _Table:
    """Each of ``nodes`` with the values of each predicate of ``columns`` under the
    column's name (no entry for a column without values, as the queries' OPTIONALs)."""
    # By the terms themselves: a subject that is none of ``nodes`` is turned away by its
    # hash (in C), and the drawing shares one term object for a node's triples.
    rows: dict[Node, dict[str, set[Any]]] = {node: defaultdict(set) for node in nodes}
    wanted = rows.__contains__
    for name, predicate in columns:
        triples = by_predicate.get(predicate, ())
        # The triples about ``nodes`` picked out in C (compress, map): most of a column's
        # subjects are other nodes (the entities' columns see every triple of the graph).
        for s, _p, o in compress(triples, map(wanted, map(_SUBJECT, triples))):
            rows[s][name].add(term(o))
    return {str(node): values for node, values in rows.items()}


def _tables(by_predicate: Mapping[str, list[Triple]]) -> _StoreTables:
    term = _Terms()
    typed: dict[Node, set[Node]] = defaultdict(set)
    for s, _p, o in by_predicate.get(_TYPE, ()):
        typed[o].add(s)
    # IRIs only, as the query's FILTER(isIRI(?x)) (the build mints no blank node).
    entities = {
        s for cls in _ENTITY_TYPES for s in typed.get(URIRef(cls), ()) if isinstance(s, URIRef)
    }
    labels = str(RDFS.label)
    sentences = typed.get(FTZ.Sentence, set())
    return _StoreTables(
        entities=_columns(
            entities, by_predicate, [(p, p) for p in by_predicate if p != _MENTIONS], term
        ),
        labels=_columns(
            {s for s, _p, _o in by_predicate.get(labels, ())},
            by_predicate,
            [(labels, labels)],
            term,
        ),
        documents=_columns(
            typed.get(FTZ.Document, ()), by_predicate, [(p, p) for p in _DOCUMENT_FIELDS], term
        ),
        sentences=_columns(sentences, by_predicate, _SENTENCE_COLUMNS, term),
        mentioned=_mentioned(by_predicate, sentences),
        figures=_columns(
            {s for s, _p, _o in by_predicate.get(_OBSERVED, ())},
            by_predicate,
            [("entity", _OBSERVED), *_FIGURE_COLUMNS],
            term,
        ),
        assertions=_columns(
            typed.get(FTZ.Assertion, ()), by_predicate, [(p, p) for p in _ASSERTION_PARTS], term
        ),
    )


def _mentioned(
    by_predicate: Mapping[str, list[Triple]], sentences: set[Node]
) -> set[tuple[str, str]]:
    """(entity, sentence) of :data:`kg.views.read_store._Q_MENTIONED`: a mention's entity
    and sentence, and what a sentence mentions."""
    denoted: dict[Node, set[str]] = defaultdict(set)
    for mention, _p, entity in by_predicate.get(_DENOTES, ()):
        denoted[mention].add(str(entity))
    found: set[tuple[str, str]] = set()
    placed = by_predicate.get(_IN_SENTENCE, ())
    for mention, _p, sentence in compress(placed, map(denoted.__contains__, map(_SUBJECT, placed))):
        where = str(sentence)
        found.update((entity, where) for entity in denoted[mention])
    mentions = by_predicate.get(_MENTIONS, ())
    for sentence, _p, entity in compress(
        mentions, map(sentences.__contains__, map(_SUBJECT, mentions))
    ):
        found.add((str(entity), str(sentence)))
    return found
