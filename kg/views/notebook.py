"""The relation map as a ``pyvis.network.Network``, for notebook users.

pyvis is an optional extra (``pip install 'ftz-kg[notebook]'``). The network it returns
holds the same nodes, colours, shapes and sizes as the built-in page, and tooltips as
plain text (the label, English name, class, degree and the first source sentences); it
has none of the page's panel, search, class filter, label placement or offline
guarantees: pyvis's own HTML loads its scripts from CDNs. See the README.
"""

from __future__ import annotations

from typing import Any

from ..errors import OutputError
from .network import Network

__all__ = ["to_pyvis"]

_TOOLTIP_SENTENCES = 3


def _tooltip(network: Network, node_id: str, degree: int) -> str:
    node = network.node(node_id)
    term = network.classes.get(node.cls)
    lines = [node.label]
    if node.label_en:
        lines.append(node.label_en)
    lines.append(f"{term.zh} · {term.en}" if term else node.cls)
    lines.append(f"{degree} 关系 relations, {len(node.sentences)} 来源句子 source sentences")
    for sentence_id in node.sentences[:_TOOLTIP_SENTENCES]:
        sentence = network.sentences.get(sentence_id)
        if sentence is not None:
            lines.append("“" + sentence.text + "”")
    return "\n".join(lines)


def to_pyvis(network: Network, *, height: str = "750px", **options: Any) -> Any:
    """A ``pyvis.network.Network`` (directed) of ``network``: node ids are the entity
    IRIs, labels the Chinese labels (cut like the page's), colours and shapes per class
    as in :data:`kg.views.html.CLASS_STYLES`, edges labelled with the relation's Chinese name.

    ``options`` go to ``pyvis.network.Network`` (``notebook=True``,
    ``cdn_resources="remote"`` …). Raises :class:`~kg.errors.OutputError` when pyvis is
    not installed."""
    try:
        from pyvis.network import Network as PyvisNetwork
    except ImportError as exc:
        raise OutputError(
            "to_pyvis needs pyvis: pip install 'ftz-kg[notebook]' (or pip install pyvis)"
        ) from exc
    from .html import CLASS_STYLES, _short, _size

    net = PyvisNetwork(height=height, directed=True, **options)
    degree = network.degrees()
    for node in network.nodes:
        color, shape = CLASS_STYLES[node.cls]
        net.add_node(
            node.id,
            label=_short(node.label),
            title=_tooltip(network, node.id, degree[node.id]),
            color=color,
            shape=shape,
            size=_size(degree[node.id]),
        )
    for edge in network.edges:
        term = network.relations.get(edge.relation)
        zh, en = (term.zh, term.en) if term else (edge.relation, edge.relation)
        source = network.node(edge.source).label
        target = network.node(edge.target).label
        evidence = [network.sentences[s].text for s in edge.sentences if s in network.sentences]
        title = f"{en} ({zh})\n{source} → {target}"
        title += "\n" + ("“" + evidence[0] + "”" if evidence else "来自词表 from the lexicon")
        net.add_edge(edge.source, edge.target, label=zh, title=title)
    return net
