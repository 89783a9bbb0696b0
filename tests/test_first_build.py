"""A first build keeps the index's rows at hand (kg.rdf.first_build) instead of reading back
what it wrote: the files and the index must be those the tables' path gives. A document's
own triples are counted, not hashed (kg.rdf.parts)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.build import build
from kg.build.assembly import INDEX_FILE
from kg.build.cache import CACHE_DIR
from kg.namespaces import FTZ, RDF
from kg.rdf.assemble import GraphIndex
from kg.rdf.graph_files import DATASET_FILE, GRAPH_FILE
from kg.rdf.rdfwrite import Formatter, nt_term, subject_blocks, triple_hash

from .test_incremental import ADDED, TEXTS, _files, _folder

# Recorded stamps of the files written (their modification times differ between builds).
_STAMPS = (GRAPH_FILE, DATASET_FILE)


def _tables(out: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the graph index in ``out``, sorted."""
    db = sqlite3.connect(out / CACHE_DIR / INDEX_FILE)
    try:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        tables = {name: sorted(db.execute(f"SELECT * FROM {name}"), key=repr) for name in names}
    finally:
        db.close()
    tables["meta"] = [row for row in tables["meta"] if row[0] not in _STAMPS]
    tables["files"] = [row[:1] + row[2:] for row in tables["files"]]  # no stat (ctime)
    return tables


def _first_build(folder: Path, out: Path) -> None:
    result = build([folder], out, engine="serial", cache=True, outputs=())
    assert result.assembly is not None and result.assembly.full


def test_a_first_build_gives_the_files_and_index_of_the_tables_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, list(TEXTS))
    # A document with lexicon entities the others lack and new surface forms of theirs.
    (folder / "qingdao.txt").write_text(ADDED, encoding="utf-8")
    _first_build(folder, tmp_path / "at-hand")
    with monkeypatch.context() as patch:
        # No FirstBuild: every row is read back from the tables, as on a later build.
        patch.setattr("kg.rdf.assemble.FirstBuild", lambda parts: None)
        _first_build(folder, tmp_path / "tables")
    at_hand, tables = tmp_path / "at-hand", tmp_path / "tables"
    assert _files(at_hand) == _files(tables)
    assert _tables(at_hand) == _tables(tables)
    # The shared part is not empty: the comparison covers the merged statements.
    assert b"# default graph" in _files(at_hand)[0]
    assert len(_tables(at_hand)["shared"]) > 0 and len(_tables(at_hand)["merged"]) > 0


def test_a_build_without_a_cache_leaves_out_the_tables_nobody_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The in-memory index of a build without a cache answers from its FirstBuild what the
    "surfaces" and "shared" tables would (found entities, a lexicon entry found), leaves
    them empty, and refuses a second apply, which would need them. It counts the shared
    triples where it merges them: no hash is made or recorded ("triple_refs", a part's or
    a default-graph statement's), nor a statement's rows as JSON (its FirstBuild has them)."""
    folder = _folder(tmp_path, list(TEXTS))
    (folder / "qingdao.txt").write_text(ADDED, encoding="utf-8")
    with monkeypatch.context() as patch:  # the reference: every answer from the tables
        patch.setattr("kg.rdf.assemble.FirstBuild", lambda parts: None)
        cached = build([folder], tmp_path / "cached", engine="serial", cache=True, outputs=())
    rows: dict[str, int] = {}
    close = GraphIndex.close

    def counted_close(index: GraphIndex) -> None:
        if index.path is None:
            for table in ("docs", "surfaces", "shared", "blocks", "triple_refs"):
                rows[table] = index.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            rows["recorded"] = index.db.execute(
                "SELECT COUNT(*) FROM blocks WHERE length(hashes) > 0 OR rows != '[]'"
            ).fetchone()[0]
            for later in (lambda: index.apply([], []), lambda: index.describe("x:y")):
                with pytest.raises(RuntimeError):
                    later()
        close(index)

    monkeypatch.setattr(GraphIndex, "close", counted_close)
    memory = build([folder], tmp_path / "memory", engine="serial", cache=False, outputs=())
    assert _files(tmp_path / "memory") == _files(tmp_path / "cached")
    assert memory.stats == cached.stats
    assert memory.stats.triples == len(Graph().parse(tmp_path / "memory" / GRAPH_FILE))
    assert memory.assembly is not None and memory.assembly.added
    assert all(not part.hashes for part in memory.assembly.added)
    # A triple both the default graph and a document graph state: counted once.
    dataset = Dataset()
    dataset.parse(tmp_path / "memory" / DATASET_FILE, format="trig")
    default = set(dataset.graph(DATASET_DEFAULT_GRAPH_ID))
    named = {t for g in dataset.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID for t in g}
    assert default & named
    assert memory.report == cached.report
    assert rows["surfaces"] == rows["shared"] == rows["triple_refs"] == rows["recorded"] == 0
    assert rows["docs"] == len(list(folder.iterdir())) and rows["blocks"] > 0


def test_the_triples_of_a_documents_own_subjects_are_not_hashed() -> None:
    own, other = URIRef("http://example.org/id/s1"), URIRef("http://example.org/id/zone")
    triples = {
        (own, RDF.type, FTZ.Sentence),
        (own, FTZ.text, Literal("文本")),
        (other, RDF.type, FTZ.PilotFreeTradeZone),
        (other, FTZ.hasArea, own),
    }
    local = nt_term(own).__eq__
    hashes: list[int] = []
    every: list[int] = []
    blocks = subject_blocks(triples, Formatter({}), hashes, local, None, {}, hash_local=False)
    assert blocks == subject_blocks(triples, Formatter({}), every, local, None, {})
    assert sorted(hashes) == sorted(
        triple_hash(nt_term(s), nt_term(p), nt_term(o)) for s, p, o in triples if s == other
    )
    assert len(every) == len(triples)
