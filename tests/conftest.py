"""Shared fixtures: the seed graph is built once per session into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import BuildResult, build
from kg.extract.pipeline import Pipeline, default_pipeline

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILE = SEEDS / "000_feab58405e0196af.txt"
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return default_pipeline()


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    out = tmp_path_factory.mktemp("seed-out")
    return build([SEEDS], out)


@pytest.fixture()
def extract(pipeline: Pipeline):  # type: ignore[no-untyped-def]
    """Extract from a snippet of text: ``extract("……")`` → Extraction."""
    from kg.reader import document_from_bytes

    def run(text: str):  # type: ignore[no-untyped-def]
        doc = document_from_bytes(text.encode("utf-8"), name="snippet.txt", path="snippet.txt")
        return pipeline(doc)

    return run


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present on this machine")
    return CORPUS
