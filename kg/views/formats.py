"""The network written for Gephi and spreadsheets: GraphML, GEXF and CSV (nodes.csv, edges.csv)."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import OutputError
from ..rdf.serialize import write_atomic
from ..rdf.xmltext import xml_safe
from .network import Network
from .read_graph import load_network

_CSV_RISKY = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A spreadsheet cell that cannot be a formula (labels come from untrusted texts)."""
    text = str(value)
    return "'" + text if text.startswith(_CSV_RISKY) else text


def _csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    # UTF-8 with a byte-order mark: spreadsheet programs then read the Chinese correctly.
    return buffer.getvalue().encode("utf-8-sig")


def network_csv(network: Network) -> tuple[bytes, bytes]:
    """``nodes.csv`` and ``edges.csv`` for spreadsheets."""
    degree = network.degrees()
    labels = {n.id: n.label for n in network.nodes}
    node_rows: list[list[object]] = [
        [
            "id",
            "label",
            "label_en",
            "class",
            "class_zh",
            "aliases",
            "degree",
            "sentences",
            "documents",
        ]
    ]
    for n in network.nodes:
        docs = sorted(
            {
                network.documents[s.document].title
                for s in network._sentences(n.sentences)
                if s.document
            }
        )
        node_rows.append(
            [n.id, n.label, n.label_en, n.cls, network.classes[n.cls].zh, " | ".join(n.aliases),
             degree[n.id], len(n.sentences), " | ".join(docs)]
        )  # fmt: skip
    edge_rows: list[list[object]] = [
        ["source", "target", "source_label", "target_label", "relation", "relation_zh",
         "relation_en", "evidence", "documents"]
    ]  # fmt: skip
    for e in network.edges:
        term = network.relations[e.relation]
        found = network._sentences(e.sentences)
        edge_rows.append(
            [e.source, e.target, labels[e.source], labels[e.target], e.relation, term.zh, term.en,
             "\n".join(s.text for s in found),
             " | ".join(sorted({network.documents[s.document].title for s in found if s.document}))]
        )  # fmt: skip
    return _csv(node_rows), _csv(edge_rows)


def _xml_safe_graph(graph: Any) -> Any:
    """``graph`` (changed in place, or relabelled) without the characters XML 1.0 forbids in
    its node ids and string attributes: a form feed in a title would make GraphML fail and
    GEXF unreadable (see :mod:`kg.rdf.xmltext`)."""

    def clean(attrs: dict[str, Any]) -> None:
        for key, value in attrs.items():
            if isinstance(value, str):
                attrs[key] = xml_safe(value)

    clean(graph.graph)
    for _, attrs in graph.nodes(data=True):
        clean(attrs)
    for *_, attrs in graph.edges(data=True):
        clean(attrs)
    renamed = {n: xml_safe(n) for n in graph if isinstance(n, str) and xml_safe(n) != n}
    return nx.relabel_nodes(graph, renamed) if renamed else graph


def network_bytes(network: Network, fmt: str) -> bytes:
    """``network`` as GraphML or GEXF (byte-stable: sorted, no timestamp)."""
    graph = _xml_safe_graph(network.to_networkx())
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True)
        return buffer.getvalue()
    if fmt == "gexf":
        nx.write_gexf(graph, buffer, encoding="utf-8", prettyprint=True)
        # networkx stamps today's date into <meta>: drop it so the same graph gives the same bytes.
        return re.sub(rb' lastmodifieddate="[^"]*"', b"", buffer.getvalue(), count=1)
    raise OutputError(f"unknown network format {fmt!r}; use graphml, gexf or csv")


def export_network(fmt: str, data: str | None, out_dir: str, output: str) -> list[Path]:
    """Write the network of a built graph as GraphML, GEXF or CSV and return the files written.

    ``output`` is a file (a folder for csv, which writes ``nodes.csv`` and ``edges.csv``);
    ``-`` writes GraphML/GEXF to stdout and CSV into ``out_dir``.
    """
    if fmt not in ("graphml", "gexf", "csv"):
        raise OutputError(f"unknown network format {fmt!r}; use graphml, gexf or csv")
    network, _ = load_network(data, out_dir, output_option="-o")
    if fmt == "csv":
        folder = Path(out_dir) if output == "-" else Path(output)
        if folder.exists() and not folder.is_dir():
            raise OutputError(
                f"{folder}: is a file; csv writes nodes.csv and edges.csv into a folder, give -o FOLDER"
            )
        nodes, edges = network_csv(network)
        write_atomic(folder / "nodes.csv", nodes)
        write_atomic(folder / "edges.csv", edges)
        return [folder / "nodes.csv", folder / "edges.csv"]
    data_bytes = network_bytes(network, fmt)
    if output == "-":
        sys.stdout.buffer.write(data_bytes)
        sys.stdout.flush()
        return []
    write_atomic(Path(output), data_bytes)
    return [Path(output)]
