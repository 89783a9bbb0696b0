"""Positions for the maps, computed before the page is written.

A page that receives its positions opens without running vis-network's physics: the
whole-graph map of a corpus (thousands of entities) would otherwise spend tens of seconds
stabilising in the browser. Each connected component is laid out on its own with
networkx's spring layout (seeded, so the same graph gives the same positions), the
components are packed in rows, largest first, and entities without any relation go in a
grid below them, so they no longer form a ring around the graph.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import networkx as nx
import numpy as np

__all__ = ["SEED", "spring_positions"]

SEED = 7
_GAP = 1.5  # between packed components, in units of the edge length


def _force_layout(
    graph: nx.Graph, nodes: Sequence[str], iterations: int, spread: float = 1.0
) -> np.ndarray:
    """Fruchterman-Reingold on dense arrays (as networkx does below 500 nodes), seeded.
    networkx's sparse variant loops over the nodes in Python: 55 s for 5,000 nodes."""
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    # Column-major (order="F") n×n arrays: einsum then walks i innermost and adds the
    # products of each j in turn, the order (and bits) of the former strided contraction,
    # on contiguous memory; the elementwise steps give the same values in any layout.
    weights = np.zeros((n, n), dtype=np.float32, order="F")
    for u, v, w in graph.subgraph(nodes).edges(data="weight", default=1.0):
        weights[index[u], index[v]] = weights[index[v], index[u]] = w
    pos = np.random.default_rng(SEED).random((n, 2), dtype=np.float32)
    k = np.float32(spread / math.sqrt(n))
    k2 = k * k
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    # The n×n arrays are allocated once and every step writes into them: allocating and
    # faulting in fresh ones each iteration cost more than the arithmetic. Each step is
    # the same operation, in the same order, as the plain formula (the positions are
    # byte-identical); the squared distance adds the two coordinates' squares instead of
    # reducing over a length-2 axis, which numpy does one element at a time.
    dx, dy, distance, square, force = (
        np.empty((n, n), dtype=np.float32, order="F") for _ in range(5)
    )
    shift = np.empty((n, 2), dtype=np.float32)
    for _ in range(iterations):
        x = pos[:, 0].copy()
        y = pos[:, 1].copy()
        np.subtract(x[:, None], x[None, :], out=dx)
        np.subtract(y[:, None], y[None, :], out=dy)
        np.multiply(dx, dx, out=distance)
        np.multiply(dy, dy, out=square)
        np.add(distance, square, out=distance)
        np.sqrt(distance, out=distance)
        np.clip(distance, 0.01, None, out=distance)
        # force = k² / distance² - weights · distance / k
        np.multiply(distance, distance, out=square)
        np.divide(k2, square, out=force)
        np.multiply(weights, distance, out=square)
        np.divide(square, k, out=square)
        np.subtract(force, square, out=force)
        # One contraction per coordinate: the bits of einsum("ijk,ij->ik") (the test
        # compares them), a sum of the products over j in order.
        shift[:, 0] = np.einsum("ij,ij->i", dx, force)
        shift[:, 1] = np.einsum("ij,ij->i", dy, force)
        length = np.sqrt(shift[:, 0] ** 2 + shift[:, 1] ** 2)
        length = np.where(length < 0.01, 0.1, length)
        pos += shift * (temperature / length)[:, None]
        temperature -= cooling
    return pos


