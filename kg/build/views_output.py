"""``ftz-kg build``'s writers of the maps (the overview, the whole graph, one map per area,
their index) and of the zone pages, which it writes first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import StoreError
from ..rdf.gcpause import paused_gc
from ..rdf.serialize import write_atomic
from ..store.embedded import open_store, store_is_current
from ..views.build_pages import (
    INDEX_VIEW,
    VIEWS_DIR,
    WHOLE_VIEW,
    ZONES_DIR,
    _index_page,
    _remove_stale,
    _slug,
)
from ..views.html import BUILD_GENERATOR, describe, render_html
from ..views.network import Network
from ..views.read_graph import build_network
from ..views.read_store import store_network
from ..views.read_triples import triples_network
from ..views.selection import Selection, select
from ..views.zone_pages import graph_store, write_zone_pages
from .background import AnyJob, Job

if TYPE_CHECKING:
    from ..rdf.assemble import Assembly
    from .result import BuildResult


@paused_gc()  # reading the store and laying out make many small objects, no cycles
def views_output(result: BuildResult) -> list[Path]:
    """``ftz-kg build``'s writer: the overview ``OUT/kg.html``, the whole graph laid out
    ``OUT/views/all.html``, ``OUT/views/<area>.html`` and the index ``OUT/views/index.html``
    linking them, drawn from ``OUT/store`` (written just before by
    :func:`kg.build.outputs.store_output`) when it holds this build. The overview links each zone
    to its profile ``OUT/zones/<slug>.html`` when that page exists (the zone pages' writer
    runs before this one)."""
    from ..views.overview import build_overview, describe_overview, profile_links, render_overview

    out = Path(result.out_dir)
    views = out / VIEWS_DIR
    source = str(Path(getattr(result, "published_dir", out)) / "kg.ttl")
    store = _current_store(result)  # opened once for the network and the zone pages
    written: list[Path] = []
    index_link = ("分区视图 area views", f"{VIEWS_DIR}/{INDEX_VIEW}")
    whole_link = ("全图 whole graph", f"{VIEWS_DIR}/{WHOLE_VIEW}")

    # The network first: a build reads it on a thread (start_network), and the zone
    # pages' queries beside that thread crawl. pyoxigraph takes the GIL back for each
    # row of a result, and a thread running Python makes each take wait for its switch
    # interval (the corpus's zone queries: 0.86 s alone, 9.5 s beside a Python loop).
    network = _network_of(result, store)
    # Before the overview, so that it links the zones to pages that exist.
    zones = zone_pages_output(result, store)
    written.extend(zones)

    overview = build_overview(network)
    page = out / "kg.html"
    write_atomic(
        page,
        render_overview(
            overview,
            subtitle=describe_overview(overview, source),
            links=[whole_link, index_link],
            profiles=profile_links(overview, out / ZONES_DIR),
        ),
    )
    written.append(page)

    page = views / WHOLE_VIEW
    write_atomic(
        page,
        render_html(
            network,
            subtitle=describe(network, source, []),
            links=[("概览 overview", "../kg.html"), ("分区视图 area views", INDEX_VIEW)],
            laid_out=True,
            generator=BUILD_GENERATOR,
        ),
    )
    written.append(page)

    entries: list[tuple[str, str, str]] = [
        (
            "概览 overview",
            "../kg.html",
            f"{len(overview.core)} entities, {len(overview.links)} links",
        ),
        (
            "全图 whole graph",
            WHOLE_VIEW,
            f"{len(network.nodes)} entities, {len(network.edges)} relations",
        ),
        (
            "自贸试验区概况 zone profiles",
            "../zones/index.html",
            f"{len(zones) - 1} zones, zones × sectors",
        ),
    ]
    areas = sorted((n for n in network.nodes if n.cls == "Area"), key=lambda n: (n.label, n.id))
    for area in areas:
        selection = Selection(focus=area.id, depth=1)
        view = select(network, selection)
        name = f"{_slug(area.id)}.html"
        filters = [f"focus {area.label} (depth 1, out)"]
        path = views / name
        write_atomic(
            path,
            render_html(
                view,
                subtitle=describe(view, source, filters),
                links=[
                    ("分区视图 area views", INDEX_VIEW),
                    ("概览 overview", "../kg.html"),
                    ("全图 whole graph", WHOLE_VIEW),
                ],
                generator=BUILD_GENERATOR,
            ),
        )
        written.append(path)
        label = area.label + (f" · {area.label_en}" if area.label_en else "")
        entries.append((label, name, f"{len(view.nodes)} entities, {len(view.edges)} relations"))

    index = views / INDEX_VIEW
    write_atomic(index, _index_page(entries, source))
    written.append(index)
    _remove_stale(views, {p.name for p in written if p.parent == views})
    return written


def _current_store(result: BuildResult) -> ox.Store | None:
    """The build's SPARQL store, opened, when it holds this build (else None)."""
    if not store_is_current(result.out_dir):
        return None
    try:
        return open_store(result.out_dir)
    except StoreError:
        return None


_NETWORK = "network"  # the job's key in BuildResult.started


def start_network(assembly: Assembly, started: dict[str, AnyJob]) -> None:
    """Read the network of a build that drew every document from its graph in memory
    (:mod:`kg.views.read_triples`) on a thread, put in ``started`` for :func:`views_output`."""
    graphs = [*(part.triples for part in assembly.added), assembly.redrawn]
    # With the collector paused: the reader makes millions of small objects, and each
    # collection would walk them (the corpus's network: 13.4 s with it on, 4.7-5.3 s paused).
    job = Job("network", lambda: paused_gc()(triples_network)(graphs), timing=_NETWORK)
    started[_NETWORK] = job.start()


def _network_of(result: BuildResult, store: ox.Store | None) -> Network:
    """The network of a build: read from its graph in memory when :func:`start_network`
    did, else from its SPARQL ``store`` when the store holds this build
    (:func:`_current_store`).

    Reading the store spares materialising the whole graph in rdflib, which is slow and
    memory-hungry on a large corpus; a build run without the store output falls back to
    the graph.
    """
    # getattr: views_output reads only the out_dir and graph of what it is given (the
    # tests hand it a stand-in with those alone).
    started: dict[str, AnyJob] = getattr(result, "started", {})
    job = started.get(_NETWORK)
    if job is not None:
        network: Network = job.result()
        return network
    if store is None:
        return build_network(result.graph)
    return store_network(store)


def zone_pages_output(result: BuildResult, store: ox.Store | None = None) -> list[Path]:
    """The build's zone pages, ``OUT/zones/``: what :func:`views_output` writes first,
    from its ``store`` when given (else from the build's store when it holds this build,
    else from the graph)."""
    out = Path(result.out_dir)
    source = str(Path(getattr(result, "published_dir", out)) / "kg.ttl")
    if store is None:
        store = _current_store(result)
    if store is None:
        store = graph_store(result.graph)
    return list(write_zone_pages(store, out / ZONES_DIR, source=source).paths)
