"""``ftz-kg push``: upload the graph to an external triple store (SPARQL 1.1 Graph Store Protocol).

Each document's named graph is sent with ``PUT URL?graph=<document IRI>`` and the shared
part (ontology, entity descriptions) with ``PUT URL?default`` (or into a named graph of your
choice), as N-Triples. PUT replaces the graph's content, so pushing twice leaves the
store as after one push: the upload is idempotent. This is the way out for users who
outgrow one machine: Oxigraph server (``URL=http://host:7878/store``), Apache Jena Fuseki
(``http://host:3030/DATASET/data``), GraphDB (``http://host:7200/repositories/REPO/rdf-graphs/service``).

To query what was pushed with the saved queries, make the store's default graph the union
of all graphs (``oxigraph serve --union-default-graph``, Fuseki ``tdb2:unionDefaultGraph``).
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import EndpointError, StoreError

__all__ = ["PushReport", "push"]

_CONTENT_TYPE = "application/n-triples"


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


def _put(url: str, body: bytes, timeout: float, headers: dict[str, str]) -> int:
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": _CONTENT_TYPE, **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        message = detail[0][:300] if detail else exc.reason
        raise EndpointError(
            f"{url}: the graph store refused the upload (HTTP {exc.code}: {message}); check that --endpoint "
            "is the store's Graph Store Protocol URL (Oxigraph: …/store, Fuseki: …/DATASET/data) and that it is writable"
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EndpointError(
            f"{url}: cannot reach the graph store ({reason}); check the URL and that the server runs"
        ) from exc


def _source(data: str | Path | None, out_dir: str | Path) -> ox.Store:
    from .store import load_file, open_store

    return load_file(Path(data)) if data else open_store(out_dir)


def _ntriples(triples: list[ox.Triple]) -> bytes:
    from .sparql import serialize_triples

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
    for label, target, graph_name in graphs:
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, graph_name)]
        status = _put(_target(endpoint, target), _ntriples(triples), timeout, headers)
        report.graphs.append((label, len(triples), status))
    return report
