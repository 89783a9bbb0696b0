"""Incremental builds (kg/rdf/assemble.py): a build redraws only the documents that changed,
and its files are byte for byte those of a build from scratch."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from kg.build import build
from kg.build.assembly import INDEX_FILE
from kg.build.cache import CACHE_DIR, ExtractionCache, graph_fingerprint
from kg.build.outputs import store_output
from kg.errors import OutputError
from kg.extract.pipeline import Pipeline
from kg.rdf.assemble import GraphIndex
from kg.rdf.graph import load_ontology
from kg.rdf.graph_files import DATASET_FILE, GRAPH_FILE
from kg.store.embedded import build_store, open_store, store_info, store_path

from .conftest import SEED_FILE

TEXTS = {
    "shandong.txt": "中国（山东）自由贸易试验区涵盖济南、青岛、烟台三大片区。济南片区重点发展人工智能、"
    "产业金融、医疗康养。",
    "neimenggu.txt": "中国（内蒙古）自由贸易试验区涵盖呼和浩特、满洲里、二连浩特三大片区，"
    "打造我国向北开放重要桥头堡。2024年，满洲里口岸进出口货运量达1500万吨。",
    "xinjiang.txt": "中国（新疆）自由贸易试验区挂牌，129项改革试点任务，面向中亚五国。",
}
# A document that finds lexicon entities the others lack (so lexicon facts among
# them appear in the default graph) and new surface forms of known ones.
ADDED = "中国（山东）自由贸易试验区青岛片区与日本、韩国开展合作，山东自贸试验区发展海洋经济。"


def _folder(root: Path, names: list[str]) -> Path:
    folder = root / "in"
    folder.mkdir(parents=True)
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    for name in names:
        (folder / name).write_text(TEXTS[name], encoding="utf-8")
    return folder


def _files(out: Path) -> tuple[bytes, bytes]:
    return (out / GRAPH_FILE).read_bytes(), (out / DATASET_FILE).read_bytes()


def _fresh(tmp_path: Path, folder: Path, name: str = "fresh") -> tuple[bytes, bytes]:
    """The files of a build from scratch (no cache, no index) of ``folder``."""
    build([folder], tmp_path / name, engine="serial", validate=False, outputs=())
    return _files(tmp_path / name)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    folder = _folder(tmp_path, list(TEXTS))
    out = tmp_path / "out"
    build([folder], out, engine="serial", cache=True, outputs=())
    return folder, out


def test_adding_a_document_redraws_only_it_and_gives_the_bytes_of_a_fresh_build(
    tmp_path: Path, built: tuple[Path, Path]
) -> None:
    folder, out = built
    (folder / "qingdao.txt").write_text(ADDED, encoding="utf-8")
    result = build([folder], out, engine="serial", cache=True, outputs=())
    assert result.assembly is not None and not result.assembly.full
    assert [p.key for p in result.assembly.added] == [
        ExtractionCache.key(d) for d in [_only(result, "qingdao.txt")]
    ]
    assert (result.extracted, result.cached) == (1, 4)
    assert any("redrew 1 document graph(s)" in note for note in result.notes)
    assert _files(out) == _fresh(tmp_path, folder)
    assert result.stats.triples == len(Graph().parse(out / GRAPH_FILE))


def _only(result, name: str):  # type: ignore[no-untyped-def]
    [doc] = [e.document for e in result.extractions if e.document.name == name]
    return doc


def test_removing_and_changing_documents_give_the_bytes_of_a_fresh_build(
    tmp_path: Path, built: tuple[Path, Path]
) -> None:
    folder, out = built
    (folder / "xinjiang.txt").unlink()
    (folder / "shandong.txt").write_text(TEXTS["shandong.txt"] + ADDED, encoding="utf-8")
    result = build([folder], out, engine="serial", cache=True, outputs=())
    assert result.assembly is not None
    assert len(result.assembly.removed) == 2 and len(result.assembly.added) == 1
    assert _files(out) == _fresh(tmp_path, folder)
    stats = build([folder], tmp_path / "again", engine="serial", validate=False, outputs=()).stats
    assert result.stats == stats  # counts kept by the index = counts of a fresh build


def test_the_same_text_under_two_names_is_counted_once_per_shared_triple(
    tmp_path: Path, built: tuple[Path, Path]
) -> None:
    folder, out = built
    shutil.copy(folder / "shandong.txt", folder / "shandong-copy.txt")
    result = build([folder], out, engine="serial", cache=True, outputs=())
    assert _files(out) == _fresh(tmp_path, folder)
    assert result.stats.triples == len(Graph().parse(out / GRAPH_FILE))
    (folder / "shandong.txt").unlink()
    result = build([folder], out, engine="serial", cache=True, outputs=())
    assert _files(out) == _fresh(tmp_path, folder, "fresh-2")
    assert result.stats.triples == len(Graph().parse(out / GRAPH_FILE))


def test_removing_every_document_but_one_drops_their_entities(
    tmp_path: Path, built: tuple[Path, Path]
) -> None:
    folder, out = built
    for name in TEXTS:
        (folder / name).unlink()
    result = build([folder], out, engine="serial", cache=True, outputs=())
    assert _files(out) == _fresh(tmp_path, folder)
    assert "新疆" not in (out / GRAPH_FILE).read_text(encoding="utf-8")
    assert result.stats.triples == len(Graph().parse(out / GRAPH_FILE))


def test_the_files_are_a_graph_per_document_plus_the_shared_graph(
    built: tuple[Path, Path],
) -> None:
    _folder, out = built
    dataset = Dataset()
    dataset.parse(out / DATASET_FILE, format="trig")
    named = [g for g in dataset.graphs() if str(g.identifier).startswith("https://")]
    assert len(named) == 1 + len(TEXTS)
    union = Graph()
    for g in dataset.graphs():
        union += g
    assert len(union) == len(Graph().parse(out / GRAPH_FILE))
    text = (out / GRAPH_FILE).read_text(encoding="utf-8")
    assert text.count("\n# graph ") == 1 + len(TEXTS)
    assert "\n# default graph" in text


def test_a_graph_file_edited_by_hand_is_rewritten_from_scratch(
    tmp_path: Path, built: tuple[Path, Path]
) -> None:
    folder, out = built
    (out / GRAPH_FILE).write_text("# edited\n", encoding="utf-8")
    (folder / "qingdao.txt").write_text(ADDED, encoding="utf-8")
    result = build([folder], out, engine="serial", cache=True, outputs=())
    assert result.assembly is not None and result.assembly.full
    assert _files(out) == _fresh(tmp_path, folder)


def test_a_damaged_index_is_replaced(tmp_path: Path, built: tuple[Path, Path]) -> None:
    folder, out = built
    (out / CACHE_DIR / INDEX_FILE).write_bytes(b"not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (out / CACHE_DIR / (INDEX_FILE + suffix)).unlink(missing_ok=True)
    (folder / "qingdao.txt").write_text(ADDED, encoding="utf-8")
    build([folder], out, engine="serial", cache=True, outputs=())
    assert _files(out) == _fresh(tmp_path, folder)


def test_unchanged_files_are_known_without_reading_them(
    built: tuple[Path, Path], pipeline: Pipeline
) -> None:
    folder, out = built
    store = ExtractionCache.open(out, pipeline)
    assert store is not None
    index = GraphIndex(
        out / CACHE_DIR / INDEX_FILE,
        graph_fingerprint(store.fingerprint),
        pipeline.lexicon,
        load_ontology(),
    )
    try:
        path = folder / "shandong.txt"
        known = index.known(path)
        assert known is not None and known.name == "shandong.txt"
        assert known.load().content_hash == known.content_hash
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
        assert index.known(path) is None  # touched: read again
    finally:
        index.close()


def test_a_build_that_cannot_write_raises_and_leaves_the_other_file(
    tmp_path: Path, built: tuple[Path, Path]
) -> None:
    folder, out = built
    trig = (out / DATASET_FILE).read_bytes()
    (out / GRAPH_FILE).unlink()
    (out / GRAPH_FILE).mkdir()  # kg.ttl cannot be replaced now
    (folder / "qingdao.txt").write_text(ADDED, encoding="utf-8")
    with pytest.raises(OutputError, match="cannot write"):
        build([folder], out, engine="serial", cache=True, outputs=())
    assert (out / DATASET_FILE).read_bytes() == trig
    assert not list(out.glob(".kg.*.tmp"))
    (out / GRAPH_FILE).rmdir()
    build([folder], out, engine="serial", cache=True, outputs=())
    assert _files(out) == _fresh(tmp_path, folder)


def _quads(out: Path) -> set[str]:
    store = open_store(out)
    try:
        return {str(q) for q in store}
    finally:
        del store


def test_the_store_is_updated_in_place_to_the_quads_of_a_full_load(
    tmp_path: Path, built: tuple[Path, Path]
) -> None:
    folder, out = built
    build([folder], out, engine="serial", cache=True, extra_outputs=[store_output], outputs=())
    first = store_path(out).resolve()
    (folder / "xinjiang.txt").unlink()
    (folder / "qingdao.txt").write_text(ADDED, encoding="utf-8")
    build([folder], out, engine="serial", cache=True, extra_outputs=[store_output], outputs=())
    assert store_path(out).resolve() != first and not first.exists()
    info = store_info(out)
    assert info["load"] == "updated: 1 graph(s) removed, 1 added"
    assert info["source_stamp"] == list(_stamp(out / DATASET_FILE))
    reloaded = tmp_path / "reloaded"
    reloaded.mkdir()
    shutil.copy(out / DATASET_FILE, reloaded / DATASET_FILE)
    build_store(reloaded / DATASET_FILE, reloaded)
    assert _quads(out) == _quads(reloaded)
    assert store_info(out)["quads"] == store_info(reloaded)["quads"]


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def test_a_build_while_another_holds_the_index_fails_with_one_line(
    built: tuple[Path, Path],
) -> None:
    folder, out = built
    (folder / "qingdao.txt").write_text(ADDED, encoding="utf-8")
    other = sqlite3.connect(out / CACHE_DIR / INDEX_FILE, timeout=0)
    other.execute("BEGIN EXCLUSIVE")  # another build in the middle of its transaction
    try:
        with pytest.raises(OutputError, match="Another program has the graph index open"):
            build([folder], out, engine="serial", cache=True, outputs=())
    finally:
        other.rollback()
        other.close()
    assert build([folder], out, engine="serial", cache=True, outputs=()).assembly is not None


def test_the_replaced_graph_files_are_deleted_by_the_next_build(
    built: tuple[Path, Path],
) -> None:
    folder, out = built
    (folder / "qingdao.txt").write_text(ADDED, encoding="utf-8")
    build([folder], out, engine="serial", cache=True, outputs=())
    kept = set((out / CACHE_DIR).glob(".replaced-*"))
    assert len(kept) == 2  # the previous kg.ttl and kg.trig, until the next build
    (folder / "qingdao.txt").unlink()
    build([folder], out, engine="serial", cache=True, outputs=())
    assert not kept & set((out / CACHE_DIR).glob(".replaced-*"))
