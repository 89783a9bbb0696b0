"""Zone profiles and the zones × sectors matrix: the data (SPARQL over the seed's real
pyoxigraph store), the pages as bytes, the build's writer, and the pages in a real browser
(headless Debian Chromium, every request that is not file:// refused and recorded)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal

from kg.build.result import BuildResult
from kg.build.views_output import zone_pages_output
from kg.model import Entity
from kg.namespaces import FTZ, ID, RDF, SKOS
from kg.rdf.iris import entity_iri
from kg.store.embedded import open_store
from kg.views.profile_html import render_matrix, render_profile
from kg.views.profile_model import ZoneProfile, zone_slug
from kg.views.profiles import zone_matrix, zone_profiles
from kg.views.zone_pages import graph_store, write_zone_pages

from .test_view import INJECTION_TEXT

ZONE = "中国（内蒙古）自由贸易试验区"
AREAS = {"呼和浩特片区", "满洲里片区", "二连浩特片区"}
HOHHOT_SECTORS = {
    "乳业",
    "战略性新兴产业",
    "新一代信息技术",
    "新材料",
    "新能源",
    "生物医药",
    "绿色农畜产品加工",
}
PAYLOADS = ("<img src=x onerror=alert(7)>", "<img src=x onerror=alert(8)>")


@pytest.fixture(scope="module")
def seed_profiles(seed_store: Path) -> tuple[ZoneProfile, ...]:
    return zone_profiles(open_store(seed_store))


def _zone(profiles: tuple[ZoneProfile, ...], label: str = ZONE) -> ZoneProfile:
    return next(p for p in profiles if p.zone.label == label)


def _area_sectors(profile: ZoneProfile, label: str) -> set[str]:
    area = next(a for a in profile.areas if a.label == label)
    return {link.target.label for link in profile.section("sectors", area.iri)}


# -- the data ----------------------------------------------------------------------------------


def test_seed_zone_has_its_three_areas_and_the_sectors_of_hohhot(seed_profiles):
    profile = _zone(seed_profiles)
    assert profile.slug == "neimenggu"
    assert {a.label for a in profile.areas} == AREAS
    assert _area_sectors(profile, "呼和浩特片区") == HOHHOT_SECTORS
    hohhot = next(a for a in profile.areas if a.label == "呼和浩特片区")
    for link in profile.section("sectors", hohhot.iri):
        assert link.relation == "focusesOnSector" and not link.incoming
        assert link.sources, f"{link.target.label}: a sentence states it"
        assert all("呼和浩特片区" in s.text for s in link.sources)
        assert all(s.path == "000_feab58405e0196af.txt" for s in link.sources)


def test_seed_zone_sections_tasks_countries_and_timeline(seed_profiles):
    profile = _zone(seed_profiles)
    countries = {link.target.label for link in profile.section("countries")}
    assert {"俄罗斯", "蒙古国"} <= countries
    tasks = profile.section("tasks")
    assert tasks and all(link.target.cls == "ReformTask" for link in tasks)
    assert any(profile.task_fields[t.target.iri] for t in tasks), "a task lists its fields"
    assert {link.target.label for link in profile.section("initiatives")} >= {"中蒙俄经济走廊"}
    # the seed's three articles speak of the zone; the latest month it reports dates them
    assert len(profile.timeline) == 3 and all(e.date == "2026-04" for e in profile.timeline)
    assert profile.statements == len({s.sentence for link in profile.links for s in link.sources})
    # best-supported first within a section
    counts = [link.statements for link in profile.section("positions")]
    assert counts == sorted(counts, reverse=True)


def test_the_store_and_the_rdflib_graph_give_the_same_profiles(seed_build, seed_profiles):
    assert zone_profiles(graph_store(seed_build.graph)) == seed_profiles


def test_matrix_counts_sentences_of_the_zone_and_its_areas(seed_profiles):
    matrix = zone_matrix(seed_profiles)
    profile = _zone(seed_profiles)
    by_label = {s.label: s for s in matrix.sectors}
    dairy = matrix.cells[(profile.zone.iri, by_label["乳业"].iri)]
    stated = {
        s.sentence
        for link in profile.section("sectors")
        if link.target.label == "乳业"
        for s in link.sources
    }
    assert dairy.statements == len(stated) >= 1 and dairy.documents == 1
    assert set(by_label) >= HOHHOT_SECTORS
    totals = [
        sum(c.statements for (_, s), c in matrix.cells.items() if s == x.iri)
        for x in matrix.sectors
    ]
    assert totals == sorted(totals, reverse=True)


def test_a_figure_quoted_for_several_years_is_a_series_and_a_chart(seed_profiles):
    from decimal import Decimal

    from kg.views.profile_model import Figure, Series
    from kg.views.profiles import _series

    zone = _zone(seed_profiles)
    quoted = [
        Figure(zone.zone, "外贸进出口", v, "亿元", Decimal(v) * 10**8, "CNY", y, "", "", None)
        for v, y in (("1200", "2024"), ("1500", "2025"), ("1500", "2025"), ("1400", "2025"))
    ]
    once = Figure(zone.zone, "实际使用外资", "3", "亿美元", Decimal(3), "USD", "2025", "", "", None)
    assert _series([*quoted, once]) == (
        Series(
            zone.zone,
            "外贸进出口",
            "CNY",
            (("2024", Decimal(1200) * 10**8), ("2025", Decimal(1500) * 10**8)),
        ),
    )  # one year quoted twice keeps the value quoted most often; one year is no series
    page = render_profile(replace(zone, figures=(*quoted, once), series=_series(quoted)))
    chart = page.split(b'<figure class="ftz-chart">', 1)[1].split(b"</figure>", 1)[0]
    assert b"<polyline" in chart and chart.count(b"<circle") == 2
    assert b"150,000,000,000" in chart and b"2024" in chart


def test_slug_is_the_last_path_segment():
    assert zone_slug(str(ID) + "zone/neimenggu") == "neimenggu"
    assert zone_slug("https://example.org/zone/A b/") == "a-b"


# -- the pages ---------------------------------------------------------------------------------


def test_pages_are_deterministic_and_script_free(seed_profiles):
    profile = _zone(seed_profiles)
    page = render_profile(profile, source="seeds")
    assert page == render_profile(profile, source="seeds")
    text = page.decode("utf-8")
    assert "<script" not in text and "script-src 'none'" in text
    assert "default-src 'none'" in text
    for label in AREAS | HOHHOT_SECTORS:
        assert label in text
    matrix = render_matrix(zone_matrix(seed_profiles))
    assert matrix == render_matrix(zone_matrix(seed_profiles))
    assert matrix.count(b"<script>") == 1 and b'href="neimenggu.html"' in matrix


def test_build_writes_zone_pages_linked_from_the_views_index(seed_build: BuildResult, tmp_path):
    from kg.build.views_output import views_output

    stale = tmp_path / "zones" / "gone.html"
    stale.parent.mkdir(parents=True)
    stale.write_text('<!DOCTYPE html>\n<meta name="generator" content="ftz-kg build">', "utf-8")
    mine = tmp_path / "zones" / "notes.html"
    mine.write_text("<p>kept</p>", encoding="utf-8")
    result = BuildResult(tmp_path, 1, [], seed_build.dataset, seed_build.graph, seed_build.report)
    written = {p.relative_to(tmp_path).as_posix() for p in views_output(result)}
    assert {"zones/neimenggu.html", "zones/index.html"} <= written
    assert not stale.exists() and mine.exists()
    index = (tmp_path / "views" / "index.html").read_text(encoding="utf-8")
    assert 'href="../zones/index.html"' in index
    again = zone_pages_output(result)
    assert {p.name: p.read_bytes() for p in again} == {
        p.name: (tmp_path / "zones" / p.name).read_bytes() for p in again
    }


def test_a_build_publishes_the_zone_pages_in_its_generation(tmp_path):
    from kg.build import build
    from kg.build.outputs import build_summary, default_outputs

    from .conftest import SEEDS

    out = tmp_path / "out"
    result = build([SEEDS], out, extra_outputs=default_outputs(progress=False), outputs=())
    assert (out / "zones").is_symlink()
    assert (out / "zones" / "neimenggu.html").is_file()
    assert "zone profile(s), compared in" in build_summary(result)
    first = (out / "zones" / "neimenggu.html").read_bytes()
    generation = (out / ".current").resolve()
    build([SEEDS], out, extra_outputs=default_outputs(progress=False), outputs=())
    assert (out / ".current").resolve() != generation, "a new generation was published"
    assert (out / "zones" / "neimenggu.html").read_bytes() == first


# -- in a real browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def zone_pages(seed_profiles, tmp_path_factory: pytest.TempPathFactory, seed_store: Path) -> Path:
    folder = tmp_path_factory.mktemp("zones")
    write_zone_pages(open_store(seed_store), folder, source="seeds")
    return folder


@pytest.fixture(scope="module")
def injected_pages(graph_from_text: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The injection text's graph, with markup in the zone's label and in a sector's."""
    graph = graph_from_text(INJECTION_TEXT, name="inj<img src=x onerror=alert(5)>.txt")
    zone = ID["zone/neimenggu"]
    graph.remove((zone, SKOS.prefLabel, None))
    graph.add((zone, SKOS.prefLabel, Literal(f"内蒙古{PAYLOADS[0]}", lang="zh")))
    sector = entity_iri(Entity("Sector", PAYLOADS[1]))
    graph.add((sector, RDF.type, FTZ.Sector))
    graph.add((sector, SKOS.prefLabel, Literal(PAYLOADS[1], lang="zh")))
    graph.add((ID["area/neimenggu-manzhouli"], FTZ.focusesOnSector, sector))
    folder = tmp_path_factory.mktemp("inj-zones")
    write_zone_pages(graph_store(graph), folder, source='"><svg onload=alert(6)>')
    return folder


