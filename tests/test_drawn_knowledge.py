"""kg.rdf.graph.drawn_knowledge: the graph of one document from its graph as drawn is
the graph build_graph draws for it (the maps' child reads its network from it)."""

from __future__ import annotations

import pytest

from kg.extract.pipeline import default_pipeline
from kg.rdf.graph import build_graph, document_graph, drawn_knowledge, load_ontology
from kg.read.documents import read_document

from .conftest import CORPUS, CORPUS_SUBSET, SEEDS, require_shared


@pytest.mark.parametrize("index", [None, 0, 2])
def test_drawn_knowledge_is_the_graph_build_graph_draws(index: int | None) -> None:
    seed = next(SEEDS.glob("*.txt"))
    path = seed if index is None else require_shared(CORPUS) / CORPUS_SUBSET[index]
    pipeline, ontology = default_pipeline(), load_ontology()
    extraction = pipeline(read_document(path))
    drawn = document_graph(extraction, pipeline.lexicon, ontology)
    knowledge = drawn_knowledge(drawn, pipeline.lexicon, ontology)
    built = build_graph([extraction], pipeline.lexicon, ontology)
    assert knowledge.graphs == built.graphs
    assert len(knowledge.default) > 0 and knowledge.named(drawn.name) is drawn.triples
