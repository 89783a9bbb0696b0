"""Turn extraction records into RDF: one named graph per source document.

The default graph holds what is shared by all documents (entity types and labels, the
lexicon's facts among the entities found, the ontology terms used); each document's
named graph holds its document node, its sentences, mentions, relation assertions and
observations. Provenance is plain RDF: ``Mention``/``Assertion``/``Observation`` nodes point
to their ``Sentence`` (``ftz:inSentence``), which points to its document
(``prov:wasDerivedFrom``), and record the rule that produced them (``ftz:rule``). A text
read under two names is drawn once, so that a sentence comes from one document; the
other document's graph holds its node and ``ftz:duplicateOf`` (:func:`duplicates`).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from ..extract.lexicon import Lexicon
from ..model import Document, Entity, Extraction, Observation, Sentence
from ..namespaces import (
    DCTERMS,
    FTZ,
    PROV,
    RDF,
    SKOS,
    XSD,
    bind_prefixes,
    term,
)
from ..read.dates import year_of
from ..read.documents import KnownDocument
from ..resources import ontology_file
from .describe import Describer, _zh, used_terms
from .iris import (
    assertion_iri,
    document_iri,
    entity_iri,
    mention_iri,
    observation_iri,
    sentence_iri,
)
from .literals import integer, plain
from .rdfwrite import Triple

__all__ = [
    "KnowledgeGraph",
    "build_graph",
    "build_dataset",
    "union_graph",
    "load_ontology",
    "DEFAULT_GRAPH",
    "DocumentGraph",
    "document_graph",
    "duplicates",
]

DEFAULT_GRAPH = URIRef("urn:x-rdflib:default")

# Document.encoding names the reader for non-text formats (kg.read.documents).
_MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html",
}


def load_ontology() -> Graph:
    graph = Graph(bind_namespaces="none")
    graph.parse(str(ontology_file("ftz.ttl")), format="turtle")
    return graph


def _decimal(value: Decimal) -> Literal:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".") or "0"
    return _decimal_literal(text)


# Keyed by the text, not the Decimal: equal Decimals may print apart (-0 and 0). A corpus's
# 36,646 figures hold 5,977 distinct values, and rdflib parses a decimal Literal's text
# into a Decimal again as it makes it (9 us each).
@functools.lru_cache(maxsize=65536)
def _decimal_literal(text: str) -> Literal:
    return Literal(text, datatype=XSD.decimal)


@functools.lru_cache(maxsize=65536)
def _integer(value: int) -> Literal:
    # Offsets repeat across documents, and the writers find a shared term by identity.
    return integer(value)


def _date(g: set[Triple], iri: URIRef, date: str) -> None:
    """``dcterms:date`` as precise as it is known (xsd:date, gYearMonth or gYear), and the
    year alone as ``ftz:year``, which "by year" queries group on whatever the precision."""
    if not date:
        return
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}.get(len(date))
    if datatype is None:
        return
    g.add((iri, DCTERMS.date, Literal(date, datatype=datatype)))
    g.add((iri, FTZ.year, _year(year_of(date))))


# Rules, surface forms, units and years repeat over a document's thousands of triples, and
# making an rdflib Literal costs microseconds: the drawing makes each one once.
@functools.lru_cache(maxsize=65536)
def _plain(text: str) -> Literal:
    return plain(text)


@functools.lru_cache(maxsize=4096)
def _year(year: str) -> Literal:
    return Literal(year, datatype=XSD.gYear)


# The terms the drawing adds to each node, looked up once: ``FTZ.inSentence`` on rdflib's
# DefinedNamespace is a Python __getattr__ and a cache look-up (0.15 us), about 1.7 M of
# them in a corpus's drawing. The objects are the namespaces' own (the writers find a
# term's forms by its id).
_DCTERMS_IS_PART_OF = DCTERMS.isPartOf
_FTZ_ASSERTION = FTZ.Assertion
_FTZ_BASE_UNIT = FTZ.baseUnit
_FTZ_CHANGE_RATE = FTZ.changeRate
_FTZ_DENOTES = FTZ.denotes
_FTZ_END_OFFSET = FTZ.endOffset
_FTZ_INDICATOR = FTZ.indicator
_FTZ_IN_SENTENCE = FTZ.inSentence
_FTZ_MENTION = FTZ.Mention
_FTZ_MENTIONS = FTZ.mentions
_FTZ_NORMALIZED_VALUE = FTZ.normalizedValue
_FTZ_OBSERVATION = FTZ.Observation
_FTZ_OBSERVED_ENTITY = FTZ.observedEntity
_FTZ_PERIOD = FTZ.period
_FTZ_RULE = FTZ.rule
_FTZ_SENTENCE = FTZ.Sentence
_FTZ_START_OFFSET = FTZ.startOffset
_FTZ_SURFACE_FORM = FTZ.surfaceForm
_FTZ_TEXT = FTZ.text
_FTZ_UNIT = FTZ.unit
_FTZ_VALUE = FTZ.value
_FTZ_YEAR = FTZ.year
_PROV_WAS_DERIVED_FROM = PROV.wasDerivedFrom
_RDF_OBJECT = RDF.object
_RDF_PREDICATE = RDF.predicate
_RDF_SUBJECT = RDF.subject
_RDF_TYPE = RDF.type
_SKOS_PREF_LABEL = SKOS.prefLabel


def _provenance(
    g: set[Triple], node: URIRef, sentence: URIRef, doc: URIRef, start: int, end: int, rule: str
) -> None:
    """Where a mention or figure was read: its sentence, offsets, rule and document."""
    g.add((node, _FTZ_IN_SENTENCE, sentence))
    g.add((node, _FTZ_START_OFFSET, _integer(start)))
    g.add((node, _FTZ_END_OFFSET, _integer(end)))
    g.add((node, _FTZ_RULE, _plain(rule)))
    g.add((node, _PROV_WAS_DERIVED_FROM, doc))


class KnowledgeGraph:
    """The built graph as plain sets of triples: one per named graph, plus the default graph.

    Sets of rdflib terms are an order of magnitude cheaper to fill than an rdflib store, and
    the canonical writers in :mod:`kg.rdf.rdfwrite` serialise them directly; rdflib views
    (:meth:`dataset`, :meth:`graph`) are made on demand for queries and validation.
    """

    def __init__(self) -> None:
        self.graphs: dict[URIRef, set[Triple]] = {DEFAULT_GRAPH: set()}
        self._union: set[Triple] | None = None
        self._graph: Graph | None = None
        self._dataset: Dataset | None = None

    def named(self, name: URIRef) -> set[Triple]:
        return self.graphs.setdefault(name, set())

    @property
    def default(self) -> set[Triple]:
        return self.graphs[DEFAULT_GRAPH]

    def triples(self) -> set[Triple]:
        """Every triple of every graph (the content of ``kg.ttl``)."""
        if self._union is None:
            union: set[Triple] = set()
            for triples in self.graphs.values():
                union |= triples
            self._union = union
        return self._union

    def __len__(self) -> int:
        return len(self.triples())

    def quads(self) -> dict[Node | None, set[Triple]]:
        """Graph name (None for the default graph) to triples, for the quad writers."""
        return {
            (None if name == DEFAULT_GRAPH else name): triples
            for name, triples in self.graphs.items()
            if triples
        }

    def graph(self) -> Graph:
        """The union as an rdflib Graph (built once)."""
        if self._graph is None:
            graph = bind_prefixes(Graph(bind_namespaces="none"))
            for triple in sorted(self.triples()):
                graph.add(triple)
            self._graph = graph
        return self._graph

    def dataset(self) -> Dataset:
        """The named graphs as an rdflib Dataset (built once)."""
        if self._dataset is None:
            dataset = bind_prefixes(Dataset(default_union=False))
            for name in sorted(self.graphs):
                target = dataset.graph(name)
                for triple in sorted(self.graphs[name]):
                    target.add(triple)
            self._dataset = dataset
        return self._dataset


class _Builder:
    def __init__(self, lexicon: Lexicon, ontology: Graph) -> None:
        self.lexicon = lexicon
        self.ontology = ontology
        self.kg = KnowledgeGraph()
        self.default = self.kg.default
        self.surfaces: dict[Entity, set[str]] = defaultdict(set)
        self.entities: set[Entity] = set()
        self.assertion_sources: dict[URIRef, set[URIRef]] = defaultdict(set)
        self.observations: set[URIRef] = set()  # the ftz:Observation nodes drawn

    # -- documents ------------------------------------------------------------------
    def add(self, extraction: Extraction, duplicate_of: URIRef | None = None) -> None:
        """Draw the named graph of ``extraction``; with ``duplicate_of``, the document has
        the very text of that one, which holds the text's sentences, mentions, relations
        and figures: this graph keeps only the document node (its name, path and the
        entities it mentions) and says whose duplicate it is (ftz:duplicateOf)."""
        doc = extraction.document
        doc_iri = document_iri(doc.content_hash, doc.name)
        if duplicate_of is not None:
            drawn: set[Triple] = set()
            self._draw(extraction, doc_iri, drawn)
            g = self.kg.named(doc_iri)
            g.update(t for t in drawn if t[0] == doc_iri)
            g.add((doc_iri, FTZ.duplicateOf, duplicate_of))
            return
        self._draw(extraction, doc_iri, self.kg.named(doc_iri))

    def _draw(self, extraction: Extraction, doc_iri: URIRef, g: set[Triple]) -> None:
        doc = extraction.document
        g.add((doc_iri, _RDF_TYPE, FTZ.Document))
        if not extraction.articles:
            # A file without bylines is one article; a newspaper page only contains them.
            g.add((doc_iri, _RDF_TYPE, FTZ.Article))
            g.add((doc_iri, _SKOS_PREF_LABEL, _zh(doc.title or doc.name)))
        g.add((doc_iri, DCTERMS.title, _zh(doc.title or doc.name)))
        g.add((doc_iri, FTZ.sourcePath, Literal(doc.name)))
        g.add((doc_iri, FTZ.contentHash, Literal(doc.content_hash)))
        g.add((doc_iri, DCTERMS.format, Literal(_MEDIA_TYPES.get(doc.encoding, "text/plain"))))
        _date(g, doc_iri, doc.date)

        sentences = {s.index: s for s in extraction.sentences}
        used_sentences: set[int] = set()

        sentence_iris: dict[int, URIRef] = {}

        def sentence_node(index: int) -> URIRef:
            # One IRI object per sentence: its mentions, relations and figures share it.
            found = sentence_iris.get(index)
            if found is None:
                used_sentences.add(index)
                found = sentence_iris[index] = sentence_iri(
                    doc.content_hash, sentences[index].start
                )
            return found

        article_iris = {}
        # A news item's year, on each of its sentences: items of one digest that share a
        # title (国内联播快讯) are one article node holding every item's date.
        article_years = {a.index: year_of(a.date) for a in extraction.articles if a.date}
        for article in extraction.articles:
            a_iri = entity_iri(Entity("Article", article.title))
            article_iris[article.index] = a_iri
            g.add((a_iri, _DCTERMS_IS_PART_OF, doc_iri))
            g.add((a_iri, DCTERMS.title, _zh(article.title)))
            g.add((a_iri, _FTZ_START_OFFSET, _integer(article.start)))
            g.add((a_iri, _FTZ_END_OFFSET, _integer(article.end)))
            if article.byline:
                g.add((a_iri, FTZ.byline, Literal(article.byline)))
            _date(g, a_iri, article.date)

        for m in extraction.mentions:
            e_iri = self._entity(m.entity)
            self.surfaces[m.entity].add(m.surface)
            m_iri = mention_iri(doc.content_hash, m.start, m.end, m.entity)
            s_iri = sentence_node(m.sentence)
            g.add((m_iri, _RDF_TYPE, _FTZ_MENTION))
            g.add((m_iri, _FTZ_DENOTES, e_iri))
            g.add((m_iri, _FTZ_SURFACE_FORM, _plain(m.surface)))
            _provenance(g, m_iri, s_iri, doc_iri, m.start, m.end, m.rule)
            g.add((s_iri, _FTZ_MENTIONS, e_iri))
            g.add((doc_iri, _FTZ_MENTIONS, e_iri))
            in_article = sentences[m.sentence].article
            # str's comparison: rdflib's != runs in Python (both are URIRefs)
            if in_article in article_iris and not str.__eq__(article_iris[in_article], e_iri):
                g.add((article_iris[in_article], _FTZ_MENTIONS, e_iri))

        for r in extraction.relations:
            s, o = self._entity(r.subject), self._entity(r.object)
            p = term(r.predicate)
            g.add((s, p, o))
            a = assertion_iri(s, p, o)
            g.add((a, _RDF_TYPE, _FTZ_ASSERTION))
            g.add((a, _RDF_SUBJECT, s))
            g.add((a, _RDF_PREDICATE, p))
            g.add((a, _RDF_OBJECT, o))
            g.add((a, _FTZ_IN_SENTENCE, sentence_node(r.sentence)))
            g.add((a, _FTZ_RULE, _plain(r.rule)))
            g.add((a, _PROV_WAS_DERIVED_FROM, doc_iri))

        for obs in extraction.observations:
            self._observation(g, doc_iri, doc.content_hash, obs, sentence_node(obs.sentence))

        for fact in extraction.dates:
            # when a regulation was adopted or came into force; its sentence cites it
            prop = DCTERMS.issued if fact.kind == "issued" else FTZ.inForceFrom
            entity = self._entity(fact.entity)
            g.add((entity, prop, Literal(fact.date, datatype=XSD.date)))
            g.add((sentence_node(fact.sentence), _FTZ_MENTIONS, entity))

        for index in sorted(used_sentences):
            year = article_years.get(sentences[index].article, "")
            self._sentence(
                g,
                doc_iri,
                doc.content_hash,
                sentences[index],
                article_iris,
                year,
                sentence_iris[index],
            )

    def _observation(
        self, g: set[Triple], doc_iri: URIRef, content_hash: str, o: Observation, s_iri: URIRef
    ) -> None:
        o_iri = observation_iri(content_hash, o.start, o.end)
        self.observations.add(o_iri)
        subject = self._entity(o.subject)
        g.add((o_iri, _RDF_TYPE, _FTZ_OBSERVATION))
        label = f"{o.subject.label} {o.indicator} {o.surface}".strip()
        if o.year:
            label += f"（{o.year}）"
        g.add((o_iri, _SKOS_PREF_LABEL, _zh(label)))
        g.add((o_iri, _FTZ_OBSERVED_ENTITY, subject))
        g.add((o_iri, _FTZ_INDICATOR, _plain(o.indicator)))
        g.add((o_iri, _FTZ_VALUE, _decimal(o.value)))
        g.add((o_iri, _FTZ_UNIT, _plain(o.unit)))
        g.add((o_iri, _FTZ_SURFACE_FORM, _plain(o.surface)))
        if o.normalized_value is not None:
            g.add((o_iri, _FTZ_NORMALIZED_VALUE, _decimal(o.normalized_value)))
        if o.base_unit:
            g.add((o_iri, _FTZ_BASE_UNIT, _plain(o.base_unit)))
        if o.year:
            g.add((o_iri, _FTZ_YEAR, _year(o.year)))
        if o.period:
            g.add((o_iri, _FTZ_PERIOD, _plain(o.period)))
        if o.change_rate is not None:
            g.add((o_iri, _FTZ_CHANGE_RATE, _decimal(o.change_rate)))
        _provenance(g, o_iri, s_iri, doc_iri, o.start, o.end, o.rule)

    def _sentence(
        self,
        g: set[Triple],
        doc_iri: URIRef,
        content_hash: str,
        s: Sentence,
        articles: dict[int, URIRef],
        year: str = "",
        iri: URIRef | None = None,
    ) -> None:
        s_iri = iri if iri is not None else sentence_iri(content_hash, s.start)
        g.add((s_iri, _RDF_TYPE, _FTZ_SENTENCE))
        g.add((s_iri, _FTZ_TEXT, plain(s.text)))
        g.add((s_iri, _FTZ_START_OFFSET, _integer(s.start)))
        g.add((s_iri, _FTZ_END_OFFSET, _integer(s.end)))
        g.add((s_iri, _PROV_WAS_DERIVED_FROM, doc_iri))
        if s.article in articles:
            g.add((s_iri, _DCTERMS_IS_PART_OF, articles[s.article]))
        if year:
            g.add((s_iri, _FTZ_YEAR, _year(year)))

    def _entity(self, entity: Entity) -> URIRef:
        self.entities.add(entity)
        return entity_iri(entity)

    # -- shared part ------------------------------------------------------------------
    def finish(self) -> KnowledgeGraph:
        describer = Describer(self.lexicon, self.ontology)
        # Only entities the texts mention become nodes: the lexicon's hierarchy (a sector's
        # broader concept) is linked where both ends were found, never pulled in whole.
        found_keys = {e.key for e in self.entities if e.key}
        for entity in sorted(self.entities):
            self.default |= describer.describe(
                entity, self.surfaces.get(entity, set()), found_keys.__contains__
            )
        if describer.uses_scheme(self.entities):
            self.default |= describer.scheme()
        used: set[Node] = set()
        for graph in self.kg.graphs.values():
            used |= used_terms(graph)
        self.default |= describer.ontology_terms(used)
        return self.kg


@dataclass(frozen=True)
class DocumentGraph:
    """One document's named graph, with the entities it uses and their surface forms there."""

    name: URIRef
    triples: set[Triple]
    entities: set[Entity]
    surfaces: dict[Entity, set[str]]
    # How many ftz:Observation nodes it holds (a count of its rdf:type triples was a pass
    # over every triple of the graph: 0.3 s for a corpus).
    observations: int = 0


