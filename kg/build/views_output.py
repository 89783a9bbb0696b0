"""``ftz-kg build``'s writers of the maps (the overview, the whole graph, one map per area,
their index) and of the zone pages, which it writes first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import StoreError
from ..rdf.gcpause import paused_gc
from ..rdf.graph import DocumentGraph, drawn_knowledge
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
from .forked import Forked, can_fork

if TYPE_CHECKING:
    from rdflib import Graph

    from ..extract.lexicon import Lexicon
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
    out = Path(result.out_dir)
    store = _current_store(result)  # opened once for the network and the zone pages
    # getattr: views_output reads only the out_dir and graph of what it is given (the
    # tests hand it a stand-in with those alone).
    started: dict[str, AnyJob] = getattr(result, "started", {})
    forked = started.get(_MAPS)
    if isinstance(forked, _ForkedMaps) and forked.out == out:
        # The child draws the maps meanwhile; the overview it draws last links the zone
        # pages, which the store's queries give here.
        zones = zone_pages_output(result, store)
        forked.send(len(zones))
        return [*zones, *forked.result()]
    # The network first: a build reads it on a thread (start_network), and the zone
    # pages' queries beside that thread crawl. pyoxigraph takes the GIL back for each
    # row of a result, and a thread running Python makes each take wait for its switch
    # interval (the corpus's zone queries: 0.86 s alone, 9.5 s beside a Python loop).
    network = _network_of(result, store)
    # Before the overview, so that it links the zones to pages that exist.
    zones = zone_pages_output(result, store)
    return [*zones, *draw_maps(network, out, _source(result), lambda: len(zones))]


def _source(result: BuildResult) -> str:
    return str(Path(getattr(result, "published_dir", result.out_dir)) / "kg.ttl")


def draw_maps(
    network: Network, out: Path, source: str, zone_pages: Callable[[], int]
) -> list[Path]:
    """The maps of ``network`` in ``out`` (all of :func:`views_output`'s but the zone
    pages); ``zone_pages()`` waits for the zone pages to be written and says how many
    files they are (the index included): the overview, drawn last, links those that exist."""
    from ..views.overview import build_overview, describe_overview, profile_links, render_overview

    views = out / VIEWS_DIR
    index_link = ("分区视图 area views", f"{VIEWS_DIR}/{INDEX_VIEW}")
    whole_link = ("全图 whole graph", f"{VIEWS_DIR}/{WHOLE_VIEW}")
    whole = views / WHOLE_VIEW
    write_atomic(
        whole,
        render_html(
            network,
            subtitle=describe(network, source, []),
            links=[("概览 overview", "../kg.html"), ("分区视图 area views", INDEX_VIEW)],
            laid_out=True,
            generator=BUILD_GENERATOR,
        ),
    )
    area_pages, area_entries = _area_maps(network, views, source)
    # Laid out before the wait: only its links to the zone pages need them written.
    overview = build_overview(network)
    subtitle = describe_overview(overview, source)

    zones = zone_pages()
    page = out / "kg.html"
    write_atomic(
        page,
        render_overview(
            overview,
            subtitle=subtitle,
            links=[whole_link, index_link],
            profiles=profile_links(overview, out / ZONES_DIR),
        ),
    )
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
            f"{zones - 1} zones, zones × sectors",
        ),
        *area_entries,
    ]
    index = views / INDEX_VIEW
    write_atomic(index, _index_page(entries, source))
    written = [page, whole, *area_pages, index]
    _remove_stale(views, {p.name for p in written if p.parent == views})
    return written


def _area_maps(
    network: Network, views: Path, source: str
) -> tuple[list[Path], list[tuple[str, str, str]]]:
    """One map per area (its neighbours at depth 1), with their entries in the index."""
    written: list[Path] = []
    entries: list[tuple[str, str, str]] = []
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
    return written, entries


def _current_store(result: BuildResult) -> ox.Store | None:
    """The build's SPARQL store, opened, when it holds this build (else None)."""
    if not store_is_current(result.out_dir):
        return None
    try:
        return open_store(result.out_dir)
    except StoreError:
        return None


_NETWORK = "network"  # the job's key in BuildResult.started, and its timing
_MAPS = "maps"  # the key of the maps drawn by a child process
# The priority (os.nice) of a child forked once the document is drawn: it takes the core
# the drawing leaves idle, but from the check on the store's load, whose end the zone pages
# wait for, and the main thread go first; its layout then runs beside the zone pages.
_SPARE = 19


class _ForkedMaps(Forked[list[Path]]):
    """:func:`draw_maps` in a child process, into ``out``."""

    def __init__(
        self, out: Path, work: Callable[[Callable[[], Any]], list[Path]], nice: int = 0
    ) -> None:
        super().__init__("maps", work, timing=_NETWORK, nice=nice)
        self.out = out


def start_network(
    assembly: Assembly,
    started: dict[str, AnyJob],
    out: Path | None = None,
    published: Path | None = None,
) -> None:
    """Read the network of a build that drew every document from its graph in memory
    (:mod:`kg.views.read_triples`) on a thread, put in ``started`` for :func:`views_output`.

    Given the folder the maps go to (``out``, read at ``published``), the network is read
    and the maps drawn (:func:`draw_maps`) by a child process instead, where the system
    can fork (:mod:`kg.build.forked`): on the 750 KB file the main thread then only
    queries the store for the zone pages while the child draws on the other core."""
    if _MAPS in started:  # started before the drawing (maps_after_drawing)
        return
    graphs = [*(part.triples for part in assembly.added), assembly.redrawn]
    if out is not None and can_fork():
        source = str((published or out) / "kg.ttl")

        def maps(zone_pages: Callable[[], Any]) -> list[Path]:
            return draw_maps(triples_network(graphs), out, source, zone_pages)

        started[_MAPS] = _ForkedMaps(out, maps).start()
        return
    # With the collector paused: the reader makes millions of small objects, and each
    # collection would walk them (the corpus's network: 13.4 s with it on, 4.7-5.3 s paused).
    job = Job("network", lambda: paused_gc()(triples_network)(graphs), timing=_NETWORK)
    started[_NETWORK] = job.start()


def maps_after_drawing(
    lexicon: Lexicon, ontology: Graph, started: dict[str, AnyJob], out: Path, published: Path
) -> Callable[[DocumentGraph], None] | None:
    """For a build that draws one document into ``out`` (read at ``published``): what
    :func:`kg.rdf.parts.document_part` calls once the document's graph is drawn, which
    forks the maps' child then rather than after the check (:func:`start_network` then
    leaves it be). The child adds the default graph itself
    (:func:`kg.rdf.graph.drawn_knowledge`) and reads the network while the parent writes
    the document's Turtle: a lone document's store load waits for that body, so the
    second core would idle meanwhile. None where the system cannot fork."""
    if not can_fork():
        return None
    source = str(published / "kg.ttl")

    def fork(drawn: DocumentGraph) -> None:
        def maps(zone_pages: Callable[[], Any]) -> list[Path]:
            knowledge = drawn_knowledge(drawn, lexicon, ontology)
            network = triples_network(knowledge.graphs.values())
            return draw_maps(network, out, source, zone_pages)

        started[_MAPS] = _ForkedMaps(out, maps, nice=_SPARE).start()

    return fork


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
    source = _source(result)
    if store is None:
        store = _current_store(result)
    if store is None:
        store = graph_store(result.graph)
    return list(write_zone_pages(store, out / ZONES_DIR, source=source).paths)
