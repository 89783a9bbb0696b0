"""The graph as a network of entities: nodes, edges and their evidence.

:func:`build_network` turns an rdflib graph (the built graph, or the result of a SPARQL
CONSTRUCT with the built graph as context) into a :class:`Network`, and
:func:`store_network` reads the same network out of a build's SPARQL store: one node per entity
(class, Chinese and English labels, aliases, the sentences that mention it), one edge per
entity-to-entity relation (with the sentences its ``Assertion`` nodes cite). Provenance
nodes (documents, sentences, mentions, assertions, observations) are never nodes: they
are folded into the evidence of the nodes and edges. Everything here is pure data, so the
maps (:mod:`kg.views`), the statistics and the Gephi/spreadsheet exports share it and are
testable without a browser.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import sys
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node as RdfNode

from ..errors import OutputError, QueryError, ViewError
from ..fuzzy import did_you_mean, suggest
from ..fuzzy import match_key as _match_key
from ..namespaces import DCTERMS, FTZ, OWL, PROV, RDF, RDFS, SKOS
from ..rdf.edges import ENTITY_CLASSES, NOT_RELATIONS, entity_class, entity_classes, is_relation
from ..rdf.serialize import write_atomic
from ..rdf.xmltext import xml_safe

__all__ = [
    "ENTITY_CLASSES",
    "Edge",
    "Figure",
    "Network",
    "Node",
    "Selection",
    "Sentence",
    "SourceDocument",
    "Term",
    "build_network",
    "construct_network",
    "export_network",
    "find_entity",
    "load_network",
    "network_stats",
    "select",
    "stats_of",
    "store_network",
]

_FTZ = str(FTZ._NS)

# Relations from outside the ftz ontology that the graph uses between entities.
_FALLBACK_TERMS: dict[str, tuple[str, str]] = {
    str(SKOS.broader): ("上位概念", "broader"),
    str(SKOS.narrower): ("下位概念", "narrower"),
    str(SKOS.related): ("相关", "related"),
}
_PREFIXES = (
    ("", _FTZ),
    ("skos:", str(SKOS)),
    ("dcterms:", str(DCTERMS)),
    ("prov:", str(PROV)),
    ("rdfs:", str(RDFS)),
    ("owl:", str(OWL)),
)


# -- data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A class or a relation: its short name (``Area``, ``focusesOnSector``,
    ``skos:broader``), IRI and labels."""

    name: str
    iri: str
    zh: str
    en: str


@dataclass(frozen=True)
class SourceDocument:
    id: str
    title: str
    path: str


@dataclass(frozen=True)
class Sentence:
    id: str
    text: str
    document: str  # SourceDocument.id ("" when unknown)
    offset: int


@dataclass(frozen=True)
class Figure:
    """A figure quoted about an entity (an ``Observation``), e.g. 外贸进出口 2206.7亿元（2025）."""

    label: str
    sentence: str  # Sentence.id ("" when unknown)


