"""How the per-document step runs: in this process, on a process pool, or on Dask.

Extraction is the only part of a build that is independent per document, and the costly
part of it (the pattern components) is pure Python, so threads would not help:
documents go to worker processes. Every engine runs the same function,
:func:`extract_one`, on the same :class:`~kg.model.Document` records and returns the same
:class:`~kg.model.Extraction` records; the graph is built from them in content-hash order,
so the output does not depend on the engine, the number of workers or the finishing order.

Engines:

``serial``
    in this process, one document after another.
``process``
    a pool of worker processes (all cores by default), forked when that is safe, else
    spawned (:func:`start_method`). Each worker receives the pipeline once, through the
    pool initializer, and loads the word splitter's dictionary (jieba-rs's, built in) once.
    Documents are handed out largest first, one at a time, so one long file does not
    leave the other workers idle at the end.
``dask``
    the same function over a ``dask.bag``: on the Dask cluster of the current
    ``distributed`` client (or ``DASK_SCHEDULER_ADDRESS``) when there is one, else on
    Dask's local process scheduler. Needs the ``dask`` extra.
``auto``
    ``process`` when there are several cores and enough text to repay starting the
    workers (about two seconds), else ``serial``.
"""

from __future__ import annotations

import hashlib
import importlib
import multiprocessing
import os
import pickle
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from ..errors import EngineError
from ..extract.pipeline import Pipeline, default_pipeline
from ..model import Document, Extraction
from ..rdf.gcpause import paused_gc

__all__ = [
    "ENGINES",
    "PARALLEL_MIN_CHARS",
    "Done",
    "default_jobs",
    "extract_one",
    "resolve_engine",
    "run",
    "start_method",
]

ENGINES = ("auto", "serial", "process", "dask")
# Starting a worker costs ~1.7 s (imports, lexicon, jieba dictionary); the extractor reads
# ~70 k characters/s. Below this much text a pool is slower than one process.
PARALLEL_MIN_CHARS = 200_000
_PICKLE = pickle.HIGHEST_PROTOCOL


@dataclass(frozen=True, slots=True)
class Done:
    """One finished document: its position in the input, its extraction and, when it came
    back from another process, the pickled bytes (which the cache stores as they are)."""

    index: int
    extraction: Extraction
    payload: bytes | None = None


