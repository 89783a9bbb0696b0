"""Print the dev-set table: each text of ../shared/dev built on its own and scored.

usage: python bench/bench_dev.py [--json]

The same measure as tests/test_dev_scores.py (which asserts the floors), printed as one
table with the per-class recall of core entities, for the README and for tuning.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.test_dev_scores import COLUMNS, DEV, FLOORS, score_text  # noqa: E402


def main() -> None:
    if not (DEV / "score.py").is_file():
        sys.exit("../shared/dev is not present on this machine")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(FLOORS):
            result = score_text(name, Path(tmp) / name)
            rows.append({"text": name, **{k: round(result[k], 3) for k in COLUMNS}})
            rows[-1]["by_class"] = result["core_typed_recall_by_type"]
    if "--json" in sys.argv:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    heads = list(COLUMNS.values())
    print(f"{'text':<10}" + "".join(f"{h:>16}" for h in heads))
    for row in rows:
        values = [row[k] for k in COLUMNS]
        print(f"{row['text']:<10}" + "".join(f"{v:>16.2f}" for v in values))
    means = [sum(r[k] for r in rows) / len(rows) for k in COLUMNS]
    print(f"{'mean':<10}" + "".join(f"{v:>16.2f}" for v in means))


if __name__ == "__main__":
    main()
