"""``ftz-kg diff``: what changed between two builds, as a summary and as a changeset.

:func:`diff` compares two datasets quad by quad (graph name included: a build's ``kg.trig``
holds one named graph per document and the shared default graph) and returns a
:class:`Changeset`: the quads to delete from OLD and to insert to get NEW, plus a
:class:`Summary` of what they mean to a reader (documents, entities and relations added
and removed, per class and per zone). :mod:`kg.diff.writers` turns a changeset into a SPARQL
1.1 Update or an RDF Patch.

Terms used by the summary:

- an *entity* is a node of the instance namespace (``id:``) typed with an ontology class,
  other than the provenance classes (``Document``, ``Sentence``, ``Mention``,
  ``Assertion``); documents are counted on their own. Its class is its most specific
  ``ftz:`` type. It is added when NEW types it and OLD does not, removed the other way
  round, and changed when both type it and the changeset removes or adds a quad about it
  (a label, an alias, a figure's value, the graph that states it).
- a *relation* is a triple between two entities with one of the domain properties
  (``hasArea``, ``locatedIn``, ``focusesOnSector`` …), counted once however many graphs
  state it; its evidence, the ``Assertion`` nodes, are counted apart.
- the *zones* of a node: a zone is its own zone; an area belongs to the zones that have it
  (``hasArea``); anything ``locatedIn`` or ``partOf`` an area or a zone belongs to that
  area's or zone's zones; the region a zone is ``locatedIn`` stands for the zone (the
  texts say 海南 for 海南自由贸易港; a country never does: 中国 holds every zone). A relation
  counts for the zones of its subject, else of its object (``满洲里片区 focusesOnSector
  乳业`` for 内蒙古), else for the one zone whose relations reach its subject (a platform
  one zone is ``linkedWith``; none when several zones reach it). An entity counts for its
  own zones, else for the zones whose relations reach it (a sector for the zones that
  focus on it), a figure for the zones its observed entity belongs to. Zones are found on
  OLD and NEW together (one build may be the only one to say where a zone lies); what has
  no zone by these rules is listed under "(no zone)". The rules are in
  :mod:`kg.diff.zones`.

Blank nodes: a changeset cannot name a blank node of the target store (``DELETE DATA``
forbids them, and a store relabels them on load), so a changeset that had to delete or
insert a triple with a blank node could not turn OLD into NEW. ftz-kg builds have none
(every node has an IRI minted by :mod:`kg.rdf.iris`); a file that has some is refused with
:class:`~kg.errors.BlankNodeError` (E472), which says to skolemise it first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import BlankNodeError, DiffInputError
from ..namespaces import FTZ, ID, RDF, SKOS
from .zones import Zones

__all__ = [
    "Changeset",
    "ClassCount",
    "Summary",
    "ZoneCount",
    "diff",
    "diff_paths",
    "load_dataset",
    "resolve_input",
]

# A build folder is read from its TriG (quads) when it has one, else from its Turtle.
_BUILD_FILES = ("kg.trig", "kg.ttl")
_FORMATS = {
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
}
_NO_ZONE = "(no zone)"

_TYPE = ox.NamedNode(str(RDF.type))
_PREF_LABEL = ox.NamedNode(str(SKOS.prefLabel))
_ID = str(ID)
_FTZ = str(FTZ._NS)
# A document node is also typed Article (it may hold articles); it is no entity.
_PROVENANCE = frozenset(str(c) for c in (FTZ.Document, FTZ.Sentence, FTZ.Mention, FTZ.Assertion))
_DOCUMENT = str(FTZ.Document)
_SOURCE_PATH = ox.NamedNode(str(FTZ.sourcePath))
_ASSERTION = str(FTZ.Assertion)
# A node typed with several ftz classes is counted under the most specific one.
_MORE_SPECIFIC = {str(FTZ.FreeTradePort): str(FTZ.PilotFreeTradeZone)}
_RELATIONS = frozenset(
    str(p)
    for p in (
        FTZ.hasArea,
        FTZ.areaOf,
        FTZ.locatedIn,
        FTZ.focusesOnSector,
        FTZ.facesCountry,
        FTZ.hasTask,
        FTZ.coversField,
        FTZ.hasPosition,
        FTZ.involvesCountry,
        FTZ.partOf,
        FTZ.linkedWith,
        FTZ.supports,
        FTZ.issuedFor,
        FTZ.authorOf,
        FTZ.affiliatedWith,
    )
)
_OBSERVED = ox.NamedNode(str(FTZ.observedEntity))
_WANTED = frozenset(
    {_TYPE, _PREF_LABEL, _SOURCE_PATH, _OBSERVED, *(ox.NamedNode(p) for p in _RELATIONS)}
)


@dataclass(frozen=True)
class ClassCount:
    """Entities of one class added, removed and changed (``cls`` is the local name)."""

    cls: str
    added: int
    removed: int
    changed: int


@dataclass(frozen=True)
class ZoneCount:
    """Entities and relations added and removed that count for one zone (its label)."""

    zone: str
    entities_added: int
    entities_removed: int
    relations_added: int
    relations_removed: int


@dataclass(frozen=True)
class Summary:
    """What a changeset means to a reader; see the module's docstring for the terms."""

    old_quads: int
    new_quads: int
    old_graphs: int
    new_graphs: int
    documents_added: tuple[str, ...]
    documents_removed: tuple[str, ...]
    classes: tuple[ClassCount, ...]
    relations: tuple[tuple[str, int, int], ...]  # (property local name, added, removed)
    assertions_added: int
    assertions_removed: int
    zones: tuple[ZoneCount, ...]

    @property
    def entities_added(self) -> int:
        return sum(c.added for c in self.classes)

    @property
    def entities_removed(self) -> int:
        return sum(c.removed for c in self.classes)

    @property
    def entities_changed(self) -> int:
        return sum(c.changed for c in self.classes)

    @property
    def relations_added(self) -> int:
        return sum(a for _, a, _ in self.relations)

    @property
    def relations_removed(self) -> int:
        return sum(r for _, _, r in self.relations)


