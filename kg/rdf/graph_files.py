"""Writing ``kg.ttl`` and ``kg.trig`` from the graph index: the layout of the two files, the
unchanged bodies copied from the previous files, the replaced files swept away in the
background."""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from rdflib import URIRef

from ..errors import OutputError
from ..namespaces import PREFIXES
from .rdfwrite import PredicateObject, statement

if TYPE_CHECKING:
    from .assemble import Assembly, GraphIndex

_PREFIXES = {prefix: str(ns) for prefix, ns in PREFIXES.items()}

GRAPH_FILE = "kg.ttl"
DATASET_FILE = "kg.trig"


def file_stamp(path: Path) -> list[int] | None:
    """Size and modification time of a file (None if it is missing): how later steps tell
    that a file is still the one they recorded."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


PREFIX_HEADER = "".join(f"@prefix {p}: <{_PREFIXES[p]}> .\n" for p in sorted(_PREFIXES))

_SHARED_COMMENT = (
    "\n# default graph and what several graphs may state, one statement per subject: the "
    "entities (types, labels, aliases), the lexicon's facts among them, the ontology terms "
    "used, and the relations, assertions and articles of the documents above\n"
)


@dataclass(frozen=True)
class _Row:
    key: str
    graph: str
    ttl_length: int
    trig_length: int
    ttl_offset: int | None
    trig_offset: int | None


@dataclass(frozen=True)
class _Layout:
    """How one of the two files frames the document bodies."""

    target: Path
    opening: str  # before a body; {} is the graph's name
    closing: bytes  # after a body
    before_tail: str
    file: str  # "ttl" or "trig": which _Row fields hold this file's offsets and lengths
    bodies: dict[str, bytes]  # the bodies drawn by this build, by document key
    tail: bytes  # after the documents

    def write(
        self, temp: Path, rows: Sequence[_Row], labels: Sequence[str], incremental: bool
    ) -> list[int]:
        """Write the file to ``temp``; returns where each row's body now starts."""
        offsets: list[int] = []
        with ExitStack() as stack:
            old = stack.enter_context(open(self.target, "rb")) if incremental else None
            out = stack.enter_context(open(temp, "wb"))
            out.write(PREFIX_HEADER.encode("utf-8"))
            for row, label in zip(rows, labels, strict=True):
                out.write(self.opening.format(label).encode("utf-8"))
                offsets.append(out.tell())
                body = self.bodies.get(row.key)
                if body is not None:
                    out.write(body)
                else:
                    offset = getattr(row, f"{self.file}_offset")
                    _copy(old, out, offset, getattr(row, f"{self.file}_length"))
                out.write(self.closing)
            out.write(self.before_tail.encode("utf-8"))
            out.write(self.tail)
        return offsets


_TRASH = ".replaced-"


def _keep_for_sweeping(target: Path, index: Path | None) -> None:
    """Keep a hard link to the file about to be replaced, for :func:`sweep` to delete."""
    if index is None or not target.exists():
        return
    link = index.parent / f"{_TRASH}{target.name}.{os.getpid()}.{time.monotonic_ns()}"
    with suppress(OSError):  # no hard links here: the replace frees the blocks itself
        os.link(target, link)


def sweep(cache_dir: Path) -> threading.Thread:
    """Delete, on a thread, the graph files earlier builds replaced (kept by
    :meth:`GraphIndex.write` until the next build): the kernel frees their blocks while
    this build does its own work. The caller joins the thread before it returns."""

    def run() -> None:
        for path in sorted(cache_dir.glob(f"{_TRASH}*")):
            with suppress(OSError):
                path.unlink()

    thread = threading.Thread(target=run, name="ftz-kg-sweep", daemon=True)
    thread.start()
    return thread


def _copy(source: BinaryIO | None, target: BinaryIO, offset: int | None, length: int) -> None:
    """Copy ``length`` bytes at ``offset`` of ``source`` to the end of ``target``."""
    if source is None or offset is None:
        raise OutputError("the previous graph files are needed for an incremental build")
    target.flush()
    done = 0
    with suppress(OSError, AttributeError):
        out_at = target.tell()
        while done < length:
            n = os.copy_file_range(
                source.fileno(), target.fileno(), length - done, offset + done, out_at + done
            )
            if n <= 0:
                break
            done += n
        target.seek(out_at + done)
    while done < length:  # no copy_file_range here (or across file systems): plain copy
        chunk = os.pread(source.fileno(), min(1 << 20, length - done), offset + done)
        if not chunk:
            raise OutputError("the previous graph files are shorter than recorded; rebuild")
        target.write(chunk)
        done += len(chunk)


