"""Selecting a view of the network: a focus entity and its neighbourhood, classes, relations."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import ViewError
from ..fuzzy import did_you_mean, suggest
from ..fuzzy import match_key as _match_key
from ..rdf.edges import ENTITY_CLASSES
from .facts import _ontology, short_name
from .network import _FTZ, Network, Node

DIRECTIONS = ("out", "in", "both")


@dataclass(frozen=True)
class Selection:
    """Which part of a network a view shows. Empty means everything."""

    focus: str | None = None
    depth: int = 1
    direction: str = "out"
    classes: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()

    def describe(self, network: Network | None = None) -> list[str]:
        """Human-readable filters, e.g. ``["focus 满洲里片区 (depth 1, out)", "classes Area"]``."""
        parts = []
        if self.focus is not None:
            parts.append(f"focus {self.focus} (depth {self.depth}, {self.direction})")
        if self.classes:
            parts.append("classes " + ", ".join(self.classes))
        if self.relations:
            parts.append("relations " + ", ".join(self.relations))
        return parts


def find_entity(network: Network, label: str) -> Node:
    """The entity called ``label``: its IRI, Chinese or English label, or an alias.

    Raises :class:`~kg.errors.ViewError` when nothing or several entities match.
    """
    # An IRI with a "/" can only match itself (local names have no "/"), so skip the scan
    # of every label: the build's area pages each look their area up by IRI.
    if "/" in label and label in network:
        return network.node(label)
    wanted = _match_key(label)
    tiers: list[list[Node]] = [[], [], [], []]
    for n in network.nodes:
        if label == n.id or wanted == _match_key(n.id.rsplit("/", 1)[-1]):
            tiers[0].append(n)
        elif wanted == _match_key(n.label):
            tiers[1].append(n)
        elif n.label_en and wanted == _match_key(n.label_en):
            tiers[2].append(n)
        elif any(wanted == _match_key(a) for a in n.aliases):
            tiers[3].append(n)
    for tier in tiers:
        if len(tier) == 1:
            return tier[0]
        if len(tier) > 1:
            listed = "; ".join(f"{n.label} ({n.cls}, {n.id})" for n in tier[:8])
            raise ViewError(
                f"{label!r} names {len(tier)} entities: {listed}; pass the IRI to --focus instead"
            )
    close = suggest(label, network.spellings(), limit=5)
    hint = (
        did_you_mean(close) + " (pass that name, an alias, an English name or an IRI to --focus)"
        if close
        else "check the spelling; `ftz-kg query label-search --param text=…` finds the names "
        "that contain a text"
    )
    raise ViewError(f"no entity is called {label!r}; {hint}")


def _resolve_classes(network: Network, wanted: Iterable[str]) -> set[str]:
    onto = _ontology()
    by_key: dict[str, str] = {}
    for name in ENTITY_CLASSES:
        by_key[name.casefold()] = name
        zh, en = onto.labels.get(_FTZ + name, ("", ""))
        for alias in (zh, en):
            if alias:
                by_key.setdefault(_match_key(alias), name)
    chosen: set[str] = set()
    for raw in wanted:
        found = by_key.get(_match_key(raw))
        if found is None:
            raise ViewError(
                f"unknown class {raw!r}; use one or more of {', '.join(ENTITY_CLASSES)} "
                "(comma-separated, e.g. --class Area,Sector,Country)"
            )
        chosen.add(found)
    # A class includes its subclasses: PilotFreeTradeZone also selects FreeTradePort.
    return {
        c for c in ENTITY_CLASSES if c in chosen or chosen & onto.superclasses.get(c, frozenset())
    }


def _resolve_relations(network: Network, wanted: Iterable[str]) -> set[str]:
    known: dict[str, str] = {}
    onto = _ontology()
    for iri, (zh, en) in sorted(onto.labels.items()):
        name = short_name(iri)
        if iri.startswith(_FTZ) and name[:1].islower():
            for alias in (name, zh, en):
                known.setdefault(_match_key(alias), name)
    for term in network.relations.values():
        for alias in (term.name, term.iri, term.zh, term.en, "ftz:" + term.name):
            known.setdefault(_match_key(alias), term.name)
    chosen = set()
    for raw in wanted:
        found = known.get(_match_key(raw))
        if found is None:
            present = ", ".join(sorted(network.relations)) or "none"
            raise ViewError(
                f"unknown relation {raw!r}; relations in this graph: {present} "
                "(comma-separated, e.g. --relation focusesOnSector,facesCountry)"
            )
        chosen.add(found)
    return chosen


def _ego(network: Network, start: str, depth: int, direction: str) -> set[str]:
    symmetric = {short_name(iri) for iri in _ontology().symmetric}
    succ: dict[str, set[str]] = defaultdict(set)
    for e in network.edges:
        both = e.relation in symmetric or direction == "both"
        if direction == "out" or both:
            succ[e.source].add(e.target)
        if direction == "in" or both:
            succ[e.target].add(e.source)
    seen = {start}
    frontier = deque([(start, 0)])
    while frontier:
        current, d = frontier.popleft()
        if d == depth:
            continue
        for nxt in sorted(succ.get(current, ())):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append((nxt, d + 1))
    return seen


def select(network: Network, selection: Selection) -> Network:
    """The part of ``network`` that ``selection`` asks for.

    Class and relation filters apply first, then the ego network: ``depth`` steps from the
    focus along relations going ``out`` of it (what it has, faces, focuses on), ``in``
    (what points to it) or ``both``; symmetric relations (linkedWith) count both ways.
    A relation filter drops the entities it leaves without any relation.
    """
    if selection.direction not in DIRECTIONS:
        raise ViewError(
            f"unknown direction {selection.direction!r}; use one of {', '.join(DIRECTIONS)}"
        )
    if selection.depth < 0:
        raise ViewError(f"--depth must be 0 or more, not {selection.depth}")
    focus = find_entity(network, selection.focus) if selection.focus is not None else None
    current = network
    if selection.classes:
        classes = _resolve_classes(network, selection.classes)
        if focus is not None and focus.cls not in classes:
            raise ViewError(
                f"{focus.label} is a {focus.cls}, which --class leaves out; add {focus.cls} to --class"
            )
        current = current.restrict(n.id for n in current.nodes if n.cls in classes)
    if selection.relations:
        relations = _resolve_relations(network, selection.relations)
        kept = [e for e in current.edges if e.relation in relations]
        linked = {e.source for e in kept} | {e.target for e in kept}
        if focus is not None:
            linked.add(focus.id)
        current = current.restrict(linked, kept)
    if focus is not None:
        current = current.restrict(_ego(current, focus.id, selection.depth, selection.direction))
    return current
