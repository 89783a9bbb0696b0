"""Engines: in-process, a real process pool and a real Dask cluster agree exactly."""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from kg.build import build, engine
from kg.errors import EngineError
from kg.extract.context import DocContext
from kg.extract.pipeline import Pipeline
from kg.model import Document, Extraction
from kg.read.documents import document_from_bytes

from .conftest import SEED_FILE, import_or_unavailable

TEXTS = [
    "中国（山东）自由贸易试验区涵盖济南、青岛、烟台三大片区。",
    "中国（内蒙古）自由贸易试验区涵盖呼和浩特、满洲里、二连浩特三大片区，打造我国向北开放重要桥头堡。",
    "中国（新疆）自由贸易试验区挂牌，129项改革试点任务，面向中亚五国。",
    "海南自由贸易港建设总体方案发布，2025年全岛封关运作。",
    "上海自贸试验区临港新片区外贸进出口总额达到2206.7亿元，同比增长6.4%。",
]


def _documents() -> list[Document]:
    docs = [
        document_from_bytes(text.encode("utf-8"), name=f"doc{i}.txt", path=f"doc{i}.txt")
        for i, text in enumerate(TEXTS)
    ]
    docs.append(document_from_bytes(SEED_FILE.read_bytes(), name=SEED_FILE.name, path="seed"))
    return docs


def probe(ctx: DocContext) -> None:
    """Records which process extracted the document and which pipeline object it used."""
    ctx.warnings.append(f"probe pid={os.getpid()} lexicon={id(ctx.lexicon)}")


def explode(ctx: DocContext) -> None:
    if "封关" in ctx.text:
        raise ValueError("boom")


def _with(pipeline: Pipeline, name: str, component: object) -> Pipeline:
    return Pipeline((*pipeline.components, (name, component)), pipeline.lexicon, pipeline.patterns)  # type: ignore[arg-type]


def _strip_probe(extraction: Extraction) -> tuple[object, ...]:
    return (
        extraction.document,
        extraction.sentences,
        extraction.articles,
        extraction.mentions,
        extraction.relations,
        extraction.observations,
        tuple(w for w in extraction.warnings if not w.startswith("probe ")),
    )


def _in_order(done: list[engine.Done]) -> list[Extraction]:
    assert sorted(d.index for d in done) == list(range(len(done)))
    return [d.extraction for d in sorted(done, key=lambda d: d.index)]


@pytest.fixture(scope="module")
def serial(pipeline: Pipeline) -> list[Extraction]:
    return _in_order(list(engine.run(_documents(), pipeline, engine="serial")))


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_process_pool_gives_the_serial_extractions(
    pipeline: Pipeline, serial: list[Extraction], method: str
) -> None:
    # spawn gives each worker its own hash seed: a set-order dependence would show here.
    done = list(engine.run(_documents(), pipeline, engine="process", jobs=2, start_method=method))
    assert _in_order(done) == serial
    assert all(d.payload for d in done), "workers send the pickled record for the cache"


def test_each_worker_loads_the_pipeline_once(pipeline: Pipeline) -> None:
    probed = _with(pipeline, "probe", probe)
    done = list(engine.run(_documents(), probed, engine="process", jobs=2, start_method="spawn"))
    lexicons: dict[str, set[str]] = defaultdict(set)
    for d in done:
        (tag,) = [w for w in d.extraction.warnings if w.startswith("probe ")]
        pid, lexicon = tag.removeprefix("probe ").split()
        lexicons[pid].add(lexicon)
    assert f"pid={os.getpid()}" not in lexicons, "extraction ran in the parent"
    assert 1 <= len(lexicons) <= 2
    assert all(len(ids) == 1 for ids in lexicons.values()), "a worker rebuilt its pipeline"


def test_forked_workers_use_the_parents_pipeline_as_it_is(pipeline: Pipeline) -> None:
    """Forked, a worker finds the parent's own pipeline (its dictionaries loaded) instead of
    unpickling a copy: the lexicon it reads is the parent's object."""
    probed = _with(pipeline, "probe", probe)
    done = list(engine.run(_documents(), probed, engine="process", jobs=2, start_method="fork"))
    tags = {w for d in done for w in d.extraction.warnings if w.startswith("probe ")}
    assert f"pid={os.getpid()}" not in " ".join(tags), "extraction ran in the parent"
    assert {tag.split()[-1] for tag in tags} == {f"lexicon={id(pipeline.lexicon)}"}
    assert not engine._FORKED, "the parent holds no pipeline for later pools"


