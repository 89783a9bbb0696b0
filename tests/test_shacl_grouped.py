"""The SHACL check takes the document graphs as their drawing groups them by subject
(kg.rdf.rdfwrite.subject_blocks' ``subjects``) instead of triple by triple: the index, and
so every violation, must be those of the same triples given one by one, also where a
subject, or a triple, is in several graphs."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest
from rdflib import Graph, Literal
from rdflib.term import Node

from kg.build.checks import _knowledge_of, _validate_assembly
from kg.build.result import BuildResult
from kg.extract.pipeline import default_pipeline
from kg.namespaces import FTZ, PROV, RDF, SKOS
from kg.rdf.assemble import Assembly, GraphIndex
from kg.rdf.graph import load_ontology
from kg.rdf.graph_files import PREFIXES
from kg.rdf.parts import document_part
from kg.rdf.rdfwrite import Formatter, Triple, in_memory_order, nt_term, subject_blocks
from kg.rdf.shacl import ShaclResult, _Index, check
from kg.rdf.validate import _compiled_default, _supertypes, closed, ungrouped, validate_triples
from kg.read.documents import read_document

from .conftest import SEEDS
from .test_shacl import CASES

Grouping = dict[Node, dict[str, list[Node]]]


def _grouped(triples: set[Triple]) -> Grouping:
    subjects: Grouping = {}
    subject_blocks(in_memory_order(triples), Formatter({}), subjects=subjects)
    return subjects


def _split(triples: set[Triple]) -> tuple[set[Triple], set[Triple], set[Triple]]:
    """Three graphs over ``triples``: a subject's triples mostly spread over several of
    them, and one triple in five in two graphs."""
    ordered = sorted(triples, key=lambda t: tuple(map(nt_term, t)))
    graphs: tuple[set[Triple], set[Triple], set[Triple]] = (set(), set(), set())
    for i, triple in enumerate(ordered):
        graphs[i % 3].add(triple)
        if i % 5 == 0:
            graphs[(i + 1) % 3].add(triple)
    return graphs


def _keys(found: list[ShaclResult]) -> Counter[tuple[str, str, str, str]]:
    return Counter((str(r.focus), str(r.path), r.component, str(r.value)) for r in found)


def _plain(index: _Index) -> dict[Node, dict[str, set[Node]]]:
    return {s: {p: set(values) for p, values in props.items()} for s, props in index.out.items()}


@pytest.fixture(scope="module")
def seed_triples(seed_build: BuildResult) -> set[Triple]:
    return set(seed_build.graph)


@pytest.mark.parametrize("case", ["none", "every", *sorted(CASES)])
def test_graphs_grouped_by_subject_are_checked_as_their_triples(
    seed_triples: set[Triple], case: str
) -> None:
    g = Graph()
    for triple in seed_triples:
        g.add(triple)
    for name, breaks in CASES.items():
        if case in (name, "every"):
            breaks(g)
    data = set(g)
    ontology = load_ontology()
    shapes = _compiled_default()
    assert shapes is not None
    expected = _keys(check(closed(data, ontology), shapes))
    assert (case == "none") == (not expected)
    first, second, third = _split(data)
    grouped = [_grouped(first), _grouped(second)]
    assert set(ungrouped(grouped)) == first | second
    supers = _supertypes(ontology)
    assert _keys(check(third, shapes, supers, ontology, grouped)) == expected
    for objects in (False, True):
        plain = _Index(closed(data, ontology), shapes.predicates, objects)
        fast = _Index(third, shapes.predicates, objects, supers, ontology, grouped)
        assert _plain(fast) == _plain(plain)
        assert fast.by_object == plain.by_object
        assert {c: set(nodes) for c, nodes in fast.instances.items()} == {
            c: set(nodes) for c, nodes in plain.instances.items()
        }
        for p in shapes.predicates:
            assert fast.subjects_of(p) == plain.subjects_of(p)
            assert len(fast.subject_list(p)) == len(fast.subjects_of(p))
        # The superclasses the index adds are one object per class, and a shape's classes
        # are the index's own objects: the checks find a node's types by identity.
        types = [t for props in fast.out.values() for t in props.get(str(RDF.type), ())]
        assert len({id(t) for t in types if t == PROV.Entity}) == 1
        own = {id(c) for c in fast.instances}
        below = fast.subclasses(FTZ.Entity)
        assert len(below) > 10 and all(id(c) in own for c in below if c in fast.instances)
    # The graphs' lists are the caller's: the check made new sets where it merged.
    assert _grouped(first) == grouped[0] and _grouped(second) == grouped[1]
    report = validate_triples(third, ontology, grouped=grouped)
    assert report.violations == sum(expected.values())


def test_a_documents_drawing_groups_every_triple_of_its_graph() -> None:
    pipeline = default_pipeline()
    ontology = load_ontology()
    paths = sorted(p for p in SEEDS.rglob("*") if p.suffix in (".md", ".txt", ".html"))
    assert paths
    for path in paths[:3]:
        subjects: Grouping = {}
        extraction = pipeline(read_document(path))
        part = document_part(
            extraction, "key", pipeline.lexicon, ontology, Formatter(PREFIXES), None, subjects
        )
        assert set(ungrouped([subjects])) == part.triples
        assert all(
            len(values) == len(set(values))
            for props in subjects.values()
            for values in props.values()
        )


@pytest.mark.parametrize("full", [True, False])
def test_a_builds_check_of_its_drawn_graphs_grouped_finds_what_the_graphs_give(
    seed_build: BuildResult, full: bool
) -> None:
    """The build's check with the document graphs as the drawing grouped them
    (kg.build.checks._validate_assembly), on a first build and on a later one (the new
    graphs and what they cite), against the same graphs given as triples."""
    built = seed_build.assembly
    assert built is not None and built.added
    # A graph that breaks shapes: a second label for an entity it cites (its first in the
    # default graph), and a second, negative, offset for one of its mentions.
    part = built.added[0]
    mention = min(s for s, p, o in part.triples if p == RDF.type and o == FTZ.Mention)
    entity = min(o for _s, p, o in part.triples if p == FTZ.denotes)
    broken = {
        (entity, SKOS.prefLabel, Literal("另一个名字", lang="zh")),
        (mention, FTZ.startOffset, Literal(-1)),
    }
    parts = [dataclasses.replace(part, triples=part.triples | broken), *built.added[1:]]
    assembly = Assembly(added=parts, redrawn=built.redrawn, full=full)
    ontology = load_ontology()
    index = GraphIndex(None, "", default_pipeline().lexicon, ontology)
    expected, _note = _validate_assembly(assembly, index, ontology)
    assert not expected.conforms
    grouped = [_grouped(set(p.triples)) for p in parts]
    report, _note = _validate_assembly(assembly, index, ontology, grouped)
    assert report == expected
    assert set(_knowledge_of(assembly, named=False).graphs) == set(
        _knowledge_of(Assembly(redrawn=built.redrawn)).graphs
    )
    with pytest.raises(ValueError, match="one grouping"):
        _validate_assembly(assembly, index, ontology, grouped[1:])
