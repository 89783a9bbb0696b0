"""``ftz-kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the embedded store.

Routes:

* ``/sparql``: the SPARQL 1.1 Protocol (GET ``?query=``, POST form-encoded or
  ``application/sparql-query``), with content negotiation (JSON, XML, CSV, TSV for
  SELECT/ASK; Turtle, N-Triples, RDF/XML, JSON-LD for CONSTRUCT/DESCRIBE; ``format=``
  overrides ``Accept``), CORS, and the SPARQL service description when called without a
  query. Updates are refused with 403; a request with both query= and update= is a 400.
* ``/``: a query editor (YASGUI, served from ``kg/static``) with the saved queries to
  pick from, download links and links to the files of the build (relation map, graphs).
* ``/id/…``: entity IRIs resolve, as HTML for a browser or RDF for ``Accept: text/turtle``.
* ``/api/queries``: the saved queries as JSON; ``/health``: liveness and store facts.

Queries run in a pool of worker processes, each with the store open read-only. A query
that runs longer than the timeout has its worker killed and replaced (pyoxigraph cannot
cancel a query in process), so the timeout really stops the work; a worker may take
``--worker-memory`` MB for a query (RLIMIT_AS over what the open store maps), and one that
dies of it is replaced too. A request waits for a busy pool only if fewer than ``--queue``
wait already, and at most ``--queue-wait`` seconds: otherwise 503 with Retry-After at once.
Results longer than the row cap are cut and flagged with ``X-SPARQL-MaxRows`` and
``X-FTZ-Truncated`` headers; a SELECT result over 4 MB is streamed from the worker as it is
produced (``X-FTZ-Streamed: true``, no count header).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import html
import json
import logging
import multiprocessing
import os
import re
import time
import urllib.parse
from collections.abc import AsyncIterator, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import VOID
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import EndpointError, FtzKgError, QueryError, StoreError
from ..namespaces import DCTERMS, FTZ, ID, PREFIXES, PROV, RDF, RDFS, SKOS, bind_prefixes
from ..resources import static_file
from ..store.outbound import ServicePolicy
from ..store.saved_queries import SavedQuery, list_queries, load_query
from .ask import ask_endpoint

__all__ = ["ServerConfig", "QueryPool", "create_app", "serve"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")

_RESULT_FORMATS = [
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
]
_GRAPH_FORMATS = ["Turtle", "N-Triples", "RDF_XML", "JSON-LD"]
# ``format=`` / ``output=`` values (Virtuoso, Fuseki and SPARQLWrapper send them) by kind of result
_RESULTS_SHORT = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}
_GRAPH_SHORT = {
    "ttl": "ttl",
    "turtle": "ttl",
    "n3": "ttl",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "xml": "xml",
    "rdf": "xml",
    "rdf+xml": "xml",
    "json": "json",
    "json-ld": "json",
    "jsonld": "json",
}
_SERVED_SUFFIXES = {
    ".html",
    ".js",
    ".css",
    ".json",
    ".svg",
    ".png",
    ".ttl",
    ".trig",
    ".nt",
    ".nq",
    ".jsonld",
    ".rdf",
    ".graphml",
    ".gexf",
    ".csv",
}
_EXPOSED = [
    "X-FTZ-Result-Count",
    "X-FTZ-Truncated",
    "X-FTZ-Streamed",
    "X-SPARQL-MaxRows",
    "X-FTZ-Elapsed-Ms",
]


@dataclass(frozen=True)
class ServerConfig:
    """How ``ftz-kg serve`` runs; every limit is configurable on the command line."""

    out_dir: Path = Path("out")
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0
    max_rows: int = 10_000
    workers: int = 4
    cors_origins: tuple[str, ...] = ("*",)
    # endpoints a query's SERVICE may call; none, so that no web page can make the server fetch
    allow_service: tuple[str, ...] = ()
    max_query_bytes: int = 1_000_000
    log_level: str = "info"
    # a SELECT result larger than this (bytes) is streamed as it is produced, without a count
    stream_after: int = 4 * 1024 * 1024
    # MB of memory one query may take in a worker (over what the open store uses); 0: no cap
    worker_memory: int = 2048
    # requests that may wait for a busy worker (None: 8 per worker), and how long (None: timeout, >= 10 s)
    max_queue: int | None = None
    queue_wait: float | None = None


# -- the worker processes ------------------------------------------------------------------


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


# -- the HTTP side -------------------------------------------------------------------------


def _text(status: int, message: str, headers: Mapping[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(
        message.rstrip() + "\n", status_code=status, headers=dict(headers or {})
    )


def _form(body: bytes) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError as exc:
        raise QueryError("the request body is not UTF-8") from exc


class _App:
    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.pool = QueryPool(
            config.out_dir,
            config.workers,
            config.timeout,
            config.allow_service,
            memory_mb=config.worker_memory,
            max_queue=config.max_queue,
            queue_wait=config.queue_wait,
        )

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self.pool.start()
        try:
            yield
        finally:
            self.pool.close()

    # /sparql --------------------------------------------------------------------------
    async def sparql(self, request: Request) -> Response:
        from ..store.engines import graph_names
        from ..store.formats import negotiate
        from ..store.query_text import check_query_size, query_form

        params: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            params.setdefault(key, []).append(value)
        query: str | None = None
        if request.method == "POST":
            body = await request.body()
            if len(body) > self.config.max_query_bytes:
                return _text(413, f"the request is larger than {self.config.max_query_bytes} bytes")
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return self._read_only()
            if ctype == "application/x-www-form-urlencoded":
                try:
                    for key, values in _form(body).items():
                        params.setdefault(key, []).extend(values)
                except QueryError as exc:
                    return _text(400, exc.message)
            elif ctype == "application/sparql-query":
                try:
                    query = body.decode("utf-8")
                except UnicodeDecodeError:
                    return _text(400, "the query is not UTF-8 text")
            else:
                return _text(
                    415,
                    f"unsupported Content-Type {ctype or '(none)'}: send application/sparql-query "
                    "or application/x-www-form-urlencoded with query=…",
                )
        if "update" in params:
            if query is not None or "query" in params:
                return _text(
                    400,
                    "the request has both query= and update=; send one operation per request "
                    "(and this endpoint only answers queries)",
                )
            return self._read_only()
        if query is None:
            queries = params.get("query", [])
            if not queries:
                if request.method == "GET":
                    return await self.service_description(request)
                return _text(400, "no query: send query=… (SPARQL 1.1 Protocol)")
            if len(queries) > 1:
                return _text(400, "more than one query parameter; send exactly one query")
            query = queries[0]
        if len(query.encode("utf-8")) > self.config.max_query_bytes:
            return _text(413, f"the query is longer than {self.config.max_query_bytes} bytes")
        default_graphs = params.get("default-graph-uri", [])
        named_graphs = params.get("named-graph-uri", [])
        try:
            check_query_size(query)
            graph_names(default_graphs, "default-graph-uri")
            graph_names(named_graphs, "named-graph-uri")
        except QueryError as exc:
            return _text(400, exc.message)
        form = query_form(query)
        if form == "update":
            return self._read_only()
        graph_kind = form in ("construct", "describe")
        chosen = _format_override(params.get("format", []) + params.get("output", []), graph_kind)
        if isinstance(chosen, Response):
            return chosen
        if chosen:
            results_format = graph_format = chosen
        else:
            accept = request.headers.get("accept")
            results_format = negotiate(accept, "results") or ""
            graph_format = negotiate(accept, "graph") or ""
            if not (graph_format if graph_kind else results_format):
                return _text(
                    406,
                    f"cannot answer with any of: {accept}; accept e.g. "
                    "application/sparql-results+json, text/csv or text/turtle",
                )
        results_format = results_format if results_format in _RESULTS_SHORT else "json"
        graph_format = graph_format if graph_format in _GRAPH_SHORT else "ttl"
        reply = await self._run(
            {
                "op": "query",
                "query": query,
                "results_format": results_format,
                "graph_format": graph_format,
                "max_rows": self.config.max_rows,
                "stream_after": self.config.stream_after,
                "default_graphs": default_graphs,
                "named_graphs": named_graphs,
            }
        )
        if isinstance(reply, Response):
            return reply
        headers = {
            "X-FTZ-Result-Count": str(reply.get("rows", "")),
            "X-FTZ-Elapsed-Ms": f"{reply['elapsed_ms']:.1f}",
            "Vary": "Accept",
            "Cache-Control": "no-store",
        }
        if chosen:
            headers["Content-Disposition"] = f'inline; filename="results.{chosen}"'
        if "chunks" in reply:
            # streamed as the worker produces it: the count is not known before the end
            headers.pop("X-FTZ-Result-Count")
            headers["X-FTZ-Streamed"] = "true"
            headers["X-SPARQL-MaxRows"] = str(self.config.max_rows)
            return StreamingResponse(
                reply["chunks"],
                media_type=reply["media_type"],
                headers=headers,
            )
        if reply["truncated"]:
            headers["X-FTZ-Truncated"] = "true"
            headers["X-SPARQL-MaxRows"] = str(self.config.max_rows)
        return Response(reply["body"], media_type=reply["media_type"], headers=headers)

    async def _run(self, request: dict[str, Any]) -> dict[str, Any] | Response:
        try:
            reply = await self.pool.call(request)
        except QueryTimeout as exc:
            return _text(
                503,
                f"the query was stopped after {self.config.timeout:g} s ({exc}); make it more specific "
                "(LIMIT, bound subjects) or start the server with a longer --timeout",
                {"Retry-After": "1"},
            )
        except PoolBusy as exc:
            return _text(
                503,
                f"the endpoint is busy ({exc}); try again in a moment",
                {"Retry-After": str(max(1, round(self.config.timeout / 2)))},
            )
        except WorkerFailed as exc:
            return _text(500, f"{exc}; the server replaced the worker")
        except StoreError as exc:
            return _text(503, exc.message)
        if reply.get("status") != 200:
            return _text(int(reply.get("status", 500)), str(reply.get("error", "error")))
        return reply

    def _read_only(self) -> Response:
        return _text(
            403,
            "this SPARQL endpoint is read-only: updates (INSERT, DELETE, LOAD, CLEAR…) are refused. "
            "Change the graph by rebuilding it with `ftz-kg build`, or push it to a writable store with `ftz-kg push`",
        )

    async def service_description(self, request: Request) -> Response:
        from ..store.formats import media_type, negotiate

        accept = request.headers.get("accept", "")
        if "text/html" in accept:
            return RedirectResponse("/", status_code=303)
        fmt = negotiate(accept, "graph")
        if fmt is None:
            return _text(
                406, "the service description is RDF: accept text/turtle, application/rdf+xml…"
            )
        endpoint = URIRef(str(request.url.replace(query="", fragment="")))
        graphs = await self._run({"op": "graphs"})
        names = [] if isinstance(graphs, Response) else list(graphs["graphs"])
        sd = _service_description(endpoint, names, self._triples())
        rdflib_fmt = {"ttl": "turtle", "nt": "nt", "xml": "pretty-xml", "json": "json-ld"}[fmt]
        return Response(
            sd.serialize(format=rdflib_fmt, encoding="utf-8"), media_type=media_type("graph", fmt)
        )

    def _triples(self) -> int | None:
        from ..store.embedded import store_info

        try:
            quads = store_info(self.config.out_dir).get("quads")
        except StoreError:
            return None
        return int(quads) if quads is not None else None

    # / and files ------------------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        page = static_file("sparql.html").read_text(encoding="utf-8")
        data = {
            "endpoint": "/sparql",
            "entity_base": str(ID),
            # Result tables show IRIs under these namespaces as prefixed names (id:area/…).
            "prefixes": {prefix: str(ns) for prefix, ns in PREFIXES.items()},
            "queries": [_query_for_ui(q) for q in list_queries()],
            "files": self._files(),
            "limits": {"timeout": self.config.timeout, "max_rows": self.config.max_rows},
        }
        payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
        page = page.replace(
            "<!--FTZ-KG-DATA-->",
            f'<script id="ftz-kg-data" type="application/json">{payload}</script>',
        )
        return Response(page, media_type="text/html; charset=utf-8")

    def _files(self) -> list[dict[str, str]]:
        """Files of the build folder worth linking: its top level and one level of subfolders."""
        out = self.config.out_dir
        if not out.is_dir():
            return []
        candidates: list[Path] = []
        for entry in sorted(out.iterdir()):
            if entry.name.startswith(".") or entry.name == "store":
                continue
            if entry.is_dir():
                candidates.extend(sorted(p for p in entry.iterdir() if p.is_file()))
            elif entry.is_file():
                candidates.append(entry)
        return [
            {
                "name": p.relative_to(out).as_posix(),
                "url": "/files/" + urllib.parse.quote(p.relative_to(out).as_posix()),
            }
            for p in candidates
            if p.suffix in _SERVED_SUFFIXES
        ]

    async def files(self, request: Request) -> Response:
        name = request.path_params["name"]
        out = self.config.out_dir.resolve()
        asked = Path(name).parts
        # the outputs are links into the build's current generation (OUT/.current/…), so
        # the name asked for is checked, and the file it resolves to must stay in OUT
        path = (out / name).resolve()
        if (
            not asked
            or any(part.startswith(".") for part in asked)
            or asked[0] == "store"
            or not path.is_relative_to(out)
            or not path.is_file()
            or path.suffix not in _SERVED_SUFFIXES
        ):
            return _text(404, f"/files/{name}: no such file in the build folder")
        return FileResponse(path)

    async def api_queries(self, request: Request) -> Response:
        return JSONResponse([_query_for_ui(q) for q in list_queries()])

    async def api_query(self, request: Request) -> Response:
        try:
            saved = load_query(request.path_params["name"])
        except QueryError as exc:
            return _text(404, exc.message)
        return JSONResponse(_query_for_ui(saved))

    async def health(self, request: Request) -> Response:
        return JSONResponse(
            {
                "status": "ok" if self.pool.ready > 0 else "starting",
                "workers": self.pool.size,
                "workers_ready": self.pool.ready,
                "workers_busy": self.pool.busy,
                "queued": self.pool.waiting,
                "error": self.pool.startup_error,
                "triples": self._triples(),
            }
        )

    # /id/… ------------------------------------------------------------------------------
    async def entity(self, request: Request) -> Response:
        from ..store.formats import format_result, media_type, negotiate
        from ..store.results import QueryResult

        path = request.path_params["path"]
        try:
            iri = ox.NamedNode(str(ID) + path).value
        except ValueError:
            return _text(404, f"/id/{path}: not a valid entity IRI")
        accept = request.headers.get("accept", "")
        fmt = request.query_params.get("format") or negotiate(accept, "page")
        if fmt not in ("html", "ttl", "nt", "xml", "json"):
            return _text(
                406,
                "an entity page is HTML or RDF: accept text/html, text/turtle, application/n-triples…",
            )
        reply = await self._run({"op": "describe", "iri": iri})
        if isinstance(reply, Response):
            return reply
        triples = [ox.Triple(s, p, o) for s, p, o in reply["triples"]]
        if not triples:
            return _text(
                404,
                f"{iri}: the graph says nothing about this IRI; search names with /?q= or the label-search query",
            )
        if fmt != "html":
            body = format_result(QueryResult("graph", triples=triples), fmt)
            return Response(body, media_type=media_type("graph", fmt), headers={"Vary": "Accept"})
        page = _entity_page(iri, triples, reply["sources"])
        return Response(page, media_type="text/html; charset=utf-8", headers={"Vary": "Accept"})


def _format_override(values: list[str], graph_kind: bool) -> str | Response | None:
    """The format asked for with ``format=``/``output=``; None to negotiate on ``Accept``.

    Values may be short names (csv, json, turtle…) or media types; unknown values are
    ignored, as other endpoints do, but a format only the other kind of query gives is an
    error that says which formats fit.
    """
    from ..store.formats import negotiate

    mine, other = (_GRAPH_SHORT, _RESULTS_SHORT) if graph_kind else (_RESULTS_SHORT, _GRAPH_SHORT)
    wrong = ""
    for value in values:
        v = value.strip().lower()
        if "/" in v:
            found = negotiate(v, "graph" if graph_kind else "results") if "*" not in v else None
            if found:
                return found
            continue
        if v in mine:
            return mine[v]
        if v in other:
            wrong = wrong or v
    if wrong:
        kinds = (
            "CONSTRUCT/DESCRIBE give ttl, nt, xml or json"
            if graph_kind
            else "SELECT/ASK give json, xml, csv or tsv"
        )
        return _text(400, f"format={wrong} does not fit this query: {kinds}")
    return None


def _query_for_ui(saved: SavedQuery) -> dict[str, object]:
    """A saved query for the editor: its text with the default parameters in a VALUES block."""
    from ..store.params import parse_param
    from ..store.query_text import bind_values
    from ..store.results import Term

    data = saved.as_dict()
    bound: dict[str, Term] = {}
    for p in saved.params:
        if p.default is None:
            continue
        value = parse_param(p.name, p.default, p.type)
        if isinstance(value, ox.NamedNode | ox.Literal):
            bound[p.name] = value
    try:
        data["editor_text"] = bind_values(saved.text, bound) if bound else saved.text
    except QueryError:
        data["editor_text"] = saved.text
    return data


def _service_description(endpoint: URIRef, graphs: list[str], triples: int | None) -> Graph:
    g = bind_prefixes(Graph(bind_namespaces="none"))
    g.bind("sd", SD)
    g.bind("formats", FORMATS_NS)
    g.bind("void", VOID)
    g.add((endpoint, RDF.type, SD.Service))
    g.add((endpoint, SD.endpoint, endpoint))
    g.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    g.add((endpoint, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
    g.add((endpoint, DCTERMS.title, Literal("ftz-kg SPARQL endpoint (read-only)", lang="en")))
    for name in _RESULT_FORMATS + _GRAPH_FORMATS:
        g.add((endpoint, SD.resultFormat, FORMATS_NS[name]))
    dataset = BNode("dataset")
    default = BNode("defaultGraph")
    g.add((endpoint, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    if triples is not None:
        g.add((default, VOID.triples, Literal(triples)))
    for i, name in enumerate(graphs):
        node = BNode(f"namedGraph{i}")
        g.add((dataset, SD.namedGraph, node))
        g.add((node, RDF.type, SD.NamedGraph))
        g.add((node, SD.name, URIRef(name)))
    return g


# -- the entity page -----------------------------------------------------------------------


def _link(term: Any, labels: Mapping[str, str]) -> str:
    if isinstance(term, ox.NamedNode):
        label = labels.get(term.value)
        if term.value.startswith(str(ID)):
            href = "/id/" + term.value[len(str(ID)) :]
            text = html.escape(label or term.value[len(str(ID)) :])
            return f'<a href="{html.escape(href)}">{text}</a>'
        from ..store.formats import _curie

        return f'<a href="{html.escape(term.value)}">{html.escape(label or _curie(term.value))}</a>'
    if isinstance(term, ox.Literal):
        lang = f' <span class="lang">@{html.escape(term.language)}</span>' if term.language else ""
        return html.escape(term.value) + lang
    return html.escape(str(term))


def _entity_page(iri: str, triples: list[ox.Triple], sources: list[tuple[str | None, ...]]) -> str:
    from ..store.formats import _curie

    def iri_of(term: object) -> str:
        return term.value if isinstance(term, ox.NamedNode) else ""

    labels: dict[str, str] = {}
    for t in triples:
        if t.predicate.value == str(SKOS.prefLabel) and isinstance(t.object, ox.Literal):
            labels.setdefault(iri_of(t.subject), t.object.value)
    title = labels.get(iri, iri)
    outgoing = sorted(
        (t for t in triples if iri_of(t.subject) == iri),
        key=lambda t: (t.predicate.value, str(t.object)),
    )
    incoming = sorted(
        (t for t in triples if iri_of(t.object) == iri and iri_of(t.subject) != iri),
        key=lambda t: (t.predicate.value, str(t.subject)),
    )
    rows_out = "".join(
        f"<tr><th>{html.escape(_curie(t.predicate.value))}</th><td>{_link(t.object, labels)}</td></tr>"
        for t in outgoing
    )
    rows_in = "".join(
        f"<tr><td>{_link(t.subject, labels)}</td><th>{html.escape(_curie(t.predicate.value))}</th></tr>"
        for t in incoming
    )
    rows_src = "".join(f"<li>{html.escape(row[2] or '')}</li>" for row in sources)
    turtle = "/id/" + iri[len(str(ID)) :]
    return f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>{html.escape(title)} · ftz-kg</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="alternate" type="text/turtle" href="{html.escape(turtle)}">
<link rel="stylesheet" href="/static/sparql.css"></head>
<body class="entity"><header><a href="/">ftz-kg SPARQL</a></header>
<main><h1>{html.escape(title)}</h1><p class="iri"><code>{html.escape(iri)}</code>
 · <a href="{html.escape(turtle)}?format=ttl">Turtle</a></p>
<h2>陈述 Statements</h2><table>{rows_out}</table>
<h2>被引用 Referenced by</h2><table>{rows_in or "<tr><td>—</td></tr>"}</table>
<h2>出处 Source sentences</h2><ol>{rows_src or "<li>—</li>"}</ol>
</main></body></html>
"""


