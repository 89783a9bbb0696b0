"""The sector finder's fast paths: each skips only work that would find nothing."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from kg.extract import sectors
from kg.extract.context import DocContext, clauses
from kg.extract.patterns import HeadRule, Patterns
from kg.extract.pipeline import Pipeline
from kg.extract.sector_gate import sector_gate
from kg.read.documents import document_from_bytes

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

# the words near each way an item is found: suffixes and labels, 行业 inside or after an
# item, conjunctions before bare activities, quotation marks, and words that name nothing
_PIECES = (
    "推进", "发展", "培育", "建设", "开展", "设立", "餐饮", "行业", "行", "芯片", "研发",
    "和", "与", "及", "、", "生产", "销售", "制度", "创新", "“", "”", "金融", "业务",
    "产业", "新型", "人民币", "跨境", "枢纽", "的", "等", "领域", "服务", "贸易", "集群",
    "合规", "飞机", "租赁", "总装", "组装", "制造", "离岸", "在岸", "保税", "维修", "内",
    "示范园", "物", "流", "智慧",
)  # fmt: skip


def _synthetic(seed: int, count: int) -> str:
    rnd = random.Random(seed)
    return "。".join(
        "".join(rnd.choice(_PIECES) for _ in range(rnd.randrange(3, 12))) for _ in range(count)
    )


def _context_before_sectors(pipeline: Pipeline, text: str, patterns: Patterns) -> DocContext:
    doc = document_from_bytes(text.encode("utf-8"), name="t.txt", path="t.txt")
    ctx = DocContext(doc, pipeline.lexicon, patterns)
    for name, component in pipeline.components:
        if name == "sectors":
            break
        component(ctx)
    return ctx


def _texts() -> dict[str, str]:
    texts = {f"synthetic-{seed}": _synthetic(seed, 60) for seed in range(6)}
    texts["written"] = (
        "推进餐饮行业发展。推动芯片研发和生产。发展“芯片”制造。建设餐饮行。"
        "开展跨境人民币业务。发展飞机总装组装和制造。培育离岸和在岸贸易。发展物“流”。"
        "建设智慧示范园。发展“金”融。推进电“商”发展。重点发展传感器研发和生产。"
        "推进餐饮行业化。开展跨境融资租赁服务。推动跨境人民币业务创新。开展离岸贸易“免审单”服务。"
    )
    if CORPUS.is_dir():
        texts["zhejiang"] = (CORPUS / "zhejiang-ftz-regulation-2017.txt").read_text("utf-8")[:4000]
    return texts


_TEXTS = _texts()


class _Open:
    """A gate that lets every clause and segment through: the finder as it was without."""

    def segment(self, *args: object) -> bool:
        return True

    def stretches(self, *args: object) -> bool:
        return True


def _wider(patterns: Patterns) -> Patterns:
    """Settings the gate must follow too: trimmed words of one character (行, before 业
    in the text) or that start with 行业 (行业化), a platform's head that no label holds,
    and 服务 no sector's suffix (the enumeration still trims it)."""
    extra = HeadRule("Platform", ("示范园",), "any", False, ())
    return dataclasses.replace(
        patterns,
        sector_trail_words=(*patterns.sector_trail_words, "行", "行业化"),
        heads=(*patterns.heads, extra),
        sector_suffixes=tuple(w for w in patterns.sector_suffixes if w != "服务"),
    )


