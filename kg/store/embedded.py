"""The embedded SPARQL store: a persistent pyoxigraph (RocksDB) store in ``OUT/store``.

``ftz-kg build`` loads the dataset it has just written (``OUT/kg.trig``: one named graph per
document plus the default graph with the ontology and entity descriptions) into a new store
in a temporary folder next to ``OUT/store``, then swaps it in atomically: ``OUT/store`` is a
symbolic link to the current ``OUT/.store-<id>`` folder and is replaced with one rename, so
readers see either the old store or the new one, and a failed build leaves the old one.
Later commands open the store read-only, without re-parsing anything, and any number of
processes can read it at once.

pyoxigraph was chosen by measurement (``bench/bench_store.py``): at a million triples it loads
and answers the saved queries many times faster than rdflib's in-memory store.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import StoreError
from ..rdf.graph_files import DATASET_FILE, file_stamp
from .generations import checkpoint, home, is_stage

if TYPE_CHECKING:
    from ..rdf.assemble import Assembly

__all__ = [
    "STORE_DIR",
    "META_FILE",
    "build_store",
    "load_file",
    "open_store",
    "store_info",
    "store_is_current",
    "store_path",
    "update_store",
]

STORE_DIR = "store"
META_FILE = "ftz-kg-store.json"
_STORE_FORMAT = 1
_FORMATS = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}


def store_path(out_dir: str | Path = "out") -> Path:
    return Path(out_dir) / STORE_DIR


def _rdf_format(path: Path) -> ox.RdfFormat:
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise StoreError(f"{path}: unknown RDF file type; use one of {', '.join(sorted(_FORMATS))}")
    return fmt


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_store(source: str | Path, out_dir: str | Path = "out") -> Path:
    """Load ``source`` (TriG, N-Quads, Turtle…) into a new ``OUT/store``, replacing the old one atomically.

    Raises :class:`~kg.errors.StoreError` if the file cannot be loaded; the previous store is
    then left as it was.
    """
    source, out = Path(source), Path(out_dir)
    if not source.is_file():
        raise StoreError(f"{source}: no graph to load; run `ftz-kg build` first")
    fmt = _rdf_format(source)
    tmp = new_store_folder(out)

    def fill(store: ox.Store) -> None:
        store.bulk_load(path=str(source), format=fmt)
        store.optimize()

    try:
        fill_store(tmp, fill, lambda store: whole_file_meta(store, source))
    except (SyntaxError, ValueError, OSError) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise load_error(source, exc) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return publish_store(tmp, out)


def new_store_folder(out: Path) -> Path:
    """An empty folder for a new store of the output folder ``out``, beside the store it
    will replace."""
    out.mkdir(parents=True, exist_ok=True)
    # In a build's stage (kg.store.generations) the store folder sits next to the generations.
    tmp = Path(tempfile.mkdtemp(prefix=".store-", dir=home(out)))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes 0700; the store is an ordinary output
    return tmp


def fill_store(
    folder: Path,
    fill: Callable[[ox.Store], None],
    describe: Callable[[ox.Store], dict[str, Any]],
) -> None:
    """Open the store in ``folder``, ``fill`` it, write it to disk and close it, then write
    its metadata file (what ``describe`` says of it)."""
    store = ox.Store(str(folder))
    fill(store)
    store.flush()
    meta = describe(store)
    collect = _needs_collection(store)
    del store
    if collect:
        gc.collect()  # close RocksDB before the folder is published
    (folder / META_FILE).write_text(
        json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def whole_file_meta(
    store: ox.Store, source: Path, digest: str | None = None, quads: int | None = None
) -> dict[str, Any]:
    """The metadata of a store holding all of ``source`` and nothing else (``digest``:
    the file's SHA-256, and ``quads`` the number of its quads, when the caller has them
    already)."""
    return {
        "format": _STORE_FORMAT,
        "source": source.name,
        "source_sha256": digest or sha256_of(source),
        "source_stamp": file_stamp(source),
        "load": "whole file",
        "quads": len(store) if quads is None else quads,
        "named_graphs": sum(1 for _ in store.named_graphs()),
        "pyoxigraph": ox.__version__,
    }


def load_error(source: Path, exc: BaseException) -> StoreError:
    return StoreError(
        f"{source}: cannot be loaded into the SPARQL store ({exc}); the previous store is unchanged. "
        "Fix the file or rebuild it with `ftz-kg build`"
    )


def publish_store(folder: Path, out: Path) -> Path:
    """Make the store in ``folder`` the one of ``out`` (atomically)."""
    target = store_path(out)
    checkpoint("before-store-swap")
    _swap(folder, target)
    return target


def update_store(out_dir: str | Path, assembly: Assembly) -> Path | None:
    """Apply one build's changes to a copy of ``OUT/store`` and swap it in.

    The copy is a RocksDB checkpoint (hard links: instant); the removed document graphs are
    dropped, the added ones and the new default graph loaded. Returns None, touching
    nothing, when the store was not loaded from the ``kg.trig`` this build replaced (then
    :func:`build_store` loads the new file whole).
    """
    out = Path(out_dir)
    try:
        info = store_info(out)
    except StoreError:
        return None
    if assembly.previous_dataset is None or info.get("source_stamp") != assembly.previous_dataset:
        return None
    tmp = home(out) / f".store-{uuid.uuid4().hex[:8]}"
    try:
        current = ox.Store.read_only(str(store_path(out)))
        current.backup(str(tmp))
        del current

        def fill(store: ox.Store) -> None:
            for graph in assembly.removed:
                store.remove_graph(ox.NamedNode(str(graph)))
            for part in assembly.added:
                store.load(
                    assembly.turtle(part.body),
                    format=ox.RdfFormat.TURTLE,
                    to_graph=ox.NamedNode(str(part.graph)),
                )
            store.clear_graph(ox.DefaultGraph())
            store.load(
                assembly.turtle(assembly.default_body),
                format=ox.RdfFormat.TURTLE,
                to_graph=ox.DefaultGraph(),
            )

        def describe(store: ox.Store) -> dict[str, Any]:
            info.pop("source_sha256", None)  # hashing 100+ MB would cost more than the update
            info.update(
                load=f"updated: {len(assembly.removed)} graph(s) removed, "
                f"{len(assembly.added)} added",
                quads=len(store),
                named_graphs=sum(1 for _ in store.named_graphs()),
                source_stamp=file_stamp(out / DATASET_FILE),
                pyoxigraph=ox.__version__,
            )
            return info

        fill_store(tmp, fill, describe)
    except (SyntaxError, ValueError, OSError):
        shutil.rmtree(tmp, ignore_errors=True)
        return None  # the whole load below still gives the right store
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    target = store_path(out)
    checkpoint("before-store-swap")
    _swap(tmp, target)
    return target


def store_is_current(out_dir: str | Path = "out") -> bool:
    """Whether ``OUT/store`` holds the ``OUT/kg.trig`` there now (and not a graph left by an
    earlier build run without the store output)."""
    out = Path(out_dir)
    try:
        info = store_info(out)
    except StoreError:
        return False
    if info.get("source") != DATASET_FILE:
        return False
    stamp = file_stamp(out / DATASET_FILE)
    if stamp is None:
        return False
    if info.get("source_stamp") is not None:
        return bool(info["source_stamp"] == stamp)
    return info.get("source_sha256") == sha256_of(out / DATASET_FILE)


def _swap(new_dir: Path, link: Path) -> None:
    """Point ``link`` at ``new_dir`` with one atomic rename, then remove the previous store.

    In a build's stage (:mod:`kg.store.generations`) the previous store belongs to the
    published generation: it is kept, and deleted when the stage is published."""
    staged = is_stage(link.parent)
    previous: Path | None = None
    if link.is_symlink():
        previous = link.resolve()
    elif link.exists():  # a plain folder (older layout): move it aside first
        previous = link.with_name(f".store-old-{uuid.uuid4().hex[:8]}")
        os.replace(link, previous)
    tmp_link = link.with_name(f".store-link-{uuid.uuid4().hex[:8]}")
    try:
        os.symlink(os.path.relpath(new_dir, link.parent), tmp_link, target_is_directory=True)
        os.replace(tmp_link, link)
    except OSError:  # no symbolic links here (some Windows setups): rename the folder instead
        with contextlib.suppress(OSError):
            tmp_link.unlink()
        if link.is_symlink():
            link.unlink()
        os.replace(new_dir, link)
    if staged:
        return
    if previous is not None and previous.resolve() != link.resolve():
        shutil.rmtree(previous, ignore_errors=True)
    for stale in link.parent.glob(".store-*"):  # left by a build that was killed
        if stale.is_dir() and not stale.is_symlink() and stale.resolve() != link.resolve():
            shutil.rmtree(stale, ignore_errors=True)


def _references(obj: object) -> int:
    """How many references ``obj`` has, as seen from here (-1 where Python does not say)."""
    count = getattr(sys, "getrefcount", None)
    return -1 if count is None else int(count(obj))


def _alone() -> int:
    probe = object()  # held by one local name, as the store is when it is closed
    return _references(probe)


# RocksDB closes when the store is freed, which must happen before its folder is published.
# CPython frees it as soon as the last name goes; a full garbage collection (a third of a
# second in a build holding its graph in memory) is only needed when something else still
# refers to it, or where reference counts cannot be read.
_ALONE = _alone()


def _needs_collection(store: ox.Store) -> bool:
    """Whether anything but the caller's one name refers to ``store`` (this function's
    argument is one more reference than the probe's)."""
    return _ALONE < 0 or _references(store) - 1 != _ALONE


