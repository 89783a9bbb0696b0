"""Stage 4, keeping the graph: output generations, the SPARQL store, query engines, saved queries, push."""

from .embedded import open_store

__all__ = ["open_store"]
