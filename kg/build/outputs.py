"""Extra outputs written by ``ftz-kg build`` besides the Turtle and TriG files.

Each feature that derives something from a build (the embedded SPARQL store, the
relation-map views) provides one writer ``(BuildResult) -> list[Path]``; ``build`` runs
them after the graph files are written. :func:`written_outputs` says what each file a
build wrote is, one line per output, for the build's summary.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable
from pathlib import Path

from rdflib import Graph

from ..errors import OutputError
from ..extract.pipeline import Pipeline
from ..rdf.assemble import Assembly
from ..rdf.graph import DocumentGraph
from ..rdf.graph_files import DATASET_FILE
from ..store.embedded import build_store, update_store
from ..store.stream import StoreStream
from .background import AnyJob, Background
from .progress import Progress
from .result import BuildResult

__all__ = [
    "OUTPUTS",
    "Writer",
    "build_summary",
    "default_outputs",
    "streamed_store",
    "output_writers",
    "written_outputs",
]

# The outputs a build writes after the graph files, in the order it writes them: the
# SPARQL store, then the maps and zone pages (drawn from the store when it holds the build).
OUTPUTS = ("store", "maps")

Writer = Callable[[BuildResult], list[Path]]

# What each output of a build is, by its name in the output folder.
_WHAT = {
    "kg.ttl": "the whole graph (Turtle)",
    "kg.trig": "one named graph per source document (TriG)",
    "store": "the SPARQL store for `ftz-kg query` and `ftz-kg serve`",
    "kg.html": "the overview relation map: zones, areas and what defines them (open it in a browser)",
}
_VIEWS = "views"
_ZONES = "zones"


def _announced(writer: Writer, message: Callable[[Path], str], progress: Progress) -> Writer:
    """``writer``, printing its stage line first (same name as ``writer``: the build's
    cache key lists the writers by name)."""

    @functools.wraps(writer)
    def run(result: BuildResult) -> list[Path]:
        progress.stage(message(Path(getattr(result, "published_dir", result.out_dir))))
        return writer(result)

    return run


def default_outputs(progress: bool | None = None) -> list[Writer]:
    """The store and the relation maps, each announcing its stage like the build's own
    stages (``progress``: None = a line on stderr, False = silent)."""
    from ..store.embedded import STORE_DIR
    from ..views.build_pages import VIEWS_DIR
    from .views_output import views_output

    show = Progress(progress)
    return [
        _announced(store_output, lambda out: f"loading the SPARQL store {out / STORE_DIR}", show),
        _announced(
            views_output,
            lambda out: (
                f"drawing the relation maps {out / 'kg.html'} and {out / VIEWS_DIR}/, "
                f"and the zone profiles {out / 'zones'}/"
            ),
            show,
        ),
    ]


def store_output(result: BuildResult) -> list[Path]:
    """``ftz-kg build`` writer: bring ``OUT/store`` up to date with ``OUT/kg.trig`` (in
    place when only some documents changed, else by loading the file), or wait for the
    load :func:`streamed_store` started."""
    started = result.started.get(_STORE_WRITER)
    if started is not None:
        written: list[Path] = started.result()
        return written
    assembly = result.assembly
    if assembly is not None and not assembly.full:
        updated = update_store(result.out_dir, assembly)
        if updated is not None:
            return [updated]
    return [build_store(result.out_dir / DATASET_FILE, result.out_dir)]


_STORE_WRITER = f"{store_output.__module__}:{store_output.__qualname__}"


def streamed_store(
    writers: Collection[str], stage: Path, started: dict[str, AnyJob]
) -> StoreStream | None:
    """A new store loaded on a thread while the graph is drawn (:mod:`kg.store.stream`),
    when ``writers`` (by module:name) include the store, for a build that draws every
    document into ``stage``; the thread is put in ``started``. The caller hands it the
    bodies, then finishes it once the graph files are written, or aborts it."""
    if _STORE_WRITER not in writers:
        return None
    stream = StoreStream(stage)
    started[_STORE_WRITER] = Background("store", stream.run).start()
    return stream


_MAPS_WRITER = "kg.build.views_output:views_output"


def start_network(
    writers: Collection[str],
    assembly: Assembly,
    started: dict[str, AnyJob],
    out: Path | None = None,
    published: Path | None = None,
) -> None:
    """When ``writers`` (by module:name) include the maps and the build drew every
    document, read the maps' network from the graph in memory on a thread
    (:func:`kg.build.views_output.start_network`): the main thread then waits for the
    store's load, the GIL free, and the maps no longer query the store for it. Given the
    folder the maps go to (``out``, read at ``published``), the network is read and the
    maps drawn in a child process."""
    if _MAPS_WRITER in writers and assembly.full:
        from .views_output import start_network as start

        start(assembly, started, out, published)


# How many cores must have stood idle through the extraction for the maps' child to be
# forked once the document is drawn: the child then redraws the default graph (0.1 CPU s
# on the 750 KB file), and on a machine whose cores are all taken it would only take the
# time of the drawing (its stage 0.9-1.2 s against 0.7-1.0 s in such pairs).
SPARE_CORE = 0.5


def maps_after_drawing(
    writers: Collection[str],
    documents: int,
    spare: float,
    pipe: Pipeline,
    ontology: Graph,
    started: dict[str, AnyJob],
    out: Path,
    published: Path,
) -> Callable[[DocumentGraph], None] | None:
    """When ``writers`` include the maps, a first build draws one document (of
    ``documents``) into the stage ``out`` and ``spare`` cores stood idle meanwhile
    (:func:`kg.build.forked.spare_cores`, :data:`SPARE_CORE`): the hook that forks the
    maps' child once the document is drawn
    (:func:`kg.build.views_output.maps_after_drawing`), else None."""
    if _MAPS_WRITER not in writers or documents != 1 or spare < SPARE_CORE:
        return None
    from .views_output import maps_after_drawing as hook

    return hook(pipe.lexicon, ontology, started, out, published)


def output_writers(names: Iterable[str], progress: bool | None = None) -> list[Writer]:
    """The writers of the outputs ``names`` (a subset of :data:`OUTPUTS`), in build order."""
    wanted = [names] if isinstance(names, str) else list(names)
    unknown = sorted(set(wanted) - set(OUTPUTS))
    if unknown:
        raise OutputError(
            f"unknown build output {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(OUTPUTS)}, or pass outputs=() for the graph files only"
        )
    if not wanted:
        return []
    return [w for name, w in zip(OUTPUTS, default_outputs(progress), strict=True) if name in wanted]


def written_outputs(result: BuildResult) -> list[tuple[Path, str]]:
    """Each output the build wrote, with what it is: one entry per file, except the area
    maps of ``OUT/views/`` and the zone pages of ``OUT/zones/``, one entry per folder."""
    out = Path(result.out_dir)
    entries: list[tuple[Path, str]] = []
    maps = 0
    views_seen = False
    zones = 0
    for path in result.written:
        path = Path(path)
        if path.parent == out / _ZONES:
            zones += 1
            continue
        if path.parent == out / _VIEWS:
            views_seen = True
            maps += path.name not in ("index.html", "all.html")
            continue
        what = _WHAT.get(path.name) if path.parent == out else None
        entries.append((path, what or "output"))
    if views_seen:
        index = out / _VIEWS / "index.html"
        entries.append(
            (
                out / _VIEWS,
                f"the whole graph (all.html) and {maps} area map(s), listed in {index}",
            )
        )
    if zones:
        matrix = out / _ZONES / "index.html"
        entries.append((out / _ZONES, f"{zones - 1} zone profile(s), compared in {matrix}"))
    return entries


def build_summary(result: BuildResult) -> str:
    """The build's summary followed by one line per output written: path and what it is."""
    lines = [result.summary()]
    entries = written_outputs(result)
    if entries:
        width = max(len(f"{path}{'/' if path.is_dir() else ''}") for path, _ in entries)
        lines.append("wrote:")
        for path, what in entries:
            shown = f"{path}{'/' if path.is_dir() else ''}"
            lines.append(f"  {shown.ljust(width)}  {what}")
    return "\n".join(lines)
