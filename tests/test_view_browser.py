"""The relation map in a real browser: headless Debian Chromium driven by Playwright.

Pages are opened from file:// URLs with every other request refused and recorded. Waits are
on conditions the page sets (``data-ftz-ready`` once the layout has settled and the map is
drawn, ``data-ftz-focus`` once a search has centred a node), never on sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kg.views.html import describe, render_html
from kg.views.network import Network
from kg.views.read_graph import build_network

from .conftest import require_chromium
from .test_view import INJECTION_TEXT

require_chromium()
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
)

TIMEOUT_MS = 60_000
READY = "html[data-ftz-ready='1']"


@dataclass
class Opened:
    page: Any
    outside: list[str] = field(default_factory=list)  # requests that tried to leave the page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def node_id(self, label: str) -> int:
        found: int = self.js("l => ftzMap.data.nodes.find(n => n.label === l).id", label)
        return found

    def click_at(self, canvas_point_js: str, arg: Any) -> None:
        """Zoom onto a point of the map (given by a JS expression of ``arg``) and click it."""
        x, y = self.js(
            f"""arg => {{
                const net = ftzMap.network;
                const point = ({canvas_point_js})(arg);
                net.moveTo({{ position: point, scale: 2.5 }});
                const dom = net.canvasToDOM(point);
                const box = document.getElementById('ftz-network').getBoundingClientRect();
                return [dom.x + box.left, dom.y + box.top];
            }}""",
            arg,
        )
        self.page.mouse.click(x, y)

    def click_node(self, node: int) -> None:
        self.click_at("id => ftzMap.network.getPositions([id])[id]", node)
        self.page.wait_for_selector(
            f"#ftz-panel-body[data-kind='node'][data-id='{node}']", timeout=TIMEOUT_MS
        )

    def panel_text(self) -> str:
        text: str = self.page.text_content("#ftz-panel-body") or ""
        return text


@pytest.fixture(scope="module")
def browser(chromium_browser: Any) -> Any:
    # one Playwright per session: a second sync_playwright() cannot start beside it
    return chromium_browser


@pytest.fixture()
def open_map(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_(path: Path, *, bypass_csp: bool = False) -> Opened:
        context = browser.new_context(
            viewport={"width": 1400, "height": 850}, bypass_csp=bypass_csp
        )
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page)

        def route(route: Any) -> None:
            url = route.request.url
            if url.startswith("file:"):
                route.continue_()
            else:
                opened.outside.append(url)
                route.abort()

        context.route("**/*", route)
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))

        def dialog(d: Any) -> None:
            opened.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.goto(path.resolve().as_uri())
        page.wait_for_selector(READY, state="attached", timeout=TIMEOUT_MS)
        return opened

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def seed_page(seed_network: Network, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("map") / "kg.html"
    path.write_bytes(render_html(seed_network, subtitle=describe(seed_network, "seeds", [])))
    return path


@pytest.fixture(scope="module")
def injection_page(
    graph_from_text: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Network]:
    network = build_network(
        graph_from_text(INJECTION_TEXT, name="inj<img src=x onerror=alert(5)>.txt")
    )
    path = tmp_path_factory.mktemp("inj") / "inj.html"
    path.write_bytes(
        render_html(
            network, subtitle=describe(network, "inj.txt", ['focus "><svg onload=alert(6)>'])
        )
    )
    return path, network


def test_seed_map_opens_offline_with_every_node_and_edge_drawn(open_map, seed_page, seed_network):
    opened = open_map(seed_page)
    assert opened.outside == []
    assert all(u.startswith(("file:", "data:")) for u in opened.requests), opened.requests
    assert opened.errors == []
    counts = opened.js(
        """[ftzMap.nodes.length, ftzMap.edges.length,
            ftzMap.network.body.nodeIndices.length, ftzMap.network.body.edgeIndices.length]"""
    )
    assert counts == [len(seed_network.nodes), len(seed_network.edges)] * 2
    title = opened.page.text_content("#ftz-subtitle")
    assert (
        f"{len(seed_network.nodes)} 实体 entities, {len(seed_network.edges)} 关系 relations"
        in title
    )


def test_search_finds_manzhouli_selects_and_centres_it(open_map, seed_page):
    opened = open_map(seed_page)
    target = opened.node_id("满洲里片区")
    # (满洲里 alone now names the city of 满洲里 first, where the area lies)
    opened.page.fill("#ftz-search", "满洲里片")
    first = opened.page.text_content("#ftz-results li:first-child button")
    assert first is not None and first.startswith("满洲里片区")
    opened.page.press("#ftz-search", "Enter")
    opened.page.wait_for_selector(
        f"html[data-ftz-focus='{target}']", state="attached", timeout=TIMEOUT_MS
    )
    assert opened.js("ftzMap.network.getSelectedNodes()") == [target]
    dx, dy = opened.js(
        """id => { const net = ftzMap.network; const v = net.getViewPosition();
                   const p = net.getPositions([id])[id]; return [v.x - p.x, v.y - p.y]; }""",
        target,
    )
    assert abs(dx) < 25 and abs(dy) < 25, "the view is centred on the node"
    assert opened.page.text_content("#ftz-panel-body h2") == "满洲里片区"
    assert opened.errors == []


def test_clicking_a_node_shows_its_source_sentences(open_map, seed_page, seed_network):
    opened = open_map(seed_page)
    area = seed_network.node("https://w3id.org/ftz-kg/id/area/neimenggu-manzhouli")
    opened.click_node(opened.node_id("满洲里片区"))
    text = opened.panel_text()
    assert "片区 · Area" in text and "Manzhouli Area" in text
    first = seed_network.sentences[area.sentences[0]]
    assert first.text in text
    assert seed_network.documents[first.document].title in text
    assert opened.page.is_visible("#ftz-panel")


def test_clicking_an_edge_shows_its_evidence_and_english_name(open_map, seed_page, seed_network):
    opened = open_map(seed_page)
    candidates = [
        i
        for i, e in enumerate(seed_network.edges)
        if e.relation == "focusesOnSector" and e.sentences
    ]
    # an edge whose midpoint no node or other edge covers, so the click reaches it
    edge_index = opened.js(
        """ids => ids.find(id => {
            const net = ftzMap.network;
            const dom = net.canvasToDOM(net.body.edges[id].edgeType.getPoint(0.5));
            return net.getNodeAt(dom) === undefined && net.getEdgeAt(dom) === id;
        })""",
        candidates,
    )
    assert edge_index is not None
    edge = seed_network.edges[edge_index]
    opened.click_at("id => ftzMap.network.body.edges[id].edgeType.getPoint(0.5)", edge_index)
    opened.page.wait_for_selector(
        f"#ftz-panel-body[data-kind='edge'][data-id='{edge_index}']", timeout=TIMEOUT_MS
    )
    text = opened.panel_text()
    assert "重点发展产业 · focuses on sector" in text
    assert seed_network.sentences[edge.sentences[0]].text in text
    label = opened.js("id => ftzMap.edges.get(id).label", edge_index)
    assert label == "重点发展产业"


def test_class_filter_and_freezing_physics(open_map, seed_page, seed_network):
    opened = open_map(seed_page)
    opened.page.click("input[data-class='Sector']")
    sectors = {n.id for n in seed_network.nodes if n.cls == "Sector"}
    kept_edges = [
        e for e in seed_network.edges if e.source not in sectors and e.target not in sectors
    ]
    counts = opened.js(
        "[ftzMap.network.body.nodeIndices.length, ftzMap.network.body.edgeIndices.length]"
    )
    assert counts == [len(seed_network.nodes) - len(sectors), len(kept_edges)]
    opened.page.click("input[data-class='Sector']")
    assert opened.js("ftzMap.network.body.nodeIndices.length") == len(seed_network.nodes)
    opened.page.click("#ftz-physics")
    assert opened.js("ftzMap.network.physics.physicsEnabled") is False
    assert "unfreeze" in (opened.page.text_content("#ftz-physics") or "")
    assert opened.errors == []


def assert_inert(opened: Opened) -> None:
    """Nothing the documents said has run or become markup, and nothing left the page."""
    assert opened.dialogs == []
    assert opened.js("typeof window.__pwned") == "undefined"
    assert (
        opened.js(
            "document.querySelectorAll('img, iframe, svg[onload], [onerror], [onload]').length"
        )
        == 0
    )
    assert opened.js("document.scripts.length") == 3
    assert opened.outside == []


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_injected_markup_stays_text_and_never_runs(open_map, injection_page, bypass_csp):
    path, network = injection_page
    opened = open_map(path, bypass_csp=bypass_csp)

    def inert() -> None:
        assert_inert(opened)

    inert()
    assert opened.errors == []
    subtitle = opened.page.text_content("#ftz-subtitle") or ""
    assert 'focus "><svg onload=alert(6)>' in subtitle

    article = next(n for n in network.nodes if n.cls == "Article")
    assert (
        "<svg onload=alert(2)>" in article.label and "<img src=x onerror=alert(1)>" in article.label
    )
    article_id = opened.node_id(article.label)
    opened.click_node(article_id)
    assert opened.page.text_content("#ftz-panel-body h2") == article.label

    # hover tooltip: the label as text
    x, y = opened.js(
        """id => { const net = ftzMap.network; const p = net.canvasToDOM(net.getPositions([id])[id]);
                   const box = document.getElementById('ftz-network').getBoundingClientRect();
                   return [p.x + box.left, p.y + box.top]; }""",
        article_id,
    )
    box = opened.page.locator("#ftz-network").bounding_box()
    opened.page.mouse.move(box["x"] + 3, box["y"] + 3)  # leave the node (the click hid its tooltip)
    opened.page.mouse.move(x, y, steps=4)
    opened.page.wait_for_selector("#ftz-tooltip:not([hidden])", timeout=TIMEOUT_MS)
    assert article.label in (opened.page.text_content("#ftz-tooltip") or "")

    # the area's sentences carry the other payloads
    opened.page.fill("#ftz-search", "满洲里片区")
    opened.page.press("#ftz-search", "Enter")
    opened.page.wait_for_selector("#ftz-panel-body h2:text-is('满洲里片区')", timeout=TIMEOUT_MS)
    text = opened.panel_text()
    assert "<img src=x onerror=alert(3)>" in text
    assert "</script><script>window.__pwned=1</script>" in text
    assert "inj<img src=x onerror=alert(5)>.txt" in text

    # search results list the label as text too
    opened.page.fill("#ftz-search", "svg")
    assert article.label in (opened.page.text_content("#ftz-results") or "")

    # an edge's evidence panel, reached through the node panel's relation list
    opened.page.fill("#ftz-search", "满洲里片区")
    opened.page.press("#ftz-search", "Enter")
    opened.page.click("#ftz-panel-body .ftz-relations button:has-text('俄罗斯')")
    opened.page.wait_for_selector("#ftz-panel-body[data-kind='edge']", timeout=TIMEOUT_MS)
    assert "</script><script>window.__pwned=1</script>" in opened.panel_text()
    inert()
