"""Shared fixtures: the seed graph is built once per session into a temporary folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import pytest

from kg.build import build
from kg.build.result import BuildResult
from kg.extract.pipeline import Pipeline, default_pipeline

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILE = SEEDS / "000_feab58405e0196af.txt"
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# A few texts of the corpus that name several zones and their areas, small enough for CI.
CORPUS_SUBSET = (
    "chongqing-ftz-regulation-2019.txt",
    "shandong-ftz-regulation-2020.txt",
    "zhejiang-ftz-regulation-2017.txt",
    "hainan-ftp-master-plan-2020-excerpt.txt",
    "ftz-official-announcements-xwlb-2022-2026.txt",
    "policy-docs-ai-digital-2013-2024/central-001-2013-08-21.txt",
)


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return default_pipeline()


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    out = tmp_path_factory.mktemp("seed-out")
    return build([SEEDS], out, outputs=())


@pytest.fixture(scope="session")
def seed_network(seed_build: BuildResult):  # type: ignore[no-untyped-def]
    """The seed build as a :class:`kg.views.network.Network` (what the maps draw)."""
    from kg.views.read_graph import build_network

    return build_network(seed_build.graph)


@pytest.fixture(scope="session")
def data_file(seed_build: BuildResult) -> str:
    """The seed build's ``kg.ttl``, for ``--data``."""
    return str(seed_build.out_dir / "kg.ttl")


@pytest.fixture()
def extract(pipeline: Pipeline):  # type: ignore[no-untyped-def]
    """Extract from a snippet of text: ``extract("……")`` → Extraction."""
    from kg.read.documents import document_from_bytes

    def run(text: str):  # type: ignore[no-untyped-def]
        doc = document_from_bytes(text.encode("utf-8"), name="snippet.txt", path="snippet.txt")
        return pipeline(doc)

    return run


def unavailable(reason: str) -> NoReturn:
    """Skip where a tool or data is missing here, but fail on CI, whose .ci/run installs
    everything: a skip there would hide a broken install or a missing step."""
    import os

    if os.environ.get("CI"):
        pytest.fail(f"{reason} (on CI)", pytrace=False)
    pytest.skip(reason)


def import_or_unavailable(module: str) -> Any:
    """``pytest.importorskip`` that fails on CI (see :func:`unavailable`)."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        unavailable(f"{module} is not installed")


def require_shared(path: Path) -> Path:
    """``path`` under ../shared: skipped where it is absent, but failed on CI, which lays
    ../shared beside the clone (a skip there would hide what the tests no longer check)."""
    if path.exists():
        return path
    unavailable(f"../shared/{path.relative_to(ROOT.parent / 'shared')} is not present")


@pytest.fixture(scope="session")
def corpus() -> Path:
    return require_shared(CORPUS)


@pytest.fixture(scope="session")
def graph_from_text(pipeline: Pipeline):  # type: ignore[no-untyped-def]
    """Build the RDF graph of a snippet of text: ``graph_from_text("……")`` → rdflib Graph."""
    from kg.rdf.graph import build_dataset, union_graph
    from kg.read.documents import document_from_bytes

    def run(text: str, name: str = "snippet.txt"):  # type: ignore[no-untyped-def]
        doc = document_from_bytes(text.encode("utf-8"), name=name, path=name)
        return union_graph(build_dataset([pipeline(doc)], pipeline.lexicon))

    return run


@pytest.fixture(scope="session")
def seed_store(seed_build: BuildResult) -> Path:
    """The seed build's folder with its SPARQL store (``OUT/store``) loaded, as ``ftz-kg build`` does."""
    from kg.build.outputs import store_output

    store_output(seed_build)
    return seed_build.out_dir


@pytest.fixture(scope="session")
def wait_http():  # type: ignore[no-untyped-def]
    """``wait_http(url, ok=callable, timeout=30)``: poll ``url`` until it answers (no sleeps as sync)."""
    import time

    import httpx

    def wait(url: str, ok=lambda r: r.status_code < 500, timeout: float = 30.0, proc=None):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(
                    f"the server exited with {proc.returncode} before answering {url}"
                )
            try:
                response = httpx.get(url, timeout=2.0)
                if ok(response):
                    return response
                last = response.status_code
            except httpx.TransportError as exc:
                last = exc
            time.sleep(0.05)  # polling interval, not synchronisation: the loop waits on the answer
        raise TimeoutError(f"{url} did not become ready in {timeout} s (last: {last})")

    return wait


@pytest.fixture(scope="session")
def serve_in_thread(wait_http):  # type: ignore[no-untyped-def]
    """``with serve_in_thread(config) as base:`` a real uvicorn ``ftz-kg serve`` on 127.0.0.1
    (``config.port`` must be free), ready when its workers are; stopped on exit."""
    import contextlib
    import threading

    import uvicorn

    from kg.serve.app import create_app

    @contextlib.contextmanager
    def serve(config):  # type: ignore[no-untyped-def]
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(config), host="127.0.0.1", port=config.port, log_level="warning"
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{config.port}"
        wait_http(
            base + "/health",
            ok=lambda r: r.status_code == 200 and r.json()["workers_ready"] == config.workers,
            timeout=60,
        )
        try:
            yield base
        finally:
            server.should_exit = True
            thread.join(timeout=30)

    return serve


def free_port() -> int:
    """A port nothing listens on at the moment, on 127.0.0.1."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


CHROMIUM = "/usr/bin/chromium"


def require_chromium() -> None:
    """Skip the browser tests where Debian's chromium is not installed, but fail on CI,
    whose .ci/run installs it (a skipped browser test there would hide a missing step)."""
    import os

    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing on CI: .ci/run must install chromium", pytrace=False)
    pytest.skip(
        f"{CHROMIUM} is missing: `apt-get install chromium` to run the browser tests",
        allow_module_level=True,
    )


BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
]


@pytest.fixture(scope="session")
def chromium_browser():  # type: ignore[no-untyped-def]
    """Debian's headless chromium driven by Playwright, for the tests of the offline pages
    (skipped where chromium or playwright is missing, failed on CI: see require_chromium)."""
    require_chromium()
    sync_api = import_or_unavailable("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS
        )
        yield browser
        browser.close()
