"""Fast paths of the relations, phrases and figures: each gives what the slow test gives."""

from __future__ import annotations

import random

from kg.extract.context import DocContext
from kg.extract.pipeline import Pipeline
from kg.model import Document


def _context(pipeline: Pipeline, text: str) -> DocContext:
    return DocContext(
        Document("t.txt", "t.txt", text, "0", "utf-8"), pipeline.lexicon, pipeline.patterns
    )


def _text(pieces: list[str], seed: int, count: int = 600) -> str:
    rnd = random.Random(seed)
    return "".join(rnd.choice(pieces) for _ in range(count))


def test_destination_is_is_destination(pipeline: Pipeline) -> None:
    from kg.extract.context import _DESTINATION_VERBS, is_destination
    from kg.extract.destinations import destination

    # the verbs whole, cut in two, and next to the marks and the words that undo them
    halves = [verb[:1] for verb in _DESTINATION_VERBS] + [verb[1:] for verb in _DESTINATION_VERBS]
    pieces = [*_DESTINATION_VERBS, *halves, "，", "。", "；", "：", "\n", "、", "的", "从"]
    pieces += ["哈萨克斯坦", "欧洲", "中", "班列", "!"]
    for seed in range(3):
        text = _text(pieces, seed)
        ctx = _context(pipeline, text)
        for start in range(len(text) + 1):
            assert destination(ctx, start) == is_destination(ctx, start), (seed, start)
