"""Speed-ups that must not change what is extracted: each fast path equals the slow one."""

from __future__ import annotations

from kg.extract.pipeline import Pipeline
from kg.extract.wordtags import word_tags as _word_tags


def test_word_tags_are_posseg_word_tags() -> None:
    import jieba.posseg

    jieba.posseg.initialize()
    assert _word_tags() == jieba.posseg.dt.word_tag_tab


def test_clause_start_is_the_last_mark_before_the_position(pipeline: Pipeline) -> None:
    import random

    from kg.extract.context import DocContext
    from kg.extract.topic_ends import CLAUSE_MARKS, clause_start
    from kg.model import Document

    # long stretches without a mark and rare marks (!, ;) at every distance from the window
    pieces = ["发展", "贸易", "\n", "。", "，", "!", ";", "a" * 70, "中" * 130, "：", "，" * 2]
    rnd = random.Random(7)
    text = "".join(rnd.choice(pieces) for _ in range(400))
    ctx = DocContext(
        Document("t.txt", "t.txt", text, "0", "utf-8"), pipeline.lexicon, pipeline.patterns
    )
    for pos in range(len(text) + 2):
        for floor in (0, max(0, pos - 65), max(0, pos - 3), pos, pos + 1):
            last = max(text.rfind(mark, floor, pos) for mark in CLAUSE_MARKS + "\n")
            assert clause_start(ctx, pos, floor) == max(floor, last + 1), (pos, floor)


def test_by_identity_tells_apart_arguments_made_one_after_another() -> None:
    from kg.extract.memo import by_identity

    calls = [0]

    @by_identity
    def first(items: tuple[int, ...], more: tuple[int, ...] = ()) -> int:
        calls[0] += 1
        return items[0] + sum(more)

    # each tuple is freed after its call unless the memo keeps it: a freed tuple's id is
    # the next one's, and a memo of ids alone would answer with the previous value
    for i in range(100):
        assert first(tuple([i])) == i
        assert first(tuple([i]), (1,)) == i + 1
    kept = (5, 6)
    calls[0] = 0
    assert first(kept) == first(kept) == 5
    assert calls[0] == 1


def test_coverage_overlaps_as_the_spans_compared_one_by_one() -> None:
    import random

    from kg.extract.context import Coverage

    rnd = random.Random(11)
    spans = [(a, a + rnd.randrange(0, 6)) for a in (rnd.randrange(0, 300) for _ in range(40))]
    coverage = Coverage(spans)
    for start in range(-3, 310):
        for end in (start - 1, start, start + 1, start + 2, start + 7):
            naive = any(a < end and start < b for a, b in spans)
            assert coverage.overlaps(start, end) == naive, (start, end)
