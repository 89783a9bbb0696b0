"""``ftz-kg push``: upload the graph to an external triple store (SPARQL 1.1 Graph Store Protocol).

Each document's named graph is sent with ``PUT URL?graph=<document IRI>`` and the shared
part (ontology, entity descriptions) with ``PUT URL?default`` (or into a named graph of your
choice), as N-Triples. PUT replaces the graph's content, so pushing twice leaves the
store as after one push: the upload is idempotent. This is the way out for users who
outgrow one machine: Oxigraph server (``URL=http://host:7878/store``), Apache Jena Fuseki
(``http://host:3030/DATASET/data``), GraphDB (``http://host:7200/repositories/REPO/rdf-graphs/service``).

To query what was pushed with the saved queries, make the store's default graph the union
of all graphs (``oxigraph serve --union-default-graph``, Fuseki ``tdb2:unionDefaultGraph``).

Each PUT has one total deadline (``timeout``: connecting, sending and reading the answer
together, however slowly the server trickles bytes), counts as done only on a Graph Store
answer (HTTP 200, 201 or 204, not an HTML page from a proxy or a login form), and a push
that stops part-way says which graphs were already replaced and which were not.
"""

from __future__ import annotations

import base64
import http.client
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import EndpointError, PartialPushError, StoreError

__all__ = ["PushReport", "push"]

_CONTENT_TYPE = "application/n-triples"
# What a Graph Store answers to a PUT: 200/204 (replaced) or 201 (created).
_ACCEPTED = (200, 201, 204)
_MAX_ANSWER = 1 << 20  # bytes of an answer read at most (a store's answer is short)
_LISTED = 10  # graphs named in a partial push's message; the rest are counted


@dataclass
class PushReport:
    endpoint: str
    graphs: list[tuple[str, int, int]] = field(
        default_factory=list
    )  # (graph, triples, HTTP status)

    @property
    def triples(self) -> int:
        return sum(n for _, n, _ in self.graphs)

    def summary(self) -> str:
        lines = [f"pushed {self.triples} triples in {len(self.graphs)} graph(s) to {self.endpoint}"]
        lines.extend(f"  {graph}: {n} triples (HTTP {status})" for graph, n, status in self.graphs)
        return "\n".join(lines)