def document_graph(
    extraction: Extraction,
    lexicon: Lexicon,
    ontology: Graph,
    duplicate_of: URIRef | None = None,
) -> DocumentGraph:
    """The named graph of one document (what :func:`build_graph` puts in it); see
    :func:`duplicates` for ``duplicate_of``."""
    builder = _Builder(lexicon, ontology)
    builder.add(extraction, duplicate_of)
    doc = extraction.document
    name = document_iri(doc.content_hash, doc.name)
    # A duplicate's graph keeps only its document node: the figures are the other's.
    observations = 0 if duplicate_of is not None else len(builder.observations)
    return DocumentGraph(
        name, builder.kg.graphs[name], builder.entities, dict(builder.surfaces), observations
    )


def drawn_knowledge(drawn: DocumentGraph, lexicon: Lexicon, ontology: Graph) -> KnowledgeGraph:
    """What :func:`build_graph` gives for the one document of ``drawn`` (not a duplicate's
    graph), from its graph as drawn: the default graph is added, the named graph shared."""
    builder = _Builder(lexicon, ontology)
    builder.kg.graphs[drawn.name] = drawn.triples  # finish() reads the named graphs only
    builder.entities, builder.surfaces = drawn.entities, defaultdict(set, drawn.surfaces)
    return builder.finish()