@dataclass(frozen=True)
class Node:
    id: str  # the entity IRI
    cls: str  # a name of ENTITY_CLASSES
    label: str  # skos:prefLabel (zh)
    label_en: str  # rdfs:label@en, "" when none
    aliases: tuple[str, ...]
    sentences: tuple[str, ...]  # Sentence ids, in document order
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    relation: str  # Term.name
    sentences: tuple[str, ...]  # evidence: Sentence ids of the Assertion nodes
    rules: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class Network:
    """Entities and relations, sorted (same graph, same order), plus the lookup tables
    for their evidence. ``classes`` and ``relations`` describe the terms used."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    sentences: Mapping[str, Sentence] = field(default_factory=dict)
    documents: Mapping[str, SourceDocument] = field(default_factory=dict)
    classes: Mapping[str, Term] = field(default_factory=dict)
    relations: Mapping[str, Term] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {n.id: n for n in self.nodes})

    def node(self, node_id: str) -> Node:
        index: dict[str, Node] = self.__dict__["_index"]
        return index[node_id]

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.__dict__["_index"]

    def spellings(self) -> list[tuple[str, str]]:
        """The alias index: every name an entity goes by (Chinese label, English label,
        aliases, the IRI's local name), each with the name to call it by (its label; with
        the IRI when several entities share that label). The map's search box looks in the
        same names; ``--focus`` suggests from them."""
        counts: dict[str, int] = defaultdict(int)
        for n in self.nodes:
            counts[n.label] += 1
        out: list[tuple[str, str]] = []
        for n in self.nodes:
            name = n.label if counts[n.label] == 1 else f"{n.label} ({n.id})"
            for spelling in (n.label, n.label_en, *n.aliases, n.id.rsplit("/", 1)[-1]):
                if spelling:
                    out.append((spelling, name))
        return out

    def degrees(self) -> dict[str, int]:
        degree = dict.fromkeys((n.id for n in self.nodes), 0)
        for e in self.edges:
            degree[e.source] += 1
            degree[e.target] += 1
        return degree

    def restrict(self, node_ids: Iterable[str], edges: Iterable[Edge] | None = None) -> Network:
        """The sub-network on ``node_ids`` (and ``edges``, default: all edges among them).

        The evidence and term tables keep only what the remaining nodes and edges use, so
        a small view stays small.
        """
        keep = set(node_ids)
        nodes = tuple(n for n in self.nodes if n.id in keep)
        pool = self.edges if edges is None else tuple(edges)
        kept_edges = tuple(e for e in pool if e.source in keep and e.target in keep)
        used: set[str] = set()
        for n in nodes:
            used.update(n.sentences)
            used.update(f.sentence for f in n.figures)
        for e in kept_edges:
            used.update(e.sentences)
        sentences = {k: v for k, v in self.sentences.items() if k in used}
        docs = {s.document for s in sentences.values()}
        return Network(
            nodes=nodes,
            edges=kept_edges,
            sentences=sentences,
            documents={k: v for k, v in self.documents.items() if k in docs},
            classes={k: v for k, v in self.classes.items() if any(n.cls == k for n in nodes)},
            relations={
                k: v for k, v in self.relations.items() if any(e.relation == k for e in kept_edges)
            },
        )

    def to_networkx(self) -> Any:
        """A ``networkx.MultiDiGraph`` with flat (string/int) attributes, for Gephi and stats."""
        graph = nx.MultiDiGraph()
        degree = self.degrees()
        for n in self.nodes:
            cls = self.classes.get(n.cls)
            docs = sorted(
                {
                    self.documents[s.document].title
                    for s in self._sentences(n.sentences)
                    if s.document
                }
            )
            graph.add_node(
                n.id,
                label=n.label,
                label_en=n.label_en,
                **{"class": n.cls},
                class_zh=cls.zh if cls else n.cls,
                aliases=" | ".join(n.aliases),
                degree=degree[n.id],
                sentences=len(n.sentences),
                documents=" | ".join(docs),
            )
        for e in self.edges:
            term = self.relations.get(e.relation)
            graph.add_edge(
                e.source,
                e.target,
                key=e.relation,
                relation=e.relation,
                label=term.zh if term else e.relation,
                label_en=term.en if term else e.relation,
                evidence="\n".join(s.text for s in self._sentences(e.sentences)),
                documents=" | ".join(
                    sorted(
                        {
                            self.documents[s.document].title
                            for s in self._sentences(e.sentences)
                            if s.document
                        }
                    )
                ),
            )
        return graph

    def _sentences(self, ids: Iterable[str]) -> list[Sentence]:
        return [self.sentences[i] for i in ids if i in self.sentences]


# -- ontology terms -------------------------------------------------------------------------


def short_name(iri: str) -> str:
    """``ftz:focusesOnSector`` → ``focusesOnSector``; ``skos:broader`` stays prefixed."""
    for prefix, ns in _PREFIXES:
        if iri.startswith(ns):
            return prefix + iri[len(ns) :]
    return iri


@dataclass(frozen=True)
class _Ontology:
    labels: Mapping[str, tuple[str, str]]  # IRI -> (zh, en)
    symmetric: frozenset[str]  # relation IRIs
    superclasses: Mapping[str, frozenset[str]]  # class name -> its ancestors (names)


@functools.lru_cache(maxsize=1)
def _ontology() -> _Ontology:
    from ..rdf.graph import load_ontology

    onto = load_ontology()
    labels: dict[str, tuple[str, str]] = {}
    for term in set(onto.subjects(RDFS.label, None)):
        labels[str(term)] = (
            _literal(onto, term, RDFS.label, "zh"),
            _literal(onto, term, RDFS.label, "en"),
        )
    symmetric = frozenset(str(p) for p in onto.subjects(RDF.type, OWL.SymmetricProperty))
    parents: dict[str, set[str]] = defaultdict(set)
    for sub, sup in onto.subject_objects(RDFS.subClassOf):
        if str(sub).startswith(_FTZ) and str(sup).startswith(_FTZ):
            parents[str(sub)[len(_FTZ) :]].add(str(sup)[len(_FTZ) :])

    def ancestors(name: str) -> frozenset[str]:
        seen: set[str] = set()
        todo = list(parents.get(name, ()))
        while todo:
            p = todo.pop()
            if p not in seen:
                seen.add(p)
                todo.extend(parents.get(p, ()))
        return frozenset(seen)

    return _Ontology(labels, symmetric, {name: ancestors(name) for name in ENTITY_CLASSES})


def _literal(graph: Graph, subject: RdfNode, predicate: URIRef, lang: str | None) -> str:
    """The smallest literal value of ``predicate`` in ``lang`` ("" when there is none)."""
    values = sorted(
        str(o)
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and (lang is None or o.language == lang)
    )
    return values[0] if values else ""


# -- building ------------------------------------------------------------------------------

_Key = tuple[str, str, str]  # a relation: subject, predicate and object IRIs
# (subject, predicate) -> {(value, language)}: the literals that labels are chosen from
_Literals = dict[tuple[str, str], set[tuple[str, str | None]]]


def _smallest(literals: _Literals, subject: str, predicate: URIRef, lang: str | None) -> str:
    """Like :func:`_literal`, on literals already read: the smallest value in ``lang``."""
    values = [
        v for v, tag in literals.get((subject, str(predicate)), ()) if lang is None or tag == lang
    ]
    return min(values) if values else ""


def _term(iri: str, literals: _Literals) -> Term:
    name = short_name(iri)
    zh = _smallest(literals, iri, RDFS.label, "zh")
    en = _smallest(literals, iri, RDFS.label, "en")
    known = _ontology().labels.get(iri) or _FALLBACK_TERMS.get(iri) or ("", "")
    local = name.rsplit(":", 1)[-1]
    return Term(name=name, iri=iri, zh=zh or known[0] or local, en=en or known[1] or local)


@dataclass
class _Facts:
    """What a network is made of, read out of a graph as plain strings.

    Two readers fill it: :func:`_read_graph` from an rdflib graph and :func:`_read_store`
    from the build's SPARQL store, which a large build has anyway and which spares the
    views materialising the whole graph in rdflib. :func:`_assemble` makes the same
    network of either.
    """

    classes: dict[str, str] = field(default_factory=dict)  # drawn entity -> class name
    links: set[_Key] = field(default_factory=set)  # relations between drawn entities
    # Labels of drawn entities (prefLabel, title, rdfs:label) and of terms (rdfs:label).
    literals: _Literals = field(default_factory=lambda: defaultdict(set))
    aliases: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    documents: dict[str, SourceDocument] = field(default_factory=dict)
    sentences: dict[str, Sentence] = field(default_factory=dict)  # all that evidence cites
    node_sentences: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    node_figures: dict[str, set[Figure]] = field(default_factory=lambda: defaultdict(set))
    edge_sentences: dict[_Key, set[str]] = field(default_factory=lambda: defaultdict(set))
    edge_rules: dict[_Key, set[str]] = field(default_factory=lambda: defaultdict(set))


def build_network(graph: Graph, *, context: Graph | None = None) -> Network:
    """The entity network of ``graph``.

    With ``context`` (the built graph), ``graph`` is a CONSTRUCT result: its triples decide
    which entities and relations are drawn, and ``context`` supplies what they are (class,
    labels) and their evidence (sentences, documents).
    """
    return _assemble(_read_graph(graph, context))


def store_network(store: ox.Store) -> Network:
    """The entity network of a build's SPARQL store (:func:`kg.store.open_store`): the
    same as :func:`build_network` of the built graph, read with a few SELECT queries
    instead of loading all of the graph into rdflib."""
    return _assemble(_read_store(store))


# -- reading an rdflib graph -----------------------------------------------------------------


def _read_graph(graph: Graph, context: Graph | None) -> _Facts:
    desc = graph if context is None else context + graph
    classes = _graph_classes(desc)
    # Which entities are drawn: all of them, or those the CONSTRUCT result talks about.
    if context is None:
        drawn = set(classes)
    else:
        drawn = {
            str(term)
            for s, _, o in graph
            for term in (s, o)
            if isinstance(term, URIRef) and str(term) in classes
        }
    facts = _Facts(classes={iri: classes[iri] for iri in drawn})
    facts.links = {
        (str(s), str(p), str(o))
        for s, p, o in graph
        if isinstance(o, URIRef) and is_relation(str(s), str(p), str(o), drawn.__contains__)
    }
    _graph_labels(desc, facts)
    facts.documents = _graph_documents(desc)
    sentence = _GraphSentences(desc, facts)
    _graph_node_evidence(desc, facts, sentence)
    _graph_edge_evidence(desc, facts, sentence)
    return facts


def _graph_classes(desc: Graph) -> dict[str, str]:
    return entity_classes(desc.triples((None, RDF.type, None)))


def _graph_labels(desc: Graph, facts: _Facts) -> None:
    for predicate in (SKOS.prefLabel, DCTERMS.title, RDFS.label):
        for s, o in desc.subject_objects(predicate):
            # Terms (relations, classes) are named by their rdfs:label, so keep all of those.
            if isinstance(o, Literal) and (str(s) in facts.classes or predicate == RDFS.label):
                facts.literals[(str(s), str(predicate))].add((str(o), o.language))
    for s, o in desc.subject_objects(SKOS.altLabel):
        if str(s) in facts.classes:
            facts.aliases[str(s)].add(str(o))


def _graph_documents(desc: Graph) -> dict[str, SourceDocument]:
    documents: dict[str, SourceDocument] = {}
    for doc in desc.subjects(RDF.type, FTZ.Document):
        title = _literal(desc, doc, DCTERMS.title, None) or _literal(
            desc, doc, SKOS.prefLabel, None
        )
        path = _literal(desc, doc, FTZ.sourcePath, None)
        documents[str(doc)] = SourceDocument(str(doc), title or path or str(doc), path)
    return documents


class _GraphSentences:
    """Reads a sentence node into ``facts.sentences`` the first time evidence cites it."""

    def __init__(self, desc: Graph, facts: _Facts) -> None:
        self.desc = desc
        self.facts = facts

    def __call__(self, node: RdfNode) -> str:
        key = str(node)
        if key not in self.facts.sentences:
            text = _literal(self.desc, node, FTZ.text, None)
            doc = self.desc.value(node, PROV.wasDerivedFrom)
            offset = self.desc.value(node, FTZ.startOffset)
            self.facts.sentences[key] = Sentence(
                key,
                text,
                str(doc) if doc is not None and str(doc) in self.facts.documents else "",
                int(offset.toPython()) if isinstance(offset, Literal) else 0,
            )
        return key


def _graph_node_evidence(desc: Graph, facts: _Facts, sentence: _GraphSentences) -> None:
    drawn = facts.classes
    for mention, entity in desc.subject_objects(FTZ.denotes):
        if str(entity) in drawn:
            for s_node in desc.objects(mention, FTZ.inSentence):
                facts.node_sentences[str(entity)].add(sentence(s_node))
    for s_node in desc.subjects(RDF.type, FTZ.Sentence):
        for entity in desc.objects(s_node, FTZ.mentions):
            if str(entity) in drawn:
                facts.node_sentences[str(entity)].add(sentence(s_node))
    for obs, entity in desc.subject_objects(FTZ.observedEntity):
        if str(entity) in drawn:
            where = desc.value(obs, FTZ.inSentence)
            label = _literal(desc, obs, SKOS.prefLabel, None) or _literal(
                desc, obs, FTZ.surfaceForm, None
            )
            facts.node_figures[str(entity)].add(
                Figure(label, sentence(where) if where is not None else "")
            )


def _graph_edge_evidence(desc: Graph, facts: _Facts, sentence: _GraphSentences) -> None:
    for a in desc.subjects(RDF.type, FTZ.Assertion):
        key = (
            str(desc.value(a, RDF.subject)),
            str(desc.value(a, RDF.predicate)),
            str(desc.value(a, RDF.object)),
        )
        if key in facts.links:
            facts.edge_sentences[key].update(
                sentence(s_node) for s_node in desc.objects(a, FTZ.inSentence)
            )
            facts.edge_rules[key].update(str(r) for r in desc.objects(a, FTZ.rule))


# -- reading the SPARQL store ----------------------------------------------------------------
#
# The store holds one named graph per document plus the default graph, and the queries run
# on their union, where a triple stated in several graphs comes back once per graph. A
# sentence, mention or observation belongs to one document, so its triples are joined in
# SPARQL. An entity's relations and an assertion are restated by every document that makes
# them, so joining those triples would return the product of the copies (millions of rows on
# the corpus): they are read as property tables, one row per distinct (node, property,
# value), and grouped here. Sets everywhere give rdflib's union-graph semantics.
#
# Each triple pattern of a join sits in its own sub-SELECT (:func:`_scan`): oxigraph joins
# two triple patterns by looking the second up once per row of the first (a seek in the
# default graph's index and one in the named graphs'), but joins sub-SELECTs by hashing one
# side of a single scan. Same solutions; on the corpus it cut these queries from ~7 s to ~3 s.


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


def _read_store(store: ox.Store) -> _Facts:
    tables = _fetch_tables(store)
    classes: dict[str, str] = {}
    for iri, values in tables.entities.items():
        types = {t.value for t in values.get(str(RDF.type), ()) if isinstance(t, ox.NamedNode)}
        if (cls := entity_class(types)) is not None:
            classes[iri] = cls
    facts = _Facts(classes=classes)
    for iri in classes:
        _store_entity(iri, tables.entities[iri], facts)
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


# -- assembling ------------------------------------------------------------------------------


def _assemble(facts: _Facts) -> Network:
    sentences, documents = facts.sentences, facts.documents

    def in_order(ids: Iterable[str]) -> tuple[str, ...]:
        def key(i: str) -> tuple[str, int, str]:
            s = sentences[i]
            return (documents[s.document].path if s.document else "", s.offset, i)

        return tuple(sorted(ids, key=key))

    def figure_key(f: Figure) -> tuple[str, int, str]:
        s = sentences.get(f.sentence)
        return (s.document if s else "", s.offset if s else 0, f.label)

    nodes = tuple(
        _node(
            iri,
            facts,
            in_order(facts.node_sentences.get(iri, ())),
            tuple(sorted(facts.node_figures.get(iri, ()), key=figure_key)),
        )
        for iri in sorted(facts.classes)
    )
    relation_terms = {p: _term(p, facts.literals) for p in sorted({k[1] for k in facts.links})}
    edges = tuple(
        Edge(
            source=s,
            target=o,
            relation=relation_terms[p].name,
            sentences=in_order(facts.edge_sentences.get((s, p, o), ())),
            rules=tuple(sorted(facts.edge_rules.get((s, p, o), ()))),
        )
        for s, p, o in sorted(facts.links)
    )
    used_sentences = {i for n in nodes for i in n.sentences}
    used_sentences |= {f.sentence for n in nodes for f in n.figures if f.sentence}
    used_sentences |= {i for e in edges for i in e.sentences}
    used_docs = {sentences[i].document for i in used_sentences}
    used_classes = {n.cls for n in nodes}
    return Network(
        nodes=nodes,
        edges=edges,
        sentences={i: sentences[i] for i in sorted(used_sentences)},
        documents={d: documents[d] for d in sorted(used_docs) if d},
        classes={c: _term(_FTZ + c, facts.literals) for c in ENTITY_CLASSES if c in used_classes},
        relations={t.name: t for t in sorted(relation_terms.values(), key=lambda t: t.name)},
    )


def _node(iri: str, facts: _Facts, sentences: tuple[str, ...], figures: tuple[Figure, ...]) -> Node:
    literals = facts.literals
    label = (
        _smallest(literals, iri, SKOS.prefLabel, "zh")
        or _smallest(literals, iri, SKOS.prefLabel, None)
        or _smallest(literals, iri, DCTERMS.title, None)
        or _smallest(literals, iri, RDFS.label, None)
        or iri.rstrip("/").rsplit("/", 1)[-1]
    )
    return Node(
        id=iri,
        cls=facts.classes[iri],
        label=label,
        label_en=_smallest(literals, iri, RDFS.label, "en"),
        aliases=tuple(sorted(facts.aliases.get(iri, set()) - {label})),
        sentences=sentences,
        figures=figures,
    )


def load_network(
    data: str | Path | None = None,
    out_dir: str | Path = "out",
    *,
    output_option: str | None = None,
) -> tuple[Network, Graph]:
    """The network of a built graph file (default ``OUT/kg.ttl``) and the graph itself.

    ``output_option`` is the caller's option for the file it writes (see
    :func:`kg.export.graph_file`)."""
    from ..rdf.export import graph_file, load_graph

    graph = load_graph(graph_file(data, out_dir, output_option=output_option))
    return build_network(graph), graph


def construct_network(graph: Graph, query: str, *, name: str = "query") -> Network:
    """Run a SPARQL CONSTRUCT (or DESCRIBE) with rdflib on ``graph`` and draw its result.

    Independent of the SPARQL store: the query runs in memory on the loaded graph, whose
    prefixes (``ftz:``, ``id:``, ``skos:`` …) are predeclared.
    """
    from ..store.query_text import check_query_size

    check_query_size(query)  # a query nested thousands deep never reaches the engine
    try:
        result = graph.query(query)
    except Exception as exc:  # rdflib raises pyparsing and plain exceptions alike
        raise QueryError(f"{name}: the SPARQL query cannot be run ({exc}); fix its syntax") from exc
    if result.type not in ("CONSTRUCT", "DESCRIBE") or result.graph is None:
        raise QueryError(
            f"{name}: is a {result.type} query; --query draws the graph of a CONSTRUCT query: "
            "write `CONSTRUCT { ?a ftz:facesCountry ?c } WHERE { ?a ftz:facesCountry ?c }`"
        )
    return build_network(result.graph, context=graph)


# -- selecting a view ----------------------------------------------------------------------

DIRECTIONS = ("out", "in", "both")


@dataclass(frozen=True)
class Selection:
    """Which part of a network a view shows. Empty means everything."""

    focus: str | None = None
    depth: int = 1
    direction: str = "out"
    classes: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()

    def describe(self, network: Network | None = None) -> list[str]:
        """Human-readable filters, e.g. ``["focus 满洲里片区 (depth 1, out)", "classes Area"]``."""
        parts = []
        if self.focus is not None:
            parts.append(f"focus {self.focus} (depth {self.depth}, {self.direction})")
        if self.classes:
            parts.append("classes " + ", ".join(self.classes))
        if self.relations:
            parts.append("relations " + ", ".join(self.relations))
        return parts


def find_entity(network: Network, label: str) -> Node:
    """The entity called ``label``: its IRI, Chinese or English label, or an alias.

    Raises :class:`~kg.errors.ViewError` when nothing or several entities match.
    """
    # An IRI with a "/" can only match itself (local names have no "/"), so skip the scan
    # of every label: the build's area pages each look their area up by IRI.
    if "/" in label and label in network:
        return network.node(label)
    wanted = _match_key(label)
    tiers: list[list[Node]] = [[], [], [], []]
    for n in network.nodes:
        if label == n.id or wanted == _match_key(n.id.rsplit("/", 1)[-1]):
            tiers[0].append(n)
        elif wanted == _match_key(n.label):
            tiers[1].append(n)
        elif n.label_en and wanted == _match_key(n.label_en):
            tiers[2].append(n)
        elif any(wanted == _match_key(a) for a in n.aliases):
            tiers[3].append(n)
    for tier in tiers:
        if len(tier) == 1:
            return tier[0]
        if len(tier) > 1:
            listed = "; ".join(f"{n.label} ({n.cls}, {n.id})" for n in tier[:8])
            raise ViewError(
                f"{label!r} names {len(tier)} entities: {listed}; pass the IRI to --focus instead"
            )
    close = suggest(label, network.spellings(), limit=5)
    hint = (
        did_you_mean(close) + " (pass that name, an alias, an English name or an IRI to --focus)"
        if close
        else "check the spelling; `ftz-kg query label-search --param text=…` finds the names "
        "that contain a text"
    )
    raise ViewError(f"no entity is called {label!r}; {hint}")


def _resolve_classes(network: Network, wanted: Iterable[str]) -> set[str]:
    onto = _ontology()
    by_key: dict[str, str] = {}
    for name in ENTITY_CLASSES:
        by_key[name.casefold()] = name
        zh, en = onto.labels.get(_FTZ + name, ("", ""))
        for alias in (zh, en):
            if alias:
                by_key.setdefault(_match_key(alias), name)
    chosen: set[str] = set()
    for raw in wanted:
        found = by_key.get(_match_key(raw))
        if found is None:
            raise ViewError(
                f"unknown class {raw!r}; use one or more of {', '.join(ENTITY_CLASSES)} "
                "(comma-separated, e.g. --class Area,Sector,Country)"
            )
        chosen.add(found)
    # A class includes its subclasses: PilotFreeTradeZone also selects FreeTradePort.
    return {
        c for c in ENTITY_CLASSES if c in chosen or chosen & onto.superclasses.get(c, frozenset())
    }


def _resolve_relations(network: Network, wanted: Iterable[str]) -> set[str]:
    known: dict[str, str] = {}
    onto = _ontology()
    for iri, (zh, en) in sorted(onto.labels.items()):
        name = short_name(iri)
        if iri.startswith(_FTZ) and name[:1].islower():
            for alias in (name, zh, en):
                known.setdefault(_match_key(alias), name)
    for term in network.relations.values():
        for alias in (term.name, term.iri, term.zh, term.en, "ftz:" + term.name):
            known.setdefault(_match_key(alias), term.name)
    chosen = set()
    for raw in wanted:
        found = known.get(_match_key(raw))
        if found is None:
            present = ", ".join(sorted(network.relations)) or "none"
            raise ViewError(
                f"unknown relation {raw!r}; relations in this graph: {present} "
                "(comma-separated, e.g. --relation focusesOnSector,facesCountry)"
            )
        chosen.add(found)
    return chosen


def _ego(network: Network, start: str, depth: int, direction: str) -> set[str]:
    symmetric = {short_name(iri) for iri in _ontology().symmetric}
    succ: dict[str, set[str]] = defaultdict(set)
    for e in network.edges:
        both = e.relation in symmetric or direction == "both"
        if direction == "out" or both:
            succ[e.source].add(e.target)
        if direction == "in" or both:
            succ[e.target].add(e.source)
    seen = {start}
    frontier = deque([(start, 0)])
    while frontier:
        current, d = frontier.popleft()
        if d == depth:
            continue
        for nxt in sorted(succ.get(current, ())):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append((nxt, d + 1))
    return seen


def select(network: Network, selection: Selection) -> Network:
    """The part of ``network`` that ``selection`` asks for.

    Class and relation filters apply first, then the ego network: ``depth`` steps from the
    focus along relations going ``out`` of it (what it has, faces, focuses on), ``in``
    (what points to it) or ``both``; symmetric relations (linkedWith) count both ways.
    A relation filter drops the entities it leaves without any relation.
    """
    if selection.direction not in DIRECTIONS:
        raise ViewError(
            f"unknown direction {selection.direction!r}; use one of {', '.join(DIRECTIONS)}"
        )
    if selection.depth < 0:
        raise ViewError(f"--depth must be 0 or more, not {selection.depth}")
    focus = find_entity(network, selection.focus) if selection.focus is not None else None
    current = network
    if selection.classes:
        classes = _resolve_classes(network, selection.classes)
        if focus is not None and focus.cls not in classes:
            raise ViewError(
                f"{focus.label} is a {focus.cls}, which --class leaves out; add {focus.cls} to --class"
            )
        current = current.restrict(n.id for n in current.nodes if n.cls in classes)
    if selection.relations:
        relations = _resolve_relations(network, selection.relations)
        kept = [e for e in current.edges if e.relation in relations]
        linked = {e.source for e in kept} | {e.target for e in kept}
        if focus is not None:
            linked.add(focus.id)
        current = current.restrict(linked, kept)
    if focus is not None:
        current = current.restrict(_ego(current, focus.id, selection.depth, selection.direction))
    return current


# -- statistics ----------------------------------------------------------------------------

_EXACT_BETWEENNESS_LIMIT = 3000


def network_stats(network: Network, top: int = 10) -> dict[str, Any]:
    """Counts per class and relation, the top entities by degree and betweenness, and the
    connected components, as plain data (the ``ftz-kg stats`` output)."""
    multi = network.to_networkx()
    simple = nx.Graph()
    simple.add_nodes_from(n.id for n in network.nodes)
    simple.add_edges_from((e.source, e.target) for e in network.edges)
    n = simple.number_of_nodes()
    if n > _EXACT_BETWEENNESS_LIMIT:
        k = 500
        betweenness = nx.betweenness_centrality(simple, k=k, seed=0)
        method = f"approximate, {k} sampled sources"
    else:
        betweenness = nx.betweenness_centrality(simple)
        method = "exact"
    degree = dict(multi.degree())

    def entry(node_id: str, **extra: Any) -> dict[str, Any]:
        node = network.node(node_id)
        return {
            "id": node_id,
            "label": node.label,
            "label_en": node.label_en,
            "class": node.cls,
            **extra,
        }

    def ranked(scores: Mapping[str, float]) -> list[str]:
        order = sorted(scores, key=lambda i: (-scores[i], network.node(i).label, i))
        return [i for i in order[:top] if scores[i] > 0]

    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))
    class_counts = Counter(node.cls for node in network.nodes)
    relation_counts = Counter(e.relation for e in network.edges)
    return {
        "nodes": n,
        "edges": len(network.edges),
        "classes": [
            {
                "class": c,
                "zh": network.classes[c].zh,
                "en": network.classes[c].en,
                "count": class_counts[c],
            }
            for c in ENTITY_CLASSES
            if class_counts[c]
        ],
        "relations": [
            {
                "relation": r,
                "zh": network.relations[r].zh,
                "en": network.relations[r].en,
                "count": count,
            }
            for r, count in sorted(relation_counts.items(), key=lambda rc: (-rc[1], rc[0]))
        ],
        "top_degree": [entry(i, degree=degree[i]) for i in ranked(degree)],
        "top_betweenness": [
            entry(i, betweenness=round(betweenness[i], 6)) for i in ranked(betweenness)
        ],
        "betweenness": method,
        "components": {
            "count": len(components),
            "sizes": [len(c) for c in components],
            "isolated": sum(1 for c in components if len(c) == 1),
            "largest": [
                network.node(i).label
                for i in sorted(components[0], key=lambda i: network.node(i).label)
            ]
            if components
            else [],
        },
    }


def stats_of(
    data: str | Path | None = None, out_dir: str | Path = "out", top: int = 10
) -> dict[str, Any]:
    """:func:`network_stats` of a built graph file (default ``OUT/kg.ttl``)."""
    network, _ = load_network(data, out_dir)
    return network_stats(network, top=top)


# -- exports -------------------------------------------------------------------------------

_CSV_RISKY = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A spreadsheet cell that cannot be a formula (labels come from untrusted texts)."""
    text = str(value)
    return "'" + text if text.startswith(_CSV_RISKY) else text


