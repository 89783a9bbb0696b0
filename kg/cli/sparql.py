"""Commands of the SPARQL feature, registered on the ``ftz-kg`` group: query, queries, serve, push."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .common import allow_service_option, handle_errors, out_option, table_width_options

if TYPE_CHECKING:
    from ..store.outbound import ServicePolicy

__all__ = ["register"]

_FORMATS = ["table", "csv", "tsv", "json", "xml", "ttl", "nt"]
_STREAMED = ("csv", "tsv", "json", "xml")
TABLE_ROWS = 10_000  # the most rows a table shows (it is fitted to all of its rows)


def _stream_to(
    output: str,
    query: str,
    params: dict[str, str],
    fmt: str,
    engine: str,
    data: str | None,
    out_dir: str,
    services: ServicePolicy,
) -> None:
    """Write a query's CSV/TSV/JSON/XML result as the store yields it, in bounded memory:
    to stdout, or to a temporary file beside OUTPUT that replaces it once complete."""
    import tempfile

    from ..store.formats import stream_result
    from ..store.results import RowStream
    from ..store.sparql import stream_query

    result = stream_query(
        query, params, engine=engine, data=data, out_dir=out_dir, services=services
    )
    last = b""
    if output == "-":
        sink = click.get_binary_stream("stdout")
        for chunk in stream_result(result, fmt):
            if chunk:
                sink.write(chunk)
                last = chunk
        if not last.endswith(b"\n"):
            sink.write(b"\n")
        sink.flush()
        return
    target = Path(output)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as sink:
            for chunk in stream_result(result, fmt):
                if chunk:
                    sink.write(chunk)
                    last = chunk
            if not last.endswith(b"\n"):
                sink.write(b"\n")
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    count = len(result)
    noun = "rows" if isinstance(result, RowStream) or result.kind == "select" else "results"
    click.echo(f"wrote {output} ({count} {noun})", err=True)


def register(group: click.Group) -> None:
    """Add this feature's commands to ``group``."""

    @group.command("query")
    @click.argument("query")
    @click.option(
        "-p",
        "--param",
        "params",
        multiple=True,
        metavar="NAME=VALUE",
        help="Bind ?NAME to VALUE (an IRI, id:… / ftz:… name, a label for IRI parameters, or a literal). Repeatable.",
    )
    @click.option(
        "-f", "--format", "fmt", type=click.Choice(_FORMATS), default="table", show_default=True
    )
    @click.option(
        "--data", type=click.Path(), default=None, help="Query this RDF file instead of the store."
    )
    @click.option(
        "--endpoint", default=None, metavar="URL", help="Query a remote SPARQL endpoint instead."
    )
    @click.option(
        "--engine",
        type=click.Choice(["store", "memory"]),
        default="store",
        show_default=True,
        help="store: the pyoxigraph store OUT/store; memory: rdflib in memory over OUT/kg.trig.",
    )
    @click.option(
        "-o", "--output", default="-", show_default=True, help="File to write, or - for stdout."
    )
    @out_option()
    @click.option(
        "--timeout", default=60.0, show_default=True, help="Seconds to wait for a remote endpoint."
    )
    @table_width_options()
    @allow_service_option()
    @handle_errors
    def query(
        query: str,
        params: tuple[str, ...],
        fmt: str,
        data: str | None,
        endpoint: str | None,
        engine: str,
        output: str,
        out_dir: str,
        timeout: float,
        width: int | None,
        full: bool,
        allow_service: tuple[str, ...],
    ) -> None:
        """Run a SPARQL query: QUERY is query text, a .rq file, or a saved query's name.

        Queries the store that `ftz-kg build` wrote (its default graph is the union of all
        graphs). Parameters are bound safely, never pasted into the text; a saved query's
        parameters and defaults are listed by `ftz-kg queries NAME`. SELECT/ASK give a table
        (fitted to the terminal's width: long cells wrap; see --width and --full)
        or W3C CSV/TSV/JSON/XML results; CONSTRUCT/DESCRIBE give Turtle (or nt, json = JSON-LD,
        xml = RDF/XML). The ftz:, id:, rdf:, rdfs:, skos:, owl:, xsd:, prov: and dcterms:
        prefixes need not be declared. SERVICE (federated queries) is refused unless its
        endpoint is named with --allow-service.

        \b
        Example:
            ftz-kg query zones-areas
            ftz-kg query why --param subject=满洲里口岸 --param object=俄罗斯
            ftz-kg query 'SELECT DISTINCT ?zone ?area WHERE { ?zone ftz:hasArea ?area }' -f csv
            ftz-kg query my-question.rq --endpoint http://127.0.0.1:7878/sparql
        """
        from ..rdf.serialize import write_atomic
        from ..store.formats import format_result
        from ..store.outbound import ServicePolicy
        from ..store.params import parse_params
        from ..store.sparql import run_query

        services = ServicePolicy.from_options(allow_service)
        if fmt in _STREAMED and not endpoint:
            _stream_to(output, query, parse_params(params), fmt, engine, data, out_dir, services)
            return
        result = run_query(
            query,
            parse_params(params),
            engine=engine,
            data=data,
            endpoint=endpoint,
            out_dir=out_dir,
            timeout=timeout,
            max_rows=TABLE_ROWS + 1 if fmt == "table" else None,
            services=services,
        )
        capped = fmt == "table" and result.kind == "select" and len(result.rows) > TABLE_ROWS
        if capped:
            del result.rows[TABLE_ROWS:]
        if full or (width is None and output != "-"):
            columns = None  # a file gets whole cells unless --width is given
        else:
            columns = width or shutil.get_terminal_size().columns
        body = format_result(result, fmt, width=columns)
        if not body.endswith(b"\n"):
            body += b"\n"  # JSON and XML results too end their last line (the HTTP body does not)
        if output == "-":
            click.echo(body.decode("utf-8"), nl=False)
        else:
            write_atomic(Path(output), body)
            click.echo(
                f"wrote {output} ({len(result)} {'rows' if result.kind == 'select' else 'results'})",
                err=True,
            )
        if capped:
            click.echo(
                f"note: the table shows the first {TABLE_ROWS} rows; there are more. "
                "Add LIMIT/OFFSET to page, or use -f csv/tsv/json for all of them",
                err=True,
            )

    @group.command("queries")
    @click.argument("name", required=False)
    @handle_errors
    def queries(name: str | None) -> None:
        """List the saved queries and the question each answers, or show one in full.

        \b
        Example:
            ftz-kg queries
            ftz-kg queries compare-zones
        """
        from ..store.saved_queries import list_queries, load_query

        if name:
            click.echo(load_query(name).text, nl=False)
            return
        saved = list_queries()
        width = max((len(q.name) for q in saved), default=0)
        for q in saved:
            lines = q.question.splitlines() or [""]
            click.echo(f"{q.name.ljust(width)}  {lines[0]}")
            english = " ".join(lines[1:])
            if english:
                first = re.split(r"(?<=[.?])\s", english, maxsplit=1)[0]
                click.echo(f"{' ' * width}  {first}")
            for p in q.params:
                default = f" = {p.default}" if p.default else ""
                click.echo(f"{' ' * width}    ?{p.name} ({p.type}{default}): {p.description}")
        click.echo(
            f"\n{len(saved)} saved queries; run one with `ftz-kg query NAME`, see one with `ftz-kg queries NAME`."
        )

    @group.command("serve")
    @click.option(
        "--host",
        default="127.0.0.1",
        show_default=True,
        help="Address to listen on (local only by default).",
    )
    @click.option("--port", default=7878, show_default=True, type=int)
    @out_option()
    @click.option(
        "--timeout",
        default=10.0,
        show_default=True,
        help="Seconds a query may run before it is stopped.",
    )
    @click.option(
        "--max-rows",
        default=10_000,
        show_default=True,
        help="Most rows (or triples) a query returns.",
    )
    @click.option(
        "--workers",
        default=max(2, min(8, os.cpu_count() or 2)),
        show_default=True,
        help="Query worker processes (queries run in parallel up to this).",
    )
    @click.option(
        "--cors-origin",
        "cors_origins",
        multiple=True,
        default=("*",),
        show_default=True,
        help="Origins allowed to call the endpoint from a browser. Repeatable.",
    )
    @click.option(
        "--worker-memory",
        default=2048,
        show_default=True,
        type=click.IntRange(min=0),
        metavar="MB",
        help="Memory one query may take in a worker, over what the open store uses; "
        "a query that needs more is stopped and its worker replaced (0: no cap).",
    )
    @click.option(
        "--queue",
        "max_queue",
        default=None,
        type=click.IntRange(min=0),
        metavar="N",
        help="Requests that may wait for a busy worker; more get 503 with Retry-After at once "
        "[default: 8 per worker].",
    )
    @click.option(
        "--queue-wait",
        default=None,
        type=click.FloatRange(min=0),
        metavar="SECONDS",
        help="Longest a request waits for a free worker before 503 [default: --timeout, at least 10].",
    )
    @allow_service_option()
    @handle_errors
    def serve(
        host: str,
        port: int,
        out_dir: str,
        timeout: float,
        max_rows: int,
        workers: int,
        cors_origins: tuple[str, ...],
        worker_memory: int,
        max_queue: int | None,
        queue_wait: float | None,
        allow_service: tuple[str, ...],
    ) -> None:
        """Serve the store as a read-only SPARQL 1.1 endpoint with a query editor.

        /sparql speaks the SPARQL 1.1 Protocol (GET and POST; JSON, XML, CSV, TSV, Turtle…
        by Accept or format=) and describes itself when called without a query; / is a
        query editor (YASGUI) with the saved queries; /id/… resolves entity IRIs (HTML, or
        Turtle for Accept: text/turtle). Updates are refused. Stop with Ctrl-C.

        \b
        Example:
            ftz-kg serve --port 7878
            curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s a ftz:Area }' http://127.0.0.1:7878/sparql
        """
        from ..serve.config import ServerConfig
        from ..serve.server import serve as run_server
        from ..store.outbound import ServicePolicy

        run_server(
            ServerConfig(
                out_dir=Path(out_dir),
                host=host,
                port=port,
                timeout=timeout,
                max_rows=max_rows,
                workers=workers,
                cors_origins=tuple(cors_origins),
                allow_service=ServicePolicy.from_options(allow_service).allow,
                worker_memory=worker_memory,
                max_queue=max_queue,
                queue_wait=queue_wait,
            )
        )

    @group.command("push")
    @click.option(
        "--endpoint", required=True, metavar="URL", help="The store's Graph Store Protocol URL."
    )
    @click.option(
        "--graph",
        default=None,
        metavar="IRI",
        help="Put everything into this one named graph instead.",
    )
    @click.option(
        "--default-graph",
        default=None,
        metavar="IRI",
        help="Put the shared part (ontology, entity descriptions) into this named graph, not the default graph.",
    )
    @click.option(
        "--data",
        type=click.Path(),
        default=None,
        help="Push this RDF file instead of the last build.",
    )
    @out_option()
    @click.option("--user", default=None, help="User name for HTTP basic authentication.")
    @click.option(
        "--password",
        default=None,
        envvar="FTZ_KG_PUSH_PASSWORD",
        help="Password (or set FTZ_KG_PUSH_PASSWORD).",
    )
    @click.option(
        "--timeout",
        default=120.0,
        show_default=True,
        help="Seconds one graph's upload may take in all (connecting, sending, the answer).",
    )
    @handle_errors
    def push(
        endpoint: str,
        graph: str | None,
        default_graph: str | None,
        data: str | None,
        out_dir: str,
        user: str | None,
        password: str | None,
        timeout: float,
    ) -> None:
        """Upload the graph to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol.

        One PUT per document's named graph, and one for the shared default graph; PUT
        replaces what the graph held, so pushing again is safe (idempotent). For Oxigraph
        the URL is http://HOST:7878/store, for Fuseki http://HOST:3030/DATASET/data. Query the
        result with the saved queries through the store's SPARQL endpoint, with its default
        graph set to the union of graphs (oxigraph serve --union-default-graph).

        \b
        Example:
            ftz-kg push --endpoint http://127.0.0.1:7878/store
            ftz-kg query zones-areas --endpoint http://127.0.0.1:7878/query
        """
        from ..store.push import push as run_push

        report = run_push(
            endpoint,
            out_dir=out_dir,
            data=data,
            graph=graph,
            default_graph=default_graph,
            timeout=timeout,
            user=user,
            password=password,
        )
        click.echo(report.summary())
