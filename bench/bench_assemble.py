"""Benchmark: the build's stages after the extraction, this tree against another (not a test).

The whole build's time on the corpus is mostly the extraction, which varies by several
seconds from run to run on a shared machine: a change of a second in the drawing, the
graph index or the check is lost in it. This script extracts the inputs once (pickled in
``--work``), then runs builds in fresh processes, this tree and ``--against`` in turns,
each with the extraction replaced by the pickled records (``kg.build.assembly``'s
``extract_documents``): serial, no cache, the full check, no store or maps. It prints the
CPU seconds of the stages (read, draw, of which ``GraphIndex.apply``, validate, write)
per run and their medians.

Usage::

    git worktree add /tmp/before HEAD~3
    python bench/bench_assemble.py --against /tmp/before --repeat 3           # the corpus
    python bench/bench_assemble.py --against /tmp/before --file --repeat 3    # the 750 KB file
"""

from __future__ import annotations

import argparse
import importlib
import json
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ("read", "graph", "apply", "validate", "write", "build")


def _extract(files: list[Path], target: Path) -> None:
    """Extract ``files`` with this tree's pipeline and pickle the records to ``target``."""
    sys.path.insert(0, str(ROOT))
    from kg.extract.pipeline import default_pipeline
    from kg.read.documents import read_document

    pipeline = default_pipeline()
    records = [pipeline(read_document(p)) for p in files]
    target.write_bytes(pickle.dumps({ex.document.path: ex for ex in records}))


def child(records: Path, files: list[str]) -> dict[str, float]:
    """One build with the tree first on ``sys.path`` (the caller's), its extraction replayed;
    CPU seconds (the stage clock reads process time, as ``bench_build.py --cpu`` makes it)."""
    by_path = pickle.loads(records.read_bytes())
    importlib.import_module("kg.build.result").time = types.SimpleNamespace(  # type: ignore[attr-defined]
        perf_counter=time.process_time
    )
    assembly = importlib.import_module("kg.build.assembly")
    assembly.extract_documents = lambda documents, *_a, **_k: [  # type: ignore[attr-defined]
        by_path[d.path] for d in documents
    ]
    from kg.build import build
    from kg.extract.pipeline import default_pipeline
    from kg.rdf.assemble import GraphIndex
    from kg.rdf.graph import load_ontology

    applied: list[float] = []
    apply = GraphIndex.apply

    def timed_apply(self: GraphIndex, *args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return apply(self, *args, **kwargs)
        finally:
            applied.append(time.process_time() - start)

    GraphIndex.apply = timed_apply  # type: ignore[method-assign]
    pipeline = default_pipeline()
    load_ontology()
    start = time.process_time()
    with tempfile.TemporaryDirectory() as out:
        result = build(
            [Path(f) for f in files],
            Path(out) / "out",
            pipeline=pipeline,
            validate=True,
            engine="serial",
            cache=False,
            progress=False,
            outputs=(),
        )
    seconds = time.process_time() - start
    stages = {k: v for k, v in result.timings.items() if k in COLUMNS}
    return {**stages, "apply": sum(applied), "build": seconds}


def _run(tree: Path, records: Path, files: list[str]) -> dict[str, float]:
    code = (
        "import json, sys; from pathlib import Path; "
        f"sys.path.insert(0, {str(tree)!r}); sys.path.insert(1, {str(ROOT / 'bench')!r}); "
        "import bench_assemble as b; "
        f"print(json.dumps(b.child(Path({str(records)!r}), {files!r})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tree, check=False
    )
    if done.returncode != 0:
        sys.exit(f"a build failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--file", action="store_true", help="the 750 KB file alone")
    parser.add_argument("--against", type=Path, required=True, help="the other source tree")
    parser.add_argument("--repeat", type=int, default=3, help="builds per tree, in turns")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from kg.read.documents import DOCUMENT_SUFFIXES

    if args.file:
        files = [args.corpus / "xinwenlianbo-ftz-items-2022-2026.txt"]
    else:
        files = sorted(
            (p for p in args.corpus.rglob("*") if p.suffix.lower() in DOCUMENT_SUFFIXES),
            key=str,
        )
    records = args.work / f"bench-assemble-{'file' if args.file else 'corpus'}.pickle"
    if not records.exists():
        _extract(files, records)
    names = [str(p) for p in files]
    trees = {"before": args.against.resolve(), "after": ROOT}
    runs: dict[str, list[dict[str, float]]] = {label: [] for label in trees}
    print("run     " + "".join(f"{c:>10}" for c in COLUMNS))
    for _ in range(args.repeat):
        for label, tree in trees.items():
            found = _run(tree, records, names)
            runs[label].append(found)
            print(f"{label:<8}" + "".join(f"{found.get(c, 0.0):>10.2f}" for c in COLUMNS))
    for label, found_runs in runs.items():
        medians = [statistics.median(r.get(c, 0.0) for r in found_runs) for c in COLUMNS]
        print(f"{label:<8}" + "".join(f"{m:>10.2f}" for m in medians) + "   (medians)")


if __name__ == "__main__":
    main()