def _csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    # UTF-8 with a byte-order mark: spreadsheet programs then read the Chinese correctly.
    return buffer.getvalue().encode("utf-8-sig")


def network_csv(network: Network) -> tuple[bytes, bytes]:
    """``nodes.csv`` and ``edges.csv`` for spreadsheets."""
    degree = network.degrees()
    labels = {n.id: n.label for n in network.nodes}
    node_rows: list[list[object]] = [
        [
            "id",
            "label",
            "label_en",
            "class",
            "class_zh",
            "aliases",
            "degree",
            "sentences",
            "documents",
        ]
    ]
    for n in network.nodes:
        docs = sorted(
            {
                network.documents[s.document].title
                for s in network._sentences(n.sentences)
                if s.document
            }
        )
        node_rows.append(
            [n.id, n.label, n.label_en, n.cls, network.classes[n.cls].zh, " | ".join(n.aliases),
             degree[n.id], len(n.sentences), " | ".join(docs)]
        )  # fmt: skip
    edge_rows: list[list[object]] = [
        ["source", "target", "source_label", "target_label", "relation", "relation_zh",
         "relation_en", "evidence", "documents"]
    ]  # fmt: skip
    for e in network.edges:
        term = network.relations[e.relation]
        found = network._sentences(e.sentences)
        edge_rows.append(
            [e.source, e.target, labels[e.source], labels[e.target], e.relation, term.zh, term.en,
             "\n".join(s.text for s in found),
             " | ".join(sorted({network.documents[s.document].title for s in found if s.document}))]
        )  # fmt: skip
    return _csv(node_rows), _csv(edge_rows)


