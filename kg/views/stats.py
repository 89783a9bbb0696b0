"""Statistics of the network: counts by class and relation, the top entities by degree and
betweenness."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from ..rdf.edges import ENTITY_CLASSES
from .network import Network
from .read_graph import load_network

_EXACT_BETWEENNESS_LIMIT = 3000


def network_stats(network: Network, top: int = 10) -> dict[str, Any]:
    """Counts per class and relation, the top entities by degree and betweenness, and the
    connected components, as plain data (the ``ftz-kg stats`` output)."""
    multi = network.to_networkx()
    simple = nx.Graph()
    simple.add_nodes_from(n.id for n in network.nodes)
    simple.add_edges_from((e.source, e.target) for e in network.edges)
    n = simple.number_of_nodes()
    if n > _EXACT_BETWEENNESS_LIMIT:
        k = 500
        betweenness = nx.betweenness_centrality(simple, k=k, seed=0)
        method = f"approximate, {k} sampled sources"
    else:
        betweenness = nx.betweenness_centrality(simple)
        method = "exact"
    degree = dict(multi.degree())

    def entry(node_id: str, **extra: Any) -> dict[str, Any]:
        node = network.node(node_id)
        return {
            "id": node_id,
            "label": node.label,
            "label_en": node.label_en,
            "class": node.cls,
            **extra,
        }

    def ranked(scores: Mapping[str, float]) -> list[str]:
        order = sorted(scores, key=lambda i: (-scores[i], network.node(i).label, i))
        return [i for i in order[:top] if scores[i] > 0]

    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(c)))
    class_counts = Counter(node.cls for node in network.nodes)
    relation_counts = Counter(e.relation for e in network.edges)
    return {
        "nodes": n,
        "edges": len(network.edges),
        "classes": [
            {
                "class": c,
                "zh": network.classes[c].zh,
                "en": network.classes[c].en,
                "count": class_counts[c],
            }
            for c in ENTITY_CLASSES
            if class_counts[c]
        ],
        "relations": [
            {
                "relation": r,
                "zh": network.relations[r].zh,
                "en": network.relations[r].en,
                "count": count,
            }
            for r, count in sorted(relation_counts.items(), key=lambda rc: (-rc[1], rc[0]))
        ],
        "top_degree": [entry(i, degree=degree[i]) for i in ranked(degree)],
        "top_betweenness": [
            entry(i, betweenness=round(betweenness[i], 6)) for i in ranked(betweenness)
        ],
        "betweenness": method,
        "components": {
            "count": len(components),
            "sizes": [len(c) for c in components],
            "isolated": sum(1 for c in components if len(c) == 1),
            "largest": [
                network.node(i).label
                for i in sorted(components[0], key=lambda i: network.node(i).label)
            ]
            if components
            else [],
        },
    }


def stats_of(
    data: str | Path | None = None, out_dir: str | Path = "out", top: int = 10
) -> dict[str, Any]:
    """:func:`network_stats` of a built graph file (default ``OUT/kg.ttl``)."""
    network, _ = load_network(data, out_dir)
    return network_stats(network, top=top)
