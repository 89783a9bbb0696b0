"""Issue 14 in the browser pages: what the query page and the relation map show a user.

Headless Debian Chromium driven by Playwright, as in ``test_server.py`` and
``test_view_browser.py``: waits are on selectors the page fills, never on sleeps.

* Finding 20: the query page's result table shows prefixed names (``id:area/…``) and plain
  labels with the language as a small tag, not full IRIs and ``"…"@zh``; the entity links
  still open this server's ``/id/…`` pages.
* Finding 17 (map part): a relation no sentence supports says "from the lexicon" in the
  map's side panel, as ``ftz-kg query why`` does in its ``source`` column.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.build.result import BuildResult
from kg.serve.config import ServerConfig
from kg.views.html import describe, render_html
from kg.views.network import Network
from kg.views.read_graph import build_network

from .conftest import free_port, require_chromium

require_chromium()
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
)

TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def browser(chromium_browser: Any) -> Any:
    # one Playwright per session: a second sync_playwright() cannot start beside it
    return chromium_browser


@pytest.fixture(scope="module")
def server(seed_store: Path, serve_in_thread: Any) -> Iterator[str]:
    config = ServerConfig(
        out_dir=seed_store, port=free_port(), timeout=10.0, max_rows=1000, workers=1
    )
    with serve_in_thread(config) as base:
        yield base


def test_finding_20_query_page_shows_prefixed_names_and_plain_labels(
    browser: Any, server: str
) -> None:
    context = browser.new_context()
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server + "/")
        page.wait_for_selector(".yasgui .CodeMirror", timeout=TIMEOUT_MS)
        page.click("#saved-queries button:has-text('zones-areas')")
        page.wait_for_selector(".yasr table td:has-text('满洲里片区')", timeout=TIMEOUT_MS)

        link = page.locator(".yasr table a[href$='/area/neimenggu-manzhouli']").first
        # the link reads as a prefixed name and keeps the full IRI as its target
        assert link.text_content() == "id:area/neimenggu-manzhouli"
        assert link.get_attribute("href") == "https://w3id.org/ftz-kg/id/area/neimenggu-manzhouli"
        cells = page.locator(".yasr table tbody td").all_text_contents()
        assert not any("https://w3id.org/ftz-kg/" in c for c in cells), cells
        assert not any(c.startswith("<") for c in cells), cells

        label = page.locator(".yasr table td:has-text('满洲里片区')").first
        text = label.text_content() or ""
        assert '"' not in text and "@zh" not in text, text
        assert text.startswith("满洲里片区")
        # the language is kept, as a small tag after the label
        assert label.locator("sup").first.text_content() == "zh"

        # the entity link still opens this server's page about the entity
        with context.expect_page(timeout=TIMEOUT_MS) as popup:
            link.dispatch_event("click")  # YASR's ellipsis overlay covers part of the link
        entity = popup.value
        entity.wait_for_load_state()
        assert entity.url == server + "/id/area/neimenggu-manzhouli"
        assert "满洲里片区" in entity.title()
    finally:
        context.close()
    assert errors == []


@pytest.fixture(scope="module")
def seed_map(seed_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    network: Network = build_network(seed_build.graph)
    path = tmp_path_factory.mktemp("map") / "kg.html"
    path.write_bytes(render_html(network, subtitle=describe(network, "seeds", [])))
    return path


def test_finding_17_map_panel_says_a_relation_comes_from_the_lexicon(
    browser: Any, seed_build: BuildResult, seed_map: Path
) -> None:
    # the premise: in the seed, 满洲里片区 facesCountry 俄罗斯 has no sentence (lexicon only)
    network = build_network(seed_build.graph)
    label = {n.id: n.label for n in network.nodes}
    faces = [
        e
        for e in network.edges
        if label[e.source] == "满洲里片区"
        and e.relation == "facesCountry"
        and label[e.target] == "俄罗斯"
    ]
    assert len(faces) == 1 and faces[0].sentences == ()
    supported = [
        e for e in network.edges if label[e.source] == "满洲里片区" and e.relation == "locatedIn"
    ]
    assert supported and supported[0].sentences

    context = browser.new_context(viewport={"width": 1400, "height": 850})
    errors: list[str] = []
    try:
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file:") else route.abort()
            ),
        )
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(seed_map.resolve().as_uri())
        page.wait_for_selector("html[data-ftz-ready='1']", state="attached", timeout=TIMEOUT_MS)
        node = page.evaluate("() => ftzMap.data.nodes.find(n => n.label === '满洲里片区').id")
        # a real click on the node where the map draws it
        x, y = page.evaluate(
            """id => {
                const net = ftzMap.network;
                const point = net.getPositions([id])[id];
                net.moveTo({ position: point, scale: 2.5 });
                const dom = net.canvasToDOM(point);
                const box = document.getElementById('ftz-network').getBoundingClientRect();
                return [dom.x + box.left, dom.y + box.top];
            }""",
            node,
        )
        page.mouse.click(x, y)
        page.wait_for_selector(
            f"#ftz-panel-body[data-kind='node'][data-id='{node}']", timeout=TIMEOUT_MS
        )
        relations = page.locator("#ftz-panel-body .ftz-relations li").all_text_contents()
        (russia,) = [r for r in relations if "俄罗斯" in r]
        assert "lexicon" in russia, relations
        # the relations sentences state (locatedIn 满洲里, 内蒙古 hasArea) are not tagged
        others = [r for r in relations if "俄罗斯" not in r]
        assert len(others) == 2 and not any("lexicon" in r for r in others), relations

        # the relation's own panel: "from the lexicon", not an empty evidence list
        page.locator("#ftz-panel-body .ftz-relations li", has_text="俄罗斯").locator(
            "button"
        ).click()
        page.wait_for_selector("#ftz-panel-body[data-kind='edge']", timeout=TIMEOUT_MS)
        panel = page.text_content("#ftz-panel-body") or ""
        assert "from the lexicon" in panel
        assert "evidence (0)" not in panel
        assert page.locator("#ftz-panel-body .ftz-sentences").count() == 0
    finally:
        context.close()
    assert errors == []
