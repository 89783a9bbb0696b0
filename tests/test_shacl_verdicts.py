"""Shapes read as verdicts (kg.rdf.shacl_run.Checker.conforming): sh:not, sh:or, sh:xone,
sh:and and sh:qualifiedValueShape over shapes of value tests alone, and over shapes that
are run (a path, a property, a count), report what pySHACL reports."""

from __future__ import annotations

from collections import Counter

from rdflib import Graph

from kg.namespaces import SH
from kg.rdf.graph import load_ontology
from kg.rdf.shacl import check, compile_shapes
from kg.rdf.validate import closed, pyshacl_results

_SHAPES = """
@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:NotTwice a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:not [ sh:path ex:p ; sh:minCount 2 ] .

ex:NotKind a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:not [ sh:class ex:Other ] .

ex:NotEither a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:not [ sh:or ( [ sh:class ex:Other ] [ sh:nodeKind sh:Literal ] ) ] .

ex:Qualified a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [
        sh:path ex:q ;
        sh:qualifiedValueShape [ sh:property [ sh:path ex:r ; sh:minCount 1 ] ] ;
        sh:qualifiedMinCount 1 ;
    ] , [
        sh:path ex:q ;
        sh:qualifiedValueShape [ sh:class ex:Other ; sh:nodeKind sh:IRI ] ;
        sh:qualifiedMaxCount 1 ;
    ] .

ex:Logical a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [
        sh:path ex:v ;
        sh:xone ( [ sh:datatype xsd:integer ] [ sh:minInclusive 0 ] ) ;
    ] , [
        sh:path ex:w ;
        sh:and ( [ sh:nodeKind sh:Literal ; sh:minLength 2 ] [ sh:not [ sh:in ( "no" ) ] ] ) ;
    ] , [
        sh:path ex:w ;
        sh:or ( [ sh:pattern "^a" ] [ sh:languageIn ( "zh" ) ] ) ;
    ] .
"""

_DATA = """
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:a a ex:Thing ; ex:p 1 , 2 ; ex:q ex:b , ex:c ; ex:v 3 , -4 , 2.5 , "x" ;
    ex:w "ab" , "no" , "z" , "中文"@zh , ex:b .
ex:b a ex:Thing , ex:Other ; ex:p 1 ; ex:q ex:c ; ex:r 1 ; ex:v -1.5 ; ex:w "abc" .
ex:c a ex:Other ; ex:r 2 .
ex:d a ex:Thing ; ex:q ex:b , ex:c , ex:e ; ex:w "no"@zh .
ex:e a ex:Other .
ex:f a ex:Thing ; ex:q ex:e .
"""


def _keys(found: list[tuple[str, str, str, str]]) -> Counter[tuple[str, str, str, str]]:
    return Counter(found)


def test_verdicts_of_value_tests_and_of_run_shapes_are_pyshacls() -> None:
    shapes = Graph().parse(data=_SHAPES, format="turtle")
    data = Graph().parse(data=_DATA, format="turtle")
    ontology = load_ontology()
    _conforms, report, _text = pyshacl_results(data, ontology, shapes)
    expected = _keys(
        [
            (
                str(report.value(r, SH.focusNode)),
                str(report.value(r, SH.resultPath) or ""),
                str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
                str(report.value(r, SH.value) or ""),
            )
            for r in report.subjects(SH.resultSeverity, SH.Violation)
        ]
    )
    found = check(closed(data, ontology), compile_shapes(shapes))
    compiled = _keys(
        [
            (str(r.focus), str(r.path or ""), r.component, "" if r.value is None else str(r.value))
            for r in found
        ]
    )
    assert compiled == expected
    # Each kind of verdict is met: a negated count (run), a negated class (a test), a
    # qualified shape with a property (run) and one of tests, each logical component.
    components = {key[2] for key in expected}
    assert {
        "NotConstraintComponent",
        "QualifiedMinCountConstraintComponent",
        "QualifiedMaxCountConstraintComponent",
        "XoneConstraintComponent",
        "AndConstraintComponent",
        "OrConstraintComponent",
    } <= components
    focus_of_not = {key[0] for key in expected if key[2] == "NotConstraintComponent"}
    assert focus_of_not == {"http://example.org/a", "http://example.org/b"}
