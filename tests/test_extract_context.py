"""The components' shared look-ups (kg.extract.context): mentions by range, clauses."""

from __future__ import annotations

import random

from kg.extract.context import (
    _DESTINATION_VERBS,
    DocContext,
    clauses,
    in_order,
    is_destination,
)
from kg.extract.pipeline import Pipeline
from kg.model import Entity, Mention, Sentence
from kg.read.documents import document_from_bytes

TEXT = "支持发展跨境电商，培育数字贸易；建设海关监管平台。"


def _context(pipeline: Pipeline) -> tuple[DocContext, Sentence]:
    doc = document_from_bytes(TEXT.encode("utf-8"), name="ctx.txt", path="ctx.txt")
    ctx = DocContext(doc, pipeline.lexicon, pipeline.patterns)
    sentence = Sentence(0, 0, len(TEXT), TEXT, 0)
    ctx.sentences = [sentence]
    return ctx, sentence


def test_a_range_asked_again_sees_the_mentions_added_since(pipeline: Pipeline) -> None:
    ctx, sentence = _context(pipeline)
    trade = ctx.add_mention(12, 16, Entity("Sector", "数字贸易"), sentence, "test")
    assert ctx.mentions_in(0, len(TEXT)) == [trade]
    ecommerce = ctx.add_mention(4, 8, Entity("Sector", "跨境电商"), sentence, "test")
    assert ctx.mentions_in(0, len(TEXT)) == [ecommerce, trade]
    assert ctx.mentions_in(0, 8) == [ecommerce]  # ends inside the range only


def test_a_replaced_list_of_mentions_is_read_afresh(pipeline: Pipeline) -> None:
    ctx, sentence = _context(pipeline)
    ecommerce = ctx.add_mention(4, 8, Entity("Sector", "跨境电商"), sentence, "test")
    ctx.add_mention(12, 16, Entity("Sector", "数字贸易"), sentence, "test")
    assert len(ctx.mentions_in(0, len(TEXT))) == 2
    ctx.mentions = [ecommerce]  # as resolve_overlaps does
    assert ctx.mentions_in(0, len(TEXT)) == [ecommerce]
    # another list of the same length: read afresh too
    platform = Mention(18, 24, Entity("Platform", "海关监管平台"), "海关监管平台", 0, "test")
    ctx.mentions = [platform]
    assert ctx.mentions_in(0, len(TEXT)) == [platform]


def test_what_a_caller_does_to_its_answer_changes_no_later_one(pipeline: Pipeline) -> None:
    ctx, sentence = _context(pipeline)
    ctx.add_mention(4, 8, Entity("Sector", "跨境电商"), sentence, "test")
    first = ctx.mentions_in(0, len(TEXT))
    first.clear()
    assert len(ctx.mentions_in(0, len(TEXT))) == 1


def test_the_mentions_in_order_are_the_mentions_sorted(pipeline: Pipeline) -> None:
    """As the mentions are added, replaced and asked for by range in any order, the
    index's order is ``in_order`` of the list, object for object (equal mentions too)."""
    ctx, sentence = _context(pipeline)
    rnd = random.Random(3)
    entities = [
        Entity("Sector", "跨境电商"),
        Entity("Sector", "数字贸易"),
        Entity("Region", "海关"),
    ]
    for step in range(400):
        start = rnd.randrange(len(TEXT))
        end = min(len(TEXT), start + rnd.randrange(1, 6))
        ctx.add_mention(start, end, rnd.choice(entities), sentence, rnd.choice("ab"))
        if step % 7 == 0:
            ctx.mentions_in(rnd.randrange(len(TEXT)), len(TEXT))
        if step % 50 == 49:  # replaced as a whole, as resolve_overlaps does
            ctx.mentions = [m for m in ctx.mentions if rnd.random() < 0.8]
        if step % 30 == 29:  # sorted in place, as the figures' sectors do
            ctx.sort_mentions()
            assert ctx.mentions == in_order(ctx.mentions)
        if step % 5 == 0:
            ordered = ctx.mentions_in_order()
            expected = in_order(ctx.mentions)
            assert len(ordered) == len(expected)
            assert all(a is b for a, b in zip(ordered, expected, strict=True))
    ctx.mentions_in_order().clear()  # the caller's own list
    assert ctx.mentions_in_order() == in_order(ctx.mentions)


def test_clauses_are_the_spans_between_clause_marks(pipeline: Pipeline) -> None:
    _ctx, sentence = _context(pipeline)
    spans = [TEXT[a:b] for a, b in clauses(sentence)]
    assert spans == ["支持发展跨境电商", "培育数字贸易", "建设海关监管平台"]
    later = Sentence(1, 100, 100 + len(TEXT), TEXT, 1)  # the same words elsewhere
    assert list(clauses(later))[0] == (100, 108)


def test_the_document_look_ups_agree_with_searching_the_text(pipeline: Pipeline) -> None:
    """last_mark_before, mark_between and find answer from places listed once per document
    what searching the text from each place answers."""
    rng = random.Random(7)
    alphabet = "发往开往的从，。：\n自贸试验区企业"
    for _ in range(40):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        doc = document_from_bytes(text.encode("utf-8") or b" ", name="r.txt", path="r.txt")
        ctx = DocContext(doc, pipeline.lexicon, pipeline.patterns)
        text = ctx.text  # as normalised
        for _ in range(30):
            a, b = sorted(rng.randint(0, len(text) + 2) for _ in range(2))
            last = max(text.rfind(mark, 0, b) for mark in "，；。：\n")
            assert ctx.last_mark_before("，；。：\n", b) == last
            assert ctx.mark_between("的从", a, b) == any(c in "的从" for c in text[a:b])
            for word in ("发往", "企业", "往开往", "区"):
                assert ctx.find(word, a, b) == text.find(word, a, b), (text, word, a, b)


def test_a_long_text_without_marks_is_read_once(pipeline: Pipeline) -> None:
    """is_destination looks back to the clause's start, the document's when it has no
    marks: the clause is found from the marks' places, not by reading back."""
    doc = document_from_bytes(("自贸试验区" * 2000).encode("utf-8"), name="l.txt", path="l.txt")
    ctx = DocContext(doc, pipeline.lexicon, pipeline.patterns)
    assert not is_destination(ctx, len(ctx.text) - 1)
    # the places of every verb of going and of the marks, each listed once
    assert set(ctx._words) == set(_DESTINATION_VERBS)
    assert ctx.find("开往", 0, len(ctx.text)) == -1
