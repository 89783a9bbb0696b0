"""Run SPARQL queries against the embedded store, an in-memory rdflib graph or a remote endpoint.

One entry point, :func:`run_query`, takes a query (text, a ``.rq`` file or the name of a
saved query), binds its parameters safely and returns a :class:`kg.store.results.QueryResult`;
:func:`kg.store.formats.format_result` writes it as a terminal table or in a W3C format. What
to run is resolved in :mod:`kg.store.params`, the query text read in
:mod:`kg.store.query_text`, and it runs on one of :mod:`kg.store.engines`.

Engines:

* ``store`` (default): the persistent pyoxigraph store ``OUT/store`` that ``ftz-kg build``
  writes, opened read-only (or, with ``data``, a file loaded into an in-memory pyoxigraph
  store). The default graph is the union of all graphs, so queries see the ontology, the
  entity descriptions and every document's named graph; ``GRAPH ?g`` still works.
* ``memory``: rdflib's in-memory store over ``OUT/kg.trig`` (slower; for comparison).
* a remote SPARQL 1.1 Protocol endpoint (``endpoint=URL``).

Parameters are never pasted into the query text for the local engines: pyoxigraph binds them
with ``substitutions`` (a bound variable must be in the SELECT projection), rdflib with
``initBindings``. A remote endpoint has no binding mechanism, so there the values are
serialised as RDF terms by pyoxigraph and sent in a ``VALUES`` block placed at the start of
the outermost ``WHERE`` group, which a small SPARQL tokenizer locates.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError
from ..namespaces import RDFS, SKOS
from .engines import (
    Engine,
    StoreEngine,
    open_engine,
)
from .formats import (
    _curie,
)
from .outbound import NO_SERVICE, ServicePolicy
from .params import _bindings, _Label, resolve_query
from .query_text import check_query_size
from .results import QueryResult, RowStream, Term

__all__ = ["run_query", "stream_query"]


def _resolve_labels(engine: Engine, bindings: Mapping[str, Term | _Label]) -> dict[str, Term]:
    out: dict[str, Term] = {}
    for name, value in bindings.items():
        out[name] = _resolve_label(engine, name, value.text) if isinstance(value, _Label) else value
    return out


_LABEL_QUERY = f"""
SELECT DISTINCT ?entity ?label ?preferred WHERE {{
  {{ ?entity <{SKOS.prefLabel}> ?l . BIND(1 AS ?preferred) }}
  UNION {{ ?entity <{SKOS.altLabel}> ?l . BIND(0 AS ?preferred) }}
  UNION {{ ?entity <{RDFS.label}> ?l . BIND(0 AS ?preferred) }}
  FILTER(STR(?l) = ?label)
}} ORDER BY DESC(?preferred) ?entity
"""


def _resolve_label(engine: Engine, name: str, label: str) -> ox.NamedNode:
    result = engine.query(_LABEL_QUERY, {"label": ox.Literal(label)})
    found = [(row[0], row[2]) for row in result.rows if isinstance(row[0], ox.NamedNode)]
    if not found:
        raise QueryError(
            f"--param {name}={label}: no entity has that label; give an IRI (id:…) or look it up with "
            f"`ftz-kg query label-search --param text={label}`"
        )
    preferred = [e for e, p in found if isinstance(p, ox.Literal) and p.value == "1"]
    candidates = sorted(
        {e.value for e, _ in found} if not preferred else {e.value for e in preferred}
    )
    if len(candidates) > 1:
        raise QueryError(
            f"--param {name}={label}: several entities have that label ({', '.join(_curie(c) for c in candidates)}); "
            "pass one of these IRIs instead"
        )
    return ox.NamedNode(candidates[0])


def run_query(
    query: str,
    params: Mapping[str, str] | None = None,
    *,
    engine: str | Engine = "store",
    data: str | Path | None = None,
    endpoint: str | None = None,
    out_dir: str | Path = "out",
    max_rows: int | None = None,
    timeout: float = 60.0,
    services: ServicePolicy = NO_SERVICE,
) -> QueryResult:
    """Run QUERY (text, ``.rq`` file or saved query name) with ``params`` bound safely.

    A ``SERVICE`` call is refused unless ``services`` allows its endpoint.

    Raises :class:`~kg.errors.QueryError` for a malformed query, an unknown saved query or a
    bad parameter, :class:`~kg.errors.StoreError` when there is no store to query, and
    :class:`~kg.errors.EndpointError` when a remote endpoint cannot be reached.
    """
    eng, text, bindings = _prepare(
        query, params, engine, data, endpoint, out_dir, timeout, services
    )
    return eng.query(text, bindings, max_rows=max_rows)


def stream_query(
    query: str,
    params: Mapping[str, str] | None = None,
    *,
    engine: str | Engine = "store",
    data: str | Path | None = None,
    out_dir: str | Path = "out",
    max_rows: int | None = None,
    services: ServicePolicy = NO_SERVICE,
) -> QueryResult | RowStream:
    """:func:`run_query`, with a SELECT on the store read lazily: a :class:`RowStream` to
    pass to :func:`stream_result`, so that a result of any size is written in bounded memory.
    Other engines (rdflib in memory) give their whole :class:`QueryResult`."""
    eng, text, bindings = _prepare(query, params, engine, data, None, out_dir, 60.0, services)
    if isinstance(eng, StoreEngine):
        return eng.stream(text, bindings, max_rows=max_rows)
    return eng.query(text, bindings, max_rows=max_rows)


def _prepare(
    query: str,
    params: Mapping[str, str] | None,
    engine: str | Engine,
    data: str | Path | None,
    endpoint: str | None,
    out_dir: str | Path,
    timeout: float,
    services: ServicePolicy,
) -> tuple[Engine, str, dict[str, Term]]:
    resolved = resolve_query(query)
    if not endpoint:
        check_query_size(resolved.text)  # before a local engine is even opened
    raw = _bindings(resolved, params or {})
    eng = (
        engine
        if not isinstance(engine, str)
        else open_engine(
            engine,
            data=data,
            endpoint=endpoint,
            out_dir=out_dir,
            timeout=timeout,
            services=services,
        )
    )
    return eng, resolved.text, _resolve_labels(eng, raw)
