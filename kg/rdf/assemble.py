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
once, :func:`kg.graph.duplicates`). What several graphs may state of one subject (the
relation triples, assertion and article nodes that documents repeat, and the default
graph: entity types, labels and aliases, lexicon facts, ontology terms) is merged into one
statement per subject in the *shared part* at the end. In ``kg.trig`` each named graph
keeps everything it states, and the default graph is its own.

The default graph is kept as one statement per subject; a subject is redrawn when a
document that mentions it comes or goes (:class:`kg.graph.Describer`), and a subject of the
shared part when its description or a document that states something of it changes.

:class:`GraphIndex` records, in SQLite, what the files hold: every document's offsets in
both files, the entities and surface forms each document contributes, what it states of
shared subjects, the default graph's and the shared part's statements, and reference
counts of the triples that several graphs can share (relation triples, assertion and
article nodes, the default graph; triples about a document's own sentences, mentions and
figures are counted per text) and of the relations (:mod:`kg.edges`), so the summary's
distinct counts stay exact without the graph in memory. A build applies the removed and
added documents to the index in one transaction, copies the unchanged bodies from the
previous files (``copy_file_range``: no parsing, no formatting), and commits only once
the new files are in place. When the index does not match the files on disk, or the code
or data that draw the graph changed, it starts empty and everything is drawn again.
"""

from __future__ import annotations

import array
import json
import os
import sqlite3
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import Graph, URIRef
from rdflib.term import Node

from ..errors import OutputError
from ..extract.lexicon import Lexicon
from ..model import Document, Entity, Extraction
from ..namespaces import FTZ, PREFIXES, RDF
from ..read.documents import KnownDocument
from .edges import is_relation
from .gcpause import paused_gc
from .graph import Describer, document_graph, used_terms
from .iris import SECTOR_SCHEME, entity_iri, text_iri_prefixes
from .rdfwrite import (
    Formatter,
    PredicateObject,
    Triple,
    nt_term,
    predicate_objects,
    statement,
    subject_blocks,
    triple_hash,
)

__all__ = [
    "Assembly",
    "DocumentPart",
    "GraphIndex",
    "PREFIX_HEADER",
    "document_part",
    "entity_id",
    "file_stamp",
    "sweep",
    "GRAPH_FILE",
    "DATASET_FILE",
]

GRAPH_FILE = "kg.ttl"
DATASET_FILE = "kg.trig"
_SCHEMA = 3
_PREFIXES = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
PREFIX_HEADER = "".join(f"@prefix {p}: <{_PREFIXES[p]}> .\n" for p in sorted(_PREFIXES))
_SHARED_COMMENT = (
    "\n# default graph and what several graphs may state, one statement per subject: the "
    "entities (types, labels, aliases), the lexicon's facts among them, the ontology terms "
    "used, and the relations, assertions and articles of the documents above\n"
)
# Kinds of default-graph statements: an entity's description, the sector scheme, an
# ontology term. Only the first two count as using ontology terms (as in kg.graph).
_ENTITY, _SCHEME, _TERM = "entity", "scheme", "term"
# Set membership, not ==: rdflib compares terms in Python, sets hash them in C.
_TYPE = frozenset({RDF.type})
_OBSERVATION = frozenset({FTZ.Observation})


def entity_id(entity: Entity) -> str:
    return json.dumps([entity.cls, entity.label, entity.key], ensure_ascii=False)


def _edges(triples: Iterable[Triple], is_entity: Callable[[str], bool]) -> list[int]:
    """Hashes of the relations among ``triples`` (:func:`kg.edges.is_relation`)."""
    return sorted(
        triple_hash(nt_term(s), nt_term(p), nt_term(o))
        for s, p, o in triples
        if isinstance(o, URIRef) and is_relation(str(s), str(p), str(o), is_entity)
    )


def _pack(values: Iterable[int]) -> bytes:
    return array.array("q", values).tobytes()


def _unpack(data: bytes | None) -> list[int]:
    packed = array.array("q")
    if data:
        packed.frombytes(data)
    return packed.tolist()


@dataclass(frozen=True)
class DocumentPart:
    """One document's named graph, drawn, with what it contributes to the shared parts."""

    key: str  # the extraction cache key: content hash and name
    content_hash: str
    graph: URIRef
    triples: frozenset[Triple]
    body: bytes  # the named graph (kg.trig)
    # kg.ttl: the triples about its own node and text (sentences, mentions, figures); what
    # it says of other subjects (relations, assertion and article nodes), which other
    # graphs may say too, is merged into one statement per subject at the end of kg.ttl.
    ttl_body: bytes
    shared: tuple[tuple[str, str], ...]  # (subject, JSON list of its PredicateObject rows)
    # Hashes of its triples that other graphs may share (reference-counted), and of those
    # about its own text and node, which only a document with the same text can share.
    hashes: tuple[int, ...]
    local_hashes: tuple[int, ...]
    # (entity, its surface forms here, described by the lexicon, counted in the summary)
    entities: tuple[tuple[Entity, tuple[str, ...], bool, bool], ...]
    edges: tuple[int, ...]  # hashes of its relations (kg.edges), reference-counted
    observations: int
    terms: tuple[str, ...]
    duplicate_of: str = ""  # the document whose text this one repeats, if any

    @property
    def sort_key(self) -> str:
        return nt_term(self.graph)


