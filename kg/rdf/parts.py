"""A document's part of the graph files (:class:`DocumentPart`): its named graph drawn as
Turtle bodies, the entities it describes and the relations it states, packed for the graph
index."""

from __future__ import annotations

import array
import json
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.term import Node

from ..extract.lexicon import Lexicon
from ..model import Entity, Extraction
from .edges import is_relation
from .gcpause import paused_gc
from .graph import DocumentGraph, document_graph
from .iris import entity_iri, text_iri_prefixes
from .rdfwrite import (
    Formatter,
    PredicateObject,
    Triple,
    in_memory_order,
    nt_term,
    subject_blocks,
    triple_hash,
)


@lru_cache(maxsize=1 << 16)  # an entity's id is made for each document and surface form
def entity_id(entity: Entity) -> str:
    return json.dumps([entity.cls, entity.label, entity.key], ensure_ascii=False)


def _edges(triples: Iterable[Triple], is_entity: Callable[[str], bool]) -> list[int]:
    """Hashes of the relations among ``triples`` (:func:`kg.rdf.edges.is_relation`)."""
    return sorted(
        triple_hash(nt_term(s), nt_term(p), nt_term(o))
        for s, p, o in triples
        if isinstance(o, URIRef) and is_relation(str(s), str(p), str(o), is_entity)
    )


def _foreign_edges(
    foreign: dict[str, list[PredicateObject]], entities: set[str], local: Callable[[str], bool]
) -> list[int] | None:
    """:func:`_edges` of a document's triples, read from the rows of the subjects it does
    not own (``foreign``, by N-Triples form, the others being ``local``), where the triples
    of its entities (IRIs ``entities``) are: a look-up per entity instead of one per
    triple. None if an entity is a subject of its own (never so: entities are not minted
    from a text)."""
    found = []
    for iri in entities:
        key = f"<{iri}>"
        if local(key):
            return None
        for p_key, o_key, _p, _o in foreign.get(key, ()):
            if o_key[0] == "<" and is_relation(
                iri, p_key[1:-1], o_key[1:-1], entities.__contains__
            ):
                found.append(triple_hash(key, p_key, o_key))
    return sorted(found)


def _pack(values: Iterable[int]) -> bytes:
    return array.array("q", values).tobytes()


def _unpack(data: bytes | None) -> list[int]:
    packed = array.array("q")
    if data:
        packed.frombytes(data)
    return packed.tolist()


@dataclass(frozen=True)
class DocumentPart:
    """One document's named graph, drawn, with what it contributes to the shared parts."""

    key: str  # the extraction cache key: content hash and name
    content_hash: str
    graph: URIRef
    # the drawing's own set, not copied (0.02 s on the 750 KB file): nothing changes it
    triples: AbstractSet[Triple]
    body: bytes  # the named graph (kg.trig)
    # kg.ttl: the triples about its own node and text (sentences, mentions, figures); what
    # it says of other subjects (relations, assertion and article nodes), which other
    # graphs may say too, is merged into one statement per subject at the end of kg.ttl.
    ttl_body: bytes
    # (subject, its PredicateObject rows), stored in the index as JSON (GraphIndex._add)
    shared: tuple[tuple[str, list[PredicateObject]], ...]
    # Hashes of its triples that other graphs may share (reference-counted), and how many
    # are about its own text and node, which no other graph states (a document with the
    # same text is drawn as its duplicate: its graph holds only its own node).
    hashes: tuple[int, ...]
    local: int
    # (entity, its surface forms here, described by the lexicon, counted in the summary)
    entities: tuple[tuple[Entity, tuple[str, ...], bool, bool], ...]
    edges: tuple[int, ...]  # hashes of its relations (kg.rdf.edges), reference-counted
    observations: int
    terms: tuple[str, ...]
    duplicate_of: str = ""  # the document whose text this one repeats, if any

    @property
    def sort_key(self) -> str:
        return nt_term(self.graph)


@paused_gc()
def document_part(
    extraction: Extraction,
    key: str,
    lexicon: Lexicon,
    ontology: Graph,
    fmt: Formatter,
    duplicate_of: URIRef | None = None,
    subjects: dict[Node, dict[str, list[Node]]] | None = None,
    *,
    hashed: bool = True,
    handed: Callable[[URIRef, bytes, int], None] | None = None,
    on_drawn: Callable[[DocumentGraph], None] | None = None,
) -> DocumentPart:
    """Draw the named graph of one extraction (a duplicate's: :func:`kg.rdf.graph.duplicates`).

    ``subjects`` receives its triples as the drawing groups them, for the SHACL check
    (:func:`kg.rdf.validate.validate_triples`' ``grouped``). With ``hashed`` False the
    part's ``hashes`` stay empty, for an index that counts without them
    (:attr:`kg.rdf.assemble.GraphIndex.hashed`). ``handed`` is given the graph's name,
    body and number of triples (the part's ``graph``, ``body`` and ``len(triples)``) as
    soon as they exist, before the rest
    of the part is made: the store loads the body on a thread meanwhile. ``on_drawn`` is
    given the graph as soon as it is drawn, before its Turtle is written (the maps' child
    is forked then: :func:`kg.build.views_output.maps_after_drawing`)."""
    drawn = document_graph(extraction, lexicon, ontology, duplicate_of)
    if on_drawn is not None:
        on_drawn(drawn)
    doc = extraction.document
    graph = drawn.name
    triples = drawn.triples
    hashes: list[int] = []
    own = tuple(f"<{prefix}" for prefix in text_iri_prefixes(doc.content_hash))
    own_node = f"<{graph}>"

    def local(subject: str) -> bool:
        return subject == own_node or subject.startswith(own)

    foreign: dict[str, list[PredicateObject]] = {}
    used: set[Node] = set()  # kg.rdf.describe.used_terms, gathered from the blocks' rows
    ordered = in_memory_order(triples)
    # The triples of its own subjects are counted, not hashed: four in five of a corpus's.
    blocks = subject_blocks(
        ordered,
        fmt,
        hashes if hashed else None,
        local,
        None,
        foreign,
        used,
        hash_local=False,
        subjects=subjects,
    )
    body = "\n".join(text for _key, text in blocks).encode("utf-8")
    if handed is not None:
        handed(graph, body, len(triples))
    ttl_body = "\n".join(text for key, text in blocks if local(key))
    shared = tuple(sorted(foreign.items()))
    counted = {m.entity for m in extraction.mentions}
    for r in extraction.relations:
        counted.update((r.subject, r.object))
    entities = tuple(
        (
            entity,
            tuple(sorted(drawn.surfaces.get(entity, ()))),
            lexicon.entry(entity) is not None,
            entity in counted,
        )
        for entity in sorted(drawn.entities)
    )
    entity_iris = {str(entity_iri(e)) for e in drawn.entities}
    from_rows = _foreign_edges(foreign, entity_iris, local)
    edges = tuple(_edges(triples, entity_iris.__contains__) if from_rows is None else from_rows)
    return DocumentPart(
        key=key,
        content_hash=doc.content_hash,
        graph=graph,
        triples=triples,
        body=body,
        ttl_body=ttl_body.encode("utf-8"),
        shared=shared,
        hashes=tuple(hashes),
        local=len(triples) - sum(len(rows) for rows in foreign.values()),
        entities=entities,
        edges=edges,
        observations=drawn.observations,
        terms=tuple(sorted(str(t) for t in used)),
        duplicate_of=str(duplicate_of or ""),
    )
