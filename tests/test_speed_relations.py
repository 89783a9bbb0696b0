"""Fast paths of the relations, phrases and figures: each gives what the slow test gives."""

from __future__ import annotations

import importlib
import random
import re

import pytest

from kg.extract.context import DocContext
from kg.extract.pipeline import Pipeline
from kg.model import Document, Sentence

from .conftest import CORPUS, CORPUS_SUBSET, require_shared


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


def test_item_start_search_finds_every_connector() -> None:
    from kg.extract import phrases

    # the first test of _item_start: a connector it would look for holds a character the
    # search finds
    for conj in phrases._CONJUNCTIONS:
        assert phrases._ANY_CONJUNCTION.search(conj) is not None, conj


def _every_sentence(sentences: list[Sentence], words: object) -> list[Sentence]:
    return list(sentences)


def test_holding_keeps_the_sentences_with_one_of_the_words() -> None:
    from kg.extract.holding import holding

    pieces = ["港", "港口", "《", "试点", "自贸", "区", "，", "。", "a", "任务"]
    rnd = random.Random(3)
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randrange(6))) for _ in range(300)]
    sentences = [Sentence(i, 0, len(t), t, 0, 0) for i, t in enumerate(texts)]
    for words in (["港"], ["港口", "《"], ["试点", "任务", "a"], ["自贸区"], [], ["", "港"]):
        kept = [s for s in sentences if not words or any(w in s.text for w in words)]
        assert holding(sentences, words) == kept, words


def test_with_mentions_keeps_the_sentences_naming_one_of_the_classes(
    pipeline: Pipeline,
) -> None:
    from kg.extract.holding import with_mentions
    from kg.read.documents import read_document

    document = read_document(require_shared(CORPUS / _LONG_NEWS))
    ctx = _context(pipeline, document.text)
    for _, component in pipeline.components:
        component(ctx)
    for classes in ({"Organization"}, {"Initiative"}, {"Country", "Port"}, {"Nothing"}):
        wanted = frozenset(classes)
        naive = [
            s
            for s in ctx.sentences
            if any(m.entity.cls in wanted for m in ctx.mentions_in(s.start, s.end))
        ]
        assert with_mentions(ctx, wanted) == naive, classes
    # sentences that overlap are all read
    first, second = ctx.sentences[:2]
    ctx.sentences[1] = Sentence(second.index, first.end - 1, second.end, "", 0)
    assert with_mentions(ctx, frozenset({"Nothing"})) == ctx.sentences


# The words a sentence (or a clause) must hold for a component to find anything in it, and
# what makes each test pass every sentence: with all of them so, every component reads
# every sentence again, and must find the same.
_SKIPS = (
    ("kg.extract.port_roles", "_PORT", ""),
    ("kg.extract.members", "_LIST_CLOSE", ""),
    ("kg.extract.free_trade_port", "_PORT", ""),
    ("kg.extract.shared_heads", "any_of", lambda words: re.compile("")),
    ("kg.extract.platform_work", "_comma_then", lambda words: re.compile("")),
    ("kg.extract.phrases", "_ANY_CONJUNCTION", re.compile("")),
    ("kg.extract.members", "with_mentions", lambda ctx, classes: list(ctx.sentences)),
    *(
        (f"kg.extract.{module}", "holding", _every_sentence)
        for module in ("entities", "pilots", "titles", "collective", "tasks", "adoption")
    ),
)


# texts where each of the components skipping sentences finds something
_FOUND = {
    "加强天津港、京唐港和黄骅港合作。推动天津港与曹妃甸港联动。": "listed:Port",
    "石家庄市、唐山市人民政府负责组织实施。": "shared:Organization",
    "商务、海关、税务等部门设立自贸试验区工作机构。": "members:partOf",
    "依托边境合作中心、综保区等开放平台，重点发展商贸物流、跨境金融。": "frame:supports",
    "海南省加快建设自由贸易港。自贸港政策红利持续释放。": "zone:document",
    "国务院印发《中国（上海）自由贸易试验区总体方案》。": "issued:authorOf",
}


