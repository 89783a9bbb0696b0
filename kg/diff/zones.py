"""Which free-trade zones a node of the graph counts for, in ``ftz-kg diff``'s summary.

The rules (the module :mod:`kg.diff` explains them to users):

- a zone is its own zone; an area belongs to the zones that have it (``hasArea``,
  ``areaOf``); anything ``locatedIn`` or ``partOf`` an area or a zone belongs to that
  area's or zone's zones (to a fixed point: a port in an area);
- the region a zone is ``locatedIn`` stands for the zone: the texts say 海南 for 海南自由贸易港.
  A country never does (中国 holds every zone);
- an entity that belongs to no zone counts for the zones whose members' relations reach it
  (``linkedWith`` both ways; not ``locatedIn``: a country is in no zone's reach), and a
  figure (``Observation``) for the zones its observed entity belongs to;
- a relation counts for the zones of its subject, else of its object, else for the one
  zone whose relations reach its subject (none when several do).

The graph given is the union of OLD's and NEW's relations, so that a removal and an addition
are attributed alike even where only one build states the zone's place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from ..namespaces import FTZ

__all__ = ["Relation", "Zones"]

Relation = tuple[str, str, str]

_ZONE_CLASSES = frozenset(str(c) for c in (FTZ.PilotFreeTradeZone, FTZ.FreeTradePort))
_REGION = str(FTZ.Region)
_HAS_AREA = str(FTZ.hasArea)
_AREA_OF = str(FTZ.areaOf)
_WITHIN = frozenset((str(FTZ.locatedIn), str(FTZ.partOf)))
_LINKED_WITH = str(FTZ.linkedWith)


class Zones:
    """The zones of each node, from the nodes' classes (IRI → class IRI), the relations
    between entities and each observation's observed entity."""

    def __init__(
        self,
        classes: Mapping[str, str],
        relations: Iterable[Relation],
        observed: Mapping[str, str],
    ) -> None:
        self._relations = list(relations)
        self._observed = observed
        self._member = self._membership(classes)
        self._reach = self._reached()

    def _membership(self, classes: Mapping[str, str]) -> dict[str, frozenset[str]]:
        zones: dict[str, set[str]] = defaultdict(set)
        for node, cls in classes.items():
            if cls in _ZONE_CLASSES:
                zones[node].add(node)
        for s, p, o in self._relations:
            if p == _HAS_AREA and s in zones:
                zones[o] |= zones[s]
            elif p == _AREA_OF and o in zones:
                zones[s] |= zones[o]
        changed = True
        while changed:
            changed = False
            for s, p, o in self._relations:
                if p in _WITHIN and zones.get(o) and not zones[o] <= zones[s]:
                    zones[s] |= zones[o]
                    changed = True
        for s, p, o in self._relations:
            if p in _WITHIN and classes.get(s) in _ZONE_CLASSES and classes.get(o) == _REGION:
                zones[o].add(s)
        return {node: frozenset(z) for node, z in zones.items() if z}

    def _reached(self) -> dict[str, frozenset[str]]:
        reached: dict[str, set[str]] = defaultdict(set)
        for s, p, o in self._relations:
            if p in _WITHIN:  # the place hierarchy is membership: 中国 is no zone's reach
                continue
            if s in self._member:
                reached[o] |= self._member[s]
            if p == _LINKED_WITH and o in self._member:
                reached[s] |= self._member[o]
        return {node: frozenset(z) for node, z in reached.items()}

    def of_entity(self, node: str) -> frozenset[str]:
        """The zones an entity counts for (empty: none)."""
        found = self._member.get(node) or self._reach.get(node)
        if not found and node in self._observed:
            found = self._member.get(self._observed[node])
        return found or frozenset()

    def of_relation(self, relation: Relation) -> frozenset[str]:
        """The zones of the subject, else of the object, else the one zone reaching the
        subject (a fact of an initiative that thirteen zones support is none of theirs)."""
        s, _, o = relation
        found = self._member.get(s) or self._member.get(o)
        if not found and len(self._reach.get(s, ())) == 1:
            found = self._reach[s]
        return found or frozenset()