# -- putting it together ---------------------------------------------------------------------


def create_app(config: ServerConfig) -> Starlette:
    """The Starlette application (routes, CORS, worker pool in the lifespan)."""
    app_state = _App(config)
    routes = [
        Route("/", app_state.index, methods=["GET"]),
        Route("/sparql", app_state.sparql, methods=["GET", "POST"]),
        Route("/id/{path:path}", app_state.entity, methods=["GET"]),
        Route("/files/{name:path}", app_state.files, methods=["GET"]),
        Route("/api/queries", app_state.api_queries, methods=["GET"]),
        Route("/api/queries/{name}", app_state.api_query, methods=["GET"]),
        Route("/health", app_state.health, methods=["GET"]),
        Route("/ask", functools.partial(ask_endpoint, app_state), methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=str(static_file(""))), name="static"),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=_EXPOSED,
            max_age=3600,
        )
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=app_state.lifespan)
    app.state.ftz = app_state
    return app


def _check_port(host: str, port: int) -> None:
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise EndpointError(
            f"--host {host}: unknown address ({exc}); use 127.0.0.1 or a local address"
        ) from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            raise EndpointError(
                f"cannot listen on {host}:{port} ({exc.strerror}); another server may be running there, "
                "pick another --port"
            ) from exc


