"""What a build can reuse from the previous one, under ``OUT/cache/``.

Three things are kept:

* **Extractions**, one pickle per document, named by the SHA-256 of the document's
  normalised text and file name, in a folder named by a *fingerprint* of everything else
  an extraction depends on: the ftz-kg version, Python and jieba versions,
  ``ontology/lexicon.ttl`` and ``ontology/patterns.toml``, the source of the extractor
  modules, and the pipeline itself (its components, lexicon and patterns). Editing the
  lexicon, a pattern or the extractor gives a new fingerprint, so stale records are never
  read; old fingerprint folders are pruned.
* **The graph index** (``graph.sqlite``, :mod:`kg.rdf.assemble`): what the graph files hold,
  document by document, so that a build redraws only the documents that changed.
* **The build manifest** (``build.json``): the key of the last successful build (the
  extraction fingerprint, the source of the whole package and its data files, the list
  of documents and the build options) and the size and modification time of every file
  it wrote. When a new build has the same key and the outputs are untouched, the outputs
  are already what the build would write, and nothing is done.

Every file is written to a temporary name and renamed, so an interrupted build never
leaves half a record; a record that cannot be read is treated as missing. The pickles are
only ever read from the build's own output folder: do not copy a cache from a source you
do not trust (unpickling runs code).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import re
import shutil
import sys
import tempfile
import types
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from rdflib import Graph

from ..extract.pipeline import Pipeline
from ..model import Document, Extraction
from ..read.documents import KnownDocument
from ..resources import ontology_file, static_file

__all__ = [
    "CACHE_DIR",
    "ExtractionCache",
    "Manifest",
    "build_key",
    "graph_fingerprint",
    "pipeline_fingerprint",
]

CACHE_DIR = "cache"
_EXTRACTIONS = "extractions"
_MANIFEST = "build.json"
_FORMAT = 1  # bump when the layout of the cache changes
_KG = Path(__file__).resolve().parent


# -- fingerprints ---------------------------------------------------------------------


def _version() -> str:
    return _distribution_version("ftz-kg")


def _distribution_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def _hash_files(paths: Iterable[Path], digest: Any) -> None:
    for path in sorted(paths):
        digest.update(str(path.name).encode("utf-8") + b"\0")
        digest.update(path.read_bytes())


# ``from .x import a, b`` (names possibly in parentheses over several lines),
# ``from kg.x import a`` and ``import kg.x``, anywhere in a line (imports inside functions
# count). A match inside a string only adds a file to hash: the closure can only grow.
_FROM_IMPORT = re.compile(
    r"^[ \t]*from[ \t]+(\.+|kg\b)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M
)
_PLAIN_IMPORT = re.compile(r"^[ \t]*import[ \t]+(kg(?:\.[\w.]+)?)", re.M)


def _module_files(target: Path) -> list[Path]:
    return [c for c in (target.with_suffix(".py"), target / "__init__.py") if c.is_file()]


def _imported_files(path: Path) -> list[Path]:
    """The ``kg`` modules that the source of ``path`` imports."""
    text = path.read_text(encoding="utf-8")
    found: list[Path] = []
    for dots, module, names in _FROM_IMPORT.findall(text):
        if dots == "kg":
            base, parts = _KG.parent, ["kg", *filter(None, module.split("."))]
        else:
            base = path.parent
            for _ in range(len(dots) - 1):
                base = base.parent
            parts = list(filter(None, module.split(".")))
        target = base.joinpath(*parts) if parts else base
        found.extend(_module_files(target))
        for name in re.split(r"[\s,()]+", names.split("#")[0]):
            if name and name != "as" and name.isidentifier():
                found.extend(_module_files(target / name))
    for module in _PLAIN_IMPORT.findall(text):
        found.extend(_module_files(_KG.parent.joinpath(*module.split("."))))
    return found


@lru_cache(maxsize=32)
def _import_closure(start: tuple[Path, ...]) -> tuple[Path, ...]:
    """``start`` and every ``kg`` module they import, transitively, found by reading them.

    Hashing exactly these keeps a cache valid while unrelated parts of the package change
    (other features are edited all the time), yet a change to any module used
    invalidates it. (A regular expression rather than :mod:`ast`: parsing the package
    costs a tenth of a second, which an incremental build cannot spare.)
    """
    todo = list(start)
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        todo.extend(_imported_files(path))
    return tuple(sorted(seen))


def _extractor_sources() -> tuple[Path, ...]:
    return _import_closure((_KG / "extract" / "pipeline.py",))


_ATOMS = (str, int, float, bool, type(None))


@lru_cache(maxsize=64)
def _field_names(cls: Any) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _canonical(value: Any) -> Any:
    """A representation of ``value`` whose ``repr`` is the same in every process.

    (A frozenset's iteration order follows string hashes, which differ per process.)
    """
    kind: Any = type(value)
    if kind in _ATOMS:
        return value
    if kind is tuple and all(type(v) is str for v in value):
        return value
    if isinstance(value, Graph):
        # The lexicon's source graph: its content already shows in the entries and facts.
        return "<graph>"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _field_names(kind)
        values = [getattr(value, n) for n in names]
        if all(type(v) in _ATOMS for v in values):  # most records: no recursion needed
            return (kind.__qualname__, tuple(zip(names, values, strict=True)))
        return (
            kind.__qualname__,
            tuple((n, _canonical(v)) for n, v in zip(names, values, strict=True)),
        )
    if isinstance(value, dict):
        items = [(repr(_canonical(k)), _canonical(v)) for k, v in value.items()]
        return ("dict", tuple(sorted(items, key=lambda kv: kv[0])))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(repr(_canonical(v)) for v in value)))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    if isinstance(value, re.Pattern):
        return ("re", value.pattern, value.flags)
    return value


def _component_identity(component: Any, sources: set[Path]) -> str | None:
    """``module:qualname`` of a module-level function (its source is hashed), else None.

    A lambda, a closure or a callable object has no stable identity across runs: a
    pipeline with one is not cached.
    """
    if not isinstance(component, types.FunctionType):
        return None
    if component.__closure__ or "<" in component.__qualname__:
        return None
    module = sys.modules.get(component.__module__)
    file = getattr(module, "__file__", None)
    if not file:
        return None
    sources.add(Path(file).resolve())
    return f"{component.__module__}:{component.__qualname__}"


def pipeline_fingerprint(
    pipeline: Pipeline, data_files: Sequence[Path] | None = None
) -> str | None:
    """The fingerprint of everything an extraction depends on besides the document.

    ``data_files`` defaults to ``ontology/lexicon.ttl`` and ``ontology/patterns.toml``.
    Returns None when the pipeline cannot be identified (a lambda component): such a
    pipeline is never cached.
    """
    import jieba

    digest = hashlib.sha256()
    header = [
        f"format={_FORMAT}",
        f"ftz-kg={_version()}",
        f"python={sys.version_info[0]}.{sys.version_info[1]}",
        f"jieba={getattr(jieba, '__version__', '?')}",
        f"rjieba={_distribution_version('rjieba')}",
    ]
    digest.update("\n".join(header).encode("utf-8"))
    if data_files is None:
        data_files = [
            Path(str(ontology_file("lexicon.ttl"))),
            Path(str(ontology_file("patterns.toml"))),
        ]
    _hash_files(data_files, digest)
    sources = set(_extractor_sources())
    names = []
    for name, component in pipeline.components:
        identity = _component_identity(component, sources)
        if identity is None:
            return None
        names.append(f"{name}={identity}")
    digest.update("\n".join(names).encode("utf-8"))
    _hash_files(sources, digest)
    # A lexicon loaded from a file (immutable once loaded) is known by that file; one made
    # in code by its content.
    lexicon = pipeline.lexicon
    digest.update((lexicon.source_digest or repr(_canonical(lexicon))).encode("utf-8"))
    digest.update(repr(_canonical(pipeline.patterns)).encode("utf-8"))
    return digest.hexdigest()


def _output_sources(writers: Sequence[Any]) -> list[Path]:
    """Every file that can change what a build writes: the modules the build and the
    extra writers import, and the data files (ontology, shapes, lexicon, page assets)."""
    start = [_KG / "build.py"]
    for writer in writers:
        file = getattr(sys.modules.get(getattr(writer, "__module__", "")), "__file__", None)
        if file:
            start.append(Path(file).resolve())
    files = list(_import_closure(tuple(start)))
    folders = [Path(str(ontology_file(".")))]
    if writers:  # the views embed the page assets
        folders.append(Path(str(static_file("."))))
    for folder in folders:
        if folder.is_dir():
            files.extend(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".pyc")
    return files


def graph_fingerprint(extraction_fingerprint: str) -> str:
    """The fingerprint of everything that draws the graph files from the extractions: the
    extraction fingerprint, the package source the build imports, and the ontology data."""
    digest = hashlib.sha256(extraction_fingerprint.encode("ascii"))
    _hash_files(_output_sources(()), digest)
    return digest.hexdigest()


def build_key(
    extraction_fingerprint: str,
    documents: Sequence[Document | KnownDocument],
    options: dict[str, Any],
    writers: Sequence[Any] = (),
) -> str:
    """The key of a build: same key and untouched outputs mean the same bytes out.

    ``writers`` are the extra outputs (their code is part of the key).
    """
    digest = hashlib.sha256(extraction_fingerprint.encode("ascii"))
    _hash_files(_output_sources(writers), digest)
    listing = sorted((d.content_hash, d.name, d.title, d.date) for d in documents)
    digest.update(json.dumps([listing, options], sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


# -- atomic files ---------------------------------------------------------------------


def _write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file and a rename.

    No fsync: a record lost in a crash is only a cache miss, and hundreds of fsyncs would
    cost seconds. A truncated record fails to unpickle and is then treated as missing.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- extraction records ---------------------------------------------------------------


class ExtractionCache:
    """Extraction records of one pipeline fingerprint, one file per document."""

    def __init__(self, root: Path, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self.root = Path(root)
        self.folder = self.root / _EXTRACTIONS / fingerprint[:16]
        self.hits = 0
        self.misses = 0

    @classmethod
    def open(cls, out_dir: str | Path, pipeline: Pipeline) -> ExtractionCache | None:
        """The cache for ``pipeline`` under ``out_dir``; None if it cannot be cached."""
        fingerprint = pipeline_fingerprint(pipeline)
        if fingerprint is None:
            return None
        return cls(Path(out_dir) / CACHE_DIR, fingerprint)

    @staticmethod
    def key(document: Document | KnownDocument) -> str:
        # The name is part of the key: the document node's IRI and path come from it.
        text = f"{document.content_hash}\0{document.name}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def path(self, document: Document) -> Path:
        key = self.key(document)
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, document: Document) -> Extraction | None:
        """The cached extraction of ``document`` (carrying this very document), or None."""
        path = self.path(document)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        try:
            extraction = pickle.loads(data)
            if not isinstance(extraction, Extraction):
                raise TypeError(type(extraction).__name__)
            if extraction.document.content_hash != document.content_hash:
                raise ValueError("content hash differs")
        except Exception:  # a truncated or foreign record: drop it, extract again
            path.unlink(missing_ok=True)
            self.misses += 1
            return None
        self.hits += 1
        # The same text may now come from another path or encoding: report the current one.
        return dataclasses.replace(extraction, document=document)

    def put(self, document: Document, extraction: Extraction, payload: bytes | None = None) -> None:
        """Store ``extraction`` (``payload``: its pickle, when already made)."""
        data = payload if payload is not None else pickle.dumps(extraction, pickle.HIGHEST_PROTOCOL)
        _write_atomic(self.path(document), data)

    def prune(self, keep: int = 2) -> None:
        """Remove the records of all but the ``keep`` most recently used fingerprints."""
        base = self.root / _EXTRACTIONS
        if not base.is_dir():
            return
        if self.folder.is_dir():
            os.utime(self.folder)
        folders = sorted(
            (p for p in base.iterdir() if p.is_dir()),
            key=lambda p: (p == self.folder, p.stat().st_mtime),
            reverse=True,
        )
        for folder in folders[keep:]:
            shutil.rmtree(folder, ignore_errors=True)


# -- build manifest -------------------------------------------------------------------


def _stamp(path: Path) -> list[int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    if path.is_dir():
        return [-1, 0]  # a folder (the SPARQL store) only has to exist
    return [st.st_size, st.st_mtime_ns]


@dataclasses.dataclass
class Manifest:
    """What the last successful build wrote, and from what."""

    key: str
    outputs: dict[str, list[int]]
    stats: dict[str, Any]

    @staticmethod
    def location(out_dir: str | Path) -> Path:
        return Path(out_dir) / CACHE_DIR / _MANIFEST

    @classmethod
    def load(cls, out_dir: str | Path) -> Manifest | None:
        try:
            data = json.loads(cls.location(out_dir).read_text(encoding="utf-8"))
            return cls(str(data["key"]), dict(data["outputs"]), dict(data["stats"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    @classmethod
    def of(
        cls, key: str, out_dir: str | Path, written: Iterable[Path], stats: dict[str, Any]
    ) -> Manifest:
        out = Path(out_dir)
        outputs: dict[str, list[int]] = {}
        for path in written:
            stamp = _stamp(path)
            if stamp is not None:
                outputs[os.path.relpath(path, out)] = stamp
        return cls(key, outputs, stats)

    def intact(self, out_dir: str | Path) -> bool:
        """True when every output is still there, as this build left it."""
        out = Path(out_dir)
        return bool(self.outputs) and all(
            _stamp(out / rel) == stamp for rel, stamp in self.outputs.items()
        )

    def save(self, out_dir: str | Path) -> None:
        data = {"key": self.key, "outputs": self.outputs, "stats": self.stats}
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
        _write_atomic(self.location(out_dir), text.encode("utf-8"))

    @classmethod
    def remove(cls, out_dir: str | Path) -> None:
        cls.location(out_dir).unlink(missing_ok=True)
