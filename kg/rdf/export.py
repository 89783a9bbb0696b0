"""Load a built graph and export it in any RDF format."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from ..errors import StoreError
from ..namespaces import bind_prefixes
from .serialize import FORMATS, serialize_dataset, serialize_graph

__all__ = ["graph_file", "load_dataset", "load_graph", "export", "guess_format"]

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


_RDF_SUFFIXES = ".ttl, .trig, .nt, .nq, .jsonld or .rdf"


def _missing(path: Path) -> StoreError:
    return StoreError(
        f"{path}: no built graph there; run `ftz-kg build` first (or pass --data FILE)"
    )


def graph_file(
    data: str | Path | None,
    out_dir: str | Path = "out",
    name: str = "kg.ttl",
    *,
    output_option: str | None = None,
) -> Path:
    """The graph file a command reads: ``data`` when given, else ``OUT/name``.

    A missing file is a :class:`~kg.errors.StoreError` that names what the user typed
    (``--data FILE`` or ``--out DIR``) and the option that fits. ``output_option`` is the
    command's option for the file it writes (``-o``): an ``--out`` that looks like a file
    name was probably meant for it.
    """
    if data:
        path = Path(data)
        if path.is_dir():
            hint = (
                f"pass it as --out {data}"
                if (path / name).exists()
                else f"give a graph file ({_RDF_SUFFIXES})"
            )
            raise StoreError(f"--data {data}: is a folder, not a graph file; {hint}")
        if not path.exists():
            raise StoreError(
                f"--data {data}: no such file; give a graph file ({_RDF_SUFFIXES}), "
                f"or drop --data to read the last build ({Path(out_dir) / name})"
            )
        return path
    out = Path(out_dir)
    path = out / name
    if path.exists():
        return path
    if out.is_file():
        raise StoreError(
            f"--out {out_dir}: is a file, but --out names a build folder; "
            f"to read this file pass --data {out_dir}"
        )
    if output_option and out.suffix and not out.exists():
        raise StoreError(
            f"--out {out_dir}: no build folder there; --out names the folder a build was "
            f"written to (default out): to write to {out_dir}, use {output_option} {out_dir}"
        )
    if not out.exists():
        raise StoreError(
            f"--out {out_dir}: no such folder; run `ftz-kg build --out {out_dir}` first, "
            "or pass the folder of a build as --out DIR, or a graph file as --data FILE"
        )
    raise StoreError(
        f"--out {out_dir}: no {name} there (no build in this folder); run "
        f"`ftz-kg build --out {out_dir}` first, or pass a graph file as --data FILE"
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


def export(
    fmt: str,
    data: str | Path | None = None,
    out_dir: str | Path = "out",
    *,
    output_option: str | None = "-o",
) -> bytes:
    """The last build (or ``data``) serialised as ``fmt`` (ttl, nt, nq, trig, jsonld, xml)."""
    if fmt not in FORMATS:
        raise StoreError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    _, is_quads, _ = FORMATS[fmt]
    if is_quads:
        source = graph_file(data, out_dir, "kg.trig", output_option=output_option)
        return serialize_dataset(load_dataset(source), fmt)
    source = graph_file(data, out_dir, "kg.ttl", output_option=output_option)
    return serialize_graph(load_graph(source), fmt)
