"""The compiled SHACL checker (kg.rdf.shacl) reports what pySHACL reports, on broken graphs.

Each case breaks the seed graph in one way that a shape in ontology/shapes.ttl rejects;
both checkers run on the same data, and their violations must be the same set of
(focus node, path, constraint component, value node), with the same counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from kg.build.result import BuildResult
from kg.namespaces import DCTERMS, FTZ, PROV, RDF, SH, SKOS, XSD
from kg.rdf.graph import load_ontology
from kg.rdf.shacl import check, compile_shapes
from kg.rdf.validate import closed, load_shapes, pyshacl_results, validate_graph

Key = tuple[str, str, str, str]


def _pyshacl_keys(data: Graph) -> Counter[Key]:
    _conforms, report, _text = pyshacl_results(data, load_ontology())
    keys: Counter[Key] = Counter()
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        component = str(report.value(result, SH.sourceConstraintComponent))
        keys[
            (
                str(report.value(result, SH.focusNode)),
                str(report.value(result, SH.resultPath) or ""),
                component.rsplit("#", 1)[-1],
                str(report.value(result, SH.value) or ""),
            )
        ] += 1
    return keys


def _compiled_keys(data: Graph) -> Counter[Key]:
    found = check(closed(data, load_ontology()), compile_shapes(load_shapes()))
    return Counter(
        (str(r.focus), str(r.path or ""), r.component, str("" if r.value is None else r.value))
        for r in found
    )


def _first(g: Graph, cls: URIRef) -> URIRef:
    return sorted(s for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef))[0]


def _two_preflabels(g: Graph) -> None:
    g.add((_first(g, FTZ.Area), SKOS.prefLabel, Literal("另一个名字", lang="zh")))


def _no_preflabel(g: Graph) -> None:
    g.remove((_first(g, FTZ.City), SKOS.prefLabel, None))


def _untagged_altlabel(g: Graph) -> None:
    g.add((_first(g, FTZ.City), SKOS.altLabel, Literal("无标签")))


def _english_altlabel(g: Graph) -> None:
    g.add((_first(g, FTZ.City), SKOS.altLabel, Literal("a city", lang="en")))


def _two_kinds(g: Graph) -> None:
    g.add((_first(g, FTZ.City), RDF.type, FTZ.Country))


def _misspelt_class(g: Graph) -> None:
    node = URIRef("https://w3id.org/ftz-kg/id/area/broken")
    g.add((node, RDF.type, URIRef(str(FTZ) + "Aera")))
    g.add((node, SKOS.prefLabel, Literal("错类", lang="zh")))


def _range(g: Graph) -> None:
    g.add((_first(g, FTZ.PilotFreeTradeZone), FTZ.hasArea, _first(g, FTZ.Country)))


def _domain(g: Graph) -> None:
    g.add((_first(g, FTZ.City), FTZ.hasArea, _first(g, FTZ.Area)))


def _literal_object(g: Graph) -> None:
    g.add((_first(g, FTZ.PilotFreeTradeZone), FTZ.facesCountry, Literal("日本")))


def _observation_without_value(g: Graph) -> None:
    g.remove((_first(g, FTZ.Observation), FTZ.value, None))


def _observation_bad_decimal(g: Graph) -> None:
    obs = _first(g, FTZ.Observation)
    g.remove((obs, FTZ.value, None))
    g.add((obs, FTZ.value, Literal("not a number", datatype=XSD.string)))


def _year_as_string(g: Graph) -> None:
    g.add((_first(g, FTZ.Observation), FTZ.year, Literal("2024")))


def _ill_typed_integer(g: Graph) -> None:
    g.add((_first(g, FTZ.ReformTask), FTZ.count, Literal("十", datatype=XSD.integer)))


def _mention_offsets(g: Graph) -> None:
    mention = _first(g, FTZ.Mention)
    g.remove((mention, FTZ.startOffset, None))
    g.add((mention, FTZ.startOffset, Literal(10**9)))


def _negative_offset(g: Graph) -> None:
    mention = _first(g, FTZ.Mention)
    g.remove((mention, FTZ.startOffset, None))
    g.add((mention, FTZ.startOffset, Literal(-1)))


def _offset_not_a_number(g: Graph) -> None:
    mention = _first(g, FTZ.Mention)
    g.remove((mention, FTZ.startOffset, None))
    g.add((mention, FTZ.startOffset, Literal("三")))


def _one_offset_literal_for_two_mentions(g: Graph) -> None:
    # One literal object starts two mentions, read by the check for each: past the end
    # of the first (a violation), before the end of the second (none).
    first, second = sorted(s for s in g.subjects(RDF.type, FTZ.Mention) if isinstance(s, URIRef))[
        :2
    ]
    offset = Literal(10**9)
    for mention in (first, second):
        g.remove((mention, FTZ.startOffset, None))
        g.add((mention, FTZ.startOffset, offset))
    g.remove((second, FTZ.endOffset, None))
    g.add((second, FTZ.endOffset, Literal(10**9 + 1)))


def _mention_two_entities(g: Graph) -> None:
    g.add((_first(g, FTZ.Mention), FTZ.denotes, _first(g, FTZ.City)))


def _mention_is_entity(g: Graph) -> None:
    g.add((_first(g, FTZ.Mention), RDF.type, FTZ.City))


def _sentence_without_document(g: Graph) -> None:
    g.remove((_first(g, FTZ.Sentence), PROV.wasDerivedFrom, None))


def _assertion_blank_subject(g: Graph) -> None:
    assertion = _first(g, FTZ.Assertion)
    g.remove((assertion, RDF.subject, None))
    g.add((assertion, RDF.subject, BNode("b0")))


def _long_abbreviation(g: Graph) -> None:
    g.add((_first(g, FTZ.Region), FTZ.abbreviation, Literal("鲁豫")))


def _sector_broader_than_a_city(g: Graph) -> None:
    g.add((_first(g, FTZ.Sector), SKOS.broader, _first(g, FTZ.City)))


def _two_counts(g: Graph) -> None:
    task = _first(g, FTZ.ReformTask)
    g.add((task, FTZ.count, Literal(1)))
    g.add((task, FTZ.count, Literal("2", datatype=XSD.decimal)))


def _sector_located_in_a_region(g: Graph) -> None:
    """Only a place or a stationed body lies somewhere (an sh:or of classes)."""
    g.add((_first(g, FTZ.Sector), FTZ.locatedIn, _first(g, FTZ.Region)))


def _date_as_string(g: Graph) -> None:
    """A document's date must be one of three date types (an sh:or of datatypes)."""
    doc = _first(g, FTZ.Document)
    g.remove((doc, DCTERMS.date, None))
    g.add((doc, DCTERMS.date, Literal("2026年4月")))


