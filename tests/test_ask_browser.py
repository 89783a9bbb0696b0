"""The question box of the ``ftz-kg serve`` page, in headless Debian Chromium (Playwright).

A question typed above the query editor becomes SPARQL in a new editor tab, which runs and
shows the answer with its source sentences; a question not understood says so under the
box. Waits are on what the page fills, never on sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.serve.config import ServerConfig

from .conftest import CHROMIUM, free_port, require_chromium

require_chromium()
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed"
)

TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def page(seed_store: Path, serve_in_thread: Any) -> Iterator[Any]:
    config = ServerConfig(out_dir=seed_store, port=free_port(), timeout=10.0, workers=1)
    with serve_in_thread(config) as base, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context()
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "/")
        page.wait_for_selector(".yasgui .CodeMirror", timeout=TIMEOUT_MS)
        yield page
        assert errors == []
        context.close()
        browser.close()


def test_a_question_opens_its_query_in_the_editor_and_runs_it(page: Any) -> None:
    page.fill("#ask-q", "满洲里片区面向哪些国家？")
    page.click("#ask-form button[type=submit]")
    page.wait_for_selector("#ask-status:has-text('countries')", timeout=TIMEOUT_MS)
    assert "满洲里片区 → 满洲里片区" in page.text_content("#ask-status")
    page.wait_for_selector(".yasr table td:has-text('俄罗斯')", timeout=TIMEOUT_MS)
    editor = page.evaluate("window.ftzKg.yasgui.getTab().getQuery()")
    assert "VALUES (?subject) { (<https://w3id.org/ftz-kg/id/area/neimenggu-manzhouli>) }" in editor
    headers = page.locator(".yasr table thead th").all_text_contents()
    assert any("source" in h for h in headers), headers


def test_a_question_not_understood_is_explained_under_the_box(page: Any) -> None:
    page.fill("#ask-q", "今天天气怎么样")
    page.click("#ask-form button[type=submit]")
    page.wait_for_selector("#ask-status.error", timeout=TIMEOUT_MS)
    text = page.text_content("#ask-status")
    assert "did not understand" in text and "例 e.g." in text