def _xml_safe_graph(graph: Any) -> Any:
    """``graph`` (changed in place, or relabelled) without the characters XML 1.0 forbids in
    its node ids and string attributes: a form feed in a title would make GraphML fail and
    GEXF unreadable (see :mod:`kg.xmltext`)."""

    def clean(attrs: dict[str, Any]) -> None:
        for key, value in attrs.items():
            if isinstance(value, str):
                attrs[key] = xml_safe(value)

    clean(graph.graph)
    for _, attrs in graph.nodes(data=True):
        clean(attrs)
    for *_, attrs in graph.edges(data=True):
        clean(attrs)
    renamed = {n: xml_safe(n) for n in graph if isinstance(n, str) and xml_safe(n) != n}
    return nx.relabel_nodes(graph, renamed) if renamed else graph


def network_bytes(network: Network, fmt: str) -> bytes:
    """``network`` as GraphML or GEXF (byte-stable: sorted, no timestamp)."""
    graph = _xml_safe_graph(network.to_networkx())
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True)
        return buffer.getvalue()
    if fmt == "gexf":
        nx.write_gexf(graph, buffer, encoding="utf-8", prettyprint=True)
        # networkx stamps today's date into <meta>: drop it so the same graph gives the same bytes.
        return re.sub(rb' lastmodifieddate="[^"]*"', b"", buffer.getvalue(), count=1)
    raise OutputError(f"unknown network format {fmt!r}; use graphml, gexf or csv")


