"""Benchmark: how fast the relation map opens in headless Chromium (not a test).

Measures, from ``page.goto`` on a file:// URL until the page reports its layout settled and
drawn (``data-ftz-ready``), with every non-file request refused:

* the seed map (``ftz-kg build`` on seeds/), target < 3 s;
* a 2,000-node view of a scaled graph (the seed graph copied with fresh IRIs, the countries
  shared so the copies hang together), target < 10 s.

Usage::

    python bench/bench_view.py                       # both, 3 runs each, medians printed
    python bench/bench_view.py --runs 5 --nodes 2000
    python bench/bench_view.py --screenshot docs/screenshot.png

Needs Debian's Chromium at /usr/bin/chromium and the playwright package (no browser download).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.build import build  # noqa: E402
from kg.network import Network, build_network  # noqa: E402
from kg.views import describe, render_html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ID = "https://w3id.org/ftz-kg/id/"
READY = "html[data-ftz-ready='1']"


def scaled_network(graph: Graph, nodes: int) -> Network:
    """A network of exactly ``nodes`` entities made of copies of ``graph``'s entities."""
    base = build_network(graph)
    shared = [n.id for n in base.nodes if "/country/" in n.id]
    per_copy = len(base.nodes) - len(shared)
    copies = -(-(nodes - len(shared)) // per_copy)
    big = Graph()
    for k in range(copies):

        def rename(term: Any, k: int = k) -> Any:
            if (
                isinstance(term, URIRef)
                and str(term).startswith(ID)
                and "/country/" not in str(term)
            ):
                return URIRef(f"{term}-copy{k}")
            return term

        for s, p, o in graph:
            big.add((rename(s), p, rename(o)))
    network = build_network(big)

    def copy_index(node_id: str) -> int:
        return int(node_id.rsplit("-copy", 1)[1]) if "-copy" in node_id else -1

    keep = sorted((n.id for n in network.nodes), key=lambda i: (copy_index(i), i))[:nodes]
    return network.restrict(keep)


def open_once(browser: Any, path: Path) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 850})
    outside: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_selector(READY, state="attached", timeout=120_000)
    wall = time.perf_counter() - start
    info = page.evaluate(
        """() => ({times: window.__ftzTimes, drawn: ftzMap.network.body.nodeIndices.length,
                  nodes: ftzMap.nodes.length, edges: ftzMap.edges.length})"""
    )
    context.close()
    if outside or errors or info["drawn"] != info["nodes"]:
        raise SystemExit(f"{path}: outside requests {outside}, errors {errors}, drawn {info}")
    return {"wall": wall, **info}


def measure(browser: Any, name: str, path: Path, runs: int, target: float) -> float:
    results = [open_once(browser, path) for _ in range(runs)]
    walls = [r["wall"] for r in results]
    layout = [r["times"]["drawn"] / 1000 for r in results]
    median = statistics.median(walls)
    first = results[0]
    verdict = "ok" if median < target else "OVER TARGET"
    print(
        f"{name}: {first['nodes']} nodes, {first['edges']} edges, all drawn; "
        f"open + layout settled: median {median:.2f} s over {runs} runs "
        f"(runs {', '.join(f'{w:.2f}' for w in walls)}; in-page ready at "
        f"{statistics.median(layout):.2f} s after navigation start); target < {target:.0f} s: {verdict}"
    )
    return median


def screenshot(browser: Any, path: Path, target: Path) -> None:
    """The seed map with 满洲里片区 found by the search box and its panel open."""
    context = browser.new_context(viewport={"width": 1600, "height": 900}, device_scale_factor=1)
    context.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
    )
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector(READY, state="attached", timeout=120_000)
    page.fill("#ftz-search", "满洲里")
    page.press("#ftz-search", "Enter")
    node = page.evaluate("ftzMap.network.getSelectedNodes()[0]")
    page.wait_for_selector(f"html[data-ftz-focus='{node}']", state="attached")
    page.evaluate(
        """id => new Promise(done => {
            const net = ftzMap.network;
            net.once('afterDrawing', () => done(true));
            net.moveTo({position: net.getPositions([id])[id], scale: 0.75});
        })""",
        node,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target))
    context.close()
    print(f"wrote {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--nodes", type=int, default=2000, help="size of the scaled view")
    parser.add_argument(
        "--screenshot", type=Path, default=None, help="also save a PNG of the seed map"
    )
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        result = build([ROOT / "seeds"], out / "seed")
        seed = build_network(result.graph)
        seed_page = out / "seed.html"
        seed_page.write_bytes(render_html(seed, subtitle=describe(seed, "seeds/", [])))

        start = time.perf_counter()
        big = scaled_network(result.graph, args.nodes)
        built = time.perf_counter() - start
        start = time.perf_counter()
        big_page = out / "scaled.html"
        big_page.write_bytes(render_html(big, subtitle=describe(big, "scaled seed graph", [])))
        rendered = time.perf_counter() - start
        print(
            f"scaled graph: {len(big.nodes)} nodes, {len(big.edges)} edges "
            f"(network built in {built:.2f} s, page written in {rendered:.2f} s, "
            f"{big_page.stat().st_size / 1e6:.1f} MB)"
        )

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            measure(browser, "seed map", seed_page, args.runs, 3.0)
            measure(browser, f"{args.nodes}-node view", big_page, args.runs, 10.0)
            if args.screenshot:
                screenshot(browser, seed_page, args.screenshot)
            browser.close()


if __name__ == "__main__":
    main()