@dataclass(frozen=True)
class Changeset:
    """The quads to delete from OLD and to insert into it to get NEW, each in a canonical
    order (graph, subject, predicate, object as N-Quads terms), so the writers' output is
    byte-identical for the same two inputs."""

    old: str
    new: str
    removed: tuple[ox.Quad, ...]
    added: tuple[ox.Quad, ...]
    summary: Summary

    @property
    def empty(self) -> bool:
        return not self.removed and not self.added


def resolve_input(path: str | Path) -> Path:
    """The graph file for ``path``: a build folder's ``kg.trig`` (else ``kg.ttl``), or the
    file itself (``.trig``, ``.nq``, ``.ttl``, ``.nt``)."""
    path = Path(path)
    if path.is_dir():
        for name in _BUILD_FILES:
            if (path / name).is_file():
                return path / name
        raise DiffInputError(
            f"{path}: a folder without kg.trig or kg.ttl; give a build folder "
            "(`ftz-kg build --out FOLDER`) or a graph file"
        )
    if not path.exists():
        raise DiffInputError(f"{path}: no such file or folder; give a build folder or a graph file")
    if path.suffix.lower() not in _FORMATS:
        raise DiffInputError(
            f"{path}: unknown graph file type; give a build folder or a "
            f"{', '.join(sorted(_FORMATS))} file"
        )
    return path


def load_dataset(path: str | Path) -> frozenset[ox.Quad]:
    """The quads of a build folder or a graph file; refuses blank nodes (see module)."""
    file = resolve_input(path)
    try:
        quads = frozenset(ox.parse(path=str(file), format=_FORMATS[file.suffix.lower()]))
    except (SyntaxError, ValueError, OSError) as exc:
        raise DiffInputError(
            f"{file}: cannot be parsed ({exc}); fix the file or rebuild it"
        ) from exc
    blank = [q for q in quads if _has_blank(q)]
    if blank:
        raise BlankNodeError(
            f"{file}: {len(blank)} quad(s) have blank nodes (the first: {_short(blank[0])}); "
            "a changeset cannot name a blank node in the store it is applied to. Skolemise "
            "the file first (give each blank node an IRI), as ftz-kg builds do"
        )
    return quads


def _has_blank(quad: ox.Quad) -> bool:
    blank = ox.BlankNode
    return (
        type(quad.subject) is blank or type(quad.object) is blank or type(quad.graph_name) is blank
    )


def _short(quad: ox.Quad) -> str:
    text = str(quad)
    return text if len(text) <= 160 else text[:157] + "…"


def _order(quad: ox.Quad) -> tuple[str, str, str, str]:
    graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
    return (graph, str(quad.subject), str(quad.predicate), str(quad.object))


def diff_paths(old: str | Path, new: str | Path) -> Changeset:
    """:func:`diff` of two build folders or graph files."""
    return diff(load_dataset(old), load_dataset(new), old_name=str(old), new_name=str(new))


def diff(
    old: Iterable[ox.Quad], new: Iterable[ox.Quad], *, old_name: str = "OLD", new_name: str = "NEW"
) -> Changeset:
    """The changeset that turns dataset ``old`` into ``new`` (sets of quads without blank
    nodes, e.g. from :func:`load_dataset`), with its :class:`Summary`."""
    old_set, new_set = frozenset(old), frozenset(new)
    removed = tuple(sorted(old_set - new_set, key=_order))
    added = tuple(sorted(new_set - old_set, key=_order))
    return Changeset(
        old=old_name,
        new=new_name,
        removed=removed,
        added=added,
        summary=_summarise(old_set, new_set, {str(q.subject) for q in (*removed, *added)}),
    )


