"""Byte-stable RDF serialisation and atomic file writes.

Integrators diff exports, so the same graph must always give the same bytes: triples are
re-inserted in sorted order (rdflib's memory store then iterates in that order, whatever
the hash seed) and line-based formats are sorted outright.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph, Namespace
from rdflib.graph import ConjunctiveGraph

from .errors import OutputError
from .namespaces import bind_prefixes

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


def canonical_graph(graph: Graph) -> Graph:
    out = bind_prefixes(Graph(bind_namespaces="none"))
    for triple in sorted(graph):
        out.add(triple)
    return out


def _canonical_dataset(dataset: Dataset) -> Dataset:
    out = bind_prefixes(Dataset(default_union=False))
    for g in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        target = out.graph(g.identifier)
        for triple in sorted(g):
            target.add(triple)
    return out


def serialize_graph(graph: Graph, fmt: str = "ttl") -> bytes:
    rdflib_format, is_quads, _ = FORMATS[fmt]
    if is_quads:
        raise ValueError(f"{fmt} needs a dataset")
    if fmt == "nt":
        lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(line for line in lines if line.strip()))
    canonical = canonical_graph(graph)
    if fmt == "xml":
        # RDF/XML writes xml:lang; with no default bindings the prefix must be bound by hand.
        canonical.bind("xml", XML_NS)
    return canonical.serialize(format=rdflib_format, encoding="utf-8")


def serialize_dataset(dataset: Dataset | ConjunctiveGraph, fmt: str = "trig") -> bytes:
    rdflib_format, is_quads, _ = FORMATS[fmt]
    if not is_quads:
        raise ValueError(f"{fmt} is a triple format")
    if fmt == "nq":
        lines = dataset.serialize(format="nquads", encoding="utf-8").splitlines(keepends=True)
        return b"".join(sorted(line for line in lines if line.strip()))
    assert isinstance(dataset, Dataset)
    return _canonical_dataset(dataset).serialize(format=rdflib_format, encoding="utf-8")


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