@pytest.fixture()
def open_page(chromium_browser: Any) -> Iterator[Any]:
    from .test_view_browser import Opened  # (imported here: that module needs chromium)

    contexts: list[Any] = []

    def open_(path: Path) -> Any:
        context = chromium_browser.new_context(viewport={"width": 1300, "height": 900})
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page)

        def route(route: Any) -> None:
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                opened.outside.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.goto(path.resolve().as_uri(), wait_until="load")
        return opened

    yield open_
    for context in contexts:
        context.close()


def test_profile_page_lists_the_areas_and_hohhot_sectors_offline(open_page, zone_pages):
    opened = open_page(zone_pages / "neimenggu.html")
    assert opened.page.text_content("#ftz-title") == ZONE
    areas = opened.js(
        "Array.from(document.querySelectorAll('.ftz-area h3'), h => h.firstChild.textContent.trim())"
    )
    assert set(areas) == AREAS
    sectors = opened.js(
        """(() => {
            const card = Array.from(document.querySelectorAll('.ftz-area'))
              .find(a => a.querySelector('h3').textContent.startsWith('呼和浩特片区'));
            return Array.from(card.querySelectorAll('.ftz-sectors li'), li => li.textContent);
        })()"""
    )
    assert set(sectors) == HOHHOT_SECTORS
    # a statement opens onto its source sentence
    opened.page.click("#ftz-sectors details summary:has-text('乳业')")
    sentence = opened.page.locator("#ftz-sectors details[open] .ftz-sentence").first.text_content()
    assert sentence is not None and "乳业" in sentence
    assert opened.outside == [] and opened.errors == []
    assert all(u.startswith("file:") for u in opened.requests), opened.requests


