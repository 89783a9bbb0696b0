"""Load a built graph and export it in any RDF format."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from .errors import StoreError
from .namespaces import bind_prefixes
from .serialize import FORMATS, serialize_dataset, serialize_graph

__all__ = ["load_dataset", "load_graph", "export", "guess_format"]

_SUFFIX_FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".trig": "trig",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
}


def guess_format(path: Path) -> str:
    return _SUFFIX_FORMATS.get(path.suffix.lower(), "turtle")


def _missing(path: Path) -> StoreError:
    return StoreError(
        f"{path}: no built graph there; run `ftz-kg build` first (or pass --data FILE)"
    )


def load_dataset(path: str | Path = "out/kg.trig") -> Dataset:
    path = Path(path)
    if not path.exists():
        raise _missing(path)
    dataset = bind_prefixes(Dataset(default_union=False))
    try:
        dataset.parse(str(path), format=guess_format(path))
    except Exception as exc:
        raise StoreError(
            f"{path}: cannot be parsed ({exc}); rebuild it with `ftz-kg build`"
        ) from exc
    return dataset


def load_graph(path: str | Path = "out/kg.ttl") -> Graph:
    path = Path(path)
    if not path.exists():
        raise _missing(path)
    fmt = guess_format(path)
    if fmt in ("trig", "nquads"):
        dataset = load_dataset(path)
        graph = bind_prefixes(Graph(bind_namespaces="none"))
        for g in dataset.graphs():
            for t in g:
                graph.add(t)
        return graph
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    try:
        graph.parse(str(path), format=fmt)
    except Exception as exc:
        raise StoreError(
            f"{path}: cannot be parsed ({exc}); rebuild it with `ftz-kg build`"
        ) from exc
    return graph


def export(fmt: str, data: str | Path | None = None, out_dir: str | Path = "out") -> bytes:
    """The last build (or ``data``) serialised as ``fmt`` (ttl, nt, nq, trig, jsonld, xml)."""
    if fmt not in FORMATS:
        raise StoreError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    _, is_quads, _ = FORMATS[fmt]
    if is_quads:
        source = Path(data) if data else Path(out_dir) / "kg.trig"
        return serialize_dataset(load_dataset(source), fmt)
    source = Path(data) if data else Path(out_dir) / "kg.ttl"
    return serialize_graph(load_graph(source), fmt)
