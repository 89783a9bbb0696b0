"""Benchmark: corpus builds — throughput, parallelism, incremental rebuilds, memory (not a test).

Prints, in one run, on the corpus (default ``../shared/corpus``) or an evenly spread
subset of it (``--limit N``):

0. per input (the 750 KB file ``xinwenlianbo-ftz-items-2022-2026.txt``, the corpus, the
   same file doubled and quadrupled in one file): the whole ``ftz-kg build`` (every output,
   the full SHACL check; serial, no cache) and its stages (read, extract, draw, validate,
   store, maps, write) against ``jieba.posseg.lcut`` and ``jieba.lcut`` over the same
   text, with the build's peak memory (targets: build ≤ 1× posseg, extraction ≤ 0.5×,
   the quadrupled file ≤ 4.4× the file once);
1. the whole build in one process (extraction + graph + Turtle/TriG, written) against
   plain ``jieba.posseg.lcut`` over the same texts (target: ≤ 2×);
2. 1 against 2 worker processes (``--engine process``), extraction and whole build
   (target: ≥ 1.6×; the faster of two runs each);
3. a rebuild with nothing changed against the first build (target: ≥ 20×), and a build
   with one document added to the built corpus against a build of that document alone
   (target: ≤ 2×; medians of five runs each);
4. the peak memory of the build at half and the full size (it should grow linearly).

Every build runs in a fresh child process, so that its peak RSS (``getrusage``) is its
own; its time is that of the ``build()`` call, with the pipeline and jieba's dictionary
loaded beforehand (as ``posseg`` is warmed before it is timed). Builds here skip SHACL
validation (it is timed on its own, line 5) and the extra outputs (store, views).

Usage::

    python bench/bench_build.py                   # the full corpus, ~10 minutes on 2 cores
    python bench/bench_build.py --limit 60        # a quick look
    python bench/bench_build.py --jobs 4 --corpus path/to/texts
    python bench/bench_build.py --speed           # only the table of step 0 and step 2
    python bench/bench_build.py --speed --cpu --no-parallel --against ../before --repeat 3
                                                  # step 0, this tree against another one
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.read.documents import DOCUMENT_SUFFIXES  # noqa: E402

MB = 1024 * 1024


def _rss_mb() -> float:
    """Current resident set size of this process (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB
    except OSError:
        return 0.0


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _peak_mb(who: int) -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(who).ru_maxrss * scale / MB


# -- child: one timed build -----------------------------------------------------------


# What the timings measure: wall time, or with --cpu the CPU time of the process (every
# thread: the store loads on several), which other work on a shared machine hardly changes.
CLOCK = time.perf_counter


def _timed(writer: Any, name: str, timings: dict[str, float]) -> Any:
    """``writer`` (an extra output of the build), its time kept under ``name``."""

    def run(result: Any) -> Any:
        start = CLOCK()
        try:
            return writer(result)
        finally:
            timings[name] = CLOCK() - start

    run.__name__ = run.__qualname__ = getattr(writer, "__qualname__", name)
    run.__module__ = getattr(writer, "__module__", "bench")
    return run


def _load_word_tags() -> None:
    """jieba's POS dictionary, as the components load it (older trees: posseg's)."""
    try:
        from kg.extract.wordtags import word_tags
    except ImportError:  # the tree before kg.extract.wordtags, for a before/after table
        from kg.extract.entities import _word_tags as word_tags
    word_tags()


def child(spec: dict[str, Any]) -> dict[str, Any]:
    global CLOCK
    import kg.build.result  # noqa: F401  (so that its clock can be replaced below)

    if spec.get("cpu"):
        import types

        CLOCK = time.process_time
        # The build's stage clock (kg.build.result._Clock) reads time.perf_counter.
        sys.modules["kg.build.result"].time = types.SimpleNamespace(perf_counter=time.process_time)  # type: ignore[attr-defined]
    from kg.build import build
    from kg.build.checks import validate_knowledge
    from kg.extract.pipeline import default_pipeline
    from kg.extract.tokens import word_splitter
    from kg.rdf.graph import load_ontology

    # What a process loads once (as posseg's dictionary is loaded before it is timed).
    start = time.perf_counter()
    pipeline = default_pipeline()
    word_splitter(pipeline.lexicon)
    _load_word_tags()
    setup = time.perf_counter() - start
    outputs: dict[str, float] = {}
    extra: list[Any] = []
    if spec.get("whole"):
        from kg.build.outputs import store_output
        from kg.build.views_output import views_output

        extra = [_timed(store_output, "store", outputs), _timed(views_output, "maps", outputs)]
    rss_before = _rss_mb()
    start = CLOCK()
    result = build(
        spec["files"],
        spec["out"],
        pipeline=pipeline,
        validate=bool(spec.get("whole")),
        extra_outputs=extra,
        engine=spec["engine"],
        jobs=spec.get("jobs"),
        cache=spec["cache"],
        progress=False,
        outputs=(),
    )
    seconds = CLOCK() - start
    report: dict[str, Any] = {
        "seconds": seconds,
        "setup": setup,
        "timings": {**result.timings, **outputs},
        "documents": result.documents,
        "extracted": result.extracted,
        "cached": result.cached,
        "up_to_date": result.up_to_date,
        "triples": result.stats.triples,
        "chars": sum(len(ex.document.text) for ex in result.extractions),
        "rss_before": rss_before,
        "peak": _peak_mb(resource.RUSAGE_SELF),
        "peak_workers": _peak_mb(resource.RUSAGE_CHILDREN),
        "cpu_workers": _cpu(resource.RUSAGE_CHILDREN),
        "load": os.getloadavg()[0],
    }
    if spec.get("validate"):
        start = time.perf_counter()
        shacl, note = validate_knowledge(result.knowledge, load_ontology())
        report["validate"] = {
            "seconds": time.perf_counter() - start,
            "conforms": shacl.conforms,
            "violations": shacl.violations,
            "sampled": bool(note),
        }
    return report


def run_child(spec: dict[str, Any], tree: Path | None = None) -> dict[str, Any]:
    """One build in a fresh process, with this tree's code or ``tree``'s (its own bench
    script runs it, with that tree first on the path)."""
    root = ROOT if tree is None else tree
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(spec, handle)
    try:
        done = subprocess.run(
            [sys.executable, str(root / "bench" / "bench_build.py"), "--child", handle.name],
            capture_output=True,
            text=True,
            cwd=root,
        )
    finally:
        os.unlink(handle.name)
    if done.returncode != 0:
        sys.exit(f"a benchmark build failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- parent ---------------------------------------------------------------------------


def select(corpus: Path, limit: int | None) -> list[Path]:
    files = sorted(
        (p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES),
        key=lambda p: str(p),
    )
    if limit and limit < len(files):
        files = [files[(2 * k + 1) * len(files) // (2 * limit)] for k in range(limit)]
    return files


def segmentation_seconds(
    files: list[Path], clock: Any = time.perf_counter
) -> tuple[float, float, int]:
    """Plain jieba over the same normalised texts, in this process: ``posseg.lcut`` (words
    and POS tags) and ``lcut`` (words), each with its dictionary loaded before timing."""
    import jieba
    import jieba.posseg

    from kg.read.documents import read_document

    jieba.setLogLevel(60)
    texts = [read_document(p).text for p in files]
    jieba.posseg.lcut("中国（山东）自由贸易试验区")
    jieba.lcut("中国（山东）自由贸易试验区")
    start = clock()
    for text in texts:
        jieba.posseg.lcut(text)
    posseg = clock() - start
    start = clock()
    for text in texts:
        jieba.lcut(text)
    return posseg, clock() - start, sum(len(t) for t in texts)


def posseg_seconds(files: list[Path]) -> tuple[float, int]:
    posseg, _lcut, chars = segmentation_seconds(files)
    return posseg, chars


REPEATS = 5


def _forget_extraction(out: Path, path: Path) -> None:
    """Delete the cached extraction of ``path`` in ``out``."""
    from kg.build.cache import CACHE_DIR, ExtractionCache
    from kg.read.documents import read_document

    key = ExtractionCache.key(read_document(path))
    for record in (out / CACHE_DIR).rglob(f"{key}.pickle"):
        record.unlink()


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]


def _line(label: str, value: str, target: str = "", ok: bool | None = None) -> None:
    mark = "" if ok is None else ("  ok" if ok else "  MISSED")
    suffix = f"   (target {target}{mark})" if target else ""
    print(f"  {label:<46} {value}{suffix}", flush=True)


def _runs(label: str, series: list[list[float]], suffix: str = " s") -> None:
    """The individual timings behind a figure: each series' values, series apart by /."""
    _line(label, " / ".join(" ".join(f"{v:.2f}" for v in values) for values in series) + suffix)


def _stages(r: dict[str, Any]) -> str:
    t = r["timings"]
    keys = ("read", "extract", "graph", "serialize", "write")
    return ", ".join(f"{k} {t[k]:.1f}" for k in keys if k in t)


LONG_FILE = "xinwenlianbo-ftz-items-2022-2026.txt"
STAGES = ("read", "extract", "graph", "validate", "store", "maps", "write", "threads")
# "threads": the work the build did on threads beside its stages (the store's load,
# kg.build.background), in wall seconds; the store column is then the time the main
# thread spent waiting for it.
STAGE_NAMES = {"graph": "draw"}


def _repeated(source: Path, times: int, folder: Path) -> Path:
    """``source`` ``times`` over in one file (same name, in its own folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    data = source.read_bytes()
    target.write_bytes(data * times)
    return target


def speed_table(
    corpus: Path,
    files: list[Path],
    work: Path,
    cpu: bool = False,
    against: Path | None = None,
    repeat: int = 1,
) -> None:
    """Step 0: the whole build against word segmentation, per input, side by side.

    With ``against`` (another source tree, such as the commit before a change), each
    input is also built with that tree's code, the two builds taking turns ``repeat``
    times; each row is the median run, and the other tree's row follows this tree's."""
    inputs: list[tuple[str, list[Path]]] = []
    long_file = corpus / LONG_FILE
    if long_file.is_file():
        inputs.append(("750 KB file", [long_file]))
    inputs.append((f"corpus ({len(files)} files)", files))
    if long_file.is_file():
        inputs.append(("file ×2", [_repeated(long_file, 2, work / "x2")]))
        inputs.append(("file ×4", [_repeated(long_file, 4, work / "x4")]))
    print(
        "\n0. the whole build (serial, no cache, full SHACL, store and maps) against jieba",
        flush=True,
    )
    head = " ".join(f"{STAGE_NAMES.get(k, k):>8}" for k in STAGES)
    width = 20 if against is None else 30
    print(
        f"  {'input':<{width}} {'chars':>9} {'posseg':>7} {'lcut':>6} {'build':>7} {'×posseg':>7} "
        f"{'extr×ps':>7} | {head} | {'peak MB':>7}",
        flush=True,
    )
    rows: dict[str, tuple[float, float, float]] = {}
    trees: list[tuple[str, Path | None]] = [("", None)]
    if against is not None:
        trees.append((" · against", against))
    for label, paths in inputs:
        posseg, lcut, chars = segmentation_seconds(
            paths, time.process_time if cpu else time.perf_counter
        )
        spec = {
            "files": [str(p) for p in paths],
            "out": str(work / "speed"),
            "cache": False,
            "engine": "serial",
            "jobs": 1,
            "whole": True,
            "cpu": cpu,
        }
        runs: dict[str, list[dict[str, Any]]] = {suffix: [] for suffix, _tree in trees}
        for _ in range(repeat):
            for suffix, tree in trees:
                runs[suffix].append(run_child(spec, tree))
                shutil.rmtree(work / "speed", ignore_errors=True)
        for suffix, _tree in trees:
            r = _median(runs[suffix])
            t = r["timings"]
            stages = " ".join(f"{t.get(k, 0.0):8.2f}" for k in STAGES)
            print(
                f"  {label + suffix:<{width}} {chars:>9,} {posseg:7.2f} {lcut:6.2f} "
                f"{r['seconds']:7.2f} {r['seconds'] / posseg:6.2f}× "
                f"{t['extract'] / posseg:6.2f}× | {stages} | {r['peak']:7.0f}",
                flush=True,
            )
        r = _median(runs[""])
        rows[label] = (r["seconds"], r["timings"]["extract"], posseg)
    kind = "CPU seconds of the process" if cpu else "seconds"
    print(f"  ({kind}; build = the build() call, its pipeline loaded beforehand as posseg's is)")
    for label, (seconds, extract, posseg) in rows.items():
        _line(f"{label}: build / posseg", f"{seconds / posseg:.2f}×", "≤ 1×", seconds <= posseg)
        _line(
            f"{label}: extraction / posseg",
            f"{extract / posseg:.2f}×",
            "≤ 0.5×",
            extract <= 0.5 * posseg,
        )
    if "750 KB file" in rows and "file ×4" in rows:
        once, four = rows["750 KB file"][0], rows["file ×4"][0]
        twice = rows["file ×2"][0]
        _line("file ×2 / file once, whole build", f"{twice / once:.2f}×")
        _line(
            "file ×4 / file once, whole build", f"{four / once:.2f}×", "≤ 4.4×", four <= 4.4 * once
        )


def parallel_extraction(files: list[Path], jobs: int, spec: Any) -> dict[str, Any]:
    """Step 2: 1 against ``jobs`` worker processes, the faster of two runs each."""
    print(f"\n2. parallel extraction (--engine process, no cache, {jobs} jobs)", flush=True)
    # Two runs each, interleaved, keeping the faster: other work on a small machine
    # slows single runs by 10-20 %.
    ones, manys = [], []
    for _ in range(2):
        ones.append(run_child(spec("jobs1", files, engine="process", jobs=1)))
        manys.append(run_child(spec("jobsN", files, engine="process", jobs=jobs)))
    one = min(ones, key=lambda r: r["timings"]["extract"])
    many = min(manys, key=lambda r: r["timings"]["extract"])
    e1, en = one["timings"]["extract"], many["timings"]["extract"]
    _runs(
        "runs: extraction, 1 / N workers",
        [[r["timings"]["extract"] for r in rs] for rs in (ones, manys)],
        " s (the faster of each is used)",
    )
    _line("extraction, 1 worker", f"{e1:.1f} s (worker CPU {one['cpu_workers']:.1f} s)")
    _line(
        f"extraction, {jobs} workers",
        f"{en:.1f} s (worker CPU {many['cpu_workers']:.1f} s; "
        f"load average {many['load']:.1f} at its end)",
    )
    _line("extraction speed-up", f"{e1 / en:.2f}×", "≥ 1.8×", e1 / en >= 1.8)
    _line(
        "whole build, 1 → N workers",
        f"{one['seconds']:.1f} s → {many['seconds']:.1f} s "
        f"({one['seconds'] / many['seconds']:.2f}×; graph and writing are one process)",
    )
    return many


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--limit", type=int, default=None, help="use N files spread over it")
    parser.add_argument("--jobs", type=int, default=2, help="workers of the parallel run")
    parser.add_argument(
        "--speed", action="store_true", help="only the build/segmentation table and step 2"
    )
    parser.add_argument(
        "--cpu", action="store_true", help="step 0 in CPU seconds (for a busy machine)"
    )
    parser.add_argument("--no-parallel", action="store_true", help="with --speed: leave out step 2")
    parser.add_argument("--no-table", action="store_true", help="with --speed: leave out step 0")
    parser.add_argument(
        "--against",
        type=Path,
        help="with --speed: also build each input with the code of this source tree "
        "(e.g. a checkout of the previous commit), in turns with this one",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="with --speed: builds per input (the median)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        request = json.loads(Path(args.child).read_text(encoding="utf-8"))
        print(json.dumps(child(request)))
        return

    files = select(args.corpus, args.limit)
    if len(files) < 4:
        sys.exit(f"{args.corpus}: needs at least 4 documents, found {len(files)}")
    by_size = sorted(files, key=lambda p: (p.stat().st_size, str(p)))
    held_out = by_size[len(by_size) // 2]  # a typical document, added at step 3
    base = [p for p in files if p != held_out]
    half = base[::2]
    work = Path(tempfile.mkdtemp(prefix="bench-build-"))
    load = os.getloadavg()[0]
    print(
        f"corpus: {args.corpus} — {len(files)} files; {os.cpu_count()} cores, "
        f"load average {load:.1f} at start",
        flush=True,
    )
    if load > 0.5:
        print("  (other work is running: times, the parallel ones most, will be longer)")

    def spec(name: str, paths: list[Path], **options: Any) -> dict[str, Any]:
        options.setdefault("cache", False)
        options.setdefault("engine", "serial")
        return {"files": [str(p) for p in paths], "out": str(work / name), **options}

    try:
        if not args.no_table:
            speed_table(args.corpus, files, work, args.cpu, args.against, args.repeat)
        if args.speed:
            if not args.no_parallel:
                parallel_extraction(files, args.jobs, spec)
            return
        print("\n1. throughput, one process", flush=True)
        seg, chars = posseg_seconds(base)
        first = run_child(spec("incremental", base, cache=True, validate=True))
        _line("jieba.posseg.lcut", f"{seg:.1f} s for {chars:,} chars ({chars / seg:,.0f}/s)")
        _line(
            "whole build (serial)",
            f"{first['seconds']:.1f} s: {_stages(first)}; {first['triples']:,} triples",
        )
        ratio = first["seconds"] / seg
        _line("whole build / posseg", f"{ratio:.2f}×", "≤ 2×", ratio <= 2)

        many = parallel_extraction(base, args.jobs, spec)

        print("\n3. incremental builds (serial engine, cache in OUT/cache)", flush=True)
        noop = run_child(spec("incremental", base, cache=True))
        if not noop["up_to_date"]:  # the package's code or data changed during the run
            print("  NOTE: the rebuild was not a no-op: code or data files changed meanwhile")
        speed = first["seconds"] / noop["seconds"]
        _line("first build", f"{first['seconds']:.1f} s")
        _line("rebuild, nothing changed", f"{noop['seconds']:.2f} s")
        _line("first / unchanged rebuild", f"{speed:.0f}×", "≥ 20×", speed >= 20)
        # Five of each, interleaved; each added build is undone by an (incremental) build
        # without the document. Medians, since single sub-second runs are noisy.
        addeds, alones = [], []
        for _ in range(REPEATS):
            addeds.append(run_child(spec("incremental", [*base, held_out], cache=True)))
            run_child(spec("incremental", base, cache=True))
            _forget_extraction(work / "incremental", held_out)  # so that it is new again
            alones.append(run_child(spec("alone", [held_out])))
        added = _median(addeds)
        alone = _median(alones)
        _runs(
            "runs: one document added / alone",
            [[r["seconds"] for r in rs] for rs in (addeds, alones)],
        )
        if added["extracted"] != 1:
            print(f"  NOTE: {added['extracted']} documents were extracted, not 1")
        _line(
            "one document added",
            f"{added['seconds']:.1f} s: {_stages(added)} ({added['cached']} from the cache)",
        )
        _line(
            f"that document alone ({held_out.name})",
            f"{alone['seconds']:.2f} s: {_stages(alone)}",
        )
        ratio = added["seconds"] / alone["seconds"]
        _line("added / alone, whole build", f"{ratio:.1f}×", "≤ 2×", ratio <= 2)
        ratio = added["timings"]["extract"] / alone["timings"]["extract"]
        _line("added / alone, extraction step", f"{ratio:.1f}×", "≤ 2×", ratio <= 2)

        print("\n4. peak memory of a build (serial, RSS)", flush=True)
        small = run_child(spec("half", half))
        for label, r in (("half corpus", small), ("full corpus", first)):
            growth = r["peak"] - r["rss_before"]
            _line(
                label,
                f"{r['peak']:.0f} MB peak, {growth:.0f} MB above the loaded pipeline "
                f"({r['chars'] / 1e6:.2f} M chars, {r['triples']:,} triples, "
                f"{growth / (r['chars'] / 1e6):.0f} MB per M chars)",
            )
        g_small = small["peak"] - small["rss_before"]
        g_full = first["peak"] - first["rss_before"]
        _line(
            "growth ratio full / half",
            f"{g_full / g_small:.2f}× for {first['chars'] / small['chars']:.2f}× the text",
        )
        _line(
            f"process engine, {args.jobs} workers",
            f"parent {many['peak']:.0f} MB, largest worker {many['peak_workers']:.0f} MB",
        )

        shacl = first["validate"]
        print("\n5. SHACL validation of the first build's graph (not in the times above)")
        verdict = "conforms" if shacl["conforms"] else f"{shacl['violations']} violation(s)"
        kind = "default graph + sample" if shacl["sampled"] else "full"
        _line(f"{kind} check", f"{shacl['seconds']:.1f} s, {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