def _records(pipeline: Pipeline, documents: list[Document]) -> list[str]:
    found = []
    for document in documents:
        ex = pipeline(document)
        found.append(repr((ex.mentions, ex.relations, ex.observations, ex.warnings)))
    return found


def test_sentences_passed_over_hold_nothing_found(
    pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.read.documents import read_document

    paths = [require_shared(CORPUS / name) for name in (_LONG_NEWS, *CORPUS_SUBSET)]
    documents = [read_document(path) for path in paths]
    documents += [Document("t.txt", "t.txt", text, "0", "utf-8") for text in _FOUND]
    fast = _records(pipeline, documents)
    for record, rule in zip(fast[len(paths) :], _FOUND.values(), strict=True):
        assert f"'{rule}'" in record  # the text asks what the test is about
    for module, name, every in _SKIPS:
        monkeypatch.setattr(importlib.import_module(module), name, every)
    assert _records(pipeline, documents) == fast


# the longest news file: most of the words the tests skip on stand in it
_LONG_NEWS = "xinwenlianbo-ftz-items-2022-2026.txt"


def test_country_runs_find_their_tokens_by_bisection(pipeline: Pipeline) -> None:
    from kg.extract import countries

    def among(ctx: DocContext, tokens: list[tuple[int, int]], start: int, end: int) -> bool:
        # the scan by dictionary and search the bisection replaced
        at = {s: i for i, (s, _) in enumerate(tokens)}
        first = next((i for i, (s, _) in enumerate(tokens) if s == start), None)
        last = at.get(end)
        if first is None or last is None:
            return False
        before = after = 0
        while first - before - 1 >= 0 and countries._lone(ctx, tokens[first - before - 1]):
            before += 1
        while last + after < len(tokens) and countries._lone(ctx, tokens[last + after]):
            after += 1
        return before >= 1 and after >= 1 and before + after >= 4

    def single(ctx: DocContext, tokens: list[tuple[int, int]], start: int, end: int) -> bool:
        for i, (s, e) in enumerate(tokens):
            if (s, e) == (start, end) and 0 < i < len(tokens) - 1:
                prev = ctx.text[tokens[i - 1][0] : tokens[i - 1][1]]
                nxt = ctx.text[tokens[i + 1][0] : tokens[i + 1][1]]
                return prev in countries._ABBREVIATION_PREV and nxt.startswith(
                    countries._ABBREVIATION_NEXT
                )
        return False

    rnd = random.Random(11)
    words = ["丁", "薛", "祥", "李", "韩", "中", "俄", "对", "美", "出口", "、", "两国", "和"]
    for _ in range(40):
        text = "".join(rnd.choice(words) for _ in range(rnd.randrange(2, 14)))
        ctx = _context(pipeline, text)
        cuts = sorted({0, len(text), *rnd.sample(range(len(text) + 1), len(text) // 2)})
        tokens = list(zip(cuts[:-1], cuts[1:], strict=True))
        for start in range(len(text) + 1):
            for end in range(start, len(text) + 2):
                found = countries._among_single_characters(ctx, tokens, start, end)
                assert found == among(ctx, tokens, start, end), (text, start, end)
                found = countries._single_abbreviation_ok(ctx, tokens, start, end)
                assert found == single(ctx, tokens, start, end), (text, start, end)


def test_canonical_records_are_built_with_every_field() -> None:
    from dataclasses import fields

    from kg.model import Mention, Relation

    # canonical_entities builds a changed mention or relation by its constructor, field by
    # field in this order: a field added to either must be added there too
    assert [f.name for f in fields(Mention)] == [
        "start",
        "end",
        "entity",
        "surface",
        "sentence",
        "rule",
    ]
    assert [f.name for f in fields(Relation)] == [
        "subject",
        "predicate",
        "object",
        "sentence",
        "rule",
    ]
