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


def test_sentences_get_the_article_that_holds_their_start() -> None:
    """Given the articles, each sentence has the one its start falls in, as a scan of them
    finds it; the rest of each sentence is what the split without articles gives."""
    from kg.model import ArticleInfo
    from kg.read.segment import split_articles, split_sentences

    rnd = random.Random(5)
    words = ["发展贸易。", "自贸试验区。", "\n", "\n\n", "【新闻】\n", "中" * 50 + "；", " "]
    for _ in range(200):
        text = "".join(rnd.choice(words) for _ in range(rnd.randint(0, 60)))
        found = split_articles(text)
        # and articles out of order or overlapping, which take the scan
        made = [
            ArticleInfo(i, "", a, a + rnd.randint(0, 40))
            for i, a in enumerate(
                sorted(rnd.randrange(len(text) + 1) for _ in range(rnd.randint(0, 4)))
            )
        ]
        for articles in (found, made, made[::-1]):
            plain = split_sentences(text)
            placed = split_sentences(text, articles)
            expected = [
                next((a.index for a in articles if a.start <= s.start < a.end), -1) for s in plain
            ]
            assert [s.article for s in placed] == expected
            assert [(s.index, s.start, s.end, s.text, s.paragraph) for s in placed] == [
                (s.index, s.start, s.end, s.text, s.paragraph) for s in plain
            ]
