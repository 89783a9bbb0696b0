"""SHACL validation of a built graph against ``ontology/shapes.ttl`` (pySHACL)."""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.term import Node

from .errors import OntologyError
from .namespaces import RDF, RDFS, SH
from .resources import ontology_file

__all__ = ["ValidationReport", "validate_graph", "load_shapes", "with_supertypes"]


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


def with_supertypes(data: Graph, ontology: Graph) -> Graph:
    """``data`` plus the ontology and every node's superclass types.

    Full RDFS inference (owlrl) costs seconds on a few thousand triples; the shapes only
    need ``rdf:type`` closed over ``rdfs:subClassOf``, which is cheap to materialise.
    """
    supers: dict[Node, set[Node]] = {}
    classes = set(ontology.subjects(RDFS.subClassOf, None)) | set(data.objects(None, RDF.type))
    for cls in classes:
        supers[cls] = {
            c for c in ontology.transitive_objects(cls, RDFS.subClassOf) if c is not None
        }
    out = Graph(bind_namespaces="none")
    for triple in data:
        out.add(triple)
    for triple in ontology:
        out.add(triple)
    for node, cls in list(data.subject_objects(RDF.type)):
        for parent in supers.get(cls, ()):
            out.add((node, RDF.type, parent))
    return out


def validate_graph(data: Graph, ontology: Graph, shapes: Graph | None = None) -> ValidationReport:
    conforms, report_graph, text = shacl_validate(
        data_graph=with_supertypes(data, ontology),
        shacl_graph=shapes if shapes is not None else load_shapes(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
    )
    results = []
    for result in report_graph.subjects(SH.resultSeverity, SH.Violation):
        focus = report_graph.value(result, SH.focusNode)
        path = report_graph.value(result, SH.resultPath)
        message = report_graph.value(result, SH.resultMessage)
        results.append((str(focus), str(path or ""), str(message or "")))
    results.sort()
    return ValidationReport(bool(conforms), len(results), str(text), tuple(results))