def export_network(fmt: str, data: str | None, out_dir: str, output: str) -> list[Path]:
    """Write the network of a built graph as GraphML, GEXF or CSV and return the files written.

    ``output`` is a file (a folder for csv, which writes ``nodes.csv`` and ``edges.csv``);
    ``-`` writes GraphML/GEXF to stdout and CSV into ``out_dir``.
    """
    if fmt not in ("graphml", "gexf", "csv"):
        raise OutputError(f"unknown network format {fmt!r}; use graphml, gexf or csv")
    network, _ = load_network(data, out_dir, output_option="-o")
    if fmt == "csv":
        folder = Path(out_dir) if output == "-" else Path(output)
        if folder.exists() and not folder.is_dir():
            raise OutputError(
                f"{folder}: is a file; csv writes nodes.csv and edges.csv into a folder, give -o FOLDER"
            )
        nodes, edges = network_csv(network)
        write_atomic(folder / "nodes.csv", nodes)
        write_atomic(folder / "edges.csv", edges)
        return [folder / "nodes.csv", folder / "edges.csv"]
    data_bytes = network_bytes(network, fmt)
    if output == "-":
        sys.stdout.buffer.write(data_bytes)
        sys.stdout.flush()
        return []
    write_atomic(Path(output), data_bytes)
    return [Path(output)]
