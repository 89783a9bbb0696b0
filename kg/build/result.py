"""What a build produced (:class:`BuildResult`, :class:`BuildStats`) and the clock that times
its stages."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from ..extract.pipeline import default_pipeline
from ..model import Extraction
from ..namespaces import FTZ, RDF
from ..rdf.assemble import Assembly
from ..rdf.edges import relations_of
from ..rdf.graph import KnowledgeGraph, build_graph
from ..rdf.graph_files import GRAPH_FILE
from ..rdf.rdfwrite import Triple
from ..rdf.validate import ValidationReport
from .background import AnyJob
from .progress import Progress

Writer = Callable[["BuildResult"], list[Path]]

_NOT_VALIDATED = ValidationReport(True, 0, "", ())


@dataclass(frozen=True)
class BuildStats:
    """Counts shown in the summary (kept in the manifest, so a no-op build need not load
    the graph to print them)."""

    triples: int
    class_counts: dict[str, int]
    relations: int
    observations: int

    @classmethod
    def of(cls, extractions: Sequence[Extraction], triples: set[Triple]) -> BuildStats:
        """The counts of ``triples``, the graph built from ``extractions``."""
        counts: Counter[str] = Counter()
        seen = set()
        for ex in extractions:
            for m in ex.mentions:
                if m.entity not in seen:
                    seen.add(m.entity)
                    counts[m.entity.cls] += 1
            for r in ex.relations:
                for e in (r.subject, r.object):
                    if e not in seen:
                        seen.add(e)
                        counts[e.cls] += 1
        # A text under two names holds its figures once (kg.rdf.graph.duplicates).
        observations = sum(1 for _s, p, o in triples if p == RDF.type and o == FTZ.Observation)
        return cls(len(triples), dict(counts), len(relations_of(triples)), observations)


class BuildResult:
    """What a build produced.

    ``extractions``, ``dataset`` and ``graph`` are computed on first use when the build
    did not need them (a build that found its outputs up to date), so that a no-op
    rebuild of a corpus costs only the reading of its files.
    """

    def __init__(
        self,
        out_dir: Path,
        documents: int,
        extractions: list[Extraction] | Callable[[], list[Extraction]],
        dataset: Dataset | None = None,
        graph: Graph | None = None,
        report: ValidationReport = _NOT_VALIDATED,
        warnings: list[str] | None = None,
        written: list[Path] | None = None,
        *,
        knowledge: KnowledgeGraph | Callable[[], KnowledgeGraph] | None = None,
        stats: BuildStats | None = None,
        notes: list[str] | None = None,
        extracted: int = 0,
        cached: int = 0,
        up_to_date: bool = False,
        timings: dict[str, float] | None = None,
        assembly: Assembly | None = None,
    ) -> None:
        self.out_dir = Path(out_dir)
        # Where readers find the outputs: out_dir, except while the writers run, when
        # out_dir is the generation being written (kg.store.generations).
        self.published_dir = self.out_dir
        self.documents = documents
        self.report = report
        self.warnings: list[str] = warnings if warnings is not None else []
        self.written: list[Path] = written if written is not None else []
        self.notes: list[str] = notes if notes is not None else []
        self.extracted = extracted  # documents extracted by this build
        self.cached = cached  # documents whose extraction came from the cache
        self.up_to_date = up_to_date  # nothing to do: the outputs were already current
        self.timings: dict[str, float] = timings if timings is not None else {}
        self._extractions = extractions
        self._knowledge = knowledge
        self._dataset = dataset
        self._graph = graph
        self._stats = stats
        # What this build changed in the graph files (None for a build that did nothing).
        self.assembly = assembly
        # Work already running on threads: outputs by writer (kg.build.outputs.streamed_store),
        # the maps' network (kg.build.views_output.start_network).
        self.started: dict[str, AnyJob] = {}

    @property
    def extractions(self) -> list[Extraction]:
        if callable(self._extractions):
            self._extractions = self._extractions()
        return self._extractions

    @property
    def knowledge(self) -> KnowledgeGraph:
        """The built graph as sets of triples (see :class:`kg.rdf.graph.KnowledgeGraph`)."""
        if callable(self._knowledge):
            self._knowledge = self._knowledge()
        if self._knowledge is None:
            self._knowledge = build_graph(self.extractions, default_pipeline().lexicon)
        return self._knowledge

    @property
    def dataset(self) -> Dataset:
        """One named graph per document (an rdflib view, made on first use)."""
        if self._dataset is None:
            self._dataset = self.knowledge.dataset()
        return self._dataset

    @property
    def graph(self) -> Graph:
        """The union of all graphs, as written to ``kg.ttl`` (made on first use)."""
        if self._graph is None:
            self._graph = self.knowledge.graph()
        return self._graph

    @property
    def stats(self) -> BuildStats:
        if self._stats is None:
            triples = self.knowledge.triples() if self._knowledge is not None else set(self.graph)
            self._stats = BuildStats.of(self.extractions, triples)
        return self._stats

    def class_counts(self) -> Counter[str]:
        return Counter(self.stats.class_counts)

    @property
    def relation_count(self) -> int:
        return self.stats.relations

    @property
    def observation_count(self) -> int:
        return self.stats.observations

    def summary(self) -> str:
        stats = self.stats
        where = self.out_dir / GRAPH_FILE
        if self.up_to_date:
            head = (
                f"up to date: {where} ({stats.triples} triples from {self.documents} document(s))"
            )
        else:
            head = f"built {where}: {stats.triples} triples from {self.documents} document(s)"
        lines = [
            head,
            "entities: " + ", ".join(f"{cls} {n}" for cls, n in sorted(stats.class_counts.items())),
            f"relations: {stats.relations}, observations: {stats.observations}",
        ]
        if self.cached:
            lines.append(f"extracted {self.extracted} document(s), {self.cached} from the cache")
        lines.extend(self.notes)
        if self.warnings:
            lines.append(f"warnings: {len(self.warnings)}")
            lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)


class _Clock:
    def __init__(self, progress: Progress) -> None:
        self.timings: dict[str, float] = {}
        self.progress = progress

    @contextmanager
    def stage(self, name: str, message: str = "") -> Iterator[None]:
        if message:
            self.progress.stage(message)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start
