"""The overview map and the laid-out whole graph in a real browser (headless Debian Chromium).

On the seed and on a build of a fixed small subset of ../shared/corpus (skipped when that
folder is absent): no request leaves the page, no console error, the drawn counts equal
the data, no two visible labels overlap once the map is drawn (the label boxes the page
placed, checked against the nodes' positions and the text widths the browser measures),
a click expands a node, and injected markup stays text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.build import build
from kg.views.html import describe, render_html
from kg.views.network import Edge, Network, Node, Sentence, SourceDocument, Term
from kg.views.overview import build_overview, describe_overview, render_overview
from kg.views.read_graph import build_network

from .conftest import CORPUS, CORPUS_SUBSET, require_shared
from .test_view_browser import Opened, assert_inert, browser, open_map  # noqa: F401

# The label boxes the page drew, checked in the page against what the browser measures:
# each box holds its text at the label font and touches its node; returns the boxes and
# the pairs that overlap.
LABEL_CHECK = """() => {
  const net = ftzMap.network, layer = ftzMap.labels;
  const boxes = layer.boxes();
  const ctx = document.createElement('canvas').getContext('2d');
  const bad = [];
  for (const b of boxes) {
    ctx.font = b.anchor ? layer.anchorFont : layer.font;
    const text = ctx.measureText(b.text).width;
    const p = net.canvasToDOM(net.getPositions([b.id])[b.id]);
    const r = net.body.nodes[b.id].options.size * net.getScale();
    const near = p.x >= b.x - r - 3 && p.x <= b.x + b.w + r + 3 &&
                 p.y >= b.y - r - 3 && p.y <= b.y + b.h + r + 3;
    if (b.w < text || !near) bad.push([b.text, b.w, text, near]);
  }
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], c = boxes[j];
    if (a.x < c.x + c.w && c.x < a.x + a.w && a.y < c.y + c.h && c.y < a.y + a.h)
      overlaps.push([a.text, c.text]);
  }
  return {count: boxes.length, texts: boxes.map(b => b.text), bad, overlaps};
}"""


def _redrawn(opened: Opened, scale: float) -> None:
    opened.js(
        """s => new Promise(done => {
            ftzMap.network.once('afterDrawing', () => done(true));
            ftzMap.network.moveTo({scale: s});
        })""",
        scale,
    )


def _check_labels(opened: Opened) -> dict[str, Any]:
    result: dict[str, Any] = opened.js(LABEL_CHECK)
    assert result["count"] > 0
    assert result["bad"] == []
    assert result["overlaps"] == []
    return result


def _check_page(opened: Opened) -> None:
    assert opened.outside == []
    assert all(u.startswith(("file:", "data:")) for u in opened.requests), opened.requests
    assert opened.errors == []


def _overview_page(network: Network, folder: Path) -> Path:
    overview = build_overview(network)
    path = folder / "kg.html"
    path.write_bytes(render_overview(overview, subtitle=describe_overview(overview, "test")))
    return path


def _whole_page(network: Network, folder: Path) -> Path:
    path = folder / "all.html"
    path.write_bytes(render_html(network, subtitle=describe(network, "test", []), laid_out=True))
    return path


@pytest.fixture(scope="module")
def seed_overview(seed_network: Network, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _overview_page(seed_network, tmp_path_factory.mktemp("overview"))


@pytest.fixture(scope="module")
def corpus_network(tmp_path_factory: pytest.TempPathFactory) -> Network:
    require_shared(CORPUS)
    out = tmp_path_factory.mktemp("corpus-subset")
    result = build([CORPUS / name for name in CORPUS_SUBSET], out / "out", outputs=())
    return build_network(result.graph)


def _opens_with_everything_drawn(opened: Opened) -> dict[str, Any]:
    _check_page(opened)
    counts: dict[str, Any] = opened.js(
        """({core: ftzMap.data.core, links: ftzMap.data.links.length,
             nodes: ftzMap.network.body.nodeIndices.length,
             edges: ftzMap.network.body.edgeIndices.length,
             isolated: document.querySelectorAll('#ftz-isolated li').length,
             listed: ftzMap.data.isolated.length})"""
    )
    assert counts["nodes"] == counts["core"] and counts["edges"] == counts["links"]
    assert counts["isolated"] == counts["listed"]
    return counts


def test_seed_overview_opens_offline_drawn_with_no_label_overlap(
    open_map,  # noqa: F811
    seed_overview,
    seed_network,
):
    opened = open_map(seed_overview)
    counts = _opens_with_everything_drawn(opened)
    overview = build_overview(seed_network)
    assert counts["core"] == len(overview.core) and counts["links"] == len(overview.links)
    labels = _check_labels(opened)
    assert "中国（内蒙古）自由贸易试验区" in labels["texts"], "the zone's own name is shown"
    _redrawn(opened, 0.35)  # zoomed out: fewer labels fit, still none on another
    assert _check_labels(opened)["count"] <= labels["count"]
    _redrawn(opened, 3.0)
    _check_labels(opened)
    assert opened.errors == []


def test_a_click_expands_a_node_into_its_neighbourhood(open_map, seed_overview, seed_network):  # noqa: F811
    opened = open_map(seed_overview)
    overview = build_overview(seed_network)
    zone = opened.js(
        "iri => ftzMap.data.nodes.find(n => n.iri === iri).id",
        "https://w3id.org/ftz-kg/id/zone/neimenggu",
    )
    before = opened.js("ftzMap.nodes.length")
    opened.click_node(zone)
    added = len(overview.expand["https://w3id.org/ftz-kg/id/zone/neimenggu"])
    assert added > 0
    assert opened.js("ftzMap.network.body.nodeIndices.length") == before + added
    assert opened.page.text_content("#ftz-panel-body h2") == "中国（内蒙古）自由贸易试验区"
    assert "份文件 documents" in opened.panel_text()
    _check_labels(opened)
    opened.page.click("#ftz-reset")
    assert opened.js("ftzMap.network.body.nodeIndices.length") == before
    assert opened.errors == []


def test_seed_whole_graph_is_laid_out_before_it_opens(
    open_map,  # noqa: F811
    seed_network,
    tmp_path: Path,
):
    opened = open_map(_whole_page(seed_network, tmp_path))
    _check_page(opened)
    assert opened.js("ftzMap.network.physics.physicsEnabled") is False
    counts = opened.js(
        "[ftzMap.network.body.nodeIndices.length, ftzMap.network.body.edgeIndices.length]"
    )
    assert counts == [len(seed_network.nodes), len(seed_network.edges)]
    positions = opened.js("ftzMap.network.getPositions()")
    first = opened.js("ftzMap.data.nodes[0]")
    at = positions[str(first["id"])]  # (vis-network rounds positions to whole pixels)
    assert abs(at["x"] - first["x"]) < 1 and abs(at["y"] - first["y"]) < 1, "not moved"
    _check_labels(opened)


def test_corpus_subset_overview_and_whole_graph(
    open_map,  # noqa: F811
    corpus_network,
    tmp_path: Path,
):
    opened = open_map(_overview_page(corpus_network, tmp_path))
    counts = _opens_with_everything_drawn(opened)
    assert counts["core"] >= 30, "several zones with their areas and what defines them"
    zones = [n for n in corpus_network.nodes if n.cls == "PilotFreeTradeZone"]
    assert len(zones) >= 3
    shown = _check_labels(opened)["texts"]
    assert any(z.label in shown for z in zones)
    _redrawn(opened, 1.5)
    _check_labels(opened)

    whole = open_map(_whole_page(corpus_network, tmp_path))
    _check_page(whole)
    assert whole.js("ftzMap.network.body.nodeIndices.length") == len(corpus_network.nodes)
    assert whole.js("ftzMap.network.body.edgeIndices.length") == len(corpus_network.edges)
    _check_labels(whole)


def _hostile_network() -> Network:
    """A zone, an area and a sector whose names and evidence are markup."""
    zone, area, sector = "urn:zone", "urn:area", "urn:sector"
    doc = SourceDocument("urn:doc", 'doc"><img src=x onerror=alert(4)>', "inj.txt")
    said = Sentence("urn:s", "</script><script>window.__pwned=1</script>说", "urn:doc", 0)
    nodes = (
        Node(zone, "PilotFreeTradeZone", "<img src=x onerror=alert(1)>试验区", "", (), ("urn:s",)),
        Node(area, "Area", '"><svg onload=alert(2)>片区', "", (), ("urn:s",)),
        Node(sector, "Sector", "</script><script>window.__pwned=1</script>", "", (), ()),
    )
    edges = (
        Edge(zone, area, "hasArea", ("urn:s",)),
        Edge(area, sector, "focusesOnSector", ("urn:s",)),
    )
    return Network(
        nodes,
        edges,
        sentences={"urn:s": said},
        documents={"urn:doc": doc},
        classes={
            "PilotFreeTradeZone": Term("PilotFreeTradeZone", "urn:Z", "自由贸易试验区", "Zone"),
            "Area": Term("Area", "urn:A", "片区", "Area"),
            "Sector": Term("Sector", "urn:S", "产业领域", "Sector"),
        },
        relations={
            "hasArea": Term("hasArea", "urn:h", "包含片区", "has area"),
            "focusesOnSector": Term("focusesOnSector", "urn:f", "重点发展产业", "focuses on"),
        },
    )


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_injected_markup_stays_text_on_the_overview(
    open_map,  # noqa: F811
    tmp_path: Path,
    bypass_csp: bool,
):
    network = _hostile_network()
    overview = build_overview(network)
    assert len(overview.core) == 3
    path = tmp_path / "inj.html"
    path.write_bytes(render_overview(overview, subtitle='"><svg onload=alert(6)>'))
    opened = open_map(path, bypass_csp=bypass_csp)

    def inert() -> None:
        assert_inert(opened)

    inert()
    assert opened.errors == []
    assert '"><svg onload=alert(6)>' in (opened.page.text_content("#ftz-subtitle") or "")
    labels = _check_labels(opened)["texts"]
    assert "<img src=x onerror=alert(1)>试验区" in labels, "drawn on the canvas as text"
    for node in network.nodes:
        opened.click_node(
            opened.js("l => ftzMap.data.nodes.find(n => n.label === l).id", node.label)
        )
        assert opened.page.text_content("#ftz-panel-body h2") == node.label
        inert()
    opened.page.fill("#ftz-search", "svg")
    assert '"><svg onload=alert(2)>片区' in (opened.page.text_content("#ftz-results") or "")
    inert()
    assert opened.errors == []
