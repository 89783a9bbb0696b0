"""Embedded store (pyoxigraph) against rdflib's in-memory store, side by side in one run.

1. The seed graph: every saved query on the embedded store, median of many runs (the
   requirement is < 50 ms median in-process).
2. The seed dataset scaled to >= 1,000,000 triples by copying it with re-minted IRIs
   (``id/...`` becomes ``id/c<k>/...`` in copy k; countries stay shared, as all zones face
   the same neighbours), written as N-Quads; then, each in its own child process so that
   peak memory is measured cleanly, pyoxigraph (a persistent store built with bulk_load,
   as ``ftz-kg build`` does) and rdflib (``Dataset(default_union=True)``) load it and run
   every saved query with its default parameters. Printed: load times, per-query times and
   ratios, peak memory (VmHWM of each process, and tracemalloc's peak for rdflib's Python
   objects).

Run from the repository root after ``ftz-kg build``::

    python bench/bench_store.py                 # about 10 minutes, most of it rdflib
    python bench/bench_store.py --triples 200000 --budget 20   # a quicker look

Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.namespaces import ID  # noqa: E402
from kg.store.saved_queries import list_queries  # noqa: E402


def _rss_peak_mb() -> float:
    """Peak resident memory of this process (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _kind(text: str) -> str:
    body = text.split("WHERE", 1)[-1]
    if "GROUP BY" in body or "COUNT(" in text:
        return "aggregation"
    if re.search(r"[*+?]\s*[?<(\w]", body) or "/" in re.sub(
        r"<[^>]*>", "", body.split("ORDER BY")[0]
    ):
        return "path/join"
    return "join"


# -- 1. the seed graph ---------------------------------------------------------------------------


def seed_medians(out_dir: Path, runs: int) -> None:
    from kg.store.embedded import open_store
    from kg.store.engines import StoreEngine
    from kg.store.sparql import run_query

    engine = StoreEngine(open_store(out_dir))
    print(f"== seed graph ({len(engine.store)} quads), embedded store, {runs} runs per query ==")
    print(f"{'query':22} {'rows':>5} {'median ms':>10} {'p95 ms':>8}")
    worst = 0.0
    for saved in list_queries():
        times = []
        rows = 0
        for _ in range(runs):
            started = time.perf_counter()
            rows = len(run_query(saved.name, engine=engine))
            times.append((time.perf_counter() - started) * 1000)
        median = statistics.median(times)
        worst = max(worst, median)
        p95 = sorted(times)[int(0.95 * (len(times) - 1))]
        print(f"{saved.name:22} {rows:>5} {median:>10.2f} {p95:>8.2f}")
    print(f"slowest median: {worst:.2f} ms ({'OK' if worst < 50 else 'OVER'} the 50 ms budget)\n")


# -- 2. the scaled graph -------------------------------------------------------------------------


def scale(source: Path, target: Path, triples: int) -> int:
    """Write copies of ``source`` (TriG) with re-minted IRIs to ``target`` (N-Quads) until >= ``triples``."""
    import pyoxigraph as ox

    lines = ox.serialize(
        ox.parse(path=str(source), format=ox.RdfFormat.TRIG), format=ox.RdfFormat.N_QUADS
    )
    assert lines is not None
    base = lines.decode("utf-8").splitlines()
    prefix = str(ID)
    minted = re.compile(re.escape("<" + prefix) + r"(?!country/)")
    seen: set[str] = set()
    with target.open("w", encoding="utf-8") as out:
        copy = 0
        while len(seen) < triples:
            for line in base:
                new = line if copy == 0 else minted.sub(f"<{prefix}c{copy}/", line)
                if new not in seen:
                    seen.add(new)
                    out.write(new + "\n")
            copy += 1
    print(
        f"scaled: {copy} copies, {len(seen):,} quads -> {target} ({target.stat().st_size / 1e6:.0f} MB)"
    )
    return len(seen)


class _Budget(BaseException):  # not an Exception: rdflib must not swallow it
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Budget()


def child(engine_name: str, data: Path, runs: int, budget: float) -> None:
    """Load ``data`` with one engine and time every saved query; print one JSON line."""
    from kg.store.engines import MemoryEngine, StoreEngine
    from kg.store.sparql import run_query

    result: dict[str, Any] = {"engine": engine_name, "queries": {}}
    if engine_name == "memory":
        tracemalloc.start()
    started = time.perf_counter()
    engine: Any
    if engine_name == "store":
        import pyoxigraph as ox

        folder = tempfile.mkdtemp(prefix="bench-store-")
        atexit.register(shutil.rmtree, folder, True)
        store = ox.Store(folder)
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        store.optimize()
        del store
        engine = StoreEngine(ox.Store.read_only(folder))
        result["quads"] = len(engine.store)
        result["disk_mb"] = sum(f.stat().st_size for f in Path(folder).iterdir()) / 1e6
    else:
        from rdflib import Dataset

        dataset = Dataset(default_union=True)
        dataset.parse(str(data), format="nquads")
        engine = MemoryEngine(dataset)
        result["quads"] = len(dataset)
    result["load_s"] = time.perf_counter() - started
    result["rss_after_load_mb"] = _rss_peak_mb()
    if engine_name == "memory":
        result["tracemalloc_load_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
    signal.signal(signal.SIGALRM, _alarm)

    def timed(name: str) -> tuple[float, int]:
        signal.setitimer(signal.ITIMER_REAL, budget)
        try:
            t0 = time.perf_counter()
            rows = len(run_query(name, engine=engine))
            return (time.perf_counter() - t0) * 1000, rows
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    for saved in list_queries():
        try:
            first, rows = timed(saved.name)  # on the store, a warm-up run
            if engine_name == "store":
                times = [timed(saved.name)[0] for _ in range(runs)]
            else:
                times = [first] + ([timed(saved.name)[0] for _ in range(2)] if first < 2000 else [])
        except _Budget:
            result["queries"][saved.name] = {"ms": None, "rows": None}
            continue
        result["queries"][saved.name] = {"ms": statistics.median(times), "rows": rows}
    result["rss_peak_mb"] = _rss_peak_mb()
    if engine_name == "memory":
        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "out", help="build folder (kg.trig and store/)"
    )
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the scaled graph")
    parser.add_argument("--runs", type=int, default=7, help="runs per query on the store (median)")
    parser.add_argument(
        "--budget", type=float, default=120.0, help="seconds a query may take before it is given up"
    )
    parser.add_argument("--seed-runs", type=int, default=30)
    parser.add_argument("--child", choices=["store", "memory"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.data, args.runs, args.budget)
        return

    seed_medians(args.out, args.seed_runs)
    with tempfile.TemporaryDirectory(prefix="bench-scaled-") as tmp:
        data = Path(tmp) / "scaled.nq"
        scale(args.out / "kg.trig", data, args.triples)
        results = {}
        for engine in ("store", "memory"):
            print(f"running {engine} …", flush=True)
            proc = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    engine,
                    "--data",
                    str(data),
                    "--runs",
                    str(args.runs),
                    "--budget",
                    str(args.budget),
                ],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "PYTHONHASHSEED": "0"},
            )
            if proc.returncode != 0:
                sys.exit(f"the {engine} run failed:\n{proc.stderr}")
            results[engine] = json.loads(proc.stdout.strip().splitlines()[-1])
    store, memory = results["store"], results["memory"]
    print(f"\n== {store['quads']:,} quads: embedded store (pyoxigraph) vs rdflib Memory ==")
    print(
        f"load: store {store['load_s']:.1f} s, rdflib {memory['load_s']:.1f} s, ratio {memory['load_s'] / store['load_s']:.1f}x"
    )
    print(
        f"peak memory (VmHWM): store {store['rss_peak_mb']:.0f} MB (on disk {store['disk_mb']:.0f} MB), "
        f"rdflib {memory['rss_peak_mb']:.0f} MB (tracemalloc peak {memory['tracemalloc_peak_mb']:.0f} MB)"
    )
    print(f"\n{'query':22} {'kind':12} {'rows':>7} {'store ms':>10} {'rdflib ms':>11} {'ratio':>8}")
    kinds = {q.name: _kind(q.text) for q in list_queries()}
    for name, s in store["queries"].items():
        m = memory["queries"][name]
        s_ms, m_ms = s["ms"], m["ms"]
        if m_ms is None:
            m_text, ratio = (
                f">{args.budget * 1000:.0f}",
                f">{args.budget * 1000 / s_ms:.0f}x" if s_ms else "?",
            )
        else:
            m_text, ratio = f"{m_ms:.1f}", f"{m_ms / s_ms:.0f}x" if s_ms else "?"
        s_text = f"{s_ms:.1f}" if s_ms is not None else "budget"
        print(
            f"{name:22} {kinds[name]:12} {s['rows'] or 0:>7} {s_text:>10} {m_text:>11} {ratio:>8}"
        )
        if m["rows"] is not None and s["rows"] is not None and m["rows"] != s["rows"]:
            print(f"  note: {name} gave {s['rows']} rows on the store, {m['rows']} on rdflib")


if __name__ == "__main__":
    main()
