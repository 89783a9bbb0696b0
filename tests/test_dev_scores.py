"""The extractor measured as users judge it: four real FTZ regulations against careful gold.

Each text of ``../shared/dev`` is built on its own and scored by the scorer that ships with
it (``score.py``: label as written, class, relation). The floors are what the extractor
reached when they were set; they may only rise. Run with ``-s`` to see the table, or
``python bench/bench_dev.py``. Skipped when ``../shared/dev`` is absent.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from kg.build import build

from .conftest import ROOT, require_shared

DEV = ROOT.parent / "shared" / "dev"
COLUMNS = {
    "entity_typed_recall_core": "core typed",
    "entity_recall_all": "all",
    "core_type_precision": "precision",
    "relation_recall": "relations",
    # the relation with the annotated property: "relations" also counts two entities that
    # only share the document that mentions both
    "relation_typed_recall": "typed relations",
}
# text -> column -> floor (what was reached; raise them when the extractor improves)
FLOORS: dict[str, dict[str, float]] = {
    "hubei": {
        "entity_typed_recall_core": 0.98,
        "entity_recall_all": 0.96,
        "core_type_precision": 0.94,
        "relation_recall": 0.95,
        "relation_typed_recall": 0.92,
    },
    "liaoning": {
        "entity_typed_recall_core": 0.99,
        "entity_recall_all": 0.955,
        "core_type_precision": 0.90,
        "relation_recall": 0.95,
        "relation_typed_recall": 0.90,
    },
    "sichuan": {
        "entity_typed_recall_core": 0.955,
        "entity_recall_all": 0.89,
        "core_type_precision": 0.99,
        "relation_recall": 0.88,
        "relation_typed_recall": 0.82,
    },
    "tianjin": {
        "entity_typed_recall_core": 0.99,
        "entity_recall_all": 0.97,
        "core_type_precision": 0.84,
        "relation_recall": 0.97,
        "relation_typed_recall": 0.89,
    },
}


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ftz_dev_score", DEV / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_text(name: str, out: Path) -> dict[str, Any]:
    """Build ``../shared/dev/<name>-*.txt`` into ``out`` and score it against its gold."""
    text = next(DEV.glob(f"{name}-*.txt"))
    build([text], out, outputs=())
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        _scorer().main(["score.py", str(out / "kg.ttl"), str(DEV / f"gold-{name}.json"), "--json"])
    result: dict[str, Any] = json.loads(printed.getvalue())
    return result


@pytest.fixture(scope="module")
def dev() -> Path:
    require_shared(DEV / "score.py")
    return DEV


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_dev_text_scores_hold_their_floors(dev: Path, name: str, tmp_path: Path) -> None:
    result = score_text(name, tmp_path)
    row = "  ".join(f"{label} {result[key]:.2f}" for key, label in COLUMNS.items())
    print(f"\n{name}: {row}")
    below = {
        key: (round(result[key], 3), floor)
        for key, floor in FLOORS[name].items()
        if result[key] + 1e-9 < floor
    }
    assert not below, f"{name} fell below its floors (got, floor): {below}"