@paused_gc()
def document_part(
    extraction: Extraction,
    key: str,
    lexicon: Lexicon,
    ontology: Graph,
    fmt: Formatter,
    duplicate_of: URIRef | None = None,
) -> DocumentPart:
    """Draw the named graph of one extraction (a duplicate's: :func:`kg.graph.duplicates`)."""
    drawn = document_graph(extraction, lexicon, ontology, duplicate_of)
    doc = extraction.document
    graph = drawn.name
    triples = drawn.triples
    hashes: list[int] = []
    local_hashes: list[int] = []
    own = tuple(f"<{prefix}" for prefix in text_iri_prefixes(doc.content_hash))
    own_node = f"<{graph}>"

    def local(subject: str) -> bool:
        return subject == own_node or subject.startswith(own)

    foreign: dict[str, list[PredicateObject]] = {}
    blocks = subject_blocks(triples, fmt, hashes, local, local_hashes, foreign)
    body = "\n".join(text for _key, text in blocks)
    ttl_body = "\n".join(text for key, text in blocks if local(key))
    shared = tuple(
        (subject, json.dumps(rows, ensure_ascii=False)) for subject, rows in sorted(foreign.items())
    )
    counted = {m.entity for m in extraction.mentions}
    for r in extraction.relations:
        counted.update((r.subject, r.object))
    entities = tuple(
        (
            entity,
            tuple(sorted(drawn.surfaces.get(entity, ()))),
            lexicon.entry(entity) is not None,
            entity in counted,
        )
        for entity in sorted(drawn.entities)
    )
    entity_iris = {str(entity_iri(e)) for e in drawn.entities}
    edges = tuple(_edges(triples, entity_iris.__contains__))
    return DocumentPart(
        key=key,
        content_hash=doc.content_hash,
        graph=graph,
        triples=frozenset(triples),
        body=body.encode("utf-8"),
        ttl_body=ttl_body.encode("utf-8"),
        shared=shared,
        hashes=tuple(hashes),
        local_hashes=tuple(local_hashes),
        entities=entities,
        edges=edges,
        observations=sum(1 for _s, p, o in triples if p in _TYPE and o in _OBSERVATION),
        terms=tuple(sorted(str(t) for t in used_terms(triples))),
        duplicate_of=str(duplicate_of or ""),
    )


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


