"""Rule-based extraction: a pipeline of named components over one document."""

from .pipeline import Pipeline, default_pipeline, extract_document

__all__ = ["Pipeline", "default_pipeline", "extract_document"]
