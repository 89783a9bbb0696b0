"""How the network is read: from a pyoxigraph store, with a few SELECT queries.

A build's SPARQL store is read as it is; an rdflib graph is loaded into an in-memory store
first (:mod:`kg.views.read_graph`), so there is one reader, whatever holds the graph.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from ..namespaces import DCTERMS, FTZ, PROV, RDF, RDFS, SKOS
from ..rdf.edges import ENTITY_CLASSES, NOT_RELATIONS, entity_class, is_relation
from .facts import _assemble, _Facts
from .network import _FTZ, Figure, Network, Sentence, SourceDocument

# A triple of a CONSTRUCT result as IRIs: subject, predicate, object (None where the
# subject or object is no IRI).
DrawnTriple = tuple[str | None, str, str | None]


def store_network(store: ox.Store) -> Network:
    """The entity network of a build's SPARQL store (:func:`kg.store.open_store`), or of
    any store holding a built graph, read with a few SELECT queries."""
    return _assemble(_read_store(store))


def drawn_network(store: ox.Store, drawn: Iterable[DrawnTriple]) -> Network:
    """The network of the triples ``drawn`` (a CONSTRUCT result): they decide which
    entities and relations are drawn, and ``store`` says what those are (class, labels)
    and gives their evidence (sentences, documents)."""
    return _assemble(_read_store(store, drawn))


def _scan(pattern: str, *variables: str) -> str:
    """``pattern`` as a sub-SELECT of ``variables``, so that oxigraph hash-joins it."""
    return f"{{ SELECT {' '.join('?' + v for v in variables)} WHERE {{ {pattern} }} }}"


_SPARQL_PREFIXES = f"""PREFIX ftz: <{_FTZ}>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
PREFIX prov: <{PROV}>
"""

_ENTITY_VALUES = "VALUES ?class { " + " ".join(f"ftz:{c}" for c in ENTITY_CLASSES) + " }"

_Q_SENTENCES = f"""SELECT ?x ?text ?doc ?offset WHERE {{
  {_scan("?x a ftz:Sentence", "x")}
  OPTIONAL {_scan("?x ftz:text ?text", "x", "text")}
  OPTIONAL {_scan("?x prov:wasDerivedFrom ?doc", "x", "doc")}
  OPTIONAL {_scan("?x ftz:startOffset ?offset", "x", "offset")}
}}"""

_Q_MENTIONED = f"""SELECT DISTINCT ?entity ?sentence WHERE {{
  {{ {_scan("?mention ftz:denotes ?entity", "mention", "entity")}
    {_scan("?mention ftz:inSentence ?sentence", "mention", "sentence")} }}
  UNION {{ {_scan("?sentence a ftz:Sentence", "sentence")}
    {_scan("?sentence ftz:mentions ?entity", "sentence", "entity")} }}
}}"""

_Q_FIGURES = f"""SELECT ?x ?entity ?where ?label ?surface WHERE {{
  {_scan("?x ftz:observedEntity ?entity", "x", "entity")}
  OPTIONAL {_scan("?x ftz:inSentence ?where", "x", "where")}
  OPTIONAL {_scan("?x skos:prefLabel ?label", "x", "label")}
  OPTIONAL {_scan("?x ftz:surfaceForm ?surface", "x", "surface")}
}}"""

_Values = Mapping[str, set[Any]]  # a column (variable name or predicate IRI) -> its terms

_Table = dict[str, dict[str, set[Any]]]  # a node -> its values


def _rows(store: ox.Store, query: str) -> ox.QuerySolutions:
    solutions = store.query(_SPARQL_PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)  # the queries here are all SELECTs
    return solutions


def _grouped(store: ox.Store, query: str) -> _Table:
    """The solutions of ``query`` by the node in their first column: column -> terms."""
    solutions = _rows(store, query)
    names = [v.value for v in solutions.variables]
    table: _Table = {}
    for solution in solutions:
        values = table.setdefault(solution[0].value, defaultdict(set))
        for name, term in zip(names[1:], tuple(solution)[1:], strict=True):
            if term is not None:
                values[name].add(term)
    return table


def _properties(store: ox.Store, selector: str, predicates: Iterable[URIRef] = ()) -> _Table:
    """The values of ``predicates`` (of every predicate but ``ftz:mentions`` when none is
    given) of each node ``?x`` that the graph pattern ``selector`` matches."""
    wanted = " ".join(f"<{p}>" for p in predicates)
    # Named predicates are read with one scan each and hash-joined; without them, the
    # lookup per node is cheaper than hashing the whole store.
    where = (
        _scan(f"VALUES ?p {{ {wanted} }} ?x ?p ?v", "x", "p", "v")
        if wanted
        else "?x ?p ?v FILTER(?p != ftz:mentions)"
    )
    query = f"""SELECT DISTINCT ?x ?p ?v WHERE {{
  {{ SELECT DISTINCT ?x WHERE {{ {selector} }} }}
  OPTIONAL {{ {where} }}
}}"""
    table: _Table = {}
    for x, p, v in _rows(store, query):
        values = table.setdefault(x.value, defaultdict(set))
        if p is not None:
            values[p.value].add(v)
    return table


def _first(values: _Values, column: str) -> Any | None:
    """One term of ``column``, the same on every run (rdflib's ``Graph.value`` takes any)."""
    found = values.get(column)
    return min(found, key=str) if found else None


def _smallest_value(values: _Values, column: str) -> str:
    """Like :func:`_literal` with no language: the smallest literal value ("" when none)."""
    found = [v.value for v in values.get(column, ()) if isinstance(v, ox.Literal)]
    return min(found, default="")


def _tagged(terms: Iterable[Any]) -> set[tuple[str, str | None]]:
    return {(t.value, t.language) for t in terms if isinstance(t, ox.Literal)}


@dataclass(frozen=True)
class _StoreTables:
    """The solutions of the store's queries, grouped by node (see :func:`_fetch_tables`)."""

    entities: _Table
    labels: _Table  # rdfs:label of everything: the terms are named by it
    documents: _Table
    sentences: _Table
    mentioned: set[tuple[str, str]]  # (entity, sentence)
    figures: _Table
    assertions: _Table


def _mentioned(store: ox.Store) -> set[tuple[str, str]]:
    return {(entity.value, sentence.value) for entity, sentence in _rows(store, _Q_MENTIONED)}


def _fetch_tables(store: ox.Store) -> _StoreTables:
    """Run the queries at once. pyoxigraph lets go of the GIL while it evaluates and decodes
    terms, which is most of the time here, so on several cores the queries overlap (on the
    corpus 4.8 s one after another, 3.4 s on two cores); the grouping in Python interleaves."""
    parts = (RDF.subject, RDF.predicate, RDF.object, FTZ.inSentence, FTZ.rule)
    doc_fields = (DCTERMS.title, SKOS.prefLabel, FTZ.sourcePath)
    with ThreadPoolExecutor(max_workers=min(7, os.cpu_count() or 1)) as pool:
        # Submitted longest first, so that a small pool is not left waiting on one of them.
        sentences = pool.submit(_grouped, store, _Q_SENTENCES)
        mentioned = pool.submit(_mentioned, store)
        entities = pool.submit(
            _properties, store, f"{_ENTITY_VALUES} ?x a ?class FILTER(isIRI(?x))"
        )
        figures = pool.submit(_grouped, store, _Q_FIGURES)
        assertions = pool.submit(_properties, store, "?x a ftz:Assertion", parts)
        documents = pool.submit(_properties, store, "?x a ftz:Document", doc_fields)
        labels = pool.submit(_properties, store, "?x rdfs:label ?label", [RDFS.label])
        return _StoreTables(
            entities=entities.result(),
            labels=labels.result(),
            documents=documents.result(),
            sentences=sentences.result(),
            mentioned=mentioned.result(),
            figures=figures.result(),
            assertions=assertions.result(),
        )


def _read_store(store: ox.Store, drawn: Iterable[DrawnTriple] | None = None) -> _Facts:
    return _read_tables(_fetch_tables(store), drawn)


def _read_tables(tables: _StoreTables, drawn: Iterable[DrawnTriple] | None = None) -> _Facts:
    """The facts of the queries' solutions (from a store, or the same tables made from a
    build's triples: :mod:`kg.views.read_triples`)."""
    classes: dict[str, str] = {}
    for iri, values in tables.entities.items():
        types = {t.value for t in values.get(str(RDF.type), ()) if isinstance(t, ox.NamedNode)}
        if (cls := entity_class(types)) is not None:
            classes[iri] = cls
    links = None
    if drawn is not None:
        # Which entities are drawn: those the CONSTRUCT result talks about.
        triples = list(drawn)
        shown = {t for s, _, o in triples for t in (s, o) if t is not None and t in classes}
        classes = {iri: cls for iri, cls in classes.items() if iri in shown}
        links = {
            (s, p, o)
            for s, p, o in triples
            if s is not None and o is not None and is_relation(s, p, o, shown.__contains__)
        }
    facts = _Facts(classes=classes)
    for iri in classes:
        _store_entity(iri, tables.entities[iri], facts)
    if links is not None:
        facts.links = links
    # Terms (relations, classes) are named by their rdfs:label, so read all of those.
    label = str(RDFS.label)
    for iri, values in tables.labels.items():
        facts.literals[(iri, label)].update(_tagged(values[label]))
    facts.documents = _store_documents(tables.documents)
    known = _store_sentences(tables.sentences, facts.documents)
    for entity, sentence in tables.mentioned:
        if entity in classes:
            facts.node_sentences[entity].add(sentence)
    _store_figures(tables.figures, facts)
    _store_assertions(tables.assertions, facts)
    # Evidence citing a node that is no Sentence (never so in a built graph) reads as empty.
    cited: set[str] = set().union(*facts.node_sentences.values(), *facts.edge_sentences.values())
    cited |= {f.sentence for figures in facts.node_figures.values() for f in figures}
    cited.discard("")
    facts.sentences = {i: known.get(i) or Sentence(i, "", "", 0) for i in cited}
    return facts


def _store_entity(iri: str, values: _Values, facts: _Facts) -> None:
    for label in (SKOS.prefLabel, DCTERMS.title):
        facts.literals[(iri, str(label))].update(_tagged(values.get(str(label), ())))
    facts.aliases[iri].update(v.value for v in values.get(str(SKOS.altLabel), ()))
    for predicate, objects in values.items():
        if predicate in NOT_RELATIONS:
            continue
        for o in objects:
            if isinstance(o, ox.NamedNode) and is_relation(
                iri, predicate, o.value, facts.classes.__contains__
            ):
                facts.links.add((iri, predicate, o.value))


def _store_documents(table: _Table) -> dict[str, SourceDocument]:
    title, pref, source = str(DCTERMS.title), str(SKOS.prefLabel), str(FTZ.sourcePath)
    documents: dict[str, SourceDocument] = {}
    for doc, values in table.items():
        name = _smallest_value(values, title) or _smallest_value(values, pref)
        path = _smallest_value(values, source)
        documents[doc] = SourceDocument(doc, name or path or doc, path)
    return documents


def _store_sentences(table: _Table, documents: Mapping[str, SourceDocument]) -> dict[str, Sentence]:
    sentences: dict[str, Sentence] = {}
    for key, values in table.items():
        doc = _first(values, "doc")
        sentences[key] = Sentence(
            key,
            _smallest_value(values, "text"),
            doc.value if doc is not None and doc.value in documents else "",
            _offset(_first(values, "offset")),
        )
    return sentences


def _offset(term: Any) -> int:
    if not isinstance(term, ox.Literal):
        return 0
    try:
        return int(term.value)
    except ValueError:
        return 0


def _store_figures(table: _Table, facts: _Facts) -> None:
    for values in table.values():
        where = _first(values, "where")
        label = _smallest_value(values, "label") or _smallest_value(values, "surface")
        figure = Figure(label, where.value if where is not None else "")
        for entity in values["entity"]:
            if entity.value in facts.classes:
                facts.node_figures[entity.value].add(figure)


def _store_assertions(table: _Table, facts: _Facts) -> None:
    parts = (RDF.subject, RDF.predicate, RDF.object)
    for values in table.values():
        s, p, o = (_first(values, str(part)) for part in parts)
        if s is None or p is None or o is None:
            continue
        key = (s.value, p.value, o.value)
        if key in facts.links:
            facts.edge_sentences[key].update(t.value for t in values.get(str(FTZ.inSentence), ()))
            facts.edge_rules[key].update(t.value for t in values.get(str(FTZ.rule), ()))