def write_graph_files(index: GraphIndex, out_dir: Path, assembly: Assembly) -> list[Path]:
    """Write both files (atomically) from the new parts and the previous files.

    The two files are written at once on two threads (copying is done by the kernel,
    outside the GIL), and the files they replace are kept as hard links in the cache
    and deleted in the background (:func:`sweep`): freeing 100+ MB of blocks takes the
    kernel longer than drawing a document.
    """
    rows = [
        _Row(*row)
        for row in index.db.execute(
            "SELECT key, graph, ttl_length, trig_length, ttl_offset, trig_offset "
            "FROM docs ORDER BY sort"
        )
    ]
    labels = [index.fmt.term(URIRef(row.graph)) for row in rows]
    incremental = len(assembly.added) < len(rows)
    layouts = [
        _Layout(
            out_dir / GRAPH_FILE,
            "\n# graph {}\n",
            b"",
            _SHARED_COMMENT,
            "ttl",
            {part.key: part.ttl_body for part in assembly.added},
            assembly.shared_body,
        ),
        _Layout(
            out_dir / DATASET_FILE,
            "\n{} {{\n",
            b"}\n",
            "\n",
            "trig",
            {part.key: part.body for part in assembly.added},
            assembly.default_body,
        ),
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    temps: list[Path] = []
    try:
        for layout in layouts:
            fd, name = tempfile.mkstemp(
                prefix=f".{layout.target.name}.", suffix=".tmp", dir=out_dir
            )
            os.close(fd)
            temps.append(Path(name))
        with ThreadPoolExecutor(len(layouts)) as pool:
            jobs = [
                pool.submit(layout.write, temp, rows, labels, incremental)
                for layout, temp in zip(layouts, temps, strict=True)
            ]
            ttl_at, trig_at = (job.result() for job in jobs)
        # No fsync: after a crash a damaged file no longer has the size and time the
        # index recorded, and the next build draws everything again. Syncing 100+ MB
        # would cost more than drawing a document.
        umask = os.umask(0)
        os.umask(umask)
        for temp, layout in zip(temps, layouts, strict=True):
            os.chmod(temp, 0o666 & ~umask)
            _keep_for_sweeping(layout.target, index.path)
            os.replace(temp, layout.target)
    except OSError as exc:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise OutputError(
            f"{out_dir}: cannot write {GRAPH_FILE}/{DATASET_FILE} ({exc}); check the folder"
        ) from exc
    index.db.executemany(
        "UPDATE docs SET ttl_offset=?, trig_offset=? WHERE key=?",
        [(t, g, row.key) for t, g, row in zip(ttl_at, trig_at, rows, strict=True)],
    )
    targets = [layout.target for layout in layouts]
    for target in targets:
        index._set_meta(target.name, file_stamp(target))
    index._set_meta("fingerprint", index.fingerprint)
    return targets


def _merge_blocks(
    index: GraphIndex,
    subjects: set[str],
    known: Iterable[tuple[str, Sequence[PredicateObject]]] | None = None,
) -> int:
    """Redraw the statements of kg.ttl's shared part about ``subjects``: each one with
    what the default graph and every document graph say of it, each triple once; returns
    how many triples the statements hold.

    ``known``: every row of the tables by subject, at hand (a first build's,
    :class:`kg.rdf.first_build.FirstBuild`), so that none is read back from them."""
    rows: dict[str, list[PredicateObject]] = {subject: [] for subject in subjects}

    def take(subject: str, text: str) -> None:
        found = rows.get(subject)
        if found is not None:
            found.extend(tuple(row) for row in json.loads(text))

    if known is not None:
        for subject, found_rows in known:
            found = rows.get(subject)
            if found is not None:
                found.extend(found_rows)
    elif len(subjects) > index._SCAN:
        for query in ("SELECT subject, rows FROM blocks", "SELECT subject, rows FROM shared"):
            for subject, text in index.db.execute(query):
                take(subject, text)
    else:
        for subject in subjects:
            for query in (
                "SELECT subject, rows FROM blocks WHERE subject=?",
                "SELECT subject, rows FROM shared WHERE subject=?",
            ):
                for found, text in index.db.execute(query, (subject,)):
                    take(found, text)
    drops = [(subject,) for subject, found in rows.items() if not found]
    index.db.executemany("DELETE FROM merged WHERE subject=?", drops)
    merged = [(subject, set(found)) for subject, found in sorted(rows.items()) if found]
    index.db.executemany(
        "INSERT OR REPLACE INTO merged VALUES(?, ?)",
        [
            (subject, statement(index.fmt.term(URIRef(subject[1:-1])), found))
            for subject, found in merged
        ],
    )
    return sum(len(found) for _subject, found in merged)


def _default_body(index: GraphIndex) -> bytes:
    texts = [row[0] for row in index.db.execute("SELECT text FROM blocks ORDER BY subject")]
    return "\n".join(texts).encode("utf-8")


def _shared_body(index: GraphIndex) -> bytes:
    texts = [row[0] for row in index.db.execute("SELECT text FROM merged ORDER BY subject")]
    return "\n".join(texts).encode("utf-8")
