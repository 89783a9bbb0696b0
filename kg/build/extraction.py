"""The build's extraction step: documents to extraction records, on an engine of
:mod:`kg.build.engine`, through the cache."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..extract.pipeline import Pipeline, default_pipeline
from ..model import Document, Extraction
from ..read.documents import loaded
from . import engine as engines
from .cache import ExtractionCache
from .inputs import read_inputs
from .progress import Progress


def extract_documents(
    documents: Sequence[Document],
    pipeline: Pipeline,
    *,
    engine: str = "auto",
    jobs: int | None = None,
    cache: ExtractionCache | None = None,
    progress: Progress | None = None,
) -> list[Extraction]:
    """Extract ``documents`` (in their order), from ``cache`` where it has them."""
    found: list[Extraction | None] = [cache.get(d) if cache else None for d in documents]
    todo = [i for i, ex in enumerate(found) if ex is None]
    show = progress or Progress(False)
    with show.bar(len(documents), "extracting", initial=len(documents) - len(todo)) as bar:
        if cache is not None and cache.hits:
            bar.set_postfix_str(f"{cache.hits} cached")
        for done in engines.run([documents[i] for i in todo], pipeline, engine=engine, jobs=jobs):
            index = todo[done.index]
            found[index] = done.extraction
            if cache is not None:
                cache.put(documents[index], done.extraction, done.payload)
            bar.update(1)
    return [ex for ex in found if ex is not None]


def extract_paths(
    paths: Sequence[str | Path],
    pipeline: Pipeline | None = None,
    strict: bool = False,
    *,
    engine: str = "serial",
    jobs: int | None = None,
) -> tuple[list[Extraction], list[str]]:
    """Read and extract ``paths`` (no cache); returns the extractions and the warnings."""
    documents, warnings = read_inputs(paths, strict)
    pipe = pipeline or default_pipeline()
    return extract_documents(
        [loaded(d) for d in documents], pipe, engine=engine, jobs=jobs
    ), warnings
