"""Stage 5, views: the network read from the store, its selections and formats, the HTML maps and pages."""

from .html import to_pyvis

__all__ = ["to_pyvis"]
