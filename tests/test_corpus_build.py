"""The whole ../shared/corpus: it builds, validates, and rebuilds incrementally.

One full build (about a minute on two cores) is shared by the tests of this module; it
skips when the corpus is not on this machine. Deselect with ``-m "not slow"``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build
from kg.build.checks import validate_knowledge
from kg.build.result import BuildResult
from kg.extract.pipeline import Pipeline
from kg.rdf.graph import DEFAULT_GRAPH, load_ontology
from kg.read.documents import DOCUMENT_SUFFIXES

from .conftest import SEED_FILE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corpus-out")


@pytest.fixture(scope="module")
def corpus_build(corpus: Path, corpus_out: Path) -> BuildResult:
    # Validation is checked on its own below, so that the other checks still run (and
    # say something) when the graph has a violation.
    return build([corpus], corpus_out, validate=False, cache=True, outputs=())


def test_every_corpus_file_is_read_into_its_own_named_graph(
    corpus: Path, corpus_build: BuildResult
) -> None:
    files = [p for p in corpus.rglob("*") if p.is_file() and p.suffix in DOCUMENT_SUFFIXES]
    assert corpus_build.documents == len(files) >= 490
    assert corpus_build.warnings == []
    named = [g for g in corpus_build.knowledge.graphs if g != DEFAULT_GRAPH]
    assert len(named) == len(files)
    assert (corpus_build.extracted, corpus_build.cached) == (len(files), 0)


def test_corpus_graph_conforms_to_the_shapes(corpus_build: BuildResult) -> None:
    report, note = validate_knowledge(corpus_build.knowledge, load_ontology())
    assert note == "", "the whole corpus graph is checked, never a sample"
    assert report.conforms, report.summary()


def test_worker_extractions_equal_in_process_ones(
    corpus_build: BuildResult, pipeline: Pipeline
) -> None:
    # The build ran on a process pool; the same documents extracted here must agree.
    extractions = corpus_build.extractions
    for extraction in extractions[:: max(1, len(extractions) // 6)]:
        assert pipeline(extraction.document) == extraction, extraction.document.name


def test_unchanged_rebuild_does_nothing(
    corpus: Path, corpus_out: Path, corpus_build: BuildResult
) -> None:
    again = build([corpus], corpus_out, validate=False, cache=True, outputs=())
    assert again.up_to_date and again.written == []
    assert again.stats == corpus_build.stats


def test_one_added_document_is_the_only_one_extracted(
    corpus: Path, corpus_out: Path, corpus_build: BuildResult, tmp_path: Path
) -> None:
    extra = tmp_path / "extra" / "added-seed.txt"
    extra.parent.mkdir()
    extra.write_bytes(SEED_FILE.read_bytes())
    result = build([corpus, extra.parent], corpus_out, validate=False, cache=True, outputs=())
    assert (result.extracted, result.cached) == (1, corpus_build.documents)
    assert result.documents == corpus_build.documents + 1
    # Only that document's graph was drawn; the others were copied from the previous files.
    assert result.assembly is not None and not result.assembly.full
    assert len(result.assembly.added) == 1 and result.assembly.removed == []
    assert result.stats.triples > corpus_build.stats.triples