@pytest.mark.parametrize("wider", [False, True])
@pytest.mark.parametrize("name", _TEXTS)
def test_a_stretch_the_gates_stop_names_no_sector(
    pipeline: Pipeline, name: str, wider: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every stretch of every clause the segment's gate turns away: the enumeration, read
    in full however it is called open, marks nothing; and the clause's gate turns away
    only stretches the segment's gate does."""
    patterns = _wider(pipeline.patterns) if wider else pipeline.patterns
    ctx = _context_before_sectors(pipeline, _TEXTS[name], patterns)
    gate = sector_gate(ctx)
    monkeypatch.setattr(sectors, "sector_gate", lambda ctx: _Open())
    stopped = 0
    for sentence in ctx.sentences:
        for c_start, c_end in clauses(sentence):
            clause = ctx.text[c_start:c_end]
            for i in range(len(clause)):
                for j in range(i + 1, min(len(clause), i + 24) + 1):
                    segment = clause[i:j]
                    if gate.segment(ctx, segment, c_start + j):
                        continue
                    stopped += 1
                    for strict, activities in ((False, False), (True, False), (False, True)):
                        before = len(ctx.mentions)
                        sectors._enumeration(
                            ctx,
                            sentence,
                            segment,
                            c_start + i,
                            closed=False,
                            strict=strict,
                            activities=activities,
                        )
                        assert len(ctx.mentions) == before, (segment, strict, activities)
    assert stopped  # the gate was put to the test


@pytest.mark.parametrize("wider", [False, True])
@pytest.mark.parametrize("name", _TEXTS)
def test_the_clause_gate_stops_only_what_the_segment_gate_does(
    pipeline: Pipeline, name: str, wider: bool
) -> None:
    """A stretch of a clause that the clause's gate turns away, the segment's gate turns
    away too, and so it does the stretches inside it."""
    patterns = _wider(pipeline.patterns) if wider else pipeline.patterns
    ctx = _context_before_sectors(pipeline, _TEXTS[name], patterns)
    gate = sector_gate(ctx)
    for c_start, c_end in (c for sentence in ctx.sentences for c in clauses(sentence)):
        clause = ctx.text[c_start:c_end]
        for i in range(len(clause)):
            for j in range(i + 1, min(len(clause), i + 24) + 1):
                if gate.stretches(ctx, clause[:j], c_start + j, i):
                    continue
                assert not gate.segment(ctx, clause[i:j], c_start + j), clause[i:j]
                inner = gate.stretches(ctx, clause[: j - 1], c_start + j - 1, i)
                assert not inner and not gate.stretches(ctx, clause[:j], c_start + j, i + 1), (
                    clause[i:j]
                )


@pytest.mark.parametrize("wider", [False, True])
@pytest.mark.parametrize("name", _TEXTS)
def test_sectors_are_found_as_without_the_gate(
    pipeline: Pipeline, name: str, wider: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    patterns = _wider(pipeline.patterns) if wider else pipeline.patterns
    fast = _context_before_sectors(pipeline, _TEXTS[name], patterns)
    sectors.find_sectors(fast)
    monkeypatch.setattr(sectors, "sector_gate", lambda ctx: _Open())
    slow = _context_before_sectors(pipeline, _TEXTS[name], patterns)
    sectors.find_sectors(slow)
    assert fast.mentions == slow.mentions


def test_a_sentence_without_a_measure_holds_no_figure_sector() -> None:
    """figure_sectors reads only the sentences _MEASURE finds: every one _HOLDER finds in."""
    from kg.extract.figure_holders import OUTPUT
    from kg.extract.figure_sectors import _FIGURE_VERBS, _HOLDER, _INDUSTRY, _MEASURE, _SCOPES

    sentences = [
        f"{scope}新兴{industry}{output}{verb}百亿元"
        for scope in ("", _SCOPES[0])
        for industry in _INDUSTRY
        for output in OUTPUT
        for verb in _FIGURE_VERBS
    ]
    if CORPUS.is_dir():
        text = (CORPUS / "xinwenlianbo-ftz-items-2022-2026.txt").read_text("utf-8")
        sentences += text.split("。")
    held = 0
    for sentence in sentences:
        if _HOLDER.search(sentence):
            held += 1
            assert _MEASURE.search(sentence), sentence
    assert held > len(_INDUSTRY) * len(OUTPUT)


@pytest.mark.parametrize("name", _TEXTS)
def test_fields_are_found_as_when_every_sentence_is_read(
    pipeline: Pipeline, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """find_fields reads only the sentences a task starts in: it finds what it finds
    reading all of them."""
    from kg.extract import enumerations

    text = _TEXTS[name] + "围绕贸易便利、投资自由、金融开放等3个领域，落实12项改革试点任务。"

    def fields() -> list[object]:
        ctx = _context_before_sectors(pipeline, text, pipeline.patterns)
        for component_name, component in pipeline.components:
            if component_name == "fields":
                component(ctx)
        return [(m.start, m.end, m.entity) for m in ctx.mentions] + list(ctx.relations)

    fast = fields()
    assert any(getattr(r, "predicate", "") == "coversField" for r in fast) or name != "written"
    monkeypatch.setattr(
        enumerations, "_task_sentences", lambda ctx: {s.index for s in ctx.sentences}
    )
    assert fields() == fast
