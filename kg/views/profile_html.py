"""Zone profile pages and the zones × sectors matrix, as self-contained HTML.

Every text from the graph is escaped here, on the server side (``html.escape``), so a label
or a sentence holding markup stays text; the charts are inline SVG drawn here too. A
profile page has no script at all, and its Content-Security-Policy allows none; the
matrix page runs one inline script (``kg/static/zones.js``, allowed by its hash) that
sorts the rows by moving them, never writing markup. No page makes a request.
"""

from __future__ import annotations

import functools
import html
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal

from .html import BUILD_GENERATOR, _fill, _inline_script, _read_static, _sha256
from .profile_model import (
    SECTIONS,
    Figure,
    Link,
    Series,
    Source,
    TimelineEntry,
    ZoneMatrix,
    ZoneProfile,
)

__all__ = ["MATRIX_SECTORS", "render_matrix", "render_profile"]

MATRIX_SECTORS = 80  # columns of the matrix: the sectors stated most often
_MAX_SOURCES = 12  # sentences shown per relation (the count says how many there are)


def _e(text: object) -> str:
    return html.escape(str(text))


@functools.lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str]:
    return (
        _read_static("zones.html"),
        _read_static("zones.css"),
        _inline_script(_read_static("zones.js"), "zones.js"),
    )


