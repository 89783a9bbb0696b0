"""Extraction on FTZ texts that are not the seed, against our own annotation of two of them.

The texts are read from ../shared/corpus (skipped when absent); the annotations are in
tests/fixtures/corpus. Run with ``-s`` to see the per-class precision/recall tables.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build
from kg.rdf.evaluate import evaluate, load_annotation

from .conftest import FIXTURES

PLACES = ["PilotFreeTradeZone", "Area", "Port", "Country"]
TEXTS = ["shandong-ftz-regulation-2020", "ftz-official-announcements-xwlb-2022-2026"]


@pytest.mark.parametrize("name", TEXTS)
def test_corpus_text_scores(name: str, corpus: Path, tmp_path: Path) -> None:
    result = build([corpus / f"{name}.txt"], tmp_path, outputs=())
    scores = evaluate(result.graph, load_annotation(FIXTURES / "corpus" / f"{name}.json"))
    print(f"\n{name}\n{scores.table()}")
    assert scores.entity_recall(["PilotFreeTradeZone", "Area"]) >= 0.9
    assert scores.entity_recall(["Country"]) >= 0.9
    assert scores.entity_recall(["Sector"]) >= 0.7
    assert scores.entity_recall() >= 0.85
    assert scores.relation_recall >= 0.6
    assert scores.precision(PLACES) >= 0.9
