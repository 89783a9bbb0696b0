"""The fast paths of the stages after extraction give exactly what the plain code gives."""

from __future__ import annotations

import gc
import math
from typing import Any

import networkx as nx
import numpy as np
import pytest
from rdflib import Literal

from kg.rdf import literals
from kg.rdf.gcpause import build_heap, paused_gc
from kg.views.layout import SEED, _force_layout


def _plain_force_layout(
    graph: nx.Graph, nodes: list[str], iterations: int, spread: float = 1.0
) -> np.ndarray:
    """Fruchterman-Reingold as the formula reads (the layout before it reused its arrays)."""
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    weights = np.zeros((n, n), dtype=np.float32)
    for u, v, w in graph.subgraph(nodes).edges(data="weight", default=1.0):
        weights[index[u], index[v]] = weights[index[v], index[u]] = w
    pos = np.random.default_rng(SEED).random((n, 2), dtype=np.float32)
    k = np.float32(spread / math.sqrt(n))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.sqrt((delta**2).sum(axis=-1))
        np.clip(distance, 0.01, None, out=distance)
        force = k * k / distance**2 - weights * distance / k
        shift = np.einsum("ijk,ij->ik", delta, force)
        length = np.sqrt((shift**2).sum(axis=-1))
        length = np.where(length < 0.01, 0.1, length)
        pos += shift * (temperature / length)[:, None]
        temperature -= cooling
    return pos


@pytest.mark.parametrize(
    ("n", "p", "spread"),
    [
        (3, 1.0, 1.0),
        (40, 0.1, 1.0),
        (250, 0.02, 1.6),
        (777, 0.004, 1.0),
        (1600, 0.002, 1.0),
    ],
)
def test_force_layout_is_the_plain_formula(n: int, p: float, spread: float) -> None:
    random = nx.gnp_random_graph(n, p, seed=n)
    graph = nx.Graph()
    graph.add_nodes_from(str(v) for v in random)
    graph.add_weighted_edges_from((str(u), str(v), 1.0 + (u + v) % 3) for u, v in random.edges())
    nodes = sorted(graph)
    fast = _force_layout(graph, nodes, 30, spread)
    plain = _plain_force_layout(graph, nodes, 30, spread)
    assert fast.dtype == plain.dtype
    assert np.array_equal(fast, plain)


@pytest.mark.parametrize(
    ("fast", "plain"),
    [
        (lambda: literals.plain("自贸试验区"), lambda: Literal("自贸试验区")),
        (lambda: literals.plain(""), lambda: Literal("")),
        (lambda: literals.plain('a "q"\n\t\\'), lambda: Literal('a "q"\n\t\\')),
        (lambda: literals.tagged("上海", "zh"), lambda: Literal("上海", lang="zh")),
        (lambda: literals.tagged("Shanghai", "en"), lambda: Literal("Shanghai", lang="en")),
        (lambda: literals.integer(0), lambda: Literal(0)),
        (lambda: literals.integer(-42), lambda: Literal(-42)),
        (lambda: literals.integer(10**20), lambda: Literal(10**20)),
    ],
)
def test_literals_are_rdflib_literals(fast: Any, plain: Any) -> None:
    made, reference = fast(), plain()
    assert type(made) is Literal
    assert made == reference and made.eq(reference) and hash(made) == hash(reference)
    assert str(made) == str(reference) and repr(made) == repr(reference)
    assert made.language == reference.language and made.datatype == reference.datatype
    assert made.value == reference.value and type(made.value) is type(reference.value)
    assert made.ill_typed == reference.ill_typed
    assert made.n3() == reference.n3()
    assert {made} == {reference}


def test_paused_gc_restores_the_collector_and_freezes_only_in_a_build() -> None:
    assert gc.isenabled()
    before = gc.get_freeze_count()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == before  # outside a build nothing is frozen

    # A build freezes nothing when the process froze objects of its own: hand those back
    # first (unfreezing only lets the collector look at them again).
    gc.unfreeze()
    kept: list[object] = []

    @build_heap
    def a_build() -> int:
        with paused_gc():
            kept.append([[] for _ in range(1000)])
        return gc.get_freeze_count()

    frozen_inside = a_build()
    assert frozen_inside >= 1000  # what the stage left is skipped by collections
    assert gc.get_freeze_count() == 0  # and handed back to the collector after the build
    assert gc.isenabled()


def test_paused_gc_on_two_threads_resumes_when_the_last_pause_ends() -> None:
    import threading

    assert gc.isenabled()
    started, release = threading.Event(), threading.Event()

    def on_a_thread() -> None:
        with paused_gc():
            started.set()
            release.wait(10)

    thread = threading.Thread(target=on_a_thread)
    with paused_gc():
        thread.start()
        started.wait(10)
    assert not gc.isenabled()  # the thread's pause still runs
    release.set()
    thread.join()
    assert gc.isenabled()


