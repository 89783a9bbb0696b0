"""The graph as a network of entities: nodes, edges and their evidence.

:func:`kg.views.read_store.store_network` reads a :class:`Network` out of a build's SPARQL
store, and :func:`kg.views.read_graph.build_network` out of an rdflib graph (the built graph, or
the result of a SPARQL CONSTRUCT with the built graph as context): one node per entity
(class, Chinese and English labels, aliases, the sentences that mention it), one edge per
entity-to-entity relation (with the sentences its ``Assertion`` nodes cite). Provenance
nodes (documents, sentences, mentions, assertions, observations) are never nodes: they
are folded into the evidence of the nodes and edges. Everything here is pure data, so the
maps (:mod:`kg.views.html`), the selection (:mod:`kg.views.selection`), the statistics
(:mod:`kg.views.stats`) and the Gephi/spreadsheet exports (:mod:`kg.views.formats`) share it
and are testable without a browser.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..namespaces import DCTERMS, FTZ, OWL, PROV, RDFS, SKOS

__all__ = [
    "Edge",
    "Figure",
    "Network",
    "Node",
    "Sentence",
    "SourceDocument",
    "Term",
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
