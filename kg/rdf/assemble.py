"""Write ``kg.ttl`` and ``kg.trig`` from per-document parts, so that a build costs what changed.

A document's named graph depends on that document alone, so it is drawn once, as Turtle
*bodies*, and the files are laid out graph by graph::

    kg.ttl                               kg.trig
    @prefix …                            @prefix …

    # graph id:doc/a-1234                id:doc/a-1234 {
    <own part of a>                      <body of a>}
    # graph id:doc/b-5678                id:doc/b-5678 {
    <own part of b>                      <body of b>}
    # default graph and what …           <default graph body>
    <shared part>

(named graphs in IRI order, each body sorted by subject). Both files are valid
Turtle/TriG, byte-stable, and a diff between two builds shows the graphs that changed.

``kg.ttl`` is the union of the graphs in canonical form: each triple once, one statement
per subject. A document's *own part* is what no other graph can state: the triples about
its node and its text (sentences, mentions, figures; a text under two names is drawn
once, :func:`kg.rdf.graph.duplicates`). What several graphs may state of one subject (the
relation triples, assertion and article nodes that documents repeat, and the default
graph: entity types, labels and aliases, lexicon facts, ontology terms) is merged into one
statement per subject in the *shared part* at the end. In ``kg.trig`` each named graph
keeps everything it states, and the default graph is its own.

The default graph is kept as one statement per subject; a subject is redrawn when a
document that mentions it comes or goes (:class:`kg.rdf.describe.Describer`), and a subject of the
shared part when its description or a document that states something of it changes.

:class:`GraphIndex` records, in SQLite, what the files hold: every document's offsets in
both files, the entities and surface forms each document contributes, what it states of
shared subjects, the default graph's and the shared part's statements, and reference
counts of the triples that several graphs can share (relation triples, assertion and
article nodes, the default graph; triples about a document's own sentences, mentions and
figures are counted per text) and of the relations (:mod:`kg.rdf.edges`), so the summary's
distinct counts stay exact without the graph in memory. A build applies the removed and
added documents to the index in one transaction, copies the unchanged bodies from the
previous files (``copy_file_range``: no parsing, no formatting), and commits only once
the new files are in place. When the index does not match the files on disk, or the code
or data that draw the graph changed, it starts empty and everything is drawn again.

The parts: :mod:`kg.rdf.parts` (a document's part), :mod:`kg.rdf.pending` (changes not yet
written), :mod:`kg.rdf.index_counts` (the summary's counts), :mod:`kg.rdf.redraw` (the
default graph's and the shared part's statements), :mod:`kg.rdf.graph_files` (writing the
two files); this module holds the index itself and applies a build's changes to it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from ..extract.lexicon import Lexicon
from ..model import Document
from ..read.documents import KnownDocument
from .describe import Describer
from .first_build import FirstBuild
from .gcpause import paused_gc
from .graph_files import (
    _PREFIXES,
    DATASET_FILE,
    GRAPH_FILE,
    PREFIX_HEADER,
    _default_body,
    _merge_blocks,
    _shared_body,
    file_stamp,
    write_graph_files,
)
from .index_counts import (
    _flush,
    _local_count,
    _shared_count,
    _text_triples,
    class_counts,
    observation_count,
    relation_count,
    triple_count,
)
from .iris import SECTOR_SCHEME, entity_iri
from .parts import DocumentPart, _pack, _unpack, entity_id
from .pending import _Pending
from .rdfwrite import (
    Formatter,
    Triple,
)
from .redraw import _redraw_entity, _redraw_scheme, _redraw_terms, describe

__all__ = ["Assembly", "GraphIndex"]

_SCHEMA = 4


@dataclass
class Assembly:
    """What one build changed, for validation and for outputs that update in place."""

    added: list[DocumentPart] = field(default_factory=list)
    removed: list[URIRef] = field(default_factory=list)
    # The default-graph statements redrawn by this build, as triples.
    redrawn: set[Triple] = field(default_factory=set)
    default_body: bytes = b""  # the default graph (kg.trig)
    # The end of kg.ttl: one statement per subject that is not a document's own, with
    # everything the default graph and the document graphs say of it.
    shared_body: bytes = b""
    full: bool = False  # every document was drawn (a first build or a reset index)
    # Size and modification time of the kg.trig this build replaces (outputs derived from
    # it, such as the SPARQL store, can be updated in place when they match).
    previous_dataset: list[int] | None = None

    def turtle(self, body: bytes) -> bytes:
        """A body as a Turtle document of its own."""
        return PREFIX_HEADER.encode("utf-8") + body


class GraphIndex:
    """The record of what ``kg.ttl``/``kg.trig`` in one output folder hold (see module doc).

    ``path`` None keeps the index in memory (a build without a cache): everything is drawn.
    """

    def __init__(
        self,
        path: Path | None,
        fingerprint: str,
        lexicon: Lexicon,
        ontology: Graph,
    ) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.describer = Describer(lexicon, ontology)
        self.lexicon = lexicon
        self.ontology = ontology
        self.fmt = Formatter(_PREFIXES)
        self.db = self._connect()
        self._present: dict[str, bool] = {}
        self._triples = 0  # the distinct triple count, kept up to date during apply()
        self._stats: dict[str, list[int]] = {}  # file stat seen by known(), for remember()
        self._files: list[tuple[object, ...]] = []
        self._pending = _Pending()
        self._blocks_empty = False
        self._fresh = False
        self._changed: set[str] = set()  # default-graph statements redrawn by apply()
        self._first: FirstBuild | None = None  # what apply() keeps at hand on a first build
        # An index in memory is dropped after its one build, and a first build answers from
        # its FirstBuild what the "surfaces" and "shared" tables would: they stay empty
        # (inserting them cost a corpus build 0.6 s). Set once they have been left out.
        self._one_shot = False

    @property
    def hashed(self) -> bool:
        """Whether :meth:`apply` reads the parts' triple hashes (reference counts kept for
        later builds); an index in memory counts the shared triples as it merges them."""
        return self.path is not None

    # -- opening ------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        target = ":memory:" if self.path is None else str(self.path)
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = self._open(target)
        except sqlite3.DatabaseError:  # a damaged index is only a cache: start again
            if self.path is None:
                raise
            self.path.unlink(missing_ok=True)
            db = self._open(target)
        return db

    def _open(self, target: str) -> sqlite3.Connection:
        db = sqlite3.connect(target, isolation_level=None)
        db.execute(
            "PRAGMA journal_mode=WAL" if target != ":memory:" else "PRAGMA journal_mode=MEMORY"
        )
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA cache_size=-65536")  # 64 MB: a first build writes ~50 MB
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != _SCHEMA:
            self._create(db)
        return db

    @staticmethod
    def _create(db: sqlite3.Connection) -> None:
        for table in (
            "files",
            "meta",
            "docs",
            "surfaces",
            "blocks",
            "triple_refs",
            "entity_refs",
            "relation_refs",
            "edge_refs",
            "term_refs",
            "shared",
            "merged",
        ):
            db.execute(f"DROP TABLE IF EXISTS {table}")
        db.executescript(
            """
            CREATE TABLE meta(name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE files(
                path TEXT PRIMARY KEY, stat TEXT NOT NULL, name TEXT NOT NULL,
                content_hash TEXT NOT NULL, encoding TEXT NOT NULL, title TEXT NOT NULL,
                date TEXT NOT NULL);
            CREATE TABLE docs(
                key TEXT PRIMARY KEY, graph TEXT NOT NULL, sort TEXT NOT NULL,
                ttl_length INTEGER NOT NULL, trig_length INTEGER NOT NULL,
                ttl_offset INTEGER, trig_offset INTEGER,
                observations INTEGER NOT NULL, hashes BLOB NOT NULL,
                content_hash TEXT NOT NULL, local INTEGER NOT NULL,
                edges BLOB NOT NULL, counted TEXT NOT NULL, terms TEXT NOT NULL,
                duplicate_of TEXT NOT NULL);
            CREATE INDEX docs_sort ON docs(sort);
            CREATE INDEX docs_text ON docs(content_hash);
            CREATE TABLE surfaces(
                doc TEXT NOT NULL, iri TEXT NOT NULL, entity TEXT NOT NULL,
                surface TEXT NOT NULL, lexical INTEGER NOT NULL);
            CREATE INDEX surfaces_iri ON surfaces(iri);
            CREATE INDEX surfaces_doc ON surfaces(doc);
            CREATE TABLE blocks(
                subject TEXT PRIMARY KEY, kind TEXT NOT NULL, text TEXT NOT NULL,
                hashes BLOB NOT NULL, terms TEXT NOT NULL, edges BLOB NOT NULL,
                rows TEXT NOT NULL);
            CREATE INDEX blocks_kind ON blocks(kind);
            CREATE TABLE shared(doc TEXT NOT NULL, subject TEXT NOT NULL, rows TEXT NOT NULL);
            CREATE INDEX shared_doc ON shared(doc);
            CREATE INDEX shared_subject ON shared(subject);
            CREATE TABLE merged(subject TEXT PRIMARY KEY, text TEXT NOT NULL);
            CREATE TABLE triple_refs(hash INTEGER PRIMARY KEY, refs INTEGER NOT NULL);
            CREATE TABLE entity_refs(entity TEXT PRIMARY KEY, cls TEXT NOT NULL,
                refs INTEGER NOT NULL);
            CREATE TABLE edge_refs(hash INTEGER PRIMARY KEY, refs INTEGER NOT NULL);
            CREATE TABLE term_refs(term TEXT PRIMARY KEY, refs INTEGER NOT NULL);
            """
        )
        db.execute(f"PRAGMA user_version={_SCHEMA}")

    def _meta(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE name=?", (name,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, name: str, value: object) -> None:
        self.db.execute(
            "INSERT INTO meta VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value=excluded.value",
            (name, json.dumps(value)),
        )

    def matches(self, out_dir: Path) -> bool:
        """True when the index describes the files in ``out_dir`` as they are."""
        if self._meta("fingerprint") != json.dumps(self.fingerprint):
            return False
        for name in (GRAPH_FILE, DATASET_FILE):
            recorded = self._meta(name)
            if recorded is None or json.loads(recorded) != file_stamp(out_dir / name):
                return False
        return True

    def reset(self) -> None:
        """Forget everything: the next build draws every document."""
        self._create(self.db)
        self._present.clear()

    def close(self) -> None:
        self.db.close()

    # -- input files ----------------------------------------------------------------------

    def known(self, path: Path) -> KnownDocument | None:
        """The document at ``path`` as a previous build read it, if the file is unchanged.

        Like git's index, a file whose size, modification and change times and inode are
        those recorded is taken as unchanged, so an unchanged corpus is not read again.
        """
        try:
            st = path.stat()
        except OSError:
            return None
        stat = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        self._stats[str(path)] = stat
        row = self.db.execute(
            "SELECT stat, name, content_hash, encoding, title, date FROM files WHERE path=?",
            (str(path),),
        ).fetchone()
        if row is None or json.loads(row[0]) != stat:
            return None
        return KnownDocument(str(path), *row[1:])

    def remember(self, document: Document) -> None:
        """Record a file just read (saved with the next :meth:`apply`)."""
        stat = self._stats.get(document.path)
        if stat is not None:
            self._files.append(
                (
                    document.path,
                    json.dumps(stat),
                    document.name,
                    document.content_hash,
                    document.encoding,
                    document.title,
                    document.date,
                )
            )

    # -- what is there --------------------------------------------------------------------

    def documents(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT key FROM docs")}

    def duplicates(self) -> dict[str, str]:
        """Key → the IRI of the document it was drawn as the duplicate of ("" for none)."""
        return {str(k): str(d) for k, d in self.db.execute("SELECT key, duplicate_of FROM docs")}

    def triple_count(self) -> int:
        return triple_count(self)

    def class_counts(self) -> dict[str, int]:
        return class_counts(self)

    def relation_count(self) -> int:
        """Distinct relations in the graph (:func:`kg.rdf.edges.is_relation`)."""
        return relation_count(self)

    def observation_count(self) -> int:
        return observation_count(self)

    # -- reference counts -----------------------------------------------------------------
    # Changes are gathered in Counters and written in bulk by _flush(): a first build of a
    # corpus changes a million counts, and one statement per change would take minutes.

    # -- changes ----------------------------------------------------------------------------

    def present(self, iri: str) -> bool:
        """Whether some document mentions the entity ``iri`` (a lexicon key is "found")."""
        known = self._present.get(iri)
        if known is None and self._first is not None:
            known = self._present[iri] = iri in self._first.entities
        if known is None:
            if self._one_shot:
                raise RuntimeError("an in-memory graph index holds no surfaces after apply()")
            row = self.db.execute("SELECT 1 FROM surfaces WHERE iri=? LIMIT 1", (iri,)).fetchone()
            known = self._present[iri] = row is not None
        return known

    def _remove(self, key: str) -> URIRef:
        row = self.db.execute(
            "SELECT graph, hashes, edges, counted, terms FROM docs WHERE key=?", (key,)
        ).fetchone()
        graph, hashes, edges, counted, terms = row
        pending = self._pending
        pending.triples.subtract(_unpack(hashes))
        pending.edges.subtract(_unpack(edges))
        pending.entities.subtract(json.loads(counted))
        pending.terms.subtract(json.loads(terms))
        self.db.execute("DELETE FROM surfaces WHERE doc=?", (key,))
        self.db.execute("DELETE FROM shared WHERE doc=?", (key,))
        self.db.execute("DELETE FROM docs WHERE key=?", (key,))
        return URIRef(graph)

    def _add(self, part: DocumentPart) -> None:
        counted = [e for e, _s, _lex, count in part.entities if count]
        self.db.execute(
            "INSERT INTO docs VALUES(?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                part.key,
                str(part.graph),
                part.sort_key,
                len(part.ttl_body),
                len(part.body),
                part.observations,
                _pack(part.hashes),
                part.content_hash,
                part.local,
                _pack(part.edges),
                json.dumps([entity_id(e) for e in counted], ensure_ascii=False),
                json.dumps(list(part.terms)),
                part.duplicate_of,
            ),
        )
        pending = self._pending
        pending.triples.update(part.hashes)
        pending.edges.update(part.edges)
        pending.terms.update(part.terms)
        for entity in counted:
            eid = entity_id(entity)
            pending.entities[eid] += 1
            pending.classes[eid] = entity.cls
        if self._one_shot:
            return
        rows = []
        for entity, surfaces, lexical, _count in part.entities:
            iri, eid = str(entity_iri(entity)), entity_id(entity)
            for surface in surfaces or ("",):
                rows.append((part.key, iri, eid, surface, int(lexical)))
        self.db.executemany("INSERT INTO surfaces VALUES(?, ?, ?, ?, ?)", rows)
        self.db.executemany(
            "INSERT INTO shared VALUES(?, ?, ?)",
            [
                (part.key, subject, json.dumps(rows, ensure_ascii=False))
                for subject, rows in part.shared
            ],
        )

    @paused_gc()
    def apply(self, removed: Iterable[str], added: Sequence[DocumentPart]) -> Assembly:
        """Take documents out and put documents in (inside a transaction; see :meth:`commit`)."""
        if self._one_shot:
            raise RuntimeError("an in-memory graph index is applied once")
        self.db.execute("BEGIN")
        self.db.executemany("INSERT OR REPLACE INTO files VALUES(?, ?, ?, ?, ?, ?, ?)", self._files)
        self._files = []
        self._triples = _shared_count(self)
        self._pending = _Pending()
        first = not self.documents()
        self._blocks_empty = first and self.db.execute("SELECT 1 FROM blocks").fetchone() is None
        # Nothing counted yet (a first build): counts are inserted, not updated.
        self._fresh = self._blocks_empty and not self.triple_count()
        self._first = FirstBuild(added) if self._fresh else None
        self._one_shot = self._first is not None and self.path is None
        assembly = Assembly(added=list(added), full=first)
        recorded = self._meta(DATASET_FILE)
        assembly.previous_dataset = json.loads(recorded) if recorded else None
        removed = sorted(removed)
        touched: set[str] = set()
        self._changed = set()
        # Subjects that documents coming or going say something of (kg.ttl's merged part).
        shared: set[str] = set()
        for key in removed:
            touched |= {
                r[0]
                for r in self.db.execute("SELECT DISTINCT iri FROM surfaces WHERE doc=?", (key,))
            }
            shared |= {
                r[0]
                for r in self.db.execute("SELECT DISTINCT subject FROM shared WHERE doc=?", (key,))
            }
        for part in added:
            shared |= {subject for subject, _rows in part.shared}
        for part in added:
            touched |= {str(entity_iri(e)) for e, *_rest in part.entities}
        before = {iri: (False if first else self.present(iri)) for iri in touched}
        texts = [part.content_hash for part in added] + [
            str(r[0])
            for key in removed
            for r in self.db.execute("SELECT content_hash FROM docs WHERE key=?", (key,))
        ]
        local = _local_count(self) - _text_triples(self, texts)
        for key in removed:
            assembly.removed.append(self._remove(key))
        for part in added:
            self._add(part)
        self._set_meta("local_triples", local + _text_triples(self, texts))
        self._present.clear()
        dirty = set(touched)
        for iri in touched:
            if before[iri] != self.present(iri):  # found or lost: facts about it change
                dirty |= self.describer.dependents(iri)
        dirty.discard(str(SECTOR_SCHEME))  # not an entity: drawn by _redraw_scheme
        for iri in sorted(dirty):
            assembly.redrawn |= _redraw_entity(self, iri)
        assembly.redrawn |= _redraw_scheme(self)
        _flush(self)
        assembly.redrawn |= _redraw_terms(self)
        _flush(self)
        merged = _merge_blocks(
            self, self._changed | shared, None if self._first is None else self._first.rows()
        )
        if self._one_shot:  # every shared subject merged, each triple once: no hash needed
            self._triples = merged
        self._first = None
        assembly.default_body = self.default_body()
        assembly.shared_body = self.shared_body()
        self._set_meta("triples", self._triples)
        return assembly

    def describe(self, iri: str) -> set[Triple]:
        """The default-graph description of the entity ``iri`` (empty if no document has it)."""
        if self._one_shot and self._first is None:
            raise RuntimeError("an in-memory graph index holds no surfaces after apply()")
        return describe(self, iri)

    def default_body(self) -> bytes:
        return _default_body(self)

    def shared_body(self) -> bytes:
        return _shared_body(self)

    # Above this many subjects to merge, the tables are read whole rather than looked up
    # subject by subject (a first build merges every subject).
    _SCAN = 2000

    # -- writing ----------------------------------------------------------------------------
    def write(self, out_dir: Path, assembly: Assembly) -> list[Path]:
        """Write both files (atomically) from the new parts and the previous files.

        The two files are written at once on two threads (copying is done by the kernel,
        outside the GIL), and the files they replace are kept as hard links in the cache
        and deleted in the background (:func:`sweep`): freeing 100+ MB of blocks takes the
        kernel longer than drawing a document.
        """
        return write_graph_files(self, out_dir, assembly)

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        self._present.clear()
        self._pending = _Pending()
        self._first = None