def serve(config: ServerConfig) -> None:
    """Run the endpoint with uvicorn until interrupted (checks the store first)."""
    import uvicorn

    from ..store.embedded import open_store

    # A missing store is a one-line error, not a server that 503s; serve has no --data.
    open_store(config.out_dir, elsewhere="")
    _check_port(config.host, config.port)
    if not re.fullmatch(r"127\.\d+\.\d+\.\d+|localhost|::1", config.host):
        print(
            f"warning: listening on {config.host}: the endpoint has no authentication; anyone who can reach it can query"
        )
    if config.allow_service and "*" in config.cors_origins:
        print(
            "warning: --allow-service with --cors-origin '*': any web page a user of this machine "
            f"opens can make the server query {', '.join(config.allow_service)}; "
            "name the origins that may call it with --cors-origin"
        )
    print(
        f"ftz-kg: SPARQL endpoint http://{config.host}:{config.port}/sparql, editor http://{config.host}:{config.port}/"
    )
    uvicorn.run(
        create_app(config),
        host=config.host,
        port=config.port,
        log_level=config.log_level,
        log_config=log_config(),
    )


# How much of a request's path and query the access log keeps: a GET query can be 100 KB.
LOG_URL_LIMIT = 200


class ShortRequestLines(logging.Filter):
    """Cut the path of an access-log record (uvicorn's ``(client, method, path, version,
    status)`` arguments) to :data:`LOG_URL_LIMIT` characters, saying how long it was."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path = args[2]
            if len(path) > LOG_URL_LIMIT:
                cut = f"{path[:LOG_URL_LIMIT]}…[{len(path)} characters]"
                record.args = (args[0], args[1], cut, args[3], args[4])
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with the access log's URLs cut short."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["short_request_lines"] = {"()": ShortRequestLines}
    config["loggers"]["uvicorn.access"]["filters"] = ["short_request_lines"]
    return config
