"""The sentence splitter's fast path: a short line is split as the full rules split it."""

from __future__ import annotations

import random

from kg.read.segment import _marked_spans, _sentence_spans, _split_long


def test_lines_are_split_as_by_every_rule() -> None:
    pieces = ["发展", "贸易", "。", "！", "?", "”", "）", "；", "，", " ", "a" * 40, "中" * 120]
    rnd = random.Random(9)
    lines = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30))) for _ in range(3000)]
    # a sentence just short of, at and just past the length that splits it at ；
    lines += ["中" * (n - 10) + "；" + "中" * 9 for n in range(280, 320)]
    lines += [" " + "中" * (n - 10) + "；" + "中" * 7 + "。 " for n in range(280, 320)]
    for line in lines:
        assert _sentence_spans(line) == _split_long(line, _marked_spans(line)), line
