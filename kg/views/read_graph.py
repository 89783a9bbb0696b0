"""The network of an rdflib graph (the built graph, a graph file, or the result of a SPARQL
CONSTRUCT), read the one way the network is read: from a pyoxigraph store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ..errors import QueryError
from .network import Network
from .read_store import DrawnTriple, drawn_network, store_network


def build_network(graph: Graph, *, context: Graph | None = None) -> Network:
    """The entity network of ``graph``, loaded into an in-memory pyoxigraph store and read
    there as a build's store is (:func:`kg.views.read_store.store_network`).

    With ``context`` (the built graph), ``graph`` is a CONSTRUCT result: its triples decide
    which entities and relations are drawn, and ``context`` supplies what they are (class,
    labels) and their evidence (sentences, documents).
    """
    if context is None:
        return store_network(_in_memory(graph))
    return drawn_network(_in_memory(context, graph), _iri_triples(graph))


def _in_memory(*graphs: Graph) -> ox.Store:
    """The union of ``graphs`` in the default graph of a new in-memory store."""
    store = ox.Store()
    for graph in graphs:
        data = graph.serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES)
    return store


def _iri_triples(graph: Graph) -> list[DrawnTriple]:
    def iri(term: object) -> str | None:
        return str(term) if isinstance(term, URIRef) else None

    return [(iri(s), str(p), iri(o)) for s, p, o in graph]


def load_network(
    data: str | Path | None = None,
    out_dir: str | Path = "out",
    *,
    output_option: str | None = None,
) -> tuple[Network, Graph]:
    """The network of a built graph file (default ``OUT/kg.ttl``) and the graph itself.

    ``output_option`` is the caller's option for the file it writes (see
    :func:`kg.rdf.export.graph_file`)."""
    from ..rdf.export import graph_file, load_graph

    graph = load_graph(graph_file(data, out_dir, output_option=output_option))
    return build_network(graph), graph


def construct_network(graph: Graph, query: str, *, name: str = "query") -> Network:
    """Run a SPARQL CONSTRUCT (or DESCRIBE) with rdflib on ``graph`` and draw its result.

    Independent of the SPARQL store: the query runs in memory on the loaded graph, whose
    prefixes (``ftz:``, ``id:``, ``skos:`` …) are predeclared.
    """
    from ..store.query_text import check_query_size

    check_query_size(query)  # a query nested thousands deep never reaches the engine
    try:
        result = graph.query(query)
    except Exception as exc:  # rdflib raises pyparsing and plain exceptions alike
        raise QueryError(f"{name}: the SPARQL query cannot be run ({exc}); fix its syntax") from exc
    if result.type not in ("CONSTRUCT", "DESCRIBE") or result.graph is None:
        raise QueryError(
            f"{name}: is a {result.type} query; --query draws the graph of a CONSTRUCT query: "
            "write `CONSTRUCT { ?a ftz:facesCountry ?c } WHERE { ?a ftz:facesCountry ?c }`"
        )
    return build_network(result.graph, context=graph)