CASES: dict[str, Callable[[Graph], None]] = {
    f.__name__.lstrip("_"): f
    for f in (
        _two_preflabels,
        _no_preflabel,
        _untagged_altlabel,
        _english_altlabel,
        _two_kinds,
        _misspelt_class,
        _range,
        _domain,
        _literal_object,
        _observation_without_value,
        _observation_bad_decimal,
        _year_as_string,
        _ill_typed_integer,
        _mention_offsets,
        _negative_offset,
        _offset_not_a_number,
        _one_offset_literal_for_two_mentions,
        _mention_two_entities,
        _mention_is_entity,
        _sentence_without_document,
        _assertion_blank_subject,
        _long_abbreviation,
        _sector_broader_than_a_city,
        _two_counts,
        _sector_located_in_a_region,
        _date_as_string,
    )
}


@pytest.fixture(scope="module")
def seed_graph(seed_build: BuildResult) -> Graph:
    g = Graph()
    for t in seed_build.graph:
        g.add(t)
    return g


def _copy(g: Graph) -> Graph:
    out = Graph()
    for t in g:
        out.add(t)
    return out


def test_the_seed_graph_conforms_for_both(seed_graph: Graph) -> None:
    assert _compiled_keys(seed_graph) == Counter()
    assert _pyshacl_keys(seed_graph) == Counter()


@pytest.mark.parametrize("case", sorted(CASES))
def test_compiled_checker_agrees_with_pyshacl(seed_graph: Graph, case: str) -> None:
    g = _copy(seed_graph)
    CASES[case](g)
    expected = _pyshacl_keys(g)
    assert expected, f"{case}: the broken graph should violate the shapes"
    assert _compiled_keys(g) == expected
    report = validate_graph(g, load_ontology())
    assert not report.conforms and report.violations == sum(expected.values())


def test_every_case_together(seed_graph: Graph) -> None:
    g = _copy(seed_graph)
    for breaks in CASES.values():
        breaks(g)
    assert _compiled_keys(g) == _pyshacl_keys(g)


def test_a_body_stationed_in_a_region_conforms_for_both(seed_graph: Graph) -> None:
    g = _copy(seed_graph)
    g.add((_first(g, FTZ.Organization), FTZ.locatedIn, _first(g, FTZ.Region)))
    assert _compiled_keys(g) == Counter()
    assert _pyshacl_keys(g) == Counter()
