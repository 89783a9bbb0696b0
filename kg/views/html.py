"""Relation maps: one self-contained HTML file per view.

The page is written here from a :class:`~kg.views.network.Network`; it inlines a vendored copy of
vis-network (``kg/static/vis-network.min.js``) and ftz-kg's own script and style
(``kg/static/view.js``, ``view.css``), so it opens from disk with no network access. The
graph travels as one JSON blob in a ``<script type="application/json">`` element, escaped
so that no text from a document can close it, and the page script builds every tooltip and
panel with ``textContent``. A Content-Security-Policy allows only the page's own two scripts
(by hash) and no request at all.

Why not pyvis's own HTML: pyvis 0.3.2 loads Bootstrap from a CDN in every mode, writes
without an encoding, breaks its filter/select menus on Chinese labels, interpolates the
heading unescaped and renders tooltips with ``innerHTML``; see the README.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import OutputError
from ..rdf.edges import ENTITY_CLASSES
from ..resources import static_file
from .layout import spring_positions
from .network import Network

if TYPE_CHECKING:
    pass

__all__ = [
    "CLASS_STYLES",
    "SETTLE_FIRST_NODES",
    "render_html",
    "to_pyvis",
    "view_payload",
]

# Above this many nodes the layout is computed before anything is shown and then frozen.
SETTLE_FIRST_NODES = 1500

GENERATOR = "ftz-kg view"

# The pages a build writes say so: `ftz-kg view` refuses to replace them, and a build
# deletes only its own stale pages, never a view someone wrote into views/.
BUILD_GENERATOR = "ftz-kg build"

HEADING = "自贸试验区关系图 · FTZ relation map"

FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", '
    '"Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans SC", SimHei, sans-serif'
)

_LABEL_CHARS = 18  # longer labels are cut on the canvas (the panel shows them whole)

# Colour and vis-network shape per class: every pair differs, shapes carry the label below.
CLASS_STYLES: dict[str, tuple[str, str]] = {
    "FreeTradePort": ("#b2182b", "star"),
    "PilotFreeTradeZone": ("#d6604d", "star"),
    "Area": ("#f28e2b", "hexagon"),
    "Port": ("#8c564b", "square"),
    "City": ("#7f7f7f", "square"),
    "Region": ("#a6a02a", "square"),
    "Country": ("#1f77b4", "diamond"),
    "Sector": ("#2ca02c", "dot"),
    "ReformTask": ("#9467bd", "triangle"),
    "TaskField": ("#b39bd6", "triangle"),
    "StrategicPosition": ("#e377c2", "triangleDown"),
    "Initiative": ("#17becf", "diamond"),
    "ProposedZone": ("#f4a582", "star"),
    "Agreement": ("#3b4cc0", "diamond"),
    "PolicyDocument": ("#843c39", "triangle"),
    "Platform": ("#637939", "hexagon"),
    "Organization": ("#7b4173", "square"),
    "Person": ("#d6616b", "dot"),
    "Article": ("#a55194", "triangleDown"),
}

assert set(CLASS_STYLES) == set(ENTITY_CLASSES)


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"


def _size(degree: int) -> float:
    return round(min(46.0, 9.0 + 5.0 * math.sqrt(degree)), 1)


def class_rows(network: Network, names: Sequence[str]) -> list[dict[str, str]]:
    """The classes as a page's legend shows them: names, labels, colour and shape."""
    return [
        {
            "name": c,
            "zh": network.classes[c].zh,
            "en": network.classes[c].en,
            "color": CLASS_STYLES[c][0],
            "shape": CLASS_STYLES[c][1],
        }
        for c in names
    ]


def view_payload(
    network: Network, *, settle_first: bool | None = None, from_query: bool = False
) -> dict[str, Any]:
    """The data the page script reads: compact, index-based, in the network's order.

    An edge without source sentences is a lexicon fact; with ``from_query`` (a map of a
    CONSTRUCT result) it may also be one the query made up, and the panel says so."""
    if settle_first is None:
        settle_first = len(network.nodes) > SETTLE_FIRST_NODES
    doc_index = {d: i for i, d in enumerate(network.documents)}
    sentence_index = {s: i for i, s in enumerate(network.sentences)}
    class_names = [c for c in ENTITY_CLASSES if c in network.classes]
    class_index = {c: i for i, c in enumerate(class_names)}
    relation_names = sorted(network.relations)
    relation_index = {r: i for i, r in enumerate(relation_names)}
    node_index = {n.id: i for i, n in enumerate(network.nodes)}
    degree = network.degrees()
    counts = {c: 0 for c in class_names}
    for n in network.nodes:
        counts[n.cls] += 1
    return {
        "settleFirst": settle_first,
        "fromQuery": from_query,
        "font": FONT_STACK,
        "classes": [
            {**row, "count": counts[row["name"]]} for row in class_rows(network, class_names)
        ],
        "relations": [
            {
                "name": r,
                "zh": network.relations[r].zh,
                "en": network.relations[r].en,
                "iri": network.relations[r].iri,
            }
            for r in relation_names
        ],
        "documents": [{"title": d.title, "path": d.path} for d in network.documents.values()],
        "sentences": [
            {"text": s.text, "doc": doc_index.get(s.document, -1)}
            for s in network.sentences.values()
        ],
        "nodes": [
            {
                "id": node_index[n.id],
                "iri": n.id,
                "label": n.label,
                "short": _short(n.label),
                "en": n.label_en,
                "cls": class_index[n.cls],
                "aliases": list(n.aliases),
                "src": [sentence_index[s] for s in n.sentences if s in sentence_index],
                "fig": [[f.label, sentence_index.get(f.sentence, -1)] for f in n.figures],
                "deg": degree[n.id],
                "size": _size(degree[n.id]),
            }
            for n in network.nodes
        ],
        "edges": [
            {
                "id": i,
                "from": node_index[e.source],
                "to": node_index[e.target],
                "rel": relation_index[e.relation],
                "src": [sentence_index[s] for s in e.sentences if s in sentence_index],
                "rules": list(e.rules),
            }
            for i, e in enumerate(network.edges)
        ],
    }


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script>``: no ``<``, ``>`` or ``&`` appear literally, so a
    string such as ``</script><script>…`` cannot end the element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _read_static(name: str) -> str:
    try:
        return static_file(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"kg/static/{name} is missing ({exc}); reinstall ftz-kg") from exc