_QUERY_ELSEWHERE = " (or query a file with --data FILE, or a server with --endpoint URL)"


def _missing(path: Path, elsewhere: str = _QUERY_ELSEWHERE) -> StoreError:
    out_dir = path.parent
    return StoreError(
        f"{path}: no SPARQL store there (--out {out_dir}); run `ftz-kg build --out {out_dir}` "
        f"first, or pass the folder of a build as --out DIR{elsewhere}"
    )


def open_store(out_dir: str | Path = "out", *, elsewhere: str = _QUERY_ELSEWHERE) -> ox.Store:
    """The store of the last build in ``out_dir``, opened read-only.

    ``elsewhere`` ends the message of a missing store: the caller's other ways to a graph
    (``--data``, ``--endpoint``), or ``""`` for a command that has none (``serve``)."""
    path = store_path(out_dir)
    if not (path / META_FILE).is_file():
        raise _missing(path, elsewhere)
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(
            f"{path}: cannot be opened ({exc}); rebuild it with `ftz-kg build`"
        ) from exc


def store_info(out_dir: str | Path = "out") -> dict[str, Any]:
    """What ``build_store`` recorded about the store: source file, quads, named graphs."""
    path = store_path(out_dir)
    try:
        info: dict[str, Any] = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise _missing(path) from exc
    except (OSError, ValueError) as exc:
        raise StoreError(
            f"{path / META_FILE}: unreadable ({exc}); rebuild with `ftz-kg build`"
        ) from exc
    return info


def load_file(path: str | Path) -> ox.Store:
    """An RDF file loaded into an in-memory pyoxigraph store (for ``--data FILE``)."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(
            f"{path}: no such file; give a .trig, .nq, .ttl, .nt, .rdf or .jsonld file"
        )
    store = ox.Store()
    try:
        store.load(path=str(path), format=_rdf_format(path))
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"{path}: cannot be parsed ({exc}); fix the file or rebuild it") from exc
    return store
