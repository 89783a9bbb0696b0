"""What a reader of the network gathers (the ontology's terms, the entities, labels, relations
and evidence) and how it is assembled into a :class:`kg.views.network.Network`."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node as RdfNode

from ..namespaces import DCTERMS, OWL, RDF, RDFS, SKOS
from ..rdf.edges import ENTITY_CLASSES
from .network import (
    _FALLBACK_TERMS,
    _FTZ,
    _PREFIXES,
    Edge,
    Figure,
    Network,
    Node,
    Sentence,
    SourceDocument,
    Term,
)


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
