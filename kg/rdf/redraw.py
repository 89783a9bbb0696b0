"""Redrawing the default graph's statements and the shared part's subjects when the
documents that describe them come or go."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.term import Node

from ..model import Entity
from .iris import SECTOR_SCHEME
from .parts import _edges, _pack, _unpack
from .pending import _ENTITY, _SCHEME, _TERM
from .rdfwrite import (
    PredicateObject,
    Triple,
    nt_term,
    subject_blocks,
)

if TYPE_CHECKING:
    from .assemble import GraphIndex


@lru_cache(maxsize=1 << 16)  # read back for each of its documents and surface forms
def _entity_of(eid: str) -> Entity:
    """The entity of an id (:func:`kg.rdf.parts.entity_id`)."""
    cls, label, key = json.loads(eid)
    return Entity(cls, label, key)


def _entity_rows(index: GraphIndex, iri: str) -> dict[Entity, set[str]]:
    if index._first is not None:
        return index._first.entities.get(iri, {})
    found: dict[Entity, set[str]] = {}
    for eid, surface in index.db.execute(
        "SELECT entity, surface FROM surfaces WHERE iri=?", (iri,)
    ):
        surfaces = found.setdefault(_entity_of(eid), set())
        if surface:
            surfaces.add(surface)
    return found


def describe(index: GraphIndex, iri: str) -> set[Triple]:
    """The default-graph description of the entity ``iri`` (empty if no document has it)."""
    triples: set[Triple] = set()
    for entity, surfaces in sorted(_entity_rows(index, iri).items()):
        triples |= index.describer.describe(entity, surfaces, index.present)
    return triples


def _redraw_entity(index: GraphIndex, iri: str) -> set[Triple]:
    triples = describe(index, iri)
    _replace_block(index, nt_term(URIRef(iri)), _ENTITY, triples)
    return triples


def _old_block(index: GraphIndex, subject: str) -> tuple[str, bytes, str, bytes] | None:
    if subject in index._pending.blocks:
        raise AssertionError(f"{subject} redrawn twice in one build")
    if index._blocks_empty:
        return None
    row = index.db.execute(
        "SELECT text, hashes, terms, edges FROM blocks WHERE subject=?", (subject,)
    ).fetchone()
    return None if row is None else (str(row[0]), bytes(row[1]), str(row[2]), bytes(row[3]))


def _nowhere(subject: str) -> bool:
    """No subject is a document's own: subject_blocks hands every row back."""
    return False


def _replace_block(index: GraphIndex, subject: str, kind: str, triples: set[Triple]) -> None:
    old = _old_block(index, subject)
    text = ""
    hashes: list[int] = []
    # An index applied once reads neither the hashes (GraphIndex.hashed) nor the rows back:
    # its FirstBuild holds them.
    once = index._one_shot
    # The statement's rows (predicate_objects) and terms (used_terms), from its blocks.
    rows: dict[str, list[PredicateObject]] = {}
    used: set[Node] = set()
    if triples:
        blocks = subject_blocks(
            triples, index.fmt, None if once else hashes, _nowhere, None, rows, used
        )
        if len(blocks) != 1 or blocks[0][0] != subject:
            raise AssertionError(f"a default-graph statement must have one subject: {subject}")
        text = blocks[0][1]
    if old is not None and old[0] == text:
        return
    index._changed.add(subject)
    pending = index._pending
    if old is not None:
        pending.triples.subtract(_unpack(old[1]))
        pending.terms.subtract(json.loads(old[2]))
        pending.edges.subtract(_unpack(old[3]))
    if not triples:
        pending.blocks[subject] = None
        return
    terms = sorted(str(t) for t in used) if kind != _TERM else []
    # The lexicon's relations among the entities found (both ends are: kg.rdf.graph).
    edges = _edges(triples, index.present) if kind == _ENTITY else []
    pending.triples.update(hashes)
    pending.terms.update(terms)
    pending.edges.update(edges)
    if index._first is not None:
        index._first.blocks[subject] = rows[subject]
    pending.blocks[subject] = (
        subject,
        kind,
        text,
        _pack(hashes),
        json.dumps(terms),
        _pack(edges),
        "[]" if once else json.dumps(rows[subject], ensure_ascii=False),
    )


def _redraw_scheme(index: GraphIndex) -> set[Triple]:
    if index._first is not None:
        lexical: object = index._first.lexical()
    else:
        lexical = index.db.execute("SELECT 1 FROM surfaces WHERE lexical=1 LIMIT 1").fetchone()
    scheme = index.describer.scheme() if lexical else set()
    _replace_block(index, nt_term(SECTOR_SCHEME), _SCHEME, scheme)
    return scheme


def _redraw_terms(index: GraphIndex) -> set[Triple]:
    """The ontology's description of the terms used (small: always redrawn)."""
    used: set[Node] = {URIRef(r[0]) for r in index.db.execute("SELECT term FROM term_refs")}
    terms = index.describer.ontology_terms(used)
    by_subject: dict[str, set[Triple]] = {}
    for triple in terms:
        by_subject.setdefault(nt_term(triple[0]), set()).add(triple)
    stale = index.db.execute("SELECT subject FROM blocks WHERE kind=?", (_TERM,)).fetchall()
    for (subject,) in stale:
        if subject not in by_subject:
            _replace_block(index, subject, _TERM, set())
    for subject, triples in sorted(by_subject.items()):
        _replace_block(index, subject, _TERM, triples)
    return terms
