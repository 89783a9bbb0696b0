"""The HTTP side of the endpoint: the Starlette application, its routes and their answers."""

from __future__ import annotations

import contextlib
import functools
import json
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import QueryError, StoreError
from ..namespaces import ID, PREFIXES
from ..resources import static_file
from ..store.saved_queries import list_queries, load_query
from .ask import ask_endpoint
from .config import ServerConfig
from .responses import (
    _GRAPH_SHORT,
    _RESULTS_SHORT,
    _entity_page,
    _format_override,
    _query_for_ui,
    _service_description,
    _text,
)
from .workers import PoolBusy, QueryPool, QueryTimeout, WorkerFailed

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
