"""The extraction cache and the no-op rebuild: reuse only what is still valid."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from kg.build import build
from kg.build.cache import CACHE_DIR, ExtractionCache, Manifest, pipeline_fingerprint
from kg.extract.context import DocContext
from kg.extract.lexicon import load_lexicon
from kg.extract.pipeline import Pipeline
from kg.read.documents import document_from_bytes
from kg.resources import ontology_file

from .conftest import ROOT, SEED_FILE

SNIPPETS = {
    "shandong.txt": "中国（山东）自由贸易试验区涵盖济南、青岛、烟台三大片区。",
    "neimenggu.txt": "中国（内蒙古）自由贸易试验区涵盖呼和浩特、满洲里、二连浩特三大片区，"
    "打造我国向北开放重要桥头堡。",
    "xinjiang.txt": "中国（新疆）自由贸易试验区挂牌，129项改革试点任务，面向中亚五国。",
}


def _corpus(root: Path) -> Path:
    folder = root / "in"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    for name, text in SNIPPETS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _doc(text: str, name: str = "a.txt"):  # type: ignore[no-untyped-def]
    return document_from_bytes(text.encode("utf-8"), name=name, path=name)


def tag(ctx: DocContext) -> None:
    ctx.warnings.append("tagged")


# -- records --------------------------------------------------------------------------


def test_record_round_trip_carries_the_current_document(tmp_path: Path, pipeline: Pipeline) -> None:
    cache = ExtractionCache.open(tmp_path, pipeline)
    assert cache is not None
    doc = _doc(SNIPPETS["shandong.txt"])
    assert cache.get(doc) is None
    extraction = pipeline(doc)
    cache.put(doc, extraction)
    moved = document_from_bytes(
        SNIPPETS["shandong.txt"].encode("gb18030"), name="a.txt", path="elsewhere/a.txt"
    )
    hit = cache.get(moved)
    assert hit is not None and hit.document is moved
    assert hit.mentions == extraction.mentions and hit.relations == extraction.relations
    assert cache.get(_doc(SNIPPETS["shandong.txt"], name="renamed.txt")) is None
    assert (cache.hits, cache.misses) == (1, 2)
    assert not list(cache.folder.rglob("*.tmp")), "a temporary file was left behind"


def test_truncated_record_is_a_miss_and_is_dropped(tmp_path: Path, pipeline: Pipeline) -> None:
    cache = ExtractionCache.open(tmp_path, pipeline)
    assert cache is not None
    doc = _doc(SNIPPETS["xinjiang.txt"])
    cache.put(doc, pipeline(doc))
    path = cache.path(doc)
    path.write_bytes(path.read_bytes()[:100])
    assert cache.get(doc) is None
    assert not path.exists()


def test_fingerprint_follows_lexicon_patterns_and_components(
    tmp_path: Path, pipeline: Pipeline
) -> None:
    lexicon = tmp_path / "lexicon.ttl"
    patterns = tmp_path / "patterns.toml"
    shutil.copy(str(ontology_file("lexicon.ttl")), lexicon)
    shutil.copy(str(ontology_file("patterns.toml")), patterns)
    files = [lexicon, patterns]
    base = pipeline_fingerprint(pipeline, files)
    assert base is not None and base == pipeline_fingerprint(pipeline, files)
    assert base == pipeline_fingerprint(pipeline), "the packaged files are the default"

    patterns.write_text(patterns.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert pipeline_fingerprint(pipeline, files) != base
    shutil.copy(str(ontology_file("patterns.toml")), patterns)

    lexicon.write_text(
        lexicon.read_text(encoding="utf-8")
        + "\n<https://w3id.org/ftz-kg/id/city/ceshi> a <https://w3id.org/ftz-kg/ontology#City> ;"
        ' <http://www.w3.org/2004/02/skos/core#prefLabel> "测试市"@zh .\n',
        encoding="utf-8",
    )
    assert pipeline_fingerprint(pipeline, files) != base
    # A pipeline loaded from the edited lexicon differs by content, whatever the files say.
    edited = Pipeline(pipeline.components, load_lexicon(str(lexicon)), pipeline.patterns)
    assert pipeline_fingerprint(edited) != pipeline_fingerprint(pipeline)

    assert pipeline_fingerprint(pipeline.without("observations")) != pipeline_fingerprint(pipeline)
    tagged = Pipeline((*pipeline.components, ("tag", tag)), pipeline.lexicon, pipeline.patterns)
    assert pipeline_fingerprint(tagged) not in (None, pipeline_fingerprint(pipeline))
    assert pipeline_fingerprint(pipeline.replace("observations", lambda ctx: None)) is None


def test_fingerprint_is_the_same_in_every_process() -> None:
    # Sets iterate in a per-process order; the fingerprint must not depend on it.
    code = "from kg.extract.pipeline import default_pipeline as d; from kg.build.cache import "
    code += "pipeline_fingerprint as f; print(f(d()))"
    prints = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        prints.add(done.stdout.strip())
    assert len(prints) == 1


def test_uncacheable_pipeline_builds_without_a_cache(tmp_path: Path, pipeline: Pipeline) -> None:
    folder = _corpus(tmp_path)
    odd = pipeline.replace("observations", lambda ctx: None)
    result = build(
        [folder], tmp_path / "out", pipeline=odd, engine="serial", cache=True, outputs=()
    )
    assert result.documents == 4 and not (tmp_path / "out" / CACHE_DIR).exists()


# -- builds ---------------------------------------------------------------------------


def test_unchanged_rebuild_does_nothing_and_says_so(tmp_path: Path) -> None:
    folder, out = _corpus(tmp_path), tmp_path / "out"
    first = build([folder], out, engine="serial", cache=True, outputs=())
    assert (first.extracted, first.cached, first.up_to_date) == (4, 0, False)
    stamps = {p: p.stat().st_mtime_ns for p in first.written}
    second = build([folder], out, engine="serial", cache=True, outputs=())
    assert second.up_to_date and second.written == []
    assert {p: p.stat().st_mtime_ns for p in first.written} == stamps
    assert "nothing changed" in second.summary()
    assert second.summary().splitlines()[1:3] == first.summary().splitlines()[1:3]
    # What was not recomputed is still there on demand, and the same.
    assert second.extractions == first.extractions
    assert len(second.graph) == len(first.graph)


def test_touched_output_or_other_options_rebuild(tmp_path: Path) -> None:
    folder, out = _corpus(tmp_path), tmp_path / "out"
    build([folder], out, engine="serial", cache=True, outputs=())
    turtle = (out / "kg.ttl").read_bytes()
    (out / "kg.ttl").write_bytes(b"# edited by hand\n")
    again = build([folder], out, engine="serial", cache=True, outputs=())
    assert not again.up_to_date and (again.extracted, again.cached) == (0, 4)
    assert (out / "kg.ttl").read_bytes() == turtle
    assert not build(
        [folder], out, engine="serial", cache=True, validate=False, outputs=()
    ).up_to_date


def test_adding_a_document_extracts_only_that_document(tmp_path: Path) -> None:
    folder, out = _corpus(tmp_path), tmp_path / "out"
    build([folder], out, engine="serial", cache=True, outputs=())
    (folder / "hainan.txt").write_text("海南自由贸易港建设总体方案发布。", encoding="utf-8")
    result = build([folder], out, engine="serial", cache=True, outputs=())
    assert (result.extracted, result.cached, result.documents) == (1, 4, 5)
    assert "extracted 1 document(s), 4 from the cache" in result.summary()


def test_no_cache_extracts_everything_and_forgets_the_last_build(tmp_path: Path) -> None:
    folder, out = _corpus(tmp_path), tmp_path / "out"
    build([folder], out, engine="serial", cache=True, outputs=())
    records = sorted((out / CACHE_DIR).rglob("*.pickle"))
    result = build([folder], out, engine="serial", cache=False, outputs=())
    assert (result.extracted, result.cached, result.up_to_date) == (4, 0, False)
    assert Manifest.load(out) is None
    assert sorted((out / CACHE_DIR).rglob("*.pickle")) == records
    assert not build(
        [folder], out, engine="serial", cache=True, outputs=()
    ).up_to_date  # outputs rewritten since


def test_prune_keeps_the_most_recent_fingerprints(tmp_path: Path, pipeline: Pipeline) -> None:
    doc = _doc(SNIPPETS["shandong.txt"])
    extraction = pipeline(doc)
    caches = [ExtractionCache(tmp_path, str(n) * 64) for n in range(4)]
    for n, cache in enumerate(caches):
        cache.put(doc, extraction)
        os.utime(cache.folder, (n, n))  # older folders first
    caches[0].prune(keep=2)
    assert sorted(p.name for p in (tmp_path / "extractions").iterdir()) == sorted(
        [caches[0].folder.name, caches[3].folder.name]
    )
