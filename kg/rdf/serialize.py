"""Byte-stable RDF serialisation and atomic file writes.

Integrators diff exports, so the same graph must always give the same bytes. Turtle, TriG,
N-Triples and N-Quads come from the canonical writers of :mod:`kg.rdf.rdfwrite` (sorted, fast);
JSON-LD and RDF/XML from rdflib after re-inserting the triples in sorted order (its memory
store then iterates in that order, whatever the hash seed).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph
from rdflib.term import Node

from ..errors import OutputError
from ..namespaces import PREFIXES, bind_prefixes
from . import rdfwrite
from .graph import DEFAULT_GRAPH, KnowledgeGraph
from .rdfwrite import Triple
from .xmltext import xml_safe

__all__ = ["FORMATS", "serialize_graph", "serialize_dataset", "write_atomic", "canonical_graph"]

XML_NS = Namespace("http://www.w3.org/XML/1998/namespace")

# format name -> (rdflib format, is a quad format, file suffix)
FORMATS: dict[str, tuple[str, bool, str]] = {
    "ttl": ("turtle", False, ".ttl"),
    "nt": ("nt", False, ".nt"),
    "jsonld": ("json-ld", False, ".jsonld"),
    "xml": ("xml", False, ".rdf"),
    "trig": ("trig", True, ".trig"),
    "nq": ("nquads", True, ".nq"),
}


_PREFIXES = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def canonical_graph(graph: Graph | Iterable[Triple]) -> Graph:
    out = bind_prefixes(Graph(bind_namespaces="none"))
    for triple in sorted(graph):
        out.add(triple)
    return out


def _triples(graph: Graph | KnowledgeGraph | Iterable[Triple]) -> set[Triple]:
    if isinstance(graph, KnowledgeGraph):
        return graph.triples()
    return set(graph)


def _quads(dataset: Dataset | ConjunctiveGraph | KnowledgeGraph) -> dict[Node | None, set[Triple]]:
    if isinstance(dataset, KnowledgeGraph):
        return dataset.quads()
    out: dict[Node | None, set[Triple]] = {}
    for g in dataset.graphs() if isinstance(dataset, Dataset) else dataset.contexts():
        triples = set(g)
        if triples:
            name = (
                None if g.identifier in (DEFAULT_GRAPH, DATASET_DEFAULT_GRAPH_ID) else g.identifier
            )
            out.setdefault(name, set()).update(triples)
    return out


def serialize_graph(graph: Graph | KnowledgeGraph | Iterable[Triple], fmt: str = "ttl") -> bytes:
    """All triples of ``graph`` in a triple format (ttl, nt, jsonld, xml)."""
    rdflib_format, is_quads, _ = FORMATS[fmt]
    if is_quads:
        raise ValueError(f"{fmt} needs a dataset")
    triples = _triples(graph)
    if fmt == "ttl":
        return rdfwrite.turtle(triples, _PREFIXES)
    if fmt == "nt":
        return rdfwrite.ntriples(triples)
    if fmt == "xml":
        triples = {_xml_safe(triple) for triple in triples}
    canonical = canonical_graph(triples)
    if fmt == "xml":
        # RDF/XML writes xml:lang; with no default bindings the prefix must be bound by hand.
        canonical.bind("xml", XML_NS)
    return canonical.serialize(format=rdflib_format, encoding="utf-8")


def _xml_safe(triple: Triple) -> Triple:
    """``triple`` without the characters XML 1.0 forbids in its literals and IRIs (RDF/XML
    cannot carry a form feed at all, not even as ``&#12;``): see :mod:`kg.rdf.xmltext`."""

    def clean(term: Node) -> Node:
        if isinstance(term, Literal):
            value = xml_safe(str(term))
            if value == str(term):
                return term
            if term.language:
                return Literal(value, lang=term.language)
            return Literal(value, datatype=term.datatype)
        if isinstance(term, URIRef) and xml_safe(str(term)) != str(term):
            return URIRef(xml_safe(str(term)))
        return term

    s, p, o = triple
    return (clean(s), clean(p), clean(o))


def serialize_dataset(
    dataset: Dataset | ConjunctiveGraph | KnowledgeGraph, fmt: str = "trig"
) -> bytes:
    """Every named graph in a quad format (trig, nq)."""
    _, is_quads, _ = FORMATS[fmt]
    if not is_quads:
        raise ValueError(f"{fmt} is a triple format")
    quads = _quads(dataset)
    if fmt == "nq":
        return rdfwrite.nquads(quads)
    return rdfwrite.trig(quads, _PREFIXES)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror}); check the folder") from exc