def test_matrix_sorts_on_click_and_links_each_zone(open_page, zone_pages):
    opened = open_page(zone_pages / "index.html")
    opened.page.wait_for_selector("html[data-ftz-ready='1']", state="attached")

    def column(index: int) -> list[float]:
        values: list[float] = opened.js(
            "i => Array.from(document.querySelectorAll('#ftz-matrix tbody tr'), r => Number(r.cells[i].dataset.v))",
            index,
        )
        return values

    def zones() -> list[str]:
        names: list[str] = opened.js(
            "Array.from(document.querySelectorAll('#ftz-matrix tbody th'), th => th.textContent)"
        )
        return names

    assert zones() == sorted(zones())  # by label as written
    opened.page.click("#ftz-matrix thead th:nth-child(2) button")  # total
    assert column(1) == sorted(column(1), reverse=True)
    assert zones()[0] == ZONE
    opened.page.click("#ftz-matrix thead th:nth-child(2) button")
    assert column(1) == sorted(column(1))
    assert opened.js("document.documentElement.dataset.ftzSorted") == "1-asc"
    hrefs = opened.js(
        "Array.from(document.querySelectorAll('#ftz-matrix tbody a'), a => a.getAttribute('href'))"
    )
    assert "neimenggu.html" in hrefs and all((zone_pages / h).is_file() for h in hrefs)
    assert opened.outside == [] and opened.errors == []


