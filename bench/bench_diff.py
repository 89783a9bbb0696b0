"""Benchmark: a changeset against re-sending the whole graph (not a test).

For two build folders OLD and NEW, measured side by side in one run:

* ``ftz-kg diff``: reading both kg.trig files and computing the changeset and its summary,
  then writing the SPARQL Update and the RDF Patch;
* the bytes of each changeset against the bytes of NEW's kg.trig (what an integrator
  downloads);
* in a real Oxigraph server on 127.0.0.1 holding OLD: POSTing the SPARQL Update, against
  replacing the store's content with NEW (``DROP ALL`` and POSTing NEW's kg.trig); both
  end with the same quads, which is checked.

Usage::

    python bench/bench_diff.py OLD_BUILD NEW_BUILD            # 3 runs each, medians
    python bench/bench_diff.py                                # seeds vs seeds + one corpus file

Needs the ``oxigraph`` server on PATH (``pip install oxigraph``).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.build import build  # noqa: E402
from kg.diff.changes import diff_paths  # noqa: E402
from kg.diff.writers import rdf_patch, sparql_update  # noqa: E402

EXTRA = ROOT.parent / "shared" / "corpus" / "hainan-ftp-master-plan-2020-excerpt.txt"


def _median(runs: int, step: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _post(url: str, body: bytes, kind: str) -> None:
    answer = httpx.post(url, content=body, headers={"Content-Type": kind}, timeout=600)
    answer.raise_for_status()


def _quads(base: str) -> set[ox.Quad]:
    answer = httpx.get(base + "/store", headers={"Accept": "application/n-quads"}, timeout=600)
    answer.raise_for_status()
    return set(ox.parse(answer.content, format=ox.RdfFormat.N_QUADS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("old", nargs="?")
    parser.add_argument("new", nargs="?")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=7993)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-diff-"))
    if args.old and args.new:
        old, new = Path(args.old), Path(args.new)
    else:
        old, new = work / "v1", work / "v2"
        build([ROOT / "seeds"], old, progress=False, outputs=())
        build([ROOT / "seeds", EXTRA], new, progress=False, outputs=())

    diff_time = _median(args.runs, lambda: diff_paths(old, new))
    changeset = diff_paths(old, new)
    update = sparql_update(changeset).encode("utf-8")
    patch = rdf_patch(changeset).encode("utf-8")
    write_time = _median(args.runs, lambda: (sparql_update(changeset), rdf_patch(changeset)))
    trig = (new / "kg.trig").read_bytes()
    print(
        f"OLD {old}: {changeset.summary.old_quads} quads; NEW {new}: {changeset.summary.new_quads} quads"
    )
    print(f"changeset: {len(changeset.removed)} quads deleted, {len(changeset.added)} inserted")
    print(
        f"diff (read both, compare, summarise): {diff_time:.2f} s; both writers: {write_time:.2f} s"
    )
    print(
        f"bytes: SPARQL Update {len(update):,}, RDF Patch {len(patch):,}, NEW kg.trig {len(trig):,} "
        f"({len(update) / len(trig):.2f}x and {len(patch) / len(trig):.2f}x of it)"
    )

    oxigraph = shutil.which("oxigraph")
    if oxigraph is None:
        print("oxigraph server not installed: the store timings are skipped")
        return
    base = f"http://127.0.0.1:{args.port}"
    proc = subprocess.Popen(
        [oxigraph, "serve", "--location", str(work / "db"), "--bind", f"127.0.0.1:{args.port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)  # polling interval while the server starts
        old_trig = (old / "kg.trig").read_bytes()
        want = set(ox.parse(trig, format=ox.RdfFormat.TRIG))

        def reset() -> None:
            _post(base + "/update", b"DROP ALL", "application/sparql-update")
            _post(base + "/store", old_trig, "application/trig")

        update_times, reload_times = [], []
        for _ in range(args.runs):
            reset()
            start = time.perf_counter()
            _post(base + "/update", update, "application/sparql-update")
            update_times.append(time.perf_counter() - start)
            assert _quads(base) == want
            reset()
            start = time.perf_counter()
            _post(base + "/update", b"DROP ALL", "application/sparql-update")
            _post(base + "/store", trig, "application/trig")
            reload_times.append(time.perf_counter() - start)
            assert _quads(base) == want
        applied, reloaded = statistics.median(update_times), statistics.median(reload_times)
        print(
            f"Oxigraph holding OLD -> NEW: SPARQL Update {applied:.3f} s, "
            f"replace everything {reloaded:.3f} s ({reloaded / applied:.1f}x the update)"
        )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
