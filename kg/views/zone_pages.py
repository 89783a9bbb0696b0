"""``OUT/zones/``: a profile page per zone and the zones × sectors matrix, written by the
build's view step (:func:`kg.build.views_output.zone_pages_output`).

Pages are read from the build's SPARQL store when it holds this build (as the maps are),
else from the built graph loaded into an in-memory store. Each file is written atomically;
pages an earlier build wrote for zones that are gone are deleted (only pages ftz-kg
wrote: they carry the build's generator mark).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..rdf.serialize import write_atomic
from .build_pages import _remove_stale
from .profile_html import render_matrix, render_profile
from .profile_model import ZoneProfile
from .profiles import zone_matrix, zone_profiles

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["ZONES_DIR", "ZonePages", "graph_store", "write_zone_pages"]

ZONES_DIR = "zones"
INDEX = "index.html"


@dataclass(frozen=True)
class ZonePages:
    folder: Path
    paths: tuple[Path, ...]  # the profiles, then the matrix (index.html)
    profiles: tuple[ZoneProfile, ...]

    @property
    def index(self) -> Path:
        return self.folder / INDEX


def graph_store(graph: Graph) -> ox.Store:
    """``graph`` (rdflib) in an in-memory pyoxigraph store, for the SPARQL of the pages."""
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def write_zone_pages(store: ox.Store, folder: Path, *, source: str = "") -> ZonePages:
    """Write ``folder/<slug>.html`` per zone and ``folder/index.html`` (the matrix)."""
    profiles = zone_profiles(store)
    written = []
    for profile in profiles:
        path = folder / f"{profile.slug}.html"
        write_atomic(path, render_profile(profile, source=source))
        written.append(path)
    index = folder / INDEX
    write_atomic(index, render_matrix(zone_matrix(profiles), source=source))
    written.append(index)
    _remove_stale(folder, {p.name for p in written})
    return ZonePages(folder, tuple(written), profiles)
