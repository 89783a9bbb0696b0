"""Score the graph on corpus texts the project annotated itself, beside the dev table.

usage: python bench/bench_annotated.py [--json]

``bench/gold/`` holds annotations of four regulations of ``../shared/corpus`` (山东, 重庆,
浙江, 上海) and of six 《新闻联播》 items of its news file, made from the text alone, without
looking at the graph, by the conventions of ``../shared/dev/README.md`` (the dev set's
annotator is another person: these measure how the rules carry to texts and annotators
they were not tuned on, not a second dev set). Each gold names its text in ``source``: a
file of the corpus, or one item of a news file by its header line (the item runs to its
``[查看原文]`` line). Each text is built on its own and scored by ``../shared/dev/score.py``.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.build import build  # noqa: E402
from tests.test_dev_scores import COLUMNS, DEV, _scorer  # noqa: E402

GOLD = Path(__file__).resolve().parent / "gold"
CORPUS = DEV.parent / "corpus"
EXTRA = {"fact_value_recall": "facts"}


def source_text(source: dict[str, str]) -> str:
    """The text a gold annotates: a corpus file, or one news item of it."""
    text = (CORPUS / source["file"]).read_text(encoding="utf-8")
    if "item" not in source:
        return text
    start = text.index(source["item"] + "\n")
    end = text.index("\n", text.index("[查看原文]", start))
    return text[start : end + 1]


def score(gold: Path, out: Path) -> dict[str, Any]:
    data = json.loads(gold.read_text(encoding="utf-8"))
    out.mkdir(parents=True)
    text = out / (gold.stem.removeprefix("gold-") + ".txt")
    text.write_text(source_text(data["source"]), encoding="utf-8")
    build([text], out / "graph", outputs=())
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        _scorer().main(["score.py", str(out / "graph" / "kg.ttl"), str(gold), "--json"])
    result: dict[str, Any] = json.loads(printed.getvalue())
    return result


def main() -> None:
    if not (DEV / "score.py").is_file() or not CORPUS.is_dir():
        sys.exit("../shared/dev and ../shared/corpus are not present on this machine")
    columns = {**COLUMNS, **EXTRA}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for gold in sorted(GOLD.glob("gold-*.json")):
            result = score(gold, Path(tmp) / gold.stem)
            name = gold.stem.removeprefix("gold-")
            rows.append({"text": name, **{k: result.get(k) for k in columns}})
    if "--json" in sys.argv:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    print(f"{'text':<10}" + "".join(f"{h:>16}" for h in columns.values()))
    for row in rows:
        cells = ["" if row[k] is None else f"{row[k]:.2f}" for k in columns]
        print(f"{row['text']:<10}" + "".join(f"{c:>16}" for c in cells))


if __name__ == "__main__":
    main()