def build_graph(
    extractions: Iterable[Extraction], lexicon: Lexicon, ontology: Graph | None = None
) -> KnowledgeGraph:
    """The knowledge graph of ``extractions`` (in content-hash order: input order is irrelevant)."""
    builder = _Builder(lexicon, ontology if ontology is not None else load_ontology())
    # Same text under names that give the same IRI (a.txt, A.txt): one document, the
    # first by name and path (as kg.build keeps it).
    by_iri: dict[URIRef, Extraction] = {}
    for extraction in sorted(extractions, key=lambda e: (e.document.name, e.document.path)):
        doc = extraction.document
        by_iri.setdefault(document_iri(doc.content_hash, doc.name), extraction)
    primaries = duplicates([e.document for e in by_iri.values()])
    for iri, extraction in sorted(
        by_iri.items(), key=lambda kv: (kv[1].document.content_hash, kv[0])
    ):
        builder.add(extraction, primaries.get(str(iri)))
    return builder.finish()


def duplicates(documents: Iterable[Document | KnownDocument]) -> dict[str, URIRef]:
    """Documents with the text of another one: document IRI → the IRI of the document that
    holds the text (of those with that text, the one whose IRI sorts first).

    Two files with the same text (a copy, a link under another name) are one content and
    two documents: the text's sentences, mentions, relations and figures are drawn once,
    so that a sentence is derived from one document, and the other document says whose
    duplicate it is.
    """
    by_text: dict[str, set[str]] = defaultdict(set)
    for doc in documents:
        by_text[doc.content_hash].add(str(document_iri(doc.content_hash, doc.name)))
    out: dict[str, URIRef] = {}
    for iris in by_text.values():
        first, *others = sorted(iris)
        for iri in others:
            out[iri] = URIRef(first)
    return out


def build_dataset(
    extractions: Iterable[Extraction], lexicon: Lexicon, ontology: Graph | None = None
) -> Dataset:
    """Like :func:`build_graph`, as an rdflib Dataset."""
    return build_graph(extractions, lexicon, ontology).dataset()


def union_graph(dataset: Dataset) -> Graph:
    """All named graphs and the default graph merged into one graph."""
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    for g in dataset.graphs():
        for triple in g:
            graph.add(triple)
    return graph