def _target(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL for ``graph`` (None: the default graph, ``?default``)."""
    parts = urllib.parse.urlsplit(endpoint)
    kept = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if k not in ("graph", "default")
    ]
    extra = urllib.parse.urlencode({"graph": graph}) if graph is not None else "default"
    query = f"{urllib.parse.urlencode(kept)}&{extra}" if kept else extra
    return urllib.parse.urlunsplit(parts._replace(query=query))


class _Deadline:
    """One total deadline for one request: when it passes, the sockets of the request are
    shut down, so a read or write blocked on a server that trickles bytes ends at once
    (a socket timeout only bounds each single read or write)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def attach(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)
        return sock

    def opener(self) -> urllib.request.OpenerDirector:
        """An opener (proxies and all) whose connections' sockets this deadline watches."""
        deadline = self

        def watched(base: type[http.client.HTTPConnection]) -> type[http.client.HTTPConnection]:
            class Watched(base):  # type: ignore[valid-type,misc]
                def __init__(self, *args: object, **kwargs: object) -> None:
                    super().__init__(*args, **kwargs)

                    def connect(*a: Any, **k: Any) -> socket.socket:
                        return deadline.attach(socket.create_connection(*a, **k))

                    self._create_connection = connect

            return Watched

        plain, tls = watched(http.client.HTTPConnection), watched(http.client.HTTPSConnection)

        class HTTP(urllib.request.HTTPHandler):
            def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(plain, req)

        class HTTPS(urllib.request.HTTPSHandler):
            def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(tls, req, context=self._context)  # type: ignore[attr-defined]

        return urllib.request.build_opener(HTTP(), HTTPS())


def _shut(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _put(url: str, body: bytes, timeout: float, headers: dict[str, str]) -> int:
    """PUT ``body`` at ``url`` within ``timeout`` seconds in all; the HTTP status."""
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": _CONTENT_TYPE, **headers}
    )
    with _Deadline(timeout) as deadline:
        try:
            with deadline.opener().open(request, timeout=timeout) as response:
                status = int(response.status)
                kind = response.headers.get_content_type()
                answer = response.read(_MAX_ANSWER)
        except urllib.error.HTTPError as exc:
            raise EndpointError(
                f"{url}: the graph store refused the upload (HTTP {exc.code}: "
                f"{_gist(exc.headers.get_content_type(), exc.read(_MAX_ANSWER), exc.reason)}); "
                "check that --endpoint is the store's Graph Store Protocol URL "
                "(Oxigraph: …/store, Fuseki: …/DATASET/data) and that it is writable"
            ) from exc
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            if deadline.expired:
                raise EndpointError(
                    f"{url}: the graph store did not take the upload within --timeout "
                    f"{timeout:g} s (connecting, sending and its answer together); check that "
                    "the server is not overloaded, or give a longer --timeout"
                ) from exc
            reason = getattr(exc, "reason", None) or exc
            raise EndpointError(
                f"{url}: cannot reach the graph store ({reason}); check the URL and that the server runs"
            ) from exc
        if deadline.expired:  # the answer was cut short by the deadline
            raise EndpointError(
                f"{url}: the graph store's answer did not end within --timeout {timeout:g} s; "
                "check that the server is not overloaded, or give a longer --timeout"
            )
    if status not in _ACCEPTED or _is_html(kind, answer):
        what = "an HTML page" if _is_html(kind, answer) else kind
        raise EndpointError(
            f"{url}: the server answered HTTP {status} with {what}, not as a graph store "
            "does (HTTP 200, 201 or 204); the graph may not have been stored. Check that "
            "--endpoint is the store's Graph Store Protocol URL (Oxigraph: …/store, Fuseki: "
            "…/DATASET/data) and not a login page or a proxy"
        )
    return status


def _is_html(kind: str, body: bytes) -> bool:
    if kind in ("text/html", "application/xhtml+xml"):
        return True
    start = body.lstrip()[:15].lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _gist(kind: str, body: bytes, reason: str) -> str:
    """The first line of an error answer, or what it is (an HTML page is no message)."""
    if _is_html(kind, body):
        return f"{reason}, an HTML page"
    lines = body.decode("utf-8", "replace").strip().splitlines()
    return lines[0][:300] if lines else reason


def _source(data: str | Path | None, out_dir: str | Path) -> ox.Store:
    from .embedded import load_file, open_store

    return load_file(Path(data)) if data else open_store(out_dir)


def _ntriples(triples: list[ox.Triple]) -> bytes:
    from .formats import serialize_triples

    return serialize_triples(sorted(triples, key=str), ox.RdfFormat.N_TRIPLES)


def push(
    endpoint: str,
    *,
    out_dir: str | Path = "out",
    data: str | Path | None = None,
    graph: str | None = None,
    default_graph: str | None = None,
    timeout: float = 120.0,
    user: str | None = None,
    password: str | None = None,
) -> PushReport:
    """Upload the last build (or ``data``) to the graph store at ``endpoint``, one PUT per graph.

    ``graph``: put everything (the union) into this one named graph instead of one graph per
    document. ``default_graph``: put the shared part into this named graph instead of the
    store's default graph (to leave the store's own default graph alone).
    """
    if not endpoint.startswith(("http://", "https://")):
        raise EndpointError(
            f"--endpoint {endpoint}: give the graph store's http(s) URL, e.g. http://127.0.0.1:7878/store"
        )
    for name, iri in (("--graph", graph), ("--default-graph", default_graph)):
        if iri is not None:
            try:
                ox.NamedNode(iri)
            except ValueError as exc:
                raise EndpointError(f"{name} {iri}: not a valid IRI ({exc})") from exc
    headers: dict[str, str] = {}
    if user is not None:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    store = _source(data, out_dir)
    if len(store) == 0:
        raise StoreError("the graph is empty: nothing to push; run `ftz-kg build` first")
    report = PushReport(endpoint)
    if graph is not None:
        union = sorted({q.triple for q in store}, key=str)
        status = _put(_target(endpoint, graph), _ntriples(union), timeout, headers)
        report.graphs.append((graph, len(union), status))
        return report
    named = sorted(
        (g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value
    )
    graphs: list[tuple[str, str | None, ox.NamedNode | ox.DefaultGraph]] = [
        (g.value, g.value, g) for g in named
    ]
    graphs.append((default_graph or "default graph", default_graph, ox.DefaultGraph()))
    for done, (label, target, graph_name) in enumerate(graphs):
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, graph_name)]
        try:
            status = _put(_target(endpoint, target), _ntriples(triples), timeout, headers)
        except EndpointError as exc:
            replaced = [g for g, _n, _s in report.graphs]
            not_replaced = [g for g, _t, _n in graphs[done:]]
            # A store that refused the PUT with an error status kept the graph as it was;
            # after a timeout, a cut connection or an odd answer, nobody knows.
            refused = isinstance(exc.__cause__, urllib.error.HTTPError)
            raise PartialPushError(
                f"{exc.message}. {_stopped(replaced, not_replaced, refused)}",
                replaced,
                not_replaced,
            ) from exc
        report.graphs.append((label, len(triples), status))
    return report


def _names(graphs: list[str]) -> str:
    shown = ", ".join(graphs[:_LISTED])
    return shown + (f" and {len(graphs) - _LISTED} more" if len(graphs) > _LISTED else "")


def _stopped(replaced: list[str], not_replaced: list[str], refused: bool) -> str:
    """What a push that stopped left in the store (``refused``: the store refused the
    graph it stopped at, so that graph was not replaced either)."""
    total = len(replaced) + len(not_replaced)
    done = (
        f"The push stopped: {len(replaced)} of {total} graph(s) were replaced ({_names(replaced)})"
        if replaced
        else f"The push stopped: none of the {total} graph(s) was replaced"
    )
    return (
        f"{done}; {len(not_replaced)} were not ({_names(not_replaced)}"
        f"{'' if refused else '; the first of them may have been stored'}). Fix the cause and "
        "push again: each PUT replaces its graph, so a second push leaves the store complete"
    )