@pytest.mark.parametrize("name", ["neimenggu.html", "index.html"])
def test_injected_markup_stays_text(open_page, injected_pages, name):
    opened = open_page(injected_pages / name)
    body = opened.page.text_content("body") or ""
    assert PAYLOADS[0] in body
    if name == "neimenggu.html":
        assert PAYLOADS[1] in body
        opened.page.click("#ftz-countries details summary >> nth=0")
        assert "</script><script>window.__pwned=1</script>" in (
            opened.page.text_content("body") or ""
        )
        assert "inj<img src=x onerror=alert(5)>.txt" in body
    assert '"><svg onload=alert(6)>' in body
    assert opened.dialogs == []
    assert opened.js("typeof window.__pwned") == "undefined"
    assert opened.js("document.querySelectorAll('img, iframe, [onerror], [onload]').length") == 0
    assert opened.js("document.scripts.length") == (1 if name == "index.html" else 0)
    assert opened.outside == [] and opened.errors == []


# -- a corpus subset: dated documents ----------------------------------------------------------

ANNOUNCEMENTS = "ftz-official-announcements-xwlb-2022-2026.txt"


@pytest.fixture(scope="module")
def announcement_pages(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build of one real corpus file (17 dated 新闻联播 items), with its zone pages."""
    from kg.build import build
    from kg.build.outputs import default_outputs

    out = tmp_path_factory.mktemp("announcements")
    build([corpus / ANNOUNCEMENTS], out, extra_outputs=default_outputs(progress=False), outputs=())
    return out


def test_corpus_subset_timeline_is_dated_in_order_and_drawn(open_page, announcement_pages):
    profiles = zone_profiles(open_store(announcement_pages))
    hainan = _zone(profiles, "海南自由贸易港")
    dates = [e.date for e in hainan.timeline]
    assert len(dates) >= 3 and all(dates) and dates == sorted(dates)
    assert all(e.path == ANNOUNCEMENTS for e in hainan.timeline)
    neimenggu = _zone(profiles)
    assert "2026-04-09" in [e.date for e in neimenggu.timeline]  # the 总体方案 item

    opened = open_page(announcement_pages / "zones" / f"{hainan.slug}.html")
    shown = opened.js(
        "Array.from(document.querySelectorAll('.ftz-timeline time'), t => t.textContent)"
    )
    assert shown == dates
    bars = opened.js("document.querySelectorAll('.ftz-timeline-chart rect').length")
    years = {d[:4] for d in dates}
    assert bars >= (len(years) if len(years) >= 3 else 1)
    assert opened.outside == [] and opened.errors == []
    matrix = (announcement_pages / "zones" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{p.slug}.html"' in matrix for p in profiles)
