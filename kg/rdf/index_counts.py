"""The counts a build's summary reports (triples, entities by class, relations,
observations), kept exact in the graph index without the graph in memory."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .pending import _Pending

if TYPE_CHECKING:
    from .assemble import GraphIndex


def triple_count(index: GraphIndex) -> int:
    return _shared_count(index) + _local_count(index)


def _shared_count(index: GraphIndex) -> int:
    return int(json.loads(index._meta("triples") or "0"))


def _local_count(index: GraphIndex) -> int:
    return int(json.loads(index._meta("local_triples") or "0"))


def _text_triples(index: GraphIndex, content_hashes: Iterable[str]) -> int:
    """Distinct triples about the texts and nodes of the documents with these texts: the
    sum of each one's, since none states another's (the same text under several names is
    drawn once, the others holding only their own node: kg.rdf.graph.duplicates)."""
    total = 0
    for content_hash in sorted(set(content_hashes)):
        row = index.db.execute(
            "SELECT COALESCE(SUM(local), 0) FROM docs WHERE content_hash=?", (content_hash,)
        ).fetchone()
        total += int(row[0])
    return total


def class_counts(index: GraphIndex) -> dict[str, int]:
    rows = index.db.execute("SELECT cls, COUNT(*) FROM entity_refs GROUP BY cls")
    return {str(cls): int(n) for cls, n in rows}


def relation_count(index: GraphIndex) -> int:
    """Distinct relations in the graph (:func:`kg.rdf.edges.is_relation`)."""
    return int(index.db.execute("SELECT COUNT(*) FROM edge_refs").fetchone()[0])


def observation_count(index: GraphIndex) -> int:
    return int(index.db.execute("SELECT COALESCE(SUM(observations), 0) FROM docs").fetchone()[0])


def _flush(index: GraphIndex) -> None:
    # An index applied once counts the shared triples as it merges them (GraphIndex.hashed)
    if not index._one_shot:
        index._triples += _write_counts(index, "triple_refs", "hash", index._pending.triples)
    _write_counts(index, "edge_refs", "hash", index._pending.edges)
    _write_counts(index, "term_refs", "term", index._pending.terms)
    index.db.executemany(
        "INSERT OR IGNORE INTO entity_refs VALUES(?, ?, 0)",
        [(e, index._pending.classes[e]) for e, n in index._pending.entities.items() if n > 0],
    )
    _write_counts(index, "entity_refs", "entity", index._pending.entities)
    drops = [(s,) for s, row in index._pending.blocks.items() if row is None]
    index.db.executemany("DELETE FROM blocks WHERE subject=?", drops)
    rows = [row for row in index._pending.blocks.values() if row is not None]
    index.db.executemany("INSERT OR REPLACE INTO blocks VALUES(?, ?, ?, ?, ?, ?, ?)", rows)
    index._pending = _Pending()
    index._fresh = False  # the tables now have rows


def _write_counts(index: GraphIndex, table: str, column: str, counts: Counter[Any]) -> int:
    """Apply ``counts`` to a reference-count table; returns the change in its rows."""
    if index._fresh and table != "entity_refs":  # an empty table: plain inserts, in key order
        rows = sorted((k, n) for k, n in counts.items() if n > 0)
        index.db.executemany(f"INSERT INTO {table}({column}, refs) VALUES(?, ?)", rows)
        return len(rows)
    ups = [(k,) for k, n in counts.items() if n > 0]
    if table != "entity_refs":
        added = index.db.executemany(
            f"INSERT OR IGNORE INTO {table}({column}, refs) VALUES(?, 0)", ups
        ).rowcount
    else:
        added = 0
    changes = [(n, k) for k, n in counts.items() if n]
    index.db.executemany(f"UPDATE {table} SET refs=refs+? WHERE {column}=?", changes)
    downs = [(k,) for k, n in counts.items() if n < 0]
    removed = index.db.executemany(
        f"DELETE FROM {table} WHERE {column}=? AND refs<=0", downs
    ).rowcount
    return max(added, 0) - max(removed, 0)
