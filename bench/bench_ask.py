"""Print the share of the question set `ftz-kg ask` answers exactly, per graph and per kind.

usage: python bench/bench_ask.py [--json]

Builds the seed and the fixed corpus subset named in tests/fixtures/questions.toml (the
latter only when ../shared/corpus is present), asks every question and compares its kind and
answer set with the expected ones (kg/ask/evaluate.py; tests/test_ask.py requires all of them).
Also prints the time a question takes, the first one (which reads the graph's names into
the look-up index) and the others, measured in this run.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.ask.evaluate import Outcome, check, load_questions, shares  # noqa: E402
from kg.build import build  # noqa: E402
from kg.build.outputs import store_output  # noqa: E402
from kg.store.embedded import open_store  # noqa: E402
from kg.store.engines import StoreEngine  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "tests" / "fixtures" / "questions.toml"
CORPUS = ROOT.parent / "shared" / "corpus"


def _engine(paths: list[Path], out: Path) -> StoreEngine:
    store_output(build(paths, out, validate=False, outputs=()))
    return StoreEngine(open_store(out))


def main() -> None:
    qs = load_questions(QUESTIONS)
    outcomes: list[Outcome] = []
    timings: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        graphs = {"seed": [ROOT / "seeds"]}
        if CORPUS.is_dir():
            graphs["corpus"] = [CORPUS / f for f in qs.graphs["corpus"]]
        else:
            print(
                "../shared/corpus is not here: the corpus questions are left out", file=sys.stderr
            )
        for name, paths in graphs.items():
            engine = _engine(paths, Path(tmp) / name)
            for question in (q for q in qs.questions if q.graph == name):
                started = time.perf_counter()
                outcomes.append(check(question, engine))
                timings.setdefault(name, []).append(time.perf_counter() - started)
    by_graph, by_kind = shares(outcomes, "graph"), shares(outcomes, "kind")
    exact = sum(o.exact for o in outcomes)
    if "--json" in sys.argv:
        print(
            json.dumps(
                {"exact": exact, "total": len(outcomes), "by_graph": by_graph, "by_kind": by_kind}
            )
        )
        return
    print(f"answered exactly: {exact}/{len(outcomes)} = {exact / len(outcomes):.1%}")
    for title, table in (("graph", by_graph), ("kind", by_kind)):
        print(f"\n{title:<18}{'exact':>7}{'total':>7}{'share':>8}")
        for group, (ok, total) in table.items():
            print(f"{group:<18}{ok:>7}{total:>7}{ok / total:>8.0%}")
    print(f"\n{'graph':<18}{'first (ms)':>12}{'others, median (ms)':>22}")
    for name, times in timings.items():
        rest = sorted(times[1:]) or [0.0]
        print(f"{name:<18}{times[0] * 1000:>12.0f}{rest[len(rest) // 2] * 1000:>22.0f}")
    for o in outcomes:
        if not o.exact:
            got = o.error or f"{o.kind} {sorted(o.answer)}"
            print(f"  not exact: {o.question.q} → {got}", file=sys.stderr)


if __name__ == "__main__":
    main()
