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

This module starts the server; the parts are :mod:`kg.serve.config` (the settings),
:mod:`kg.serve.workers` (the pool), :mod:`kg.serve.app` (the routes) and
:mod:`kg.serve.responses` (the service description, the entity page, format overrides).
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

from ..errors import EndpointError
from .app import create_app
from .config import ServerConfig

__all__ = ["serve"]


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
