"""Benchmark: how fast the relation map opens in headless Chromium (not a test).

Measures, from ``page.goto`` on a file:// URL until the page reports its layout settled and
drawn (``data-ftz-ready``), with every non-file request refused:

* the seed's overview map (``OUT/kg.html`` of ``ftz-kg build`` on seeds/) and its whole
  graph (``OUT/views/all.html``), target < 3 s;
* with ``--corpus OUT`` (a folder ``ftz-kg build ../shared/corpus --out OUT`` wrote), the
  corpus overview, target < 3 s, and the corpus whole graph laid out before it is shown;
* a 2,000-node view of a scaled graph (the seed graph copied with fresh IRIs, the countries
  shared so the copies hang together), target < 10 s.

For each map it also prints the share of drawn labels that overlap another drawn label
once the map is drawn (target 0), at the opening zoom and zoomed in and out.
The pages are written by this code from the build's store, not taken from OUT.

Usage::

    python bench/bench_view.py                       # seed and scaled view, 3 runs each
    python bench/bench_view.py --corpus /tmp/corpus-out
    python bench/bench_view.py --runs 5 --nodes 2000
    python bench/bench_view.py --screenshot docs/screenshot.png
    python bench/bench_view.py --corpus /tmp/corpus-out --screenshots docs/

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
from kg.store.embedded import open_store  # noqa: E402
from kg.views.html import describe, render_html  # noqa: E402
from kg.views.network import Network  # noqa: E402
from kg.views.overview import build_overview, describe_overview, render_overview  # noqa: E402
from kg.views.read_graph import build_network  # noqa: E402
from kg.views.read_store import store_network  # noqa: E402

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
    info["labels"] = [label_overlaps(page)]
    for scale in (0.5, 2.0):
        page.evaluate(
            """s => new Promise(done => {
                ftzMap.network.once('afterDrawing', () => done(true));
                ftzMap.network.moveTo({scale: s});
            })""",
            scale,
        )
        info["labels"].append(label_overlaps(page))
    context.close()
    if outside or errors or info["drawn"] != info["nodes"]:
        raise SystemExit(f"{path}: outside requests {outside}, errors {errors}, drawn {info}")
    return {"wall": wall, **info}


def label_overlaps(page: Any) -> tuple[int, int]:
    """(drawn labels, drawn labels whose box overlaps another's), as the page drew them."""
    drawn, overlapping = page.evaluate(
        """() => {
            const b = ftzMap.labels.boxes();
            let hit = 0;
            b.forEach((p, i) => {
                if (b.some((q, j) => j !== i && p.x < q.x + q.w && q.x < p.x + p.w &&
                                     p.y < q.y + q.h && q.y < p.y + p.h)) hit++;
            });
            return [b.length, hit];
        }"""
    )
    return drawn, overlapping


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
    shares = [(d, o) for r in results for d, o in r["labels"]]
    drawn = sum(d for d, _ in shares)
    overlapping = sum(o for _, o in shares)
    share = overlapping / drawn if drawn else 0.0
    print(
        f"  labels: {first['labels'][0][0]} drawn at the opening zoom "
        f"({first['labels'][1][0]} at zoom 0.5, {first['labels'][2][0]} at zoom 2); "
        f"overlapping: {overlapping} of {drawn} = {share:.1%} (target 0): "
        f"{'ok' if overlapping == 0 else 'OVER TARGET'}"
    )
    return median


def opened_page(browser: Any, path: Path, width: int, height: int) -> tuple[Any, Any]:
    """(context, page) of ``path`` drawn, every request but file: refused."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=1
    )
    context.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
    )
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector(READY, state="attached", timeout=120_000)
    return context, page


def centre_on(page: Any, node: int, scale: float) -> None:
    page.evaluate(
        """([id, scale]) => new Promise(done => {
            const net = ftzMap.network;
            net.once('afterDrawing', () => done(true));
            net.moveTo({position: net.getPositions([id])[id], scale: scale});
        })""",
        [node, scale],
    )


def screenshot(browser: Any, path: Path, target: Path) -> None:
    """The seed map with 满洲里片区 found by the search box and its panel open."""
    context, page = opened_page(browser, path, 1600, 900)
    page.fill("#ftz-search", "满洲里")
    page.press("#ftz-search", "Enter")
    node = page.evaluate("ftzMap.network.getSelectedNodes()[0]")
    page.wait_for_selector(f"html[data-ftz-focus='{node}']", state="attached")
    centre_on(page, node, 0.75)
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target))
    context.close()
    print(f"wrote {target}")


def write_maps(network: Network, folder: Path, name: str, source: str) -> tuple[Path, Path]:
    """The overview and the laid-out whole graph of ``network``, as a build writes them."""
    start = time.perf_counter()
    overview = build_overview(network)
    overview_page = folder / f"{name}-overview.html"
    overview_page.write_bytes(
        render_overview(overview, subtitle=describe_overview(overview, source))
    )
    middle = time.perf_counter()
    whole_page = folder / f"{name}-all.html"
    whole_page.write_bytes(
        render_html(network, subtitle=describe(network, source, []), laid_out=True)
    )
    end = time.perf_counter()
    print(
        f"{name}: {len(network.nodes)} entities, {len(network.edges)} relations; overview "
        f"{len(overview.core)} entities, {len(overview.links)} links, {len(overview.isolated)} "
        f"not drawn, {len(set(overview.community.values()))} communities (written in "
        f"{middle - start:.2f} s, {overview_page.stat().st_size / 1e6:.1f} MB); whole graph "
        f"laid out and written in {end - middle:.2f} s ({whole_page.stat().st_size / 1e6:.1f} MB)"
    )
    return overview_page, whole_page


def corpus_screenshots(browser: Any, path: Path, folder: Path) -> None:
    """The corpus overview as it opens, and with a zone clicked (its neighbourhood added)."""
    context, page = opened_page(browser, path, 1280, 800)
    folder.mkdir(parents=True, exist_ok=True)
    first = folder / "overview-corpus.png"
    page.screenshot(path=str(first))
    zone = page.evaluate(
        "ftzMap.data.nodes.find(n => n.label === '中国（内蒙古）自由贸易试验区').id"
    )
    page.evaluate("id => ftzMap.selectNode(id)", zone)
    page.wait_for_selector(f"html[data-ftz-focus='{zone}']", state="attached")
    centre_on(page, zone, 1.1)
    second = folder / "overview-corpus-zone.png"
    page.screenshot(path=str(second))
    context.close()
    for shot in (first, second):
        shrink(shot)
        print(f"wrote {shot} ({shot.stat().st_size / 1e3:.0f} KB)")


def shrink(path: Path) -> None:
    """Keep a screenshot small for the README: 256-colour PNG, when Pillow is installed."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--nodes", type=int, default=2000, help="size of the scaled view")
    parser.add_argument(
        "--screenshot", type=Path, default=None, help="also save a PNG of the seed map"
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="a folder `ftz-kg build ../shared/corpus --out` wrote (its store is read)",
    )
    parser.add_argument(
        "--screenshots", type=Path, default=None, help="folder for PNGs of the corpus overview"
    )
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        result = build([ROOT / "seeds"], out / "seed", outputs=())
        seed = build_network(result.graph)
        seed_page = out / "seed.html"
        seed_page.write_bytes(render_html(seed, subtitle=describe(seed, "seeds/", [])))
        seed_overview, seed_whole = write_maps(seed, out, "seed", "seeds/")
        corpus_pages = None
        if args.corpus is not None:
            start = time.perf_counter()
            corpus = store_network(open_store(args.corpus))
            print(
                f"corpus network read from {args.corpus}/store in {time.perf_counter() - start:.1f} s"
            )
            corpus_pages = write_maps(corpus, out, "corpus", str(args.corpus))
            # the zone profile pages, as the build writes them (bench/bench_profiles.py has more)
            from kg.views.zone_pages import write_zone_pages

            start = time.perf_counter()
            zones = write_zone_pages(
                open_store(args.corpus), out / "zones", source=str(args.corpus / "kg.ttl")
            )
            print(
                f"corpus zone profile pages: {len(zones.paths)} files read, rendered and "
                f"written in {time.perf_counter() - start:.2f} s"
            )

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
            measure(browser, "seed overview (kg.html)", seed_overview, args.runs, 3.0)
            measure(browser, "seed whole graph (views/all.html)", seed_whole, args.runs, 3.0)
            measure(
                browser,
                "seed map drawn with physics (an area view's page)",
                seed_page,
                args.runs,
                3.0,
            )
            if corpus_pages is not None:
                measure(browser, "corpus overview (kg.html)", corpus_pages[0], args.runs, 3.0)
                measure(
                    browser, "corpus whole graph (views/all.html)", corpus_pages[1], args.runs, 10.0
                )
                if args.screenshots:
                    corpus_screenshots(browser, corpus_pages[0], args.screenshots)
            measure(browser, f"{args.nodes}-node view", big_page, args.runs, 10.0)
            if args.screenshot:
                screenshot(browser, seed_page, args.screenshot)
            browser.close()


if __name__ == "__main__":
    main()