def _component_positions(
    graph: nx.Graph, nodes: Sequence[str], spacing: float, spread: float
) -> dict[str, tuple[float, float]]:
    if len(nodes) == 2:
        a, b = sorted(nodes)
        return {a: (0.0, 0.0), b: (spacing, 0.0)}
    # On a big component, the leaves (most of a corpus graph: an entity one sentence ties
    # to one other) are set around their neighbour after the rest is laid out, which
    # leaves the force layout a fifth of the nodes.
    leaves: dict[str, list[str]] = {}
    if len(nodes) > 300:
        for v in nodes:
            if graph.degree(v) == 1:
                (parent,) = graph.neighbors(v)
                if graph.degree(parent) > 1:
                    leaves.setdefault(parent, []).append(v)
    hanging = {v for group in leaves.values() for v in group}
    inner = [v for v in nodes if v not in hanging]
    iterations = 200 if len(inner) <= 500 else 60 if len(inner) <= 1500 else 30
    raw = _force_layout(graph, inner, iterations, spread)
    index = {v: i for i, v in enumerate(inner)}
    # Scale so that the mean edge is about ``spacing`` long.
    # sorted: the sum's order (so its last bits, and a 0.1 px rounding) must not depend on
    # the order in which the subgraph yields its edges, which follows the hash seed
    edges = sorted(
        (min(index[u], index[v]), max(index[u], index[v])) for u, v in graph.subgraph(inner).edges()
    )
    mean = float(np.mean([np.linalg.norm(raw[a] - raw[b]) for a, b in edges])) if edges else 1.0
    factor = spacing / mean if mean > 0 else spacing
    placed = {v: (float(raw[i][0]) * factor, float(raw[i][1]) * factor) for v, i in index.items()}
    for parent, group in leaves.items():
        px, py = placed[parent]
        radius = spacing * 0.5 * max(1.0, math.sqrt(len(group) / 6))
        for i, v in enumerate(sorted(group)):
            angle = 2 * math.pi * i / len(group)
            placed[v] = (px + radius * math.cos(angle), py + radius * math.sin(angle))
    return placed


def spring_positions(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str, float]],
    *,
    spacing: float = 120.0,
    spread: float = 1.0,
) -> dict[str, tuple[float, float]]:
    """Canvas positions of ``nodes`` (ids) linked by weighted ``edges``, rounded to
    0.1 px: components laid out and packed, isolated nodes in a grid under them.
    ``spread`` > 1 pushes nodes further apart than their links pull them together."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    for source, target, weight in edges:
        if source == target or source not in graph or target not in graph:
            continue
        previous = graph.get_edge_data(source, target, {}).get("weight", 0.0)
        graph.add_edge(source, target, weight=previous + weight)
    components = sorted(
        (sorted(c) for c in nx.connected_components(graph) if len(c) > 1),
        key=lambda c: (-len(c), c[0]),
    )
    isolated = sorted(n for n in graph if graph.degree(n) == 0)

    placed: dict[str, tuple[float, float]] = {}
    boxes = []
    for component in components:
        local = _component_positions(graph, component, spacing, spread)
        xs = [p[0] for p in local.values()]
        ys = [p[1] for p in local.values()]
        boxes.append((local, min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    total = sum((w + spacing) * (h + spacing) for _, _, _, w, h in boxes)
    row_width = max([math.sqrt(total)] + [w for _, _, _, w, _ in boxes])
    x = y = row_height = 0.0
    for local, left, top, width, height in boxes:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + _GAP * spacing, 0.0
        for node, (px, py) in local.items():
            placed[node] = (x + px - left, y + py - top)
        x += width + _GAP * spacing
        row_height = max(row_height, height)
    if isolated:
        y += row_height + (2 * _GAP * spacing if boxes else 0.0)
        step = spacing * 0.6
        columns = max(1, int(max(row_width, step) // step))
        for i, node in enumerate(isolated):
            placed[node] = ((i % columns) * step, y + (i // columns) * step)
    # Centre on the origin, where vis-network's view starts.
    if placed:
        cx = (min(p[0] for p in placed.values()) + max(p[0] for p in placed.values())) / 2
        cy = (min(p[1] for p in placed.values()) + max(p[1] for p in placed.values())) / 2
    else:
        cx = cy = 0.0
    return {n: (round(p[0] - cx, 1), round(p[1] - cy, 1)) for n, p in placed.items()}