def test_subject_blocks_hashes_and_terms_are_the_plain_ones() -> None:
    """subject_blocks' hashes (converted in bulk) are triple_hash of each triple, the local
    ones apart, and the terms it gathers are used_terms'."""
    from rdflib import URIRef

    from kg.namespaces import FTZ, RDF, SKOS
    from kg.rdf.describe import used_terms
    from kg.rdf.rdfwrite import (
        Formatter,
        nt_term,
        predicate_objects,
        subject_blocks,
        triple_hash,
    )

    a, b = URIRef("http://example.org/id/a"), URIRef("http://example.org/id/自贸区")
    triples = {
        (a, RDF.type, FTZ.Area),
        (a, SKOS.prefLabel, Literal("片区", lang="zh")),
        (a, FTZ.startOffset, Literal(-3)),
        (b, RDF.type, FTZ.PilotFreeTradeZone),
        (b, FTZ.hasArea, a),
        (b, FTZ.text, Literal('引号 "q"\n')),
    }
    hashes: list[int] = []
    local_hashes: list[int] = []
    terms: set[Any] = set()
    own = nt_term(a)
    subject_blocks(triples, Formatter({}), hashes, own.__eq__, local_hashes, {}, terms)
    expected = {
        t: triple_hash(nt_term(t[0]), nt_term(t[1]), nt_term(t[2])) for t in sorted(triples)
    }
    assert sorted(local_hashes) == sorted(h for t, h in expected.items() if t[0] == a)
    assert sorted(hashes) == sorted(h for t, h in expected.items() if t[0] == b)
    assert terms == used_terms(triples)

    # Every subject foreign: its rows are predicate_objects' (what kg.rdf.redraw stores).
    fmt = Formatter({"ftz": str(FTZ._NS)})
    rows: dict[str, list[Any]] = {}
    subject_blocks(triples, fmt, [], lambda _subject: False, None, rows)
    for subject in (a, b):
        mine = {t for t in triples if t[0] == subject}
        assert rows[nt_term(subject)] == predicate_objects(mine, fmt)


@pytest.mark.parametrize(
    "term",
    [
        Literal("自贸试验区"),
        Literal("自贸试验区", lang="zh"),
        Literal("Shanghai", lang="en-GB"),
        Literal('a "quoted"^^<x> \\ text\n'),
        Literal('ends with "^^<', lang="zh"),
        Literal(42),
        Literal("2024-05-01", datatype="http://www.w3.org/2001/XMLSchema#date"),
        Literal('odd "^^<http://example.org/q> "', datatype="http://example.org/dt#x"),
        Literal("x", datatype="http://example.org/no/prefix/"),
        Literal("1.50", datatype="http://www.w3.org/2001/XMLSchema#decimal"),
    ],
)
def test_formatter_forms_a_literal_from_its_key_as_from_the_term(term: Literal) -> None:
    from kg.namespaces import XSD
    from kg.rdf.rdfwrite import Formatter, nt_term

    prefixes = {"xsd": str(XSD), "dt": "http://example.org/dt#"}
    fast, plain = Formatter(prefixes), Formatter(prefixes)
    assert fast.keyed(nt_term(term), term) == plain.term(term)
    assert fast.used == plain.used


def test_a_parts_relations_are_those_edges_finds_among_its_triples(seed_build: Any) -> None:
    """document_part reads its relations from the rows of its entities (_foreign_edges):
    the hashes _edges gives for the whole of each seed document's triples."""
    from kg.rdf.iris import entity_iri
    from kg.rdf.parts import _edges

    assembly = seed_build.assembly
    assert assembly is not None and assembly.added
    found = 0
    for part in assembly.added:
        entities = {str(entity_iri(entity)) for entity, *_rest in part.entities}
        assert list(part.edges) == _edges(part.triples, entities.__contains__)
        found += len(part.edges)
    assert found