class _View:
    """What the summary needs to know of one dataset: types, labels, relations, figures."""

    def __init__(self, quads: frozenset[ox.Quad]) -> None:
        self.types: dict[str, set[str]] = defaultdict(set)
        self.labels: dict[str, str] = {}
        self.sources: dict[str, str] = {}  # document → its file as given to the build
        self.relations: set[tuple[str, str, str]] = set()
        self.observed: dict[str, str] = {}  # observation → the entity it is a figure of
        self.graphs = {q.graph_name for q in quads}
        # Predicates compared as pyoxigraph terms: most quads are provenance, skipped
        # without making Python strings of their terms.
        for q in quads:
            p = q.predicate
            if p in _WANTED:
                s, o = q.subject, q.object
                if not isinstance(s, ox.NamedNode) or isinstance(o, ox.Triple):
                    continue
                if p == _TYPE:
                    self.types[s.value].add(o.value)
                elif isinstance(o, ox.Literal):
                    if p == _PREF_LABEL:
                        label = self.labels.get(s.value)
                        self.labels[s.value] = o.value if label is None else min(label, o.value)
                    elif p == _SOURCE_PATH:
                        self.sources[s.value] = o.value
                elif p == _OBSERVED:
                    self.observed[s.value] = o.value
                elif isinstance(o, ox.NamedNode):
                    self.relations.add((s.value, p.value, o.value))
        self.classes = {
            node: cls for node, types in self.types.items() if (cls := _class_of(node, types))
        }
        self.documents = {n for n, t in self.types.items() if _DOCUMENT in t}
        self.assertions = {n for n, t in self.types.items() if _ASSERTION in t}

    def label(self, node: str) -> str:
        return self.labels.get(node) or node.rsplit("/", 1)[-1]


def _class_of(node: str, types: set[str]) -> str | None:
    if not node.startswith(_ID):
        return None
    ftz = {t for t in types if t.startswith(_FTZ)}
    if not ftz or ftz & _PROVENANCE:
        return None
    for specific, general in _MORE_SPECIFIC.items():
        if specific in ftz:
            ftz.discard(general)
    return min(ftz)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _summarise(old: frozenset[ox.Quad], new: frozenset[ox.Quad], touched: set[str]) -> Summary:
    """The summary; ``touched``: the subjects of the quads removed or added (N-Triples)."""
    before, after = _View(old), _View(new)
    added_entities = after.classes.keys() - before.classes.keys()
    removed_entities = before.classes.keys() - after.classes.keys()
    changed_entities = {
        n for n in before.classes.keys() & after.classes.keys() if f"<{n}>" in touched
    }
    per_class: dict[str, Counter[str]] = defaultdict(Counter)
    for node in added_entities:
        per_class[_local(after.classes[node])]["added"] += 1
    for node in removed_entities:
        per_class[_local(before.classes[node])]["removed"] += 1
    for node in changed_entities:
        per_class[_local(after.classes[node])]["changed"] += 1
    classes = tuple(
        ClassCount(cls, c["added"], c["removed"], c["changed"])
        for cls, c in sorted(per_class.items())
    )

    added_relations = after.relations - before.relations
    removed_relations = before.relations - after.relations
    per_property: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _, p, _ in added_relations:
        per_property[_local(p)][0] += 1
    for _, p, _ in removed_relations:
        per_property[_local(p)][1] += 1

    # Attributed on both builds together: a zone's place stated in one build only still
    # attributes the other build's removals or additions.
    zones_of = Zones(
        {**before.classes, **after.classes},
        before.relations | after.relations,
        {**before.observed, **after.observed},
    )
    zone_counts: dict[str, Counter[str]] = defaultdict(Counter)

    def count(zones: frozenset[str], key: str) -> None:
        for zone in zones or (_NO_ZONE,):
            label = after.labels.get(zone) or before.label(zone)
            zone_counts[zone if zone == _NO_ZONE else label][key] += 1

    for node in added_entities:
        count(zones_of.of_entity(node), "entities_added")
    for node in removed_entities:
        count(zones_of.of_entity(node), "entities_removed")
    for rel in added_relations:
        count(zones_of.of_relation(rel), "relations_added")
    for rel in removed_relations:
        count(zones_of.of_relation(rel), "relations_removed")
    zones = tuple(
        ZoneCount(
            zone,
            c["entities_added"],
            c["entities_removed"],
            c["relations_added"],
            c["relations_removed"],
        )
        for zone, c in sorted(zone_counts.items(), key=lambda kv: (kv[0] == _NO_ZONE, kv[0]))
    )
    return Summary(
        old_quads=len(old),
        new_quads=len(new),
        old_graphs=len(before.graphs),
        new_graphs=len(after.graphs),
        documents_added=_documents(after, after.documents - before.documents),
        documents_removed=_documents(before, before.documents - after.documents),
        classes=classes,
        relations=tuple((p, a, r) for p, (a, r) in sorted(per_property.items())),
        assertions_added=len(after.assertions - before.assertions),
        assertions_removed=len(before.assertions - after.assertions),
        zones=zones,
    )


def _documents(view: _View, nodes: Iterable[str]) -> tuple[str, ...]:
    """Each document by its source file (its IRI when the graph does not say)."""
    return tuple(sorted(view.sources.get(node, node) for node in nodes))
