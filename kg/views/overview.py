"""The overview map: the zones, their areas and what defines each, readable at corpus scale.

A corpus graph has thousands of entities, most of them seen once; drawn whole it is a
tangle. The overview keeps the anchors of the strategy (free-trade zones and ports, their
areas) and, for each anchor, the few sectors, partner countries, initiatives and platforms
that the most documents tie to it. Relations between two kept entities are aggregated into
one edge (all predicates, either direction) weighted by the number of distinct documents
stating them; a relation that only the lexicon states weighs nothing but is still drawn.
Communities (networkx's Louvain, seeded) colour the nodes. Positions are computed here
(:mod:`kg.views.layout`), so the page opens without physics. Each drawn node carries its other
neighbours (the strongest first), which a click on the map adds around it.

Anchors without any relation in the overview are not drawn: the page lists them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from .html import CLASS_STYLES, class_rows
from .layout import SEED, spring_positions
from .network import Network, Node

__all__ = [
    "ANCHOR_CLASSES",
    "DEFINING",
    "Link",
    "Overview",
    "build_overview",
    "overview_payload",
]

ANCHOR_CLASSES = ("FreeTradePort", "PilotFreeTradeZone", "Area")
# What defines a zone or an area, and how many of each class the overview keeps per anchor.
DEFINING: dict[str, int] = {"Sector": 5, "Country": 4, "Initiative": 3, "Platform": 3}
# Without any zone or area (a corpus of other texts) the best-connected entities anchor it.
FALLBACK_ANCHORS = 60
OVERVIEW_SPREAD = 3.0  # room for the labels between the nodes
EXPAND_LIMIT = 40  # neighbours a click adds, strongest first
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#8cd17d",
    "#499894",
    "#d37295",
)
OTHER_COLOUR = "#bab0ac"


@dataclass(frozen=True)
class Link:
    """Every relation between two entities, aggregated: ``source`` sorts first."""

    source: str
    target: str
    relations: tuple[str, ...]  # "name" for source→target, "^name" for target→source
    documents: int  # distinct documents with a sentence stating one of them
    lexicon: bool  # some relation is stated by no sentence (a lexicon fact)

    @property
    def weight(self) -> float:
        return 1.0 + self.documents


@dataclass(frozen=True)
class Overview:
    network: Network
    core: tuple[str, ...]  # drawn node ids, in network order
    isolated: tuple[str, ...]  # anchors with no relation among the kept nodes
    links: tuple[Link, ...]  # among ``core``
    community: Mapping[str, int]  # core id -> community index (0 = largest)
    positions: Mapping[str, tuple[float, float]]
    importance: Mapping[str, float]
    expand: Mapping[str, tuple[Link, ...]]  # core id -> links to entities not drawn


def aggregate(network: Network) -> dict[tuple[str, str], Link]:
    """One :class:`Link` per linked pair of entities."""
    relations: dict[tuple[str, str], set[str]] = defaultdict(set)
    documents: dict[tuple[str, str], set[str]] = defaultdict(set)
    lexicon: set[tuple[str, str]] = set()
    for e in network.edges:
        if e.source == e.target:
            continue
        key = (e.source, e.target) if e.source < e.target else (e.target, e.source)
        relations[key].add(e.relation if key[0] == e.source else "^" + e.relation)
        docs = {network.sentences[s].document for s in e.sentences if s in network.sentences}
        docs.discard("")
        documents[key].update(docs)
        if not e.sentences:
            lexicon.add(key)
    return {
        key: Link(key[0], key[1], tuple(sorted(rels)), len(documents[key]), key in lexicon)
        for key, rels in relations.items()
    }


def _neighbours(links: Mapping[tuple[str, str], Link]) -> dict[str, list[tuple[str, Link]]]:
    around: dict[str, list[tuple[str, Link]]] = defaultdict(list)
    for (a, b), link in links.items():
        around[a].append((b, link))
        around[b].append((a, link))
    return around


def _anchors(network: Network, degree: Mapping[str, int]) -> list[str]:
    anchors = [n.id for n in network.nodes if n.cls in ANCHOR_CLASSES]
    if anchors:
        return anchors
    ranked = sorted(network.nodes, key=lambda n: (-degree[n.id], n.id))
    return [n.id for n in ranked[:FALLBACK_ANCHORS] if degree[n.id] > 0]


def _communities(nodes: Sequence[str], links: Sequence[Link]) -> dict[str, int]:
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_weighted_edges_from((k.source, k.target, k.weight) for k in links)
    found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    return {n: i for i, members in enumerate(ordered) for n in members}


def build_overview(network: Network) -> Overview:
    """Select, aggregate, colour and lay out the overview of ``network``."""
    links = aggregate(network)
    around = _neighbours(links)
    degree = network.degrees()
    anchors = _anchors(network, degree)
    kept = set(anchors)
    for anchor in anchors:
        by_class: dict[str, list[tuple[str, Link]]] = defaultdict(list)
        for other, link in around.get(anchor, ()):
            cls = network.node(other).cls
            if cls in DEFINING:
                by_class[cls].append((other, link))
        for cls, candidates in by_class.items():
            candidates.sort(key=lambda c: (-c[1].documents, -degree[c[0]], c[0]))
            kept.update(other for other, _ in candidates[: DEFINING[cls]])
    drawn_links = tuple(
        link for key, link in sorted(links.items()) if key[0] in kept and key[1] in kept
    )
    linked = {k.source for k in drawn_links} | {k.target for k in drawn_links}
    core = tuple(n.id for n in network.nodes if n.id in linked)
    isolated = tuple(n.id for n in network.nodes if n.id in kept and n.id not in linked)

    strength: dict[str, float] = defaultdict(float)
    for link in drawn_links:
        strength[link.source] += link.weight
        strength[link.target] += link.weight
    anchor_set = set(anchors)
    importance = {
        n: round((1000.0 if n in anchor_set else 0.0) + strength[n] + degree[n] / 1000, 3)
        for n in core
    }
    expand: dict[str, tuple[Link, ...]] = {}
    for n in core:
        extra = [(o, k) for o, k in around.get(n, ()) if o not in linked]
        extra.sort(key=lambda c: (-c[1].documents, -degree[c[0]], c[0]))
        expand[n] = tuple(k for _, k in extra[:EXPAND_LIMIT])
    return Overview(
        network=network,
        core=core,
        isolated=isolated,
        links=drawn_links,
        community=_communities(core, drawn_links),
        # A link stated by a hundred documents must not pull a hundred times harder.
        positions=spring_positions(
            core,
            ((k.source, k.target, 1.0 + math.log1p(k.documents)) for k in drawn_links),
            spread=OVERVIEW_SPREAD,
        ),
        importance=importance,
        expand=expand,
    )


def _size(node: Node, importance: float, anchors: bool) -> float:
    base = 26.0 if node.cls in ("FreeTradePort", "PilotFreeTradeZone") else 0.0
    if not base and node.cls == "Area" and anchors:
        base = 18.0
    return round(max(base, min(34.0, 8.0 + 3.0 * math.sqrt(importance % 1000))), 1)


def community_names(overview: Overview) -> list[str]:
    """Each community named after its most important member."""
    best: dict[int, str] = {}
    for n, c in overview.community.items():
        if c not in best or (overview.importance[n], n) > (overview.importance[best[c]], best[c]):
            best[c] = n
    return [overview.network.node(best[c]).label for c in sorted(best)]


def overview_payload(
    overview: Overview, profiles: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """What the overview page reads: core nodes first (drawn), then the nodes a click can
    add; links index into ``nodes``. ``profiles`` maps an entity IRI to the link of its
    profile page (``zones/<slug>.html``) where one exists."""
    profiles = profiles or {}
    network = overview.network
    extra_ids = sorted(
        {k.target if k.source == n else k.source for n, ks in overview.expand.items() for k in ks}
    )
    order = list(overview.core) + extra_ids
    index = {n: i for i, n in enumerate(order)}
    degree = network.degrees()
    class_names = sorted({network.node(n).cls for n in order}, key=list(CLASS_STYLES).index)
    class_index = {c: i for i, c in enumerate(class_names)}
    names = community_names(overview)
    rel_names = sorted(
        {r.lstrip("^") for k in overview.links for r in k.relations}
        | {r.lstrip("^") for ks in overview.expand.values() for k in ks for r in k.relations}
    )
    rel_index = {r: i for i, r in enumerate(rel_names)}

    def link_row(link: Link) -> list[Any]:
        rels = [
            ("-" if r.startswith("^") else "+") + str(rel_index[r.lstrip("^")])
            for r in link.relations
        ]
        return [index[link.source], index[link.target], link.documents, int(link.lexicon), rels]

    def node_row(n: str) -> dict[str, Any]:
        node = network.node(n)
        row: dict[str, Any] = {
            "id": index[n],
            "iri": n,
            "label": node.label,
            "en": node.label_en,
            "cls": class_index[node.cls],
            "deg": degree[n],
        }
        if n in profiles:
            row["profile"] = profiles[n]
        if n in overview.positions:
            x, y = overview.positions[n]
            importance = overview.importance[n]
            row.update(
                x=x,
                y=y,
                imp=importance,
                size=_size(node, importance, True),
                com=overview.community[n],
                more=[index[k.target if k.source == n else k.source] for k in overview.expand[n]],
            )
        return row

    return {
        "classes": class_rows(network, class_names),
        "relations": [
            {"name": r, "zh": network.relations[r].zh, "en": network.relations[r].en}
            for r in rel_names
        ],
        "communities": [
            {
                "name": name,
                "color": PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR,
                "count": sum(1 for c in overview.community.values() if c == i),
            }
            for i, name in enumerate(names)
        ],
        "core": len(overview.core),
        "nodes": [node_row(n) for n in order],
        "links": [link_row(k) for k in overview.links],
        "extraLinks": [
            link_row(k)
            for k in sorted(
                {k for ks in overview.expand.values() for k in ks},
                key=lambda k: (k.source, k.target),
            )
        ],
        "isolated": [
            {"label": network.node(n).label, "cls": network.node(n).cls, "iri": n}
            for n in overview.isolated
        ],
        "totals": {"nodes": len(network.nodes), "edges": len(network.edges)},
    }


def zone_slug(iri: str) -> str:
    """The name of a zone's profile page, ``zones/<slug>.html``: the IRI's last segment."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def profile_links(overview: Overview, folder: Path, prefix: str = "zones/") -> dict[str, str]:
    """Links to the zone profile pages that exist in ``folder`` (``OUT/zones``)."""
    links = {}
    for n in overview.core + overview.isolated:
        if overview.network.node(n).cls in ANCHOR_CLASSES[:2]:
            name = f"{zone_slug(n)}.html"
            if (folder / name).is_file():
                links[n] = prefix + name
    return links


def render_overview(
    overview: Overview,
    *,
    subtitle: str,
    links: Sequence[tuple[str, str]] = (),
    profiles: Mapping[str, str] | None = None,
) -> bytes:
    """The overview page as UTF-8 bytes: the same safety rules as :func:`kg.views.html.render_html`
    (escaped JSON, textContent, a CSP that allows only the page's scripts and no request)."""
    from .html import BUILD_GENERATOR, HEADING, page_bytes

    return page_bytes(
        "overview-sidebar.html",
        overview_payload(overview, profiles),
        app_scripts=("labels.js", "overview.js"),
        heading=HEADING.replace("关系图", "概览图").replace("relation map", "overview"),
        subtitle=subtitle,
        links=links,
        generator=BUILD_GENERATOR,
    )


def describe_overview(overview: Overview, source: str) -> str:
    whole = overview.network
    return " · ".join(
        [
            f"来源 source: {source}",
            f"{len(overview.core)} 实体 entities, {len(overview.links)} 关系 links drawn "
            f"(of {len(whole.nodes)} entities, {len(whole.edges)} relations)",
            "试验区、片区及其主要产业、伙伴国家、倡议、平台 zones, areas and what defines them",
        ]
    )
