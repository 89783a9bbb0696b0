"""Benchmark: the zone profile pages of a corpus build (not a test).

Measures, on the SPARQL store of a build (by default the full corpus ``../shared/corpus``,
built into a temporary folder unless ``--out`` names an existing build):

* reading the profiles (``kg.views.profiles.zone_profiles``: SPARQL over the store);
* rendering and writing every page (``kg.views.zone_pages.write_zone_pages``: profiles, matrix);
* side by side, reading the relation map's network from the same store
  (``kg.views.read_store.store_network``), which the build's view step does anyway, so the ratio
  says what the zone pages add to that step;
* opening the largest profile and the matrix in headless Chromium (load event), with every
  request that is not file:// refused: none may be made.

Usage::

    python bench/bench_profiles.py                         # builds ../shared/corpus first
    python bench/bench_profiles.py --out /tmp/corpus-out   # an existing build's folder
    python bench/bench_profiles.py --out OUT --screenshot docs/zone-profile.png --zone neimenggu
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.store.embedded import open_store  # noqa: E402
from kg.views.profiles import zone_profiles  # noqa: E402
from kg.views.read_store import store_network  # noqa: E402
from kg.views.zone_pages import write_zone_pages  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CORPUS = ROOT.parent / "shared" / "corpus"


def timed(runs: int, fn: Any) -> tuple[float, list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, result


def open_in_chromium(paths: list[Path], screenshot: Path | None, shot_of: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for path in paths:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            outside: list[str] = []
            errors: list[str] = []
            # Only requests that would leave the page are intercepted: recorded and refused.
            context.route(
                lambda url: not url.startswith("file:"),
                lambda r, seen=outside: (seen.append(r.request.url), r.abort()),
            )
            page = context.new_page()
            page.on("pageerror", lambda e, seen=errors: seen.append(str(e)))
            page.on("console", lambda m, seen=errors: m.type == "error" and seen.append(m.text))
            start = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load")
            wall = time.perf_counter() - start
            if path == shot_of and screenshot is not None:
                page.screenshot(path=str(screenshot), full_page=False, type="png")
                print(f"screenshot: {screenshot} ({screenshot.stat().st_size / 1024:.0f} KB)")
            context.close()
            size = path.stat().st_size / 1024
            verdict = "ok" if not outside and not errors else f"outside {outside}, errors {errors}"
            print(f"  opened {path.name} ({size:.0f} KB) in {wall:.2f} s: {verdict}")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="the folder of an existing build")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--screenshot", type=Path, help="PNG of one zone profile")
    parser.add_argument("--zone", default="neimenggu", help="slug of the zone to screenshot")
    args = parser.parse_args()

    out = args.out
    if out is None:
        from kg.build import build
        from kg.build.outputs import default_outputs

        out = Path(tempfile.mkdtemp(prefix="bench-profiles-"))
        start = time.perf_counter()
        build([CORPUS], out, extra_outputs=default_outputs(progress=False), outputs=())
        print(f"built {CORPUS} into {out} in {time.perf_counter() - start:.1f} s")
    store = open_store(out)

    network_s, network_runs, network = timed(args.runs, lambda: store_network(store))
    read_s, read_runs, profiles = timed(args.runs, lambda: zone_profiles(store))
    folder = Path(tempfile.mkdtemp(prefix="bench-zones-"))
    write_s, write_runs, pages = timed(
        args.runs, lambda: write_zone_pages(store, folder, source=str(out / "kg.ttl"))
    )
    links = sum(len(p.links) for p in profiles)
    statements = sum(p.statements for p in profiles)
    size = sum(p.stat().st_size for p in pages.paths) / 1024
    print(
        f"store of {out}: {len(network.nodes)} entities, {len(network.edges)} relations; "
        f"{len(profiles)} zones, {links} zone relations, {statements} statements"
    )
    print(
        f"relation map network read (store_network): median {network_s:.2f} s "
        f"(runs {', '.join(f'{t:.2f}' for t in network_runs)})"
    )
    print(
        f"zone profiles read (zone_profiles, SPARQL): median {read_s:.2f} s "
        f"(runs {', '.join(f'{t:.2f}' for t in read_runs)})"
    )
    print(
        f"zone pages read + rendered + written ({len(pages.paths)} files, {size:.0f} KB): "
        f"median {write_s:.2f} s (runs {', '.join(f'{t:.2f}' for t in write_runs)}); "
        f"{write_s / network_s:.2f}× the map's network read, side by side"
    )
    largest = max(pages.paths[:-1], key=lambda p: p.stat().st_size)
    shot = folder / f"{args.zone}.html"
    print("in headless Chromium (load event, requests off file:// refused):")
    open_in_chromium(
        [largest, pages.index] + ([shot] if shot != largest else []), args.screenshot, shot
    )


if __name__ == "__main__":
    main()