def _csp(*scripts: str) -> str:
    script = (
        "script-src " + " ".join(_sha256(s) for s in scripts) if scripts else "script-src 'none'"
    )
    return "; ".join(
        [
            "default-src 'none'",
            script,
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def _page(*, title: str, body: str, nav: Sequence[tuple[str, str]], script: str = "") -> bytes:
    template, css, _ = _assets()
    links = " · ".join(f'<a href="{_e(href)}">{_e(text)}</a>' for text, href in nav)
    return _fill(
        template,
        {
            "csp": html.escape(_csp(*([script] if script else [])), quote=False),
            "generator": BUILD_GENERATOR,
            "title": _e(title),
            "css": css,
            "nav": links,
            "body": body,
            "script": f"<script>{script}</script>" if script else "",
        },
    ).encode("utf-8")


# -- pieces ----------------------------------------------------------------------------------


def _name(label: str, en: str = "") -> str:
    return _e(label) + (f' <span class="ftz-en">{_e(en)}</span>' if en else "")


def _cite(source: Source) -> str:
    parts = [p for p in (source.date, source.title, source.path) if p]
    return " · ".join(_e(p) for p in parts)


def _sources(sources: Sequence[Source]) -> str:
    shown = "".join(
        f'<li><p class="ftz-sentence">{_e(s.text)}</p><p class="ftz-doc">{_cite(s)}</p></li>'
        for s in sources[:_MAX_SOURCES]
    )
    more = (
        f'<p class="ftz-note">… {len(sources) - _MAX_SOURCES} more 另有</p>'
        if len(sources) > _MAX_SOURCES
        else ""
    )
    return f'<ol class="ftz-sources">{shown}</ol>{more}'


def _count(link: Link) -> str:
    if not link.sources:
        return '<span class="ftz-count ftz-lexicon">词表 lexicon</span>'
    return (
        f'<span class="ftz-count">{link.statements} 句 statements · '
        f"{link.documents} 文档 documents</span>"
    )


def _link(link: Link, zone_iri: str, extra: str = "") -> str:
    arrow = "←" if link.incoming else "→"
    via = (
        f' <span class="ftz-via">{_e(link.holder.label)}</span>'
        if link.holder.iri != zone_iri
        else ""
    )
    summary = (
        f'<span class="ftz-target">{_name(link.target.label, link.target.label_en)}</span>'
        f' <span class="ftz-rel" title="{_e(link.relation_en)}">{arrow} {_e(link.relation_zh)}</span>'
        f"{via} {_count(link)}"
    )
    if not link.sources:
        return f'<li class="ftz-link">{summary}{extra}</li>'
    return (
        f'<li class="ftz-link"><details><summary>{summary}</summary>{extra}'
        f"{_sources(link.sources)}</details></li>"
    )


def _chips(labels: Iterable[str], cls: str) -> str:
    items = "".join(f"<li>{_e(label)}</li>" for label in labels)
    return f'<ul class="ftz-chips {cls}">{items}</ul>' if items else '<p class="ftz-none">—</p>'


def _area_card(profile: ZoneProfile, index: int) -> str:
    area = profile.areas[index]
    rows = []
    for key, title, _ in SECTIONS:
        links = profile.section(key, area.iri)
        if links or key == "sectors":
            labels = dict.fromkeys(link.target.label for link in links)
            rows.append(f"<dt>{_e(title)}</dt><dd>{_chips(labels, f'ftz-{key}')}</dd>")
    stated = [
        s
        for link in profile.links
        if link.relation == "hasArea" and link.target.iri == area.iri
        for s in link.sources
    ]
    sources = (
        f"<details><summary>{len(stated)} 句 statements</summary>{_sources(stated)}</details>"
        if stated
        else ""
    )
    return (
        f'<article class="ftz-area" data-iri="{_e(area.iri)}"><h3>{_name(area.label, area.label_en)}</h3>'
        f"<dl>{''.join(rows)}</dl>{sources}</article>"
    )


def _section(anchor: str, title: str, items: str, note: str = "") -> str:
    if not items:
        items = '<p class="ftz-none">图中没有 none in the graph</p>'
    note_html = f'<p class="ftz-note">{_e(note)}</p>' if note else ""
    return f'<section id="ftz-{anchor}"><h2>{_e(title)}</h2>{note_html}{items}</section>'


def _links(links: Sequence[Link], profile: ZoneProfile) -> str:
    if not links:
        return ""
    items = []
    for link in links:
        extra = ""
        if link.target.cls == "ReformTask":
            fields = profile.task_fields.get(link.target.iri, ())
            extra = _chips((f.label for f in fields), "ftz-fields") if fields else ""
        items.append(_link(link, profile.zone.iri, extra))
    return f'<ul class="ftz-links">{"".join(items)}</ul>'


def _number(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():f}"


def _figures(figures: Sequence[Figure]) -> str:
    if not figures:
        return ""
    rows = []
    for f in figures:
        when = " ".join(p for p in (f.year, f.period) if p)
        change = f"{f.change_rate}%" if f.change_rate else ""
        source = (
            f"<details><summary>{_e(f.source.title or f.source.path)}</summary>{_sources([f.source])}</details>"
            if f.source
            else ""
        )
        rows.append(
            f"<tr><td>{_e(f.entity.label)}</td><td>{_e(f.indicator)}</td>"
            f'<td class="ftz-num">{_e(f.value)} {_e(f.unit)}</td><td>{_e(when)}</td>'
            f'<td class="ftz-num">{_e(change)}</td><td>{source}</td></tr>'
        )
    return (
        '<table class="ftz-figures"><thead><tr><th>对象 entity</th><th>指标 indicator</th>'
        "<th>数值 value</th><th>年份 year</th><th>增减 change</th><th>出处 source</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _chart(series: Series) -> str:
    """A small line chart: one point per year, labelled with year and value."""
    width, height, pad = 340, 150, 36
    values = [float(v) for _, v in series.points]
    low, high = min(values + [0.0]), max(values)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(1, len(values) - 1)
    points = [
        (pad + i * step, height - pad - (v - low) / span * (height - 2 * pad))
        for i, v in enumerate(values)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    marks = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"/>'
        f'<text x="{x:.1f}" y="{y - 7:.1f}" text-anchor="middle">{_e(_number(v))}</text>'
        f'<text x="{x:.1f}" y="{height - pad + 16}" text-anchor="middle">{_e(year)}</text>'
        for (x, y), (year, v) in zip(points, series.points, strict=True)
    )
    title = f"{series.entity.label} · {series.indicator} ({series.base_unit})"
    return (
        f'<figure class="ftz-chart"><svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}">'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}"/>'
        f'<polyline points="{path}"/>{marks}</svg><figcaption>{_e(title)}</figcaption></figure>'
    )


def _span(first: str, last: str, by_month: bool) -> list[str]:
    """Every year (or month) from ``first`` to ``last``, so that gaps show as gaps."""
    if not (first[:4].isdigit() and last[:4].isdigit()):
        return sorted({first, last})
    if not by_month:
        return [str(y) for y in range(int(first[:4]), int(last[:4]) + 1)]
    months = []
    year, month = int(first[:4]), int(first[5:7] or 1)
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _timeline_chart(entries: Sequence[TimelineEntry]) -> str:
    """Bars of the documents per year (per month when they span under three years)."""
    dated = [e.date for e in entries if e.date]
    if not dated:
        return ""
    by_month = len({d[:4] for d in dated}) < 3
    counts = Counter(d[:7] if by_month else d[:4] for d in dated)
    buckets = _span(min(counts), max(counts), by_month)
    width, height, bar = max(200, 46 * len(buckets) + 20), 120, 30
    top = max(counts.values())
    bars = []
    for i, bucket in enumerate(buckets):
        h = 70 * counts[bucket] / top
        x = 10 + i * 46
        n = counts[bucket] or ""
        bars.append(
            f'<rect x="{x}" y="{90 - h:.1f}" width="{bar}" height="{h:.1f}"/>'
            f'<text x="{x + bar / 2}" y="{84 - h:.1f}" text-anchor="middle">{n}</text>'
            f'<text x="{x + bar / 2}" y="106" text-anchor="middle">{_e(bucket)}</text>'
        )
    return (
        f'<svg class="ftz-timeline-chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="documents by date">{"".join(bars)}</svg>'
    )


def _timeline(entries: Sequence[TimelineEntry]) -> str:
    if not entries:
        return ""
    items = "".join(
        f'<li><time>{_e(e.date or "无日期 undated")}</time> <span class="ftz-title">{_e(e.title)}</span>'
        f' <span class="ftz-doc">{_e(e.path)} · {e.sentences} 句 sentences</span></li>'
        for e in entries
    )
    return f'{_timeline_chart(entries)}<ol class="ftz-timeline">{items}</ol>'


# -- pages -------------------------------------------------------------------------------------


def render_profile(profile: ZoneProfile, *, source: str = "") -> bytes:
    """The profile page of one zone (UTF-8; same profile, same bytes)."""
    zone = profile.zone
    documents = len({(e.title, e.path) for e in profile.timeline})
    aliases = (
        f'<p class="ftz-aliases">又称 also: {_e("、".join(profile.aliases))}</p>'
        if profile.aliases
        else ""
    )
    header = (
        f'<header id="ftz-header"><h1 id="ftz-title">{_e(zone.label)}</h1>'
        f'<p id="ftz-subtitle">{_e(zone.label_en)} · {len(profile.areas)} 片区 areas · '
        f"{profile.statements} 句陈述 statements · {documents} 篇文档 documents"
        f"{' · 来源 source: ' + _e(source) if source else ''}</p>{aliases}</header>"
    )
    parts = [
        _section(
            "areas",
            "片区 areas",
            "".join(_area_card(profile, i) for i in range(len(profile.areas))),
        )
    ]
    for key, title, _ in SECTIONS:
        parts.append(_section(key, title, _links(profile.section(key), profile)))
    parts.append(_section("others", "其他关系 other relations", _links(profile.others(), profile)))
    charts = "".join(_chart(s) for s in profile.series)
    parts.append(
        _section(
            "figures",
            "数据 figures",
            charts + _figures(profile.figures),
            "" if profile.series else "没有跨年份的同一指标 no indicator quoted for several years",
        )
    )
    if profile.nearby_figures:
        parts.append(
            _section(
                "nearby-figures",
                "同句数据 figures quoted alongside",
                _figures(profile.nearby_figures),
                "其他对象的数据，出自提及本区的句子 figures of other entities in sentences that mention the zone",
            )
        )
    parts.append(
        _section(
            "timeline",
            "文档时间线 documents over time",
            _timeline(profile.timeline),
            "提及本区或其片区的文档（或文章），按日期 documents (or articles) mentioning the zone or its areas, by date",
        )
    )
    body = header + f'<main class="ftz-profile">{"".join(parts)}</main>'
    return _page(
        title=f"{zone.label} — 自贸试验区概况 zone profile",
        body=body,
        nav=[
            ("全部自贸试验区 all zones", "index.html"),
            ("分区视图 area views", "../views/index.html"),
            ("全图 map", "../kg.html"),
        ],
    )


def _shade(value: int, top: int) -> str:
    weight = 0.12 + 0.88 * math.log1p(value) / math.log1p(top) if top else 0.12
    return f"background:rgba(44,160,44,{weight:.2f})"


def render_matrix(matrix: ZoneMatrix, *, source: str = "") -> bytes:
    """The zones × sectors page: a heatmap table, sorted by a click on a column head."""
    sectors = matrix.sectors[:MATRIX_SECTORS]
    top = max((c.statements for c in matrix.cells.values()), default=0)
    heads = ['<th scope="col" data-kind="name"><button type="button">自贸试验区 zone</button></th>']
    heads.append('<th scope="col"><button type="button">合计 total</button></th>')
    heads.extend(
        f'<th scope="col" title="{_e(s.label_en or s.label)}"><button type="button">{_e(s.label)}</button></th>'
        for s in sectors
    )
    rows = []
    for order, profile in enumerate(matrix.zones):
        zone = profile.zone
        cells = [matrix.cells.get((zone.iri, s.iri)) for s in sectors]
        total = sum(c.statements for (z, _), c in matrix.cells.items() if z == zone.iri)
        tds = []
        for sector, cell in zip(sectors, cells, strict=True):
            if cell is None:
                tds.append('<td data-v="-1"></td>')
                continue
            tip = f"{zone.label} · {sector.label}: {cell.statements} statements in {cell.documents} documents"
            tds.append(
                f'<td data-v="{cell.statements}" style="{_shade(cell.statements, top)}" '
                f'title="{_e(tip)}">{cell.statements or "·"}</td>'
            )
        rows.append(
            f'<tr data-order="{order}"><th scope="row"><a href="{_e(profile.slug)}.html">'
            f'{_e(zone.label)}</a></th><td data-v="{total}">{total}</td>{"".join(tds)}</tr>'
        )
    cut = (
        f"前 {len(sectors)} 个产业（共 {len(matrix.sectors)} 个）the {len(sectors)} sectors stated most "
        f"often of {len(matrix.sectors)}; "
        if len(matrix.sectors) > len(sectors)
        else ""
    )
    body = (
        '<header id="ftz-header"><h1 id="ftz-title">自贸试验区 × 重点产业 zones × sectors</h1>'
        f'<p id="ftz-subtitle">{len(matrix.zones)} 自贸试验区 zones · {len(matrix.sectors)} 产业 sectors'
        f"{' · 来源 source: ' + _e(source) if source else ''}</p></header>"
        '<main class="ftz-matrix-page">'
        f'<p class="ftz-note">{_e(cut)}单元格 = 陈述该产业的句数（本区及其片区），颜色越深越多；· = 仅词表。'
        "点击列标题排序。 A cell counts the sentences stating the sector for the zone or its areas "
        "(darker: more); · = lexicon only. Click a column head to sort.</p>"
        '<div class="ftz-scroll"><table id="ftz-matrix"><thead><tr>'
        f"{''.join(heads)}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></main>"
    )
    _, _, script = _assets()
    return _page(
        title="自贸试验区 × 重点产业 zones × sectors",
        body=body,
        nav=[("分区视图 area views", "../views/index.html"), ("全图 map", "../kg.html")],
        script=script,
    )
