"""``build``: source files → extraction → RDF → validated, written outputs.

Everything is computed in memory and validated before the first byte is written, and
each output is replaced atomically, so a failed build leaves the previous ``out/`` as it
was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph

from .errors import EmptyInputError, InputError, ValidationError
from .extract.pipeline import Pipeline, default_pipeline
from .graph import build_dataset, load_ontology, union_graph
from .model import Document, Extraction
from .reader import discover, read_document, read_stdin
from .serialize import serialize_dataset, serialize_graph, write_atomic
from .validate import ValidationReport, validate_graph

__all__ = ["BuildResult", "build", "extract_paths", "GRAPH_FILE", "DATASET_FILE"]

GRAPH_FILE = "kg.ttl"
DATASET_FILE = "kg.trig"


@dataclass
class BuildResult:
    out_dir: Path
    documents: int
    extractions: list[Extraction]
    dataset: Dataset
    graph: Graph
    report: ValidationReport
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    def class_counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        seen = set()
        for ex in self.extractions:
            for m in ex.mentions:
                if m.entity not in seen:
                    seen.add(m.entity)
                    counts[m.entity.cls] += 1
            for r in ex.relations:
                for e in (r.subject, r.object):
                    if e not in seen:
                        seen.add(e)
                        counts[e.cls] += 1
        return counts

    @property
    def relation_count(self) -> int:
        return len(
            {(r.subject, r.predicate, r.object) for ex in self.extractions for r in ex.relations}
        )

    @property
    def observation_count(self) -> int:
        return sum(len(ex.observations) for ex in self.extractions)

    def summary(self) -> str:
        counts = self.class_counts()
        lines = [
            f"built {self.out_dir / GRAPH_FILE}: {len(self.graph)} triples from "
            f"{self.documents} document(s)",
            "entities: " + ", ".join(f"{cls} {n}" for cls, n in sorted(counts.items())),
            f"relations: {self.relation_count}, observations: {self.observation_count}",
        ]
        if self.warnings:
            lines.append(f"warnings: {len(self.warnings)}")
            lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)


def read_inputs(
    paths: Sequence[str | Path], strict: bool = False
) -> tuple[list[Document], list[str]]:
    """Read every input; unreadable files are errors, empty ones warnings."""
    warnings: list[str] = []
    documents: list[Document] = []
    files = [p for p in paths if str(p) != "-"]
    for path in discover(files):
        try:
            documents.append(read_document(path))
        except EmptyInputError as exc:
            if strict:
                raise
            warnings.append(exc.message)
    if any(str(p) == "-" for p in paths):
        documents.append(read_stdin())
    return documents, warnings


def extract_paths(
    paths: Sequence[str | Path], pipeline: Pipeline | None = None, strict: bool = False
) -> tuple[list[Extraction], list[str]]:
    documents, warnings = read_inputs(paths, strict)
    pipe = pipeline or default_pipeline()
    return [pipe(doc) for doc in documents], warnings


def build(
    paths: Sequence[str | Path] = ("seeds",),
    out_dir: str | Path = "out",
    *,
    pipeline: Pipeline | None = None,
    strict: bool = False,
    validate: bool = True,
    extra_outputs: Sequence[Callable[[BuildResult], list[Path]]] = (),
) -> BuildResult:
    """Build the graph from ``paths`` into ``out_dir`` and return what was built.

    Raises :class:`~kg.errors.InputError` for unusable input and
    :class:`~kg.errors.ValidationError` if the graph does not conform to the shapes
    (nothing is written then).
    """
    out = Path(out_dir)
    pipe = pipeline or default_pipeline()
    extractions, warnings = extract_paths(paths, pipe, strict)
    if not extractions:
        raise InputError("no document to build from: every input was empty; give .txt files")
    ontology = load_ontology()
    dataset = build_dataset(extractions, pipe.lexicon, ontology)
    graph = union_graph(dataset)
    report = validate_graph(graph, ontology) if validate else ValidationReport(True, 0, "", ())
    if not report.conforms:
        raise ValidationError(
            f"the built graph violates ontology/shapes.ttl ({report.violations} violation(s)); "
            "nothing was written. Run `ftz-kg validate` on a graph for the full report",
            report=report.summary(),
        )
    turtle = serialize_graph(graph, "ttl")
    trig = serialize_dataset(dataset, "trig")
    result = BuildResult(out, len(extractions), extractions, dataset, graph, report, warnings)
    write_atomic(out / GRAPH_FILE, turtle)
    write_atomic(out / DATASET_FILE, trig)
    result.written = [out / GRAPH_FILE, out / DATASET_FILE]
    for output in extra_outputs:
        result.written.extend(output(result))
    return result
