"""Measure a built graph against a hand annotation: per-class precision and recall.

An annotation is JSON: ``entities`` (class → labels as written), ``relations``
(``[subject label, property, object label]``) and ``observations`` (value and change rate
as decimal strings). Entities match by class and any Chinese or English label; relations
match a direct triple either way; observations match a node carrying the value and, when
annotated, the change rate.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from ..namespaces import FTZ, RDF, RDFS, SKOS

__all__ = ["ClassScore", "Evaluation", "evaluate", "load_annotation"]

_FTZ = str(FTZ._NS)


@dataclass(frozen=True)
class ClassScore:
    cls: str
    annotated: int
    found: int
    predicted: int
    correct: int

    @property
    def recall(self) -> float:
        return self.found / self.annotated if self.annotated else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0


@dataclass
class Evaluation:
    classes: dict[str, ClassScore]
    relations_found: int
    relations_typed: int
    relations_total: int
    observations_found: int
    observations_total: int
    missing_entities: list[tuple[str, str]] = field(default_factory=list)
    missing_relations: list[tuple[str, str, str]] = field(default_factory=list)
    missing_observations: list[dict[str, str]] = field(default_factory=list)

    def entity_recall(self, classes: list[str] | None = None) -> float:
        scores = [s for c, s in self.classes.items() if classes is None or c in classes]
        total = sum(s.annotated for s in scores)
        return sum(s.found for s in scores) / total if total else 1.0

    def precision(self, classes: list[str]) -> float:
        scores = [s for c, s in self.classes.items() if c in classes]
        total = sum(s.predicted for s in scores)
        return sum(s.correct for s in scores) / total if total else 1.0

    @property
    def relation_recall(self) -> float:
        return self.relations_found / self.relations_total if self.relations_total else 1.0

    @property
    def observation_recall(self) -> float:
        return self.observations_found / self.observations_total if self.observations_total else 1.0

    def table(self) -> str:
        lines = [
            f"{'class':<20}{'annotated':>10}{'found':>7}{'recall':>8}{'nodes':>7}{'precision':>10}"
        ]
        for cls, s in sorted(self.classes.items()):
            lines.append(
                f"{cls:<20}{s.annotated:>10}{s.found:>7}{s.recall:>8.0%}{s.predicted:>7}{s.precision:>10.0%}"
            )
        lines.append(f"entities recall {self.entity_recall():.1%}")
        lines.append(
            f"relations {self.relations_found}/{self.relations_total} ({self.relation_recall:.1%}),"
            f" with the annotated property {self.relations_typed}/{self.relations_total}"
        )
        lines.append(
            f"observations {self.observations_found}/{self.observations_total} ({self.observation_recall:.1%})"
        )
        if self.missing_entities:
            lines.append(
                "missing entities: "
                + ", ".join(f"{c}:{label}" for c, label in self.missing_entities)
            )
        if self.missing_relations:
            lines.append(
                "missing relations: " + "; ".join(" ".join(r) for r in self.missing_relations)
            )
        if self.missing_observations:
            lines.append(
                "missing observations: " + ", ".join(str(o) for o in self.missing_observations)
            )
        return "\n".join(lines)


def load_annotation(path: str | Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _labels(
    graph: Graph,
) -> tuple[dict[URIRef, set[str]], dict[str, set[URIRef]], dict[URIRef, set[str]]]:
    classes: dict[URIRef, set[str]] = defaultdict(set)
    for s, o in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and str(o).startswith(_FTZ):
            classes[s].add(str(o)[len(_FTZ) :])
    by_label: dict[str, set[URIRef]] = defaultdict(set)
    labels: dict[URIRef, set[str]] = defaultdict(set)
    for p in (SKOS.prefLabel, SKOS.altLabel, RDFS.label):
        for s, o in graph.subject_objects(p):
            if isinstance(s, URIRef) and isinstance(o, Literal):
                by_label[str(o)].add(s)
                labels[s].add(str(o))
    return classes, by_label, labels


def evaluate(graph: Graph, annotation: dict[str, Any]) -> Evaluation:
    classes, by_label, labels = _labels(graph)
    scores: dict[str, ClassScore] = {}
    missing: list[tuple[str, str]] = []
    for cls, wanted in annotation["entities"].items():
        wanted_set = set(wanted)
        found = 0
        for label in wanted:
            if any(cls in classes.get(n, set()) for n in by_label.get(label, ())):
                found += 1
            else:
                missing.append((cls, label))
        nodes = [n for n, c in classes.items() if cls in c]
        correct = sum(1 for n in nodes if labels.get(n, set()) & wanted_set)
        scores[cls] = ClassScore(cls, len(wanted), found, len(nodes), correct)

    found_rel = typed_rel = 0
    missing_rel = []
    for s_label, prop, o_label in annotation["relations"]:
        subjects = by_label.get(s_label, set())
        objects = by_label.get(o_label, set())
        direct = any(
            (s, None, o) in graph or (o, None, s) in graph for s in subjects for o in objects
        )
        typed = any(
            (s, FTZ[prop], o) in graph or (o, FTZ[prop], s) in graph
            for s in subjects
            for o in objects
        )
        found_rel += direct
        typed_rel += typed
        if not direct:
            missing_rel.append((s_label, prop, o_label))

    values: dict[Decimal, list[URIRef]] = defaultdict(list)
    for s, o in graph.subject_objects(FTZ.value):
        if isinstance(s, URIRef) and isinstance(o, Literal):
            values[Decimal(str(o))].append(s)
    for s, o in graph.subject_objects(FTZ.count):
        if isinstance(s, URIRef) and isinstance(o, Literal):
            values[Decimal(str(o))].append(s)
    found_obs = 0
    missing_obs = []
    for obs in annotation["observations"]:
        nodes = values.get(Decimal(obs["value"]), [])
        if "change" in obs:
            change = Literal(Decimal(obs["change"]))
            nodes = [
                n
                for n in nodes
                if any(
                    Decimal(str(c)) == Decimal(str(change))
                    for c in graph.objects(n, FTZ.changeRate)
                )
            ]
        if nodes:
            found_obs += 1
        else:
            missing_obs.append(obs)
    return Evaluation(
        scores,
        found_rel,
        typed_rel,
        len(annotation["relations"]),
        found_obs,
        len(annotation["observations"]),
        missing,
        missing_rel,
        missing_obs,
    )