def file_stamp(path: Path) -> list[int] | None:
    """Size and modification time of a file (None if it is missing): how later steps tell
    that a file is still the one they recorded."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


@dataclass
class _Pending:
    """Changes to the reference counts and default-graph statements, not yet written."""

    triples: Counter[int] = field(default_factory=Counter)
    edges: Counter[int] = field(default_factory=Counter)
    terms: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    classes: dict[str, str] = field(default_factory=dict)
    # subject -> its new row in ``blocks``, or None to delete it
    blocks: dict[str, tuple[str, str, str, bytes, str, bytes, str] | None] = field(
        default_factory=dict
    )


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
                content_hash TEXT NOT NULL, local INTEGER NOT NULL, local_hashes BLOB NOT NULL,
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
        return self._shared_count() + self._local_count()

    def _shared_count(self) -> int:
        return int(json.loads(self._meta("triples") or "0"))

    def _local_count(self) -> int:
        return int(json.loads(self._meta("local_triples") or "0"))

    def _text_triples(self, content_hashes: Iterable[str]) -> int:
        """Distinct triples about the texts and nodes of the documents with these texts."""
        total = 0
        for content_hash in sorted(set(content_hashes)):
            rows = self.db.execute(
                "SELECT local, local_hashes FROM docs WHERE content_hash=?", (content_hash,)
            ).fetchall()
            if len(rows) == 1:
                total += int(rows[0][0])
            elif rows:  # the same text under several names: they share its sentences
                total += len(set().union(*(_unpack(blob) for _n, blob in rows)))
        return total

    def class_counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT cls, COUNT(*) FROM entity_refs GROUP BY cls")
        return {str(cls): int(n) for cls, n in rows}

    def relation_count(self) -> int:
        """Distinct relations in the graph (:func:`kg.edges.is_relation`)."""
        return int(self.db.execute("SELECT COUNT(*) FROM edge_refs").fetchone()[0])

    def observation_count(self) -> int:
        return int(self.db.execute("SELECT COALESCE(SUM(observations), 0) FROM docs").fetchone()[0])

    # -- reference counts -----------------------------------------------------------------
    # Changes are gathered in Counters and written in bulk by _flush(): a first build of a
    # corpus changes a million counts, and one statement per change would take minutes.

    def _flush(self) -> None:
        self._triples += self._write_counts("triple_refs", "hash", self._pending.triples)
        self._write_counts("edge_refs", "hash", self._pending.edges)
        self._write_counts("term_refs", "term", self._pending.terms)
        self.db.executemany(
            "INSERT OR IGNORE INTO entity_refs VALUES(?, ?, 0)",
            [(e, self._pending.classes[e]) for e, n in self._pending.entities.items() if n > 0],
        )
        self._write_counts("entity_refs", "entity", self._pending.entities)
        drops = [(s,) for s, row in self._pending.blocks.items() if row is None]
        self.db.executemany("DELETE FROM blocks WHERE subject=?", drops)
        rows = [row for row in self._pending.blocks.values() if row is not None]
        self.db.executemany("INSERT OR REPLACE INTO blocks VALUES(?, ?, ?, ?, ?, ?, ?)", rows)
        self._pending = _Pending()
        self._fresh = False  # the tables now have rows

    def _write_counts(self, table: str, column: str, counts: Counter[Any]) -> int:
        """Apply ``counts`` to a reference-count table; returns the change in its rows."""
        if self._fresh and table != "entity_refs":  # an empty table: plain inserts, in key order
            rows = sorted((k, n) for k, n in counts.items() if n > 0)
            self.db.executemany(f"INSERT INTO {table}({column}, refs) VALUES(?, ?)", rows)
            return len(rows)
        ups = [(k,) for k, n in counts.items() if n > 0]
        if table != "entity_refs":
            added = self.db.executemany(
                f"INSERT OR IGNORE INTO {table}({column}, refs) VALUES(?, 0)", ups
            ).rowcount
        else:
            added = 0
        changes = [(n, k) for k, n in counts.items() if n]
        self.db.executemany(f"UPDATE {table} SET refs=refs+? WHERE {column}=?", changes)
        downs = [(k,) for k, n in counts.items() if n < 0]
        removed = self.db.executemany(
            f"DELETE FROM {table} WHERE {column}=? AND refs<=0", downs
        ).rowcount
        return max(added, 0) - max(removed, 0)

    # -- changes ----------------------------------------------------------------------------

    def present(self, iri: str) -> bool:
        """Whether some document mentions the entity ``iri`` (a lexicon key is "found")."""
        known = self._present.get(iri)
        if known is None:
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
            "INSERT INTO docs VALUES(?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                part.key,
                str(part.graph),
                part.sort_key,
                len(part.ttl_body),
                len(part.body),
                part.observations,
                _pack(part.hashes),
                part.content_hash,
                len(part.local_hashes),
                _pack(part.local_hashes),
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
        rows = []
        for entity, surfaces, lexical, _count in part.entities:
            iri, eid = str(entity_iri(entity)), entity_id(entity)
            for surface in surfaces or ("",):
                rows.append((part.key, iri, eid, surface, int(lexical)))
        self.db.executemany("INSERT INTO surfaces VALUES(?, ?, ?, ?, ?)", rows)
        self.db.executemany(
            "INSERT INTO shared VALUES(?, ?, ?)",
            [(part.key, subject, text) for subject, text in part.shared],
        )

    @paused_gc()
    def apply(self, removed: Iterable[str], added: Sequence[DocumentPart]) -> Assembly:
        """Take documents out and put documents in (inside a transaction; see :meth:`commit`)."""
        self.db.execute("BEGIN")
        self.db.executemany("INSERT OR REPLACE INTO files VALUES(?, ?, ?, ?, ?, ?, ?)", self._files)
        self._files = []
        self._triples = self._shared_count()
        self._pending = _Pending()
        first = not self.documents()
        self._blocks_empty = first and self.db.execute("SELECT 1 FROM blocks").fetchone() is None
        # Nothing counted yet (a first build): counts are inserted, not updated.
        self._fresh = self._blocks_empty and not self.triple_count()
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
        local = self._local_count() - self._text_triples(texts)
        for key in removed:
            assembly.removed.append(self._remove(key))
        for part in added:
            self._add(part)
        self._set_meta("local_triples", local + self._text_triples(texts))
        self._present.clear()
        dirty = set(touched)
        for iri in touched:
            if before[iri] != self.present(iri):  # found or lost: facts about it change
                dirty |= self.describer.dependents(iri)
        dirty.discard(str(SECTOR_SCHEME))  # not an entity: drawn by _redraw_scheme
        for iri in sorted(dirty):
            assembly.redrawn |= self._redraw_entity(iri)
        assembly.redrawn |= self._redraw_scheme()
        self._flush()
        assembly.redrawn |= self._redraw_terms()
        self._flush()
        self._merge(self._changed | shared)
        assembly.default_body = self.default_body()
        assembly.shared_body = self.shared_body()
        self._set_meta("triples", self._triples)
        return assembly

    def _entity_rows(self, iri: str) -> dict[Entity, set[str]]:
        found: dict[Entity, set[str]] = {}
        for eid, surface in self.db.execute(
            "SELECT entity, surface FROM surfaces WHERE iri=?", (iri,)
        ):
            cls, label, key = json.loads(eid)
            surfaces = found.setdefault(Entity(cls, label, key), set())
            if surface:
                surfaces.add(surface)
        return found

    def describe(self, iri: str) -> set[Triple]:
        """The default-graph description of the entity ``iri`` (empty if no document has it)."""
        triples: set[Triple] = set()
        for entity, surfaces in sorted(self._entity_rows(iri).items()):
            triples |= self.describer.describe(entity, surfaces, self.present)
        return triples

    def _redraw_entity(self, iri: str) -> set[Triple]:
        triples = self.describe(iri)
        self._replace_block(nt_term(URIRef(iri)), _ENTITY, triples)
        return triples

    def _old_block(self, subject: str) -> tuple[str, bytes, str, bytes] | None:
        if subject in self._pending.blocks:
            raise AssertionError(f"{subject} redrawn twice in one build")
        if self._blocks_empty:
            return None
        row = self.db.execute(
            "SELECT text, hashes, terms, edges FROM blocks WHERE subject=?", (subject,)
        ).fetchone()
        return None if row is None else (str(row[0]), bytes(row[1]), str(row[2]), bytes(row[3]))

    def _replace_block(self, subject: str, kind: str, triples: set[Triple]) -> None:
        old = self._old_block(subject)
        text = ""
        hashes: list[int] = []
        if triples:
            blocks = subject_blocks(triples, self.fmt, hashes)
            if len(blocks) != 1 or blocks[0][0] != subject:
                raise AssertionError(f"a default-graph statement must have one subject: {subject}")
            text = blocks[0][1]
        if old is not None and old[0] == text:
            return
        self._changed.add(subject)
        pending = self._pending
        if old is not None:
            pending.triples.subtract(_unpack(old[1]))
            pending.terms.subtract(json.loads(old[2]))
            pending.edges.subtract(_unpack(old[3]))
        if not triples:
            pending.blocks[subject] = None
            return
        terms = sorted(str(t) for t in used_terms(triples)) if kind != _TERM else []
        # The lexicon's relations among the entities found (both ends are: kg.graph).
        edges = _edges(triples, self.present) if kind == _ENTITY else []
        pending.triples.update(hashes)
        pending.terms.update(terms)
        pending.edges.update(edges)
        rows = predicate_objects(triples, self.fmt)
        pending.blocks[subject] = (
            subject,
            kind,
            text,
            _pack(hashes),
            json.dumps(terms),
            _pack(edges),
            json.dumps(rows, ensure_ascii=False),
        )

    def _redraw_scheme(self) -> set[Triple]:
        lexical = self.db.execute("SELECT 1 FROM surfaces WHERE lexical=1 LIMIT 1").fetchone()
        scheme = self.describer.scheme() if lexical else set()
        self._replace_block(nt_term(SECTOR_SCHEME), _SCHEME, scheme)
        return scheme

    def _redraw_terms(self) -> set[Triple]:
        """The ontology's description of the terms used (small: always redrawn)."""
        used: set[Node] = {URIRef(r[0]) for r in self.db.execute("SELECT term FROM term_refs")}
        terms = self.describer.ontology_terms(used)
        by_subject: dict[str, set[Triple]] = {}
        for triple in terms:
            by_subject.setdefault(nt_term(triple[0]), set()).add(triple)
        stale = self.db.execute("SELECT subject FROM blocks WHERE kind=?", (_TERM,)).fetchall()
        for (subject,) in stale:
            if subject not in by_subject:
                self._replace_block(subject, _TERM, set())
        for subject, triples in sorted(by_subject.items()):
            self._replace_block(subject, _TERM, triples)
        return terms

    def default_body(self) -> bytes:
        texts = [row[0] for row in self.db.execute("SELECT text FROM blocks ORDER BY subject")]
        return "\n".join(texts).encode("utf-8")

    def shared_body(self) -> bytes:
        texts = [row[0] for row in self.db.execute("SELECT text FROM merged ORDER BY subject")]
        return "\n".join(texts).encode("utf-8")

    # Above this many subjects to merge, the tables are read whole rather than looked up
    # subject by subject (a first build merges every subject).
    _SCAN = 2000

    def _merge(self, subjects: set[str]) -> None:
        """Redraw the statements of kg.ttl's shared part about ``subjects``: each one with
        what the default graph and every document graph say of it, each triple once."""
        rows: dict[str, list[PredicateObject]] = {subject: [] for subject in subjects}

        def take(subject: str, text: str) -> None:
            found = rows.get(subject)
            if found is not None:
                found.extend(tuple(row) for row in json.loads(text))

        if len(subjects) > self._SCAN:
            for query in ("SELECT subject, rows FROM blocks", "SELECT subject, rows FROM shared"):
                for subject, text in self.db.execute(query):
                    take(subject, text)
        else:
            for subject in subjects:
                for query in (
                    "SELECT subject, rows FROM blocks WHERE subject=?",
                    "SELECT subject, rows FROM shared WHERE subject=?",
                ):
                    for found, text in self.db.execute(query, (subject,)):
                        take(found, text)
        drops = [(subject,) for subject, found in rows.items() if not found]
        self.db.executemany("DELETE FROM merged WHERE subject=?", drops)
        self.db.executemany(
            "INSERT OR REPLACE INTO merged VALUES(?, ?)",
            [
                (subject, statement(self.fmt.term(URIRef(subject[1:-1])), found))
                for subject, found in sorted(rows.items())
                if found
            ],
        )

    # -- writing ----------------------------------------------------------------------------

    def write(self, out_dir: Path, assembly: Assembly) -> list[Path]:
        """Write both files (atomically) from the new parts and the previous files.

        The two files are written at once on two threads (copying is done by the kernel,
        outside the GIL), and the files they replace are kept as hard links in the cache
        and deleted in the background (:func:`sweep`): freeing 100+ MB of blocks takes the
        kernel longer than drawing a document.
        """
        rows = [
            _Row(*row)
            for row in self.db.execute(
                "SELECT key, graph, ttl_length, trig_length, ttl_offset, trig_offset "
                "FROM docs ORDER BY sort"
            )
        ]
        labels = [self.fmt.term(URIRef(row.graph)) for row in rows]
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
                _keep_for_sweeping(layout.target, self.path)
                os.replace(temp, layout.target)
        except OSError as exc:
            for temp in temps:
                temp.unlink(missing_ok=True)
            raise OutputError(
                f"{out_dir}: cannot write {GRAPH_FILE}/{DATASET_FILE} ({exc}); check the folder"
            ) from exc
        self.db.executemany(
            "UPDATE docs SET ttl_offset=?, trig_offset=? WHERE key=?",
            [(t, g, row.key) for t, g, row in zip(ttl_at, trig_at, rows, strict=True)],
        )
        targets = [layout.target for layout in layouts]
        for target in targets:
            self._set_meta(target.name, file_stamp(target))
        self._set_meta("fingerprint", self.fingerprint)
        return targets

    def commit(self) -> None:
        self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        self._present.clear()
        self._pending = _Pending()


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
