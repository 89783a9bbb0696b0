"""ftz-kg: a knowledge graph of China's Pilot Free Trade Zone strategy from Chinese texts.

The public API::

    from kg import build, default_pipeline, read_document, export, validate_graph

    result = build(["seeds"], "out")        # what `ftz-kg build` does: kg.ttl, kg.trig, store, maps
    build(["seeds"], "out", outputs=())     # the graph files only
    print(result.summary())
"""

from __future__ import annotations

from .build.result import BuildResult
from .build.run import build
from .errors import (
    EmptyInputError,
    FtzKgError,
    InputError,
    MissingInputError,
    OntologyError,
    OutputError,
    QueryError,
    StoreError,
    UndecodableInputError,
    ValidationError,
)
from .extract.lexicon import Lexicon, load_lexicon
from .extract.pipeline import Pipeline, default_pipeline, extract_document
from .model import (
    ArticleInfo,
    Document,
    Entity,
    Extraction,
    Mention,
    Observation,
    Relation,
    Sentence,
)
from .namespaces import FTZ, ID
from .rdf.evaluate import evaluate, load_annotation
from .rdf.export import export, load_dataset, load_graph
from .rdf.graph import build_dataset, load_ontology, union_graph
from .rdf.validate import ValidationReport, validate_graph
from .read.documents import read_document

__all__ = [
    "ArticleInfo",
    "BuildResult",
    "Document",
    "EmptyInputError",
    "Entity",
    "Extraction",
    "FTZ",
    "FtzKgError",
    "ID",
    "InputError",
    "Lexicon",
    "Mention",
    "MissingInputError",
    "Observation",
    "OntologyError",
    "OutputError",
    "Pipeline",
    "QueryError",
    "Relation",
    "Sentence",
    "StoreError",
    "UndecodableInputError",
    "ValidationError",
    "ValidationReport",
    "build",
    "build_dataset",
    "default_pipeline",
    "evaluate",
    "export",
    "extract_document",
    "load_annotation",
    "load_dataset",
    "load_graph",
    "load_lexicon",
    "load_ontology",
    "read_document",
    "union_graph",
    "validate_graph",
]