def test_a_failing_document_is_named(pipeline: Pipeline) -> None:
    failing = _with(pipeline, "explode", explode)
    for name in ("serial", "process"):
        with pytest.raises(ValueError, match="boom") as info:
            list(engine.run(_documents(), failing, engine=name, jobs=2))
        assert "while extracting doc3.txt" in getattr(info.value, "__notes__", []), name


def test_auto_uses_a_pool_only_for_enough_text() -> None:
    small = _documents()
    big = small * (engine.PARALLEL_MIN_CHARS // sum(len(d.text) for d in small) + 1)
    assert engine.resolve_engine("auto", 2, small) == "serial"
    assert engine.resolve_engine("auto", 2, big) == "process"
    assert engine.resolve_engine("auto", 1, big) == "serial"
    assert engine.resolve_engine("process", 2, small) == "process"
    with pytest.raises(EngineError, match="serial"):
        engine.resolve_engine("threads", 2, small)


def test_pool_hands_out_the_largest_documents_first() -> None:
    docs = _documents()
    order = engine._largest_first(docs)
    assert [len(docs[i].text) for i in order] == sorted((len(d.text) for d in docs), reverse=True)
    parts = engine._balanced_parts(docs, 2)
    assert sorted(i for part in parts for i, _ in part) == list(range(len(docs)))


def test_unpicklable_pipeline_says_what_to_do(pipeline: Pipeline) -> None:
    odd = pipeline.replace("observations", lambda ctx: None)
    with pytest.raises(EngineError, match="--engine serial"):
        list(engine.run(_documents(), odd, engine="process", jobs=2))


def test_dask_missing_is_a_clear_error(pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.bag", None)
    with pytest.raises(EngineError, match=r"needs dask.*--engine process"):
        list(engine.run(_documents(), pipeline, engine="dask", jobs=2))


def test_dask_on_a_local_cluster_of_two_workers(
    pipeline: Pipeline, serial: list[Extraction]
) -> None:
    distributed = import_or_unavailable("distributed")
    probed = _with(pipeline, "probe", probe)
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        done = list(engine.run(_documents(), probed, engine="dask"))
        workers = {f"pid={pid}" for pid in client.run(os.getpid).values()}
    assert [_strip_probe(e) for e in _in_order(done)] == [_strip_probe(e) for e in serial]
    pids = {w.split()[1] for d in done for w in d.extraction.warnings if w.startswith("probe ")}
    assert pids <= workers, "documents were not extracted on the cluster's workers"


def test_build_output_is_byte_identical_across_engines_and_cache(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for doc in _documents():
        (folder / doc.name).write_text(doc.text, encoding="utf-8")
    runs = {
        "serial": {"engine": "serial", "cache": False},
        "process": {"engine": "process", "jobs": 2, "cache": False},
        "dask-local": {"engine": "dask", "jobs": 2, "cache": False},
        "first": {"engine": "process", "jobs": 2, "cache": True},
    }
    outputs = {}
    for name, options in runs.items():
        out = tmp_path / ("cached" if name == "first" else name)
        build([folder], out, **options, outputs=())  # type: ignore[arg-type]
        outputs[name] = ((out / "kg.ttl").read_bytes(), (out / "kg.trig").read_bytes())
    (tmp_path / "cached" / "kg.ttl").unlink()  # forces a rebuild, from the cache
    again = build([folder], tmp_path / "cached", engine="serial", cache=True, outputs=())
    assert again.cached == len(TEXTS) + 1 and again.extracted == 0
    outputs["cached"] = (
        (tmp_path / "cached" / "kg.ttl").read_bytes(),
        (tmp_path / "cached" / "kg.trig").read_bytes(),
    )
    assert all(value == outputs["serial"] for value in outputs.values())


def test_cli_offers_every_engine() -> None:
    import click

    from kg.cli import main

    command = main.commands["build"]
    (option,) = [p for p in command.params if p.name == "engine"]
    assert isinstance(option.type, click.Choice)
    assert tuple(option.type.choices) == engine.ENGINES
