"""The worker processes that run queries for the endpoint: a pool with time and memory limits,
and results streamed from a worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import FtzKgError, QueryError, StoreError
from ..namespaces import FTZ, PROV, RDFS, SKOS
from ..store.outbound import ServicePolicy

STREAM_AFTER = 4 * 1024 * 1024


class QueryTimeout(Exception):
    pass


class WorkerFailed(Exception):
    pass


class PoolBusy(Exception):
    pass


def _vm_size() -> int:
    """This process's virtual memory size in bytes (what RLIMIT_AS bounds)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _cap_memory(megabytes: int) -> None:
    """Let this worker's address space grow by at most ``megabytes`` over what it uses now
    (the open store maps a good deal): a query past it fails here, not the machine."""
    if megabytes <= 0:
        return
    try:
        import resource

        base = _vm_size()
        if not base:
            return
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = base + megabytes * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):  # pragma: no cover - not Linux
        return


def _worker_main(
    conn: Connection,
    out_dir: str,
    allow_service: tuple[str, ...] = (),
    memory_mb: int = 0,
) -> None:
    """Serve requests from the pipe until it closes: one query at a time, store read-only.

    A query's reply is one message, or, for a SELECT result larger than one chunk, a first
    message with ``stream`` set followed by ``chunk`` messages, the last with ``end``.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers
    state = _WorkerState(Path(out_dir), ServicePolicy(allow_service))
    try:
        state.engine()
        _cap_memory(memory_mb)
        conn.send({"status": 200, "ready": True})
    except FtzKgError as exc:
        conn.send({"status": 503, "error": exc.message})
    except Exception as exc:  # pragma: no cover - reported to the parent
        conn.send({"status": 500, "error": f"worker failed to start: {exc}"})
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        retire = False
        try:
            for reply in state.replies(request):
                conn.send(reply)
            continue
        except QueryError as exc:
            reply = {"status": 400, "error": exc.message}
        except StoreError as exc:
            reply = {"status": 503, "error": exc.message}
        except MemoryError:
            reply = {
                "status": 503,
                "error": f"the query needs more memory than a query worker may use ({memory_mb} MB); "
                "make it more specific (LIMIT, bound subjects, no ORDER BY over a large join) "
                "or start the server with a larger --worker-memory",
            }
            retire = True
        except Exception as exc:  # a bug or an I/O error: report it, keep serving
            reply = {"status": 500, "error": f"internal error: {type(exc).__name__}: {exc}"}
        try:
            conn.send({**reply, "retire": retire})
        except (BrokenPipeError, OSError):
            return
        if retire:
            return


class _WorkerState:
    def __init__(self, out_dir: Path, services: ServicePolicy) -> None:
        from ..store.embedded import store_path

        self.path = store_path(out_dir)
        self.out_dir = out_dir
        self.services = services
        self._engine: Any = None
        self._real = ""

    def engine(self) -> Any:
        from ..store.embedded import open_store
        from ..store.engines import StoreEngine

        real = os.path.realpath(self.path)
        if self._engine is None or real != self._real:  # reopen after `ftz-kg build` swapped it
            self._engine = StoreEngine(open_store(self.out_dir), self.services)
            self._real = real
        return self._engine

    def replies(self, request: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        """The messages that answer ``request``: one, or a streamed SELECT result's chunks."""
        if request.get("op") != "query":
            yield self.handle(request)
            return
        from ..store.formats import format_result, media_type, stream_result
        from ..store.results import RowStream

        started = time.perf_counter()
        result = self.engine().stream(
            request["query"],
            max_rows=request.get("max_rows"),
            default_graphs=request.get("default_graphs", ()),
            named_graphs=request.get("named_graphs", ()),
        )
        fmt = request["graph_format"] if result.kind == "graph" else request["results_format"]
        if not isinstance(result, RowStream):
            yield {
                "status": 200,
                "body": format_result(result, fmt),
                "media_type": media_type(result.kind, fmt),
                "rows": len(result),
                "truncated": result.truncated,
                "elapsed_ms": (time.perf_counter() - started) * 1000,
            }
            return
        chunks = stream_result(result, fmt)
        buffered: list[bytes] = []
        size = 0
        pending: bytes | None = None
        for chunk in chunks:  # a result up to stream_after bytes is sent whole, with its count
            if size >= int(request.get("stream_after", STREAM_AFTER)):
                pending = chunk
                break
            buffered.append(chunk)
            size += len(chunk)
        first = b"".join(buffered)
        head = {
            "status": 200,
            "body": first,
            "media_type": media_type("select", fmt),
            "elapsed_ms": (time.perf_counter() - started) * 1000,
        }
        if pending is None:  # the whole result fits in one chunk: one reply, as for ASK
            yield {**head, "rows": result.count, "truncated": result.truncated}
            return
        yield {**head, "stream": True}
        for chunk in chunks:
            yield {"chunk": pending}
            pending = chunk
        yield {"chunk": pending, "end": True, "rows": result.count, "truncated": result.truncated}

    def handle(self, request: Mapping[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        if op == "describe":
            return self._describe(request["iri"])
        if op == "graphs":
            result = self.engine().query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g")
            return {
                "status": 200,
                "graphs": [row[0].value for row in result.rows if row[0] is not None],
            }
        if op == "ping":
            return {"status": 200}
        if op == "ask":
            from .ask import worker_ask

            return worker_ask(self.engine(), dict(request))
        raise QueryError(f"unknown operation {op!r}")

    def _describe(self, iri: str) -> dict[str, Any]:
        engine = self.engine()
        entity = {"entity": ox.NamedNode(iri)}
        graph = engine.query(_DESCRIBE, entity)
        sources = engine.query(_SOURCES, entity)
        return {
            "status": 200,
            "triples": [(t.subject, t.predicate, t.object) for t in graph.triples],
            "sources": [tuple(None if v is None else v.value for v in row) for row in sources.rows],
        }


_DESCRIBE = f"""
CONSTRUCT {{ ?entity ?p ?o . ?o <{SKOS.prefLabel}> ?ol . ?s ?q ?entity . ?s <{SKOS.prefLabel}> ?sl . }}
WHERE {{
  {{ ?entity ?p ?o . FILTER(?p != <{FTZ.mentions}>) OPTIONAL {{ ?o <{SKOS.prefLabel}> ?ol . FILTER(isIRI(?o)) }} }}
  UNION
  {{ ?s ?q ?entity . ?s a/<{RDFS.subClassOf}>* <{FTZ.Entity}> .
     FILTER(?q NOT IN (<{FTZ.mentions}>, <{FTZ.observedEntity}>))
     OPTIONAL {{ ?s <{SKOS.prefLabel}> ?sl }} }}
  UNION
  {{ ?s <{FTZ.observedEntity}> ?entity ; ?q ?entity . OPTIONAL {{ ?s <{SKOS.prefLabel}> ?sl }} }}
}}
"""

_SOURCES = f"""
SELECT DISTINCT ?entity ?sentence ?text ?document WHERE {{
  ?sentence a <{FTZ.Sentence}> ; <{FTZ.mentions}> ?entity ; <{FTZ.text}> ?text ;
            <{PROV.wasDerivedFrom}> ?document .
}} ORDER BY ?document ?sentence LIMIT 20
"""


@dataclass
class _Worker:
    proc: Any
    conn: Connection


class QueryPool:
    """Worker processes that run queries; a query past the timeout has its worker replaced.

    A request waits for a free worker only if fewer than ``max_queue`` are waiting already,
    and for at most ``queue_wait`` seconds; otherwise :class:`PoolBusy` (503, Retry-After).
    Each worker may take ``memory_mb`` MB for a query; one that dies of it is replaced.
    """

    def __init__(
        self,
        out_dir: Path,
        size: int,
        timeout: float,
        allow_service: tuple[str, ...] = (),
        *,
        memory_mb: int = 0,
        max_queue: int | None = None,
        queue_wait: float | None = None,
    ) -> None:
        self.out_dir = out_dir
        self.allow_service = allow_service
        self.size = max(1, size)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.max_queue = self.size * 8 if max_queue is None else max(0, max_queue)
        # long enough for a replaced worker to start (a second or two) even with a short timeout
        self.queue_wait = max(timeout, 10.0) if queue_wait is None else queue_wait
        self.waiting = 0
        self._ctx = multiprocessing.get_context("spawn")
        self._threads = ThreadPoolExecutor(
            max_workers=self.size * 2 + 2, thread_name_prefix="ftz-kg-pool"
        )
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: list[_Worker] = []
        self.ready = 0
        self.startup_error: str | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def busy(self) -> int:
        """Workers running a query (or sending its result) now."""
        return max(0, self.ready - self._idle.qsize())

    def start(self) -> None:
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> None:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=_worker_main,
            args=(child, str(self.out_dir), self.allow_service, self.memory_mb),
            daemon=True,
        )
        proc.start()
        child.close()
        worker = _Worker(proc, parent)
        self._workers.append(worker)
        task = asyncio.get_running_loop().create_task(self._await_ready(worker))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _await_ready(self, worker: _Worker) -> None:
        loop = asyncio.get_running_loop()
        try:
            reply = await loop.run_in_executor(self._threads, _recv, worker, 120.0)
        except (QueryTimeout, WorkerFailed):
            self._discard(worker)
            return
        if reply.get("status") != 200:
            self.startup_error = str(reply.get("error"))
            self._discard(worker)
            return
        self.ready += 1
        self._idle.put_nowait(worker)

    def _discard(self, worker: _Worker) -> None:
        with contextlib.suppress(Exception):
            worker.proc.kill()
        with contextlib.suppress(Exception):
            worker.conn.close()
        if worker in self._workers:
            self._workers.remove(worker)

    async def _checkout(self) -> _Worker:
        if not self._idle.empty():
            return self._idle.get_nowait()
        if self.waiting >= self.max_queue:
            raise PoolBusy(
                f"all {self.size} query workers are busy and {self.waiting} requests are waiting"
            )
        self.waiting += 1
        try:
            return await asyncio.wait_for(self._idle.get(), timeout=self.queue_wait)
        except TimeoutError as exc:
            raise PoolBusy(f"no query worker became free within {self.queue_wait:g} s") from exc
        finally:
            self.waiting -= 1

    async def call(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run ``request`` on a worker. A streamed result's reply carries ``chunks``, an
        async iterator of the rest of the body that frees the worker when it is done."""
        if self.startup_error and self.ready == 0:
            raise StoreError(self.startup_error)
        worker = await self._checkout()
        loop = asyncio.get_running_loop()
        pending = loop.run_in_executor(self._threads, _ask, worker, request, self.timeout)
        try:
            reply: dict[str, Any] = await asyncio.shield(pending)
        except asyncio.CancelledError:  # the client went away: settle the worker when it answers
            pending.add_done_callback(lambda done: self._settle(worker, done))
            raise
        except (QueryTimeout, WorkerFailed) as exc:
            self._replace(worker)
            raise exc
        if reply.get("stream"):
            reply["chunks"] = ResultStream(self, worker, reply["body"])
        elif reply.get("retire"):
            self._replace(worker)
        else:
            self._idle.put_nowait(worker)
        return reply

    def _settle(self, worker: _Worker, done: asyncio.Future[dict[str, Any]]) -> None:
        if done.cancelled() or done.exception() is not None:
            self._replace(worker)
        elif done.result().get("stream") or done.result().get("retire"):
            self._replace(worker)  # nobody reads the rest of the result
        else:
            self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker that overran or died, and start a fresh one in its place."""
        if worker not in self._workers:
            return
        self.ready -= 1
        self._threads.submit(_kill, worker)
        self._workers.remove(worker)
        self._spawn()

    def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for worker in self._workers:
            self._discard(worker)
        self._workers.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)


class ResultStream:
    """The body of a streamed result: the first piece, then the worker's chunks as they come.

    The worker goes back to the pool once the last chunk has come; if the stream breaks
    off (the client went away, the worker timed out or died) or is dropped unread, the
    worker, still busy with the rest, is replaced.
    """

    def __init__(self, pool: QueryPool, worker: _Worker, first: bytes) -> None:
        self._pool = pool
        self._worker = worker
        self._first: bytes | None = first
        self._settled = False

    def __aiter__(self) -> ResultStream:
        return self

    async def __anext__(self) -> bytes:
        if self._settled:
            raise StopAsyncIteration
        if self._first is not None:
            first, self._first = self._first, None
            return first
        loop = asyncio.get_running_loop()
        try:
            message = await loop.run_in_executor(
                self._pool._threads, _recv, self._worker, self._pool.timeout
            )
        except (QueryTimeout, WorkerFailed) as exc:
            _log.warning("a streamed result broke off: %s", exc)
            self._settle(finished=False)
            raise StopAsyncIteration from exc
        except BaseException:  # cancelled: the client went away
            self._settle(finished=False)
            raise
        if "error" in message:  # failed mid-result: the body ends here
            _log.warning("a streamed result broke off: %s", message["error"])
            self._settle(finished=not message.get("retire"))
            raise StopAsyncIteration
        if message.get("end"):
            self._settle(finished=True)
        chunk: bytes = message["chunk"]
        return chunk

    def _settle(self, finished: bool) -> None:
        if self._settled:
            return
        self._settled = True
        if finished:
            self._pool._idle.put_nowait(self._worker)
        else:
            self._pool._replace(self._worker)

    async def aclose(self) -> None:
        self._settle(finished=False)

    def __del__(self) -> None:  # dropped unread (the response never started)
        if not self._settled:
            with contextlib.suppress(Exception):
                self._settle(finished=False)


_log = logging.getLogger("ftz_kg.server")


def _ask(worker: _Worker, request: dict[str, Any], timeout: float) -> dict[str, Any]:
    try:
        worker.conn.send(request)
    except OSError as exc:
        raise WorkerFailed(f"the query worker stopped ({exc})") from exc
    return _recv(worker, timeout)


def _recv(worker: _Worker, timeout: float) -> dict[str, Any]:
    try:
        if not worker.conn.poll(timeout):
            raise QueryTimeout(f"no answer within {timeout:g} s")
        reply: dict[str, Any] = worker.conn.recv()
        return reply
    except (EOFError, OSError) as exc:
        raise WorkerFailed(_death(worker, exc)) from exc


def _death(worker: _Worker, exc: BaseException) -> str:
    """Why a worker stopped, in words: most often a query that wanted too much memory."""
    import signal

    with contextlib.suppress(Exception):
        worker.proc.join(2)
    code = worker.proc.exitcode
    if code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
        return (
            f"the query worker stopped ({signal.Signals(-code).name}), most likely because the "
            "query needed more memory than a worker may use (--worker-memory); make it more "
            "specific (LIMIT, bound subjects, no ORDER BY over a large join)"
        )
    return f"the query worker stopped ({exc or 'exit code ' + str(code)})"


def _kill(worker: _Worker) -> None:
    with contextlib.suppress(Exception):
        worker.proc.kill()
        worker.proc.join(5)
    worker.conn.close()