def test_a_parts_observations_are_its_observation_nodes(seed_build: Any) -> None:
    """DocumentPart.observations, counted as the drawing makes the nodes, is the number of
    its graph's (node, rdf:type, ftz:Observation) triples: for each seed document (two
    figures at one place drawn as one node), and for it drawn as a duplicate (none)."""
    import dataclasses

    from rdflib import URIRef

    from kg.extract.pipeline import default_pipeline
    from kg.namespaces import FTZ, RDF
    from kg.rdf.graph import load_ontology
    from kg.rdf.parts import document_part
    from kg.rdf.rdfwrite import Formatter

    def typed(triples: Any) -> int:
        return sum(1 for _s, p, o in triples if p == RDF.type and o == FTZ.Observation)

    lexicon, ontology = default_pipeline().lexicon, load_ontology()
    counted = 0
    for extraction in seed_build.extractions:
        if extraction.observations:  # one figure twice: the same node
            extraction = dataclasses.replace(
                extraction, observations=[*extraction.observations, extraction.observations[0]]
            )
        for duplicate_of in (None, URIRef("http://example.org/doc/other")):
            part = document_part(extraction, "k", lexicon, ontology, Formatter({}), duplicate_of)
            assert part.observations == typed(part.triples)
            counted += part.observations
    assert counted


def test_the_shacl_index_closes_types_as_closed_does(seed_build: Any) -> None:
    """validate_triples indexes the data with its types closed in place and the ontology
    after: the index of closed(data, ontology), the graph pySHACL is given."""
    from kg.rdf.graph import load_ontology
    from kg.rdf.shacl import _Index
    from kg.rdf.validate import _compiled_default, _supertypes, closed

    ontology = load_ontology()
    shapes = _compiled_default()
    assert shapes is not None
    data = seed_build.knowledge.triples()
    for objects in (False, True):
        plain = _Index(closed(data, ontology), shapes.predicates, objects)
        fast = _Index(data, shapes.predicates, objects, _supertypes(ontology), ontology)
        assert fast.out == plain.out
        assert fast.by_object == plain.by_object
        assert fast.instances == plain.instances
        for p in {p for root in shapes.roots for p in root.target_subjects_of}:
            assert fast.subjects_of(p) == plain.subjects_of(p)


def test_mostly_text_counts_the_control_characters_as_the_plain_loop() -> None:
    import random

    from kg.read.documents import _mostly_text

    def plain(text: str) -> bool:
        if not text:
            return True
        bad = sum(1 for ch in text[:20000] if ch < " " and ch not in "\n\r\t\f")
        return bad <= max(2, len(text[:20000]) // 1000)

    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0, 0x30)] + ["自", "贸", "区", "\u2028", "\x7f"]
    for length in (0, 1, 5, 999, 3000, 25000):
        for share in (0.0, 0.001, 0.01, 0.5):
            text = "".join(
                rng.choice(alphabet) if rng.random() < share else "区" for _ in range(length)
            )
            assert _mostly_text(text) == plain(text)
    every = "".join(chr(c) for c in range(0x40)) * 3
    assert _mostly_text(every) == plain(every)


def test_a_formatter_kept_over_graphs_forms_their_literals_as_a_new_one_does() -> None:
    """The objects' forms kept by the object's id (Formatter.objects) over graph after
    graph, each graph's literals and IRIs freed before the next is made (so that new ones
    may take old ids): every graph is laid out as by a new Formatter, with the same rows
    for the shared part, and its terms (a subject of two types among predicates sorting
    before and after rdf:type) are used_terms'."""
    from rdflib import URIRef

    from kg.namespaces import FTZ, RDF, RDFS, XSD
    from kg.rdf.describe import used_terms
    from kg.rdf.rdfwrite import Formatter, subject_blocks

    kept = Formatter({"ftz": str(FTZ._NS), "xsd": str(XSD)})
    for round_ in range(60):
        node = URIRef(f"http://example.org/id/n{round_ % 7}")
        shared = Literal(round_ % 3)  # a literal object several triples share
        triples = {
            (node, RDF.type, FTZ.Mention),
            (node, RDF.type, FTZ.Observation),
            (node, RDFS.label, Literal(f"标签 {round_}", lang="zh")),
            (node, FTZ.startOffset, shared),
            (node, FTZ.endOffset, Literal(str(round_), datatype=XSD.decimal)),
            (node, FTZ.value, Literal(str(round_))),
            (node, FTZ.year, shared),
            (node, FTZ.unit, Literal(str(round_), lang="en")),
            (node, FTZ.inSentence, URIRef(f"http://example.org/id/s-{round_}")),
            (node, FTZ.denotes, URIRef(f"http://example.org/other/{round_}")),
        }
        terms: set[Any] = set()
        rows: dict[str, Any] = {}
        blocks = subject_blocks(triples, kept, [], lambda _s: False, None, rows, terms)
        fresh = Formatter({"ftz": str(FTZ._NS), "xsd": str(XSD)})
        fresh_rows: dict[str, Any] = {}
        assert blocks == subject_blocks(triples, fresh, [], lambda _s: False, None, fresh_rows)
        assert rows == fresh_rows
        assert terms == used_terms(triples)
        del triples, shared, blocks
        gc.collect()
