"""Zone profiles: what the graph says about each free trade zone, read with SPARQL.

:func:`zone_profiles` reads, from a build's pyoxigraph store (or any store holding the
built graph), one :class:`ZoneProfile` per ``ftz:PilotFreeTradeZone`` (a free trade port
is one too): its areas, every relation of the zone or of one of its areas with the
sentences that state it, the figures quoted about them (``ftz:Observation``) and the
documents that speak of them, dated. :func:`zone_matrix` compares the zones by sector.

The store holds one named graph per document and the queries run on their union, where a
triple several documents state comes back once per document. Provenance nodes (a sentence,
a mention, an observation) belong to one document, so their triples are joined in SPARQL;
an ``Assertion`` is restated by every document that makes it, so its properties are read
as a table of distinct (node, property, value) rows, never joined (see :mod:`kg.views.network`).
Everything is sorted, so the same graph gives the same profiles.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from ..namespaces import DCTERMS, FTZ, PROV, RDF, RDFS, SKOS
from ..rdf.edges import NOT_RELATIONS, entity_class
from .facts import short_name
from .profile_model import (
    Entity,
    Figure,
    Link,
    MatrixCell,
    Series,
    Source,
    TimelineEntry,
    ZoneMatrix,
    ZoneProfile,
    zone_slug,
)

__all__ = ["zone_matrix", "zone_profiles"]

_FTZ = str(FTZ._NS)
_PREFIXES = f"""PREFIX ftz: <{_FTZ}>
PREFIX rdf: <{RDF}>
PREFIX skos: <{SKOS}>
PREFIX prov: <{PROV}>
PREFIX dcterms: <{DCTERMS}>
"""
_CHUNK = 2000  # IRIs per VALUES block: oxigraph parses one query per block

# -- reading the store -----------------------------------------------------------------------


def _rows(store: ox.Store, query: str) -> list[tuple[Any, ...]]:
    solutions = store.query(_PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return [tuple(s) for s in solutions]


def _values(iris: Iterable[str]) -> list[str]:
    """``iris`` as VALUES blocks of at most :data:`_CHUNK` IRIs each."""
    ordered = sorted(set(iris))
    return [
        " ".join(f"<{i}>" for i in ordered[k : k + _CHUNK]) for k in range(0, len(ordered), _CHUNK)
    ]


def _by_values(store: ox.Store, iris: Iterable[str], query: str) -> list[tuple[Any, ...]]:
    """``query`` (with ``{values}`` where the IRIs go) run per block of ``iris``."""
    rows: list[tuple[Any, ...]] = []
    for block in _values(iris):
        rows.extend(_rows(store, query.replace("{values}", block)))
    return rows


_Table = dict[str, dict[str, set[Any]]]


def _table(store: ox.Store, iris: Iterable[str], predicates: Sequence[Any]) -> _Table:
    """Node -> predicate -> its values, for ``iris``: distinct rows, no join."""
    wanted = ", ".join(f"<{p}>" for p in predicates)
    table: _Table = defaultdict(lambda: defaultdict(set))
    # FILTER, not a second VALUES: oxigraph evaluates two VALUES blocks as their product
    # joined to a scan (seconds), a FILTER as one lookup per node (milliseconds).
    query = f"SELECT DISTINCT ?x ?p ?v WHERE {{ VALUES ?x {{ {{values}} }} ?x ?p ?v FILTER(?p IN ({wanted})) }}"
    for x, p, v in _by_values(store, iris, query):
        table[x.value][p.value].add(v)
    return table


def _first(values: Mapping[str, set[Any]], predicate: Any, lang: str | None = None) -> str:
    """The smallest literal value of ``predicate`` (in ``lang`` if given), "" when none."""
    found = [
        v.value
        for v in values.get(str(predicate), ())
        if isinstance(v, ox.Literal) and (lang is None or v.language == lang)
    ]
    return min(found, default="")


@dataclass
class _Reader:
    store: ox.Store
    entities: dict[str, Entity] = field(default_factory=dict)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)

    def describe(self, iris: Iterable[str]) -> None:
        """Read class, labels and aliases of the entities among ``iris`` not read yet."""
        todo = {i for i in iris if i not in self.entities}
        if not todo:
            return
        table = _table(
            self.store, todo, (RDF.type, SKOS.prefLabel, RDFS.label, SKOS.altLabel, DCTERMS.title)
        )
        for iri in sorted(todo):
            values = table.get(iri, {})
            types = {t.value for t in values.get(str(RDF.type), ()) if isinstance(t, ox.NamedNode)}
            cls = entity_class(types)
            if cls is None:
                continue
            label = (
                _first(values, SKOS.prefLabel, "zh")
                or _first(values, SKOS.prefLabel)
                or _first(values, DCTERMS.title)
                or iri.rsplit("/", 1)[-1]
            )
            self.entities[iri] = Entity(label, iri, _first(values, RDFS.label, "en"), cls)
            self.aliases[iri] = tuple(
                sorted({v.value for v in values.get(str(SKOS.altLabel), ())} - {label})
            )

    def read_sources(self, sentences: Iterable[str]) -> None:
        """Read the text, document and article (titles, dates) of ``sentences``."""
        todo = {s for s in sentences if s not in self.sources}
        if not todo:
            return
        table = _table(
            self.store, todo, (FTZ.text, PROV.wasDerivedFrom, DCTERMS.isPartOf, FTZ.startOffset)
        )
        holders = {
            v.value
            for values in table.values()
            for p in (str(PROV.wasDerivedFrom), str(DCTERMS.isPartOf))
            for v in values.get(p, ())
        }
        info = _table(self.store, holders, (DCTERMS.title, DCTERMS.date, FTZ.sourcePath))
        for sentence in sorted(todo):
            values = table.get(sentence, {})
            doc = min((v.value for v in values.get(str(PROV.wasDerivedFrom), ())), default="")
            article = min((v.value for v in values.get(str(DCTERMS.isPartOf), ())), default="")
            doc_info, art_info = info.get(doc, {}), info.get(article, {})
            self.sources[sentence] = Source(
                date=_first(art_info, DCTERMS.date) or _first(doc_info, DCTERMS.date),
                title=_first(art_info, DCTERMS.title) or _first(doc_info, DCTERMS.title),
                path=_first(doc_info, FTZ.sourcePath) or doc,
                text=_first(values, FTZ.text),
                sentence=sentence,
            )


_Q_ZONES = """SELECT DISTINCT ?zone ?area WHERE {
  ?zone a ftz:PilotFreeTradeZone . FILTER(isIRI(?zone))
  OPTIONAL { { ?zone ftz:hasArea ?area } UNION { ?area ftz:areaOf ?zone } ?area a ftz:Area }
}"""
_SKIP = " ".join(f"<{p}>" for p in sorted(NOT_RELATIONS | {str(RDF.subject), str(RDF.object)}))
_Q_OUT = f"""SELECT DISTINCT ?x ?p ?o WHERE {{ VALUES ?x {{ {{values}} }} ?x ?p ?o
  FILTER(isIRI(?o) && ?p NOT IN ({", ".join(_SKIP.split())})) }}"""
_Q_IN = f"""SELECT DISTINCT ?s ?p ?x WHERE {{ VALUES ?x {{ {{values}} }} ?s ?p ?x
  FILTER(isIRI(?s) && ?p NOT IN ({", ".join(_SKIP.split())})) }}"""
_Q_ASSERTED = """SELECT DISTINCT ?a WHERE { VALUES ?x { {values} }
  { ?a rdf:subject ?x } UNION { ?a rdf:object ?x } }"""
# The joins below are written as sub-selects: oxigraph orders a group's patterns by what
# they bind, not by how many rows they give, and joined the pattern that every mention
# shares (ftz:inSentence, ftz:mentions: a sentence's or an anchor's every mention, and
# documents and articles mentioning the anchor too) to the rare one a row at a time. The
# sub-select, the rare side (every sentence; every observation), is evaluated once and
# joined by hashing (the same solutions: the sub-select projects all it binds that the
# rest uses). On the 750 KB file 10.3 -> 4.4 ms and 29.7 -> 7.8 ms; on the corpus 61 -> 32
# ms and 239 -> 48 ms.
_Q_MENTIONING = """SELECT DISTINCT ?x ?sentence WHERE { VALUES ?x { {values} }
  ?sentence ftz:mentions ?x . { SELECT ?sentence WHERE { ?sentence a ftz:Sentence } } }"""
_Q_OBSERVED = (
    """SELECT DISTINCT ?obs ?x WHERE { VALUES ?x { {values} } ?obs ftz:observedEntity ?x }"""
)
_Q_OBS_IN = """SELECT DISTINCT ?obs ?x WHERE { VALUES ?s { {values} }
  ?obs ftz:inSentence ?s . { SELECT ?obs ?x WHERE { ?obs ftz:observedEntity ?x } } }"""
_OBS_FIELDS = (
    FTZ.indicator,
    FTZ.value,
    FTZ.unit,
    FTZ.normalizedValue,
    FTZ.baseUnit,
    FTZ.year,
    FTZ.period,
    FTZ.changeRate,
    FTZ.inSentence,
)


def zone_profiles(store: ox.Store) -> tuple[ZoneProfile, ...]:
    """One profile per zone of the graph in ``store``, by label."""
    reader = _Reader(store)
    areas: dict[str, set[str]] = defaultdict(set)
    for zone, area in _rows(store, _Q_ZONES):
        areas[zone.value]  # noqa: B018 - a zone without areas still gets a profile
        if area is not None:
            areas[zone.value].add(area.value)
    anchors = set(areas) | {a for found in areas.values() for a in found}
    reader.describe(anchors)
    edges = _relations(store, reader, anchors)
    evidence = _evidence(store, anchors)
    reader.read_sources(s for found in evidence.values() for s in found)
    tasks = {o for _, _, o in edges if reader.entities[o].cls == "ReformTask"}
    fields = _task_fields(store, reader, tasks)
    mentioning = _pairs(store, anchors, _Q_MENTIONING)
    reader.read_sources(s for found in mentioning.values() for s in found)
    observations = _observations(store, reader, anchors, mentioning)
    labels = _relation_labels(store, {p for _, p, _ in edges})

    profiles = []
    for zone in sorted(areas):
        if zone not in reader.entities:
            continue
        own = {zone} | areas[zone]
        links = tuple(
            sorted(
                (
                    _link(reader, edge, own, labels, evidence.get(edge, set()))
                    for edge in edges
                    if edge[0] in own or edge[2] in own
                ),
                key=_link_key,
            )
        )
        sentences = set().union(*(mentioning.get(x, set()) for x in own))
        about, nearby = observations(own, sentences)
        profiles.append(
            ZoneProfile(
                zone=reader.entities[zone],
                slug=zone_slug(zone),
                aliases=reader.aliases.get(zone, ()),
                areas=tuple(
                    sorted(reader.entities[a] for a in areas[zone] if a in reader.entities)
                ),
                links=links,
                task_fields={
                    t.target.iri: fields.get(t.target.iri, ())
                    for t in links
                    if t.target.cls == "ReformTask"
                },
                figures=about,
                nearby_figures=nearby,
                series=_series(about + nearby),
                timeline=_timeline(reader.sources[s] for s in sentences),
            )
        )
    return tuple(sorted(profiles, key=lambda p: (p.zone.label, p.zone.iri)))


_Edge = tuple[str, str, str]


def _relations(store: ox.Store, reader: _Reader, anchors: set[str]) -> set[_Edge]:
    """Relations (``kg.rdf.edges`` sense) with an anchor at either end."""
    found = {(x.value, p.value, o.value) for x, p, o in _by_values(store, anchors, _Q_OUT)}
    found |= {(s.value, p.value, x.value) for s, p, x in _by_values(store, anchors, _Q_IN)}
    reader.describe({s for s, _, _ in found} | {o for _, _, o in found})
    return {
        (s, p, o) for s, p, o in found if s != o and s in reader.entities and o in reader.entities
    }


def _evidence(store: ox.Store, anchors: set[str]) -> dict[_Edge, set[str]]:
    """(subject, predicate, object) -> the sentences of its Assertion nodes."""
    assertions = {a.value for (a,) in _by_values(store, anchors, _Q_ASSERTED)}
    parts = (RDF.subject, RDF.predicate, RDF.object, FTZ.inSentence)
    table = _table(store, assertions, parts)
    evidence: dict[_Edge, set[str]] = defaultdict(set)
    for values in table.values():
        s, p, o = (min((t.value for t in values.get(str(k), ())), default="") for k in parts[:3])
        if s and p and o:
            evidence[(s, p, o)].update(t.value for t in values.get(str(FTZ.inSentence), ()))
    return evidence


def _pairs(store: ox.Store, iris: Iterable[str], query: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for x, y in _by_values(store, iris, query):
        found[x.value].add(y.value)
    return found


def _task_fields(
    store: ox.Store, reader: _Reader, tasks: set[str]
) -> dict[str, tuple[Entity, ...]]:
    table = _table(store, tasks, (FTZ.coversField,))
    reader.describe(v.value for values in table.values() for v in values[str(FTZ.coversField)])
    return {
        task: tuple(
            sorted(
                reader.entities[v.value]
                for v in values[str(FTZ.coversField)]
                if v.value in reader.entities
            )
        )
        for task, values in table.items()
    }


def _relation_labels(store: ox.Store, predicates: set[str]) -> dict[str, tuple[str, str]]:
    from .facts import _ontology  # the ontology's labels, read once per process

    table = _table(store, predicates, (RDFS.label,))
    labels = {}
    for p in predicates:
        known = _ontology().labels.get(p, ("", ""))
        local = short_name(p).rsplit(":", 1)[-1]
        values = table.get(p, {})
        labels[p] = (
            _first(values, RDFS.label, "zh") or known[0] or local,
            _first(values, RDFS.label, "en") or known[1] or local,
        )
    return labels


def _link(
    reader: _Reader,
    edge: _Edge,
    own: set[str],
    labels: Mapping[str, tuple[str, str]],
    sentences: set[str],
) -> Link:
    s, p, o = edge
    incoming = s not in own
    holder, target = (o, s) if incoming else (s, o)
    return Link(
        holder=reader.entities[holder],
        relation=short_name(p),
        relation_zh=labels[p][0],
        relation_en=labels[p][1],
        target=reader.entities[target],
        incoming=incoming,
        sources=tuple(sorted(reader.sources[x] for x in sentences if x in reader.sources)),
    )


def _link_key(link: Link) -> tuple[Any, ...]:
    # Best-supported first within a section; the rest of the key only fixes the order.
    return (-link.statements, link.target.label, link.target.iri, link.relation, link.holder.iri)


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


_Split = Callable[[set[str], set[str]], tuple[tuple["Figure", ...], tuple["Figure", ...]]]


def _observations(
    store: ox.Store, reader: _Reader, anchors: set[str], mentioning: Mapping[str, set[str]]
) -> _Split:
    """A function (the zone's own entities, its sentences) -> (about, nearby) figures."""
    direct = _pairs(store, anchors, _Q_OBSERVED)  # anchor -> observations
    sentences = set().union(*mentioning.values()) if mentioning else set()
    nearby_rows = _by_values(store, sentences, _Q_OBS_IN)
    of: dict[str, set[str]] = defaultdict(set)  # observation -> its entities
    for x, found in direct.items():
        for obs in found:
            of[obs].add(x)
    for obs, x in nearby_rows:
        of[obs.value].add(x.value)
    reader.describe({x for xs in of.values() for x in xs})
    table = _table(store, of, _OBS_FIELDS)
    reader.read_sources(
        v.value for values in table.values() for v in values.get(str(FTZ.inSentence), ())
    )
    figures: dict[str, list[Figure]] = defaultdict(list)  # observation -> one per entity
    for obs in sorted(of):
        values = table.get(obs, {})
        where = min((v.value for v in values.get(str(FTZ.inSentence), ())), default="")
        for x in sorted(of[obs]):
            if x not in reader.entities:
                continue
            figures[obs].append(
                Figure(
                    entity=reader.entities[x],
                    indicator=_first(values, FTZ.indicator),
                    value=_first(values, FTZ.value),
                    unit=_first(values, FTZ.unit),
                    normalized=_decimal(_first(values, FTZ.normalizedValue)),
                    base_unit=_first(values, FTZ.baseUnit),
                    year=_first(values, FTZ.year),
                    period=_first(values, FTZ.period),
                    change_rate=_first(values, FTZ.changeRate),
                    source=reader.sources.get(where),
                )
            )

    def split(own: set[str], sentences: set[str]) -> tuple[tuple[Figure, ...], tuple[Figure, ...]]:
        about: set[Figure] = set()
        nearby: set[Figure] = set()
        for found in figures.values():
            for f in found:
                if f.entity.iri in own:
                    about.add(f)
                elif f.source is not None and f.source.sentence in sentences:
                    nearby.add(f)
        return tuple(sorted(about, key=_figure_key)), tuple(sorted(nearby, key=_figure_key))

    return split


def _figure_key(f: Figure) -> tuple[Any, ...]:
    where = f.source or Source("", "", "", "", "")
    return (
        f.entity.label,
        f.entity.iri,
        f.indicator,
        f.year,
        where.date,
        where.path,
        where.sentence,
        f.value,
    )


def _series(figures: Iterable[Figure]) -> tuple[Series, ...]:
    """Series of the same entity, indicator and base unit over at least two years. A year
    quoted with several values keeps the value quoted most often (the smallest on a tie)."""
    groups: dict[tuple[Entity, str, str], dict[str, list[Decimal]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for f in figures:
        if f.year and f.indicator and f.normalized is not None:
            groups[(f.entity, f.indicator, f.base_unit)][f.year[:4]].append(f.normalized)
    series = []
    for (entity, indicator, unit), years in sorted(groups.items()):
        if len(years) < 2:
            continue
        points = tuple(
            (year, min(values, key=lambda v: (-values.count(v), v)))
            for year, values in sorted(years.items())
        )
        series.append(Series(entity, indicator, unit, points))
    return tuple(series)


def _timeline(sources: Iterable[Source]) -> tuple[TimelineEntry, ...]:
    counts: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for s in sources:
        counts[(s.date, s.title, s.path)].add(s.sentence)
    entries = [TimelineEntry(d, t, p, len(found)) for (d, t, p), found in counts.items()]
    return tuple(sorted(entries, key=lambda e: (e.date == "", e.date, e.title, e.path)))


# -- comparing zones ----------------------------------------------------------------------------


def zone_matrix(profiles: Sequence[ZoneProfile]) -> ZoneMatrix:
    """Zones × sectors: a cell per sector the zone or one of its areas focuses on, weighted
    by the distinct sentences (and documents) stating it."""
    cells: dict[tuple[str, str], MatrixCell] = {}
    totals: dict[Entity, int] = defaultdict(int)
    for profile in profiles:
        sources: dict[Entity, set[Source]] = defaultdict(set)
        for link in profile.section("sectors"):
            sources[link.target].update(link.sources)
        for sector, found in sources.items():
            cells[(profile.zone.iri, sector.iri)] = MatrixCell(
                len({s.sentence for s in found}), len({s.path for s in found})
            )
            totals[sector] += len(found)
    sectors = tuple(sorted(totals, key=lambda e: (-totals[e], e.label, e.iri)))
    return ZoneMatrix(tuple(profiles), sectors, cells)
