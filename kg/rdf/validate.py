"""SHACL validation of a built graph against ``ontology/shapes.ttl``.

The check is :mod:`kg.rdf.shacl` (the shapes compiled into Python, linear in the graph), the
same for ``ftz-kg build`` and ``ftz-kg validate``; pySHACL (:func:`pyshacl_results`) is the
reference it is tested against, and the fallback for shapes the compiled checker does not
support.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from rdflib import Graph, URIRef
from rdflib.term import Node

from ..errors import OntologyError
from ..namespaces import RDF, RDFS, SH
from ..resources import ontology_file
from . import shacl
from .gcpause import paused_gc

__all__ = [
    "ValidationReport",
    "validate_graph",
    "validate_triples",
    "load_shapes",
    "pyshacl_results",
    "with_supertypes",
]

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: int
    text: str
    results: tuple[tuple[str, str, str], ...]  # (focus node, path, message)

    def summary(self, limit: int = 20) -> str:
        if self.conforms:
            return "conforms: the graph satisfies every shape in ontology/shapes.ttl"
        lines = [f"{self.violations} SHACL violation(s):"]
        for focus, path, message in self.results[:limit]:
            lines.append(f"  - {focus} {path}: {message}")
        if self.violations > limit:
            lines.append(f"  … and {self.violations - limit} more")
        return "\n".join(lines)


def load_shapes() -> Graph:
    shapes = Graph(bind_namespaces="none")
    try:
        shapes.parse(str(ontology_file("shapes.ttl")), format="turtle")
    except Exception as exc:
        raise OntologyError(f"ontology/shapes.ttl is not valid Turtle ({exc})") from exc
    return shapes


@lru_cache(maxsize=1)
def _compiled_default() -> shacl.Shapes | None:
    try:
        return shacl.compile_shapes(load_shapes())
    except shacl.UnsupportedShapes:
        return None


def _supertypes(ontology: Graph) -> dict[Node, set[Node]]:
    supers: dict[Node, set[Node]] = {}
    for cls in set(ontology.subjects(RDFS.subClassOf, None)):
        supers[cls] = {
            c for c in ontology.transitive_objects(cls, RDFS.subClassOf) if c is not None
        }
    return supers


def closed(data: Iterable[Triple], ontology: Graph) -> Iterator[Triple]:
    """``data``, the ontology, and every node's superclass types (what pySHACL is given).

    Full RDFS inference (owlrl) costs seconds on a few thousand triples; the shapes only
    need ``rdf:type`` closed over ``rdfs:subClassOf``, which is cheap to materialise."""
    supers = _supertypes(ontology)
    # Compared as plain strings (in C): an rdflib term's == runs in Python.
    rdf_type = str(RDF.type)
    same = str.__eq__
    for s, p, o in data:
        yield s, p, o
        if same(p, rdf_type):  # type: ignore[arg-type]  # every rdflib term is a str
            for parent in supers.get(o, ()):
                yield s, p, parent
    yield from ontology


def with_supertypes(data: Graph, ontology: Graph) -> Graph:
    """``data`` plus the ontology and every node's superclass types, as an rdflib graph."""
    out = Graph(bind_namespaces="none")
    for triple in closed(data, ontology):
        out.add(triple)
    return out


def _message(result: shacl.ShaclResult) -> str:
    if result.message:
        return result.message
    value = "" if result.value is None else f" (value {result.value})"
    return f"violates sh:{result.component}{value}"


def ungrouped(grouped: Iterable[shacl.Grouped]) -> Iterator[Triple]:
    """The triples of graphs grouped by subject (:func:`validate_triples`' ``grouped``)."""
    for subjects in grouped:
        for s, found in subjects.items():
            for p, values in found.items():
                predicate = URIRef(p)
                for o in values:
                    yield s, predicate, o


@paused_gc()  # the closed data and the index are many small objects, no cycles
def validate_triples(
    data: Iterable[Triple],
    ontology: Graph,
    shapes: Graph | None = None,
    grouped: Iterable[shacl.Grouped] = (),
) -> ValidationReport:
    """Check the graph ``data`` (any iterable of triples) and the graphs ``grouped`` by
    subject (as :func:`kg.rdf.rdfwrite.subject_blocks` groups them: the drawing's own
    grouping, so that the check's index makes a look-up per subject rather than per
    triple) against the shapes."""
    compiled = _compiled_default() if shapes is None else _try_compile(shapes)
    if compiled is None:
        graph = Graph(bind_namespaces="none")
        for triple in chain(data, ungrouped(grouped)):
            graph.add(triple)
        return _pyshacl_report(graph, ontology, shapes)
    # closed(data, ontology), indexed without making its triples
    found = shacl.check(data, compiled, _supertypes(ontology), ontology, grouped)
    results = sorted((str(r.focus), str(r.path or ""), _message(r)) for r in found)
    conforms = not results
    text = "Validation Report\nConforms: " + str(conforms) + f"\nResults ({len(results)}):"
    return ValidationReport(conforms, len(results), text, tuple(results))


def _try_compile(shapes: Graph) -> shacl.Shapes | None:
    try:
        return shacl.compile_shapes(shapes)
    except shacl.UnsupportedShapes:
        return None


def validate_graph(data: Graph, ontology: Graph, shapes: Graph | None = None) -> ValidationReport:
    return validate_triples(data, ontology, shapes)


def pyshacl_results(
    data: Graph, ontology: Graph, shapes: Graph | None = None
) -> tuple[bool, Graph, str]:
    """pySHACL's verdict, report graph and text on the same data (the reference)."""
    from pyshacl import validate as shacl_validate

    conforms, report_graph, text = shacl_validate(
        data_graph=with_supertypes(data, ontology),
        shacl_graph=shapes if shapes is not None else load_shapes(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
    )
    return bool(conforms), report_graph, str(text)


def _pyshacl_report(data: Graph, ontology: Graph, shapes: Graph | None) -> ValidationReport:
    conforms, report_graph, text = pyshacl_results(data, ontology, shapes)
    results = []
    for result in report_graph.subjects(SH.resultSeverity, SH.Violation):
        focus = report_graph.value(result, SH.focusNode)
        path = report_graph.value(result, SH.resultPath)
        message = report_graph.value(result, SH.resultMessage)
        results.append((str(focus), str(path or ""), str(message or "")))
    results.sort()
    return ValidationReport(conforms, len(results), text, tuple(results))