def default_jobs() -> int:
    """The number of cores this process may use (respects CPU affinity in containers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def extract_one(document: Document, pipeline: Pipeline | None = None) -> Extraction:
    """The per-document step every engine runs: ``pipeline(document)``.

    With no pipeline it uses one built once per process (a worker's, or the default).
    """
    pipe = pipeline or _process_pipeline()
    try:
        # The components make tens of thousands of small records and no cycles; without
        # the collector's passes over the heap a long document extracts ~15 % faster.
        with paused_gc():
            return pipe(document)
    except Exception as exc:
        exc.add_note(f"while extracting {document.name}")
        raise


def resolve_engine(engine: str, jobs: int, documents: Sequence[Document]) -> str:
    """The engine ``auto`` stands for, given the work; other names are returned as given."""
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine != "auto":
        return engine
    chars = sum(len(doc.text) for doc in documents)
    if jobs > 1 and len(documents) > 1 and chars >= PARALLEL_MIN_CHARS:
        return "process"
    return "serial"


def run(
    documents: Sequence[Document],
    pipeline: Pipeline,
    *,
    engine: str = "auto",
    jobs: int | None = None,
    start_method: str | None = None,
) -> Iterator[Done]:
    """Extract every document; yields :class:`Done` records as they finish (any order).

    ``start_method`` forces how the process engine starts workers (default:
    :func:`start_method`).
    """
    workers = max(1, jobs or default_jobs())
    name = resolve_engine(engine, workers, documents)
    if not documents:
        return iter(())
    if name == "serial":
        return _serial(documents, pipeline)
    if name == "process":
        return _process(documents, pipeline, workers, start_method)
    return _dask(documents, pipeline, workers)


# -- serial ---------------------------------------------------------------------------


def _serial(documents: Sequence[Document], pipeline: Pipeline) -> Iterator[Done]:
    for index, document in enumerate(documents):
        yield Done(index, extract_one(document, pipeline))


# -- worker state (one pipeline per process) ----------------------------------------------

_PIPELINES: dict[str, Pipeline] = {}
# The pipeline a pool of forked workers is started for, by its payload's hash: set in the
# parent while the workers are forked, so that each finds the parent's own object, its
# jieba dictionary and tables loaded, rather than unpickling a copy and loading them again
# (0.4 s a worker, as long as a 750 KB document takes: the two workers' speed-up on the
# corpus was 1.76x for it).
_FORKED: dict[str, Pipeline] = {}


def _process_pipeline() -> Pipeline:
    """The pipeline of this process: the one a pool sent, else the default one."""
    if not _PIPELINES:
        _PIPELINES["default"] = default_pipeline()
    return next(reversed(_PIPELINES.values()))


def _pipeline_from(payload: bytes) -> Pipeline:
    """Unpickle a sent pipeline once per process and load its jieba dictionary."""
    key = _payload_key(payload)
    if key not in _PIPELINES:
        from ..extract.tokens import word_splitter

        pipeline: Pipeline = _FORKED.get(key) or pickle.loads(payload)
        word_splitter(pipeline.lexicon)  # now, not inside the first document's timing
        # Kept for the life of the process, never dropped: the splitter cache is keyed by
        # the lexicon's id(), which a freed lexicon would hand on to the next one. A
        # worker sees one pipeline per lexicon and pattern version, so few ever.
        _PIPELINES[key] = pipeline
    _PIPELINES[key] = _PIPELINES.pop(key)  # the latest one is this process's default
    return _PIPELINES[key]


def _payload_key(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def _pickle_pipeline(pipeline: Pipeline) -> bytes:
    try:
        return pickle.dumps(pipeline, _PICKLE)
    except (pickle.PicklingError, AttributeError, TypeError) as exc:
        raise EngineError(
            f"the pipeline cannot be sent to worker processes ({exc}); define its components "
            "as module-level functions, or use --engine serial"
        ) from exc


# -- process pool ---------------------------------------------------------------------


def _init_worker(payload: bytes) -> None:
    _pipeline_from(payload)


def _extract_task(document: Document) -> bytes:
    # Pickled here, in parallel, so that the parent can store the bytes in the cache as
    # they are instead of pickling every extraction a second time.
    return pickle.dumps(extract_one(document, _process_pipeline()), _PICKLE)


def _largest_first(documents: Sequence[Document]) -> list[int]:
    return sorted(range(len(documents)), key=lambda i: (-len(documents[i].text), i))


def start_method() -> str:
    """``fork`` when this process has a single thread (Linux), else ``spawn``.

    Fork starts workers in milliseconds and, unlike spawn, does not re-run the calling
    script in each worker (spawn needs the ``if __name__ == "__main__":`` guard). But
    forking a process that runs other threads (a Dask client, a Rust thread pool) can
    leave a lock held forever in the child, so then spawn it is. ``/proc/self/task``
    counts every OS thread, not only Python's.
    """
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        try:
            if len(os.listdir("/proc/self/task")) == 1:
                return "fork"
        except OSError:
            pass
    return "spawn"


def _process(
    documents: Sequence[Document], pipeline: Pipeline, workers: int, method: str | None
) -> Iterator[Done]:
    payload = _pickle_pipeline(pipeline)
    method = method or start_method()
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(documents)),
        mp_context=multiprocessing.get_context(method),
        initializer=_init_worker,
        initargs=(payload,),
    )
    try:
        if method == "fork":
            _FORKED[_payload_key(payload)] = pipeline
        try:
            # The pool hands tasks out in submission order: largest first is the classic
            # longest-processing-time schedule (the corpus has one 250 k-character file).
            # The workers are forked as the first tasks are submitted.
            futures: dict[Future[bytes], int] = {
                pool.submit(_extract_task, documents[i]): i for i in _largest_first(documents)
            }
        finally:
            _FORKED.clear()
        for future in as_completed(futures):
            data = future.result()
            yield Done(futures[future], pickle.loads(data), data)
    except BrokenProcessPool as exc:
        raise EngineError(
            "a worker process died during extraction (out of memory?); "
            "build again with fewer --jobs or --engine serial"
        ) from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# -- Dask -----------------------------------------------------------------------------


def _extract_partition(part: list[tuple[int, Document]], payload: bytes) -> list[tuple[int, bytes]]:
    """A Dask task: the per-document step over a few documents."""
    pipeline = _pipeline_from(payload)
    return [(i, pickle.dumps(extract_one(doc, pipeline), _PICKLE)) for i, doc in part]


def _balanced_parts(documents: Sequence[Document], parts: int) -> list[list[tuple[int, Document]]]:
    """Deal the documents, largest first, to ``parts`` lists of about equal text size."""
    out: list[list[tuple[int, Document]]] = [[] for _ in range(parts)]
    sizes = [0] * parts
    for i in _largest_first(documents):
        k = sizes.index(min(sizes))
        out[k].append((i, documents[i]))
        sizes[k] += len(documents[i].text)
    return [p for p in out if p]


def _import(name: str) -> Any:
    # Dask ships no type hints; its modules are used as untyped objects.
    return importlib.import_module(name)


def _dask_client(dask: Any) -> tuple[Any, bool]:
    """The distributed client to run on and whether we opened it (then we close it)."""
    try:
        distributed = _import("distributed")
    except ImportError:
        return None, False
    try:
        return distributed.default_client(), False
    except ValueError:  # no client in this process
        pass
    address = dask.config.get("scheduler-address", None)  # DASK_SCHEDULER_ADDRESS
    if address:
        return distributed.Client(address), True
    return None, False


def _dask(documents: Sequence[Document], pipeline: Pipeline, workers: int) -> Iterator[Done]:
    try:
        dask = _import("dask")
        db = _import("dask.bag")
    except ImportError as exc:
        raise EngineError(
            "--engine dask needs dask, which is not installed; install it "
            "(pip install 'ftz-kg[dask]') or use --engine process"
        ) from exc
    payload = _pickle_pipeline(pipeline)
    client, owned = _dask_client(dask)
    try:
        if client is not None:
            workers = max(1, sum(client.nthreads().values()))
        # A few partitions per worker balance the load; each carries the pipeline (~1 MB)
        # once, where one task per document would send it hundreds of times.
        parts = _balanced_parts(documents, min(len(documents), 4 * workers))
        bag = db.from_sequence(parts, partition_size=1).map(_extract_partition, payload)
        if client is not None:
            distributed = _import("distributed")
            for future in distributed.as_completed(client.compute(bag.to_delayed())):
                for part in future.result():
                    for i, data in part:
                        yield Done(i, pickle.loads(data), data)
        else:
            (results,) = dask.compute(bag, scheduler="processes", num_workers=workers)
            for part in results:
                for i, data in part:
                    yield Done(i, pickle.loads(data), data)
    finally:
        if owned:
            client.close()
