"""The fast paths of the stages after extraction give exactly what the plain code gives."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from kg.layout import SEED, _force_layout


def _plain_force_layout(
    graph: nx.Graph, nodes: list[str], iterations: int, spread: float = 1.0
) -> np.ndarray:
    """Fruchterman-Reingold as the formula reads (the layout before it reused its arrays)."""
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    weights = np.zeros((n, n), dtype=np.float32)
    for u, v, w in graph.subgraph(nodes).edges(data="weight", default=1.0):
        weights[index[u], index[v]] = weights[index[v], index[u]] = w
    pos = np.random.default_rng(SEED).random((n, 2), dtype=np.float32)
    k = np.float32(spread / math.sqrt(n))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.sqrt((delta**2).sum(axis=-1))
        np.clip(distance, 0.01, None, out=distance)
        force = k * k / distance**2 - weights * distance / k
        shift = np.einsum("ijk,ij->ik", delta, force)
        length = np.sqrt((shift**2).sum(axis=-1))
        length = np.where(length < 0.01, 0.1, length)
        pos += shift * (temperature / length)[:, None]
        temperature -= cooling
    return pos


@pytest.mark.parametrize(("n", "p", "spread"), [(3, 1.0, 1.0), (40, 0.1, 1.0), (250, 0.02, 1.6)])
def test_force_layout_is_the_plain_formula(n: int, p: float, spread: float) -> None:
    random = nx.gnp_random_graph(n, p, seed=n)
    graph = nx.Graph()
    graph.add_nodes_from(str(v) for v in random)
    graph.add_weighted_edges_from((str(u), str(v), 1.0 + (u + v) % 3) for u, v in random.edges())
    nodes = sorted(graph)
    fast = _force_layout(graph, nodes, 30, spread)
    plain = _plain_force_layout(graph, nodes, 30, spread)
    assert fast.dtype == plain.dtype
    assert np.array_equal(fast, plain)