def _inline_script(source: str, name: str) -> str:
    """``source`` ready to sit between ``<script>`` tags (source-map comment dropped)."""
    source = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", source)
    if re.search(r"</script|<!--", source, re.IGNORECASE):
        raise OutputError(f"kg/static/{name} contains </script or <!-- and cannot be inlined")
    return source


@functools.lru_cache(maxsize=16)
def _asset(name: str) -> str:
    text = _read_static(name)
    return _inline_script(text, name) if name.endswith(".js") else text


@functools.lru_cache(maxsize=16)  # every page of a build inlines the same scripts
def _sha256(text: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


def _fill(template: str, values: dict[str, str]) -> str:
    # One pass, so a placeholder that appears inside a value is never expanded.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], template)


def _csp(*scripts: str) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(_sha256(s) for s in scripts),
            "style-src 'unsafe-inline'",
            "img-src data:",
            "font-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def page_bytes(
    sidebar: str,
    payload: Any,
    *,
    app_scripts: Sequence[str],
    heading: str,
    subtitle: str,
    links: Sequence[tuple[str, str]] = (),
    generator: str = GENERATOR,
) -> bytes:
    """A map page (``kg/static/view.html`` with the sidebar ``kg/static/<sidebar>``):
    ``payload`` as escaped JSON, vis-network and the ``app_scripts`` (with the shared
    ``map-common.js`` first, as one script) inlined, a CSP allowing only them."""
    template_text, css = _asset("view.html"), _asset("view.css")
    vis_js = _asset("vis-network.min.js")
    app_js = "\n".join(_asset(name) for name in ("map-common.js", *app_scripts))
    data = script_json(payload)
    nav = " · ".join(
        f'<a href="{html.escape(href)}">{html.escape(text)}</a>' for text, href in links
    )
    page = _fill(
        template_text,
        {
            "csp": html.escape(_csp(vis_js, app_js), quote=False),  # no quote in a CSP
            "generator": generator,
            "title": html.escape(f"{heading} — {subtitle}"),
            "heading": html.escape(heading),
            "subtitle": html.escape(subtitle),
            "links": nav,
            "sidebar": _asset(sidebar),
            "css": css,
            "data": data,
            "vis_js": vis_js,
            "app_js": app_js,
        },
    )
    return page.encode("utf-8")


def render_html(
    network: Network,
    *,
    subtitle: str,
    heading: str = HEADING,
    links: Sequence[tuple[str, str]] = (),
    settle_first: bool | None = None,
    from_query: bool = False,
    laid_out: bool | None = None,
    generator: str = GENERATOR,
) -> bytes:
    """The page for ``network`` as UTF-8 bytes (same network and texts, same bytes).

    ``laid_out`` (default: over :data:`SETTLE_FIRST_NODES` nodes) computes the positions
    here (:mod:`kg.views.layout`), so the page opens with physics off."""
    payload = view_payload(network, settle_first=settle_first, from_query=from_query)
    if laid_out if laid_out is not None else len(network.nodes) > SETTLE_FIRST_NODES:
        positions = spring_positions(
            [n.id for n in network.nodes], ((e.source, e.target, 1.0) for e in network.edges)
        )
        for row, n in zip(payload["nodes"], network.nodes, strict=True):
            row["x"], row["y"] = positions[n.id]
    return page_bytes(
        "view-sidebar.html",
        payload,
        app_scripts=("labels.js", "view.js"),
        heading=heading,
        subtitle=subtitle,
        links=links,
        generator=generator,
    )


def describe(network: Network, source: str, filters: Sequence[str]) -> str:
    """The title-bar line: source, counts, filters, and the layout note for large views."""
    parts = [
        f"来源 source: {source}",
        f"{len(network.nodes)} 实体 entities, {len(network.edges)} 关系 relations",
        "筛选 filters: " + "; ".join(filters) if filters else "全图 whole graph",
    ]
    if len(network.nodes) > SETTLE_FIRST_NODES:
        parts.append(
            f"布局已在显示前稳定 layout settled before display (over {SETTLE_FIRST_NODES} nodes: "
            "positions computed when the page was written; physics off)"
        )
    return " · ".join(parts)


def to_pyvis(network: Network, **options: Any) -> Any:
    """The network as a ``pyvis.network.Network`` for notebooks (pyvis is the optional
    extra ``ftz-kg[notebook]``); see :func:`kg.views.notebook.to_pyvis`."""
    from .notebook import to_pyvis as convert

    return convert(network, **options)
