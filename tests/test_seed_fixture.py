"""The seed graph against a hand annotation of the seed text (tests/fixtures).

Prints per-class precision and recall (`pytest -s` shows the table) and asserts floors
below which the extractor has regressed.
"""

from __future__ import annotations

from kg.build.result import BuildResult
from kg.rdf.evaluate import evaluate, load_annotation

from .conftest import FIXTURES

CORE = [
    "PilotFreeTradeZone",
    "Area",
    "Port",
    "Country",
    "Sector",
    "ReformTask",
    "TaskField",
    "Initiative",
    "Platform",
]
PRECISION_CLASSES = ["PilotFreeTradeZone", "Area", "Port", "Country", "Sector", "ReformTask"]


def test_seed_annotation_scores(seed_build: BuildResult) -> None:
    result = evaluate(seed_build.graph, load_annotation(FIXTURES / "seed_annotation.json"))
    print("\n" + result.table())
    assert result.entity_recall(CORE) >= 0.95
    assert result.entity_recall() >= 0.9
    assert result.precision(PRECISION_CLASSES) >= 0.9
    assert result.relation_recall >= 0.85
    assert result.observation_recall >= 0.9
