"""Locate the data files shipped with the package (ontology, patterns, saved queries)."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

__all__ = ["ontology_file", "queries_dir", "static_file"]


def ontology_file(name: str) -> Traversable:
    """A file of ``ontology/`` (installed as ``kg.ontology``)."""
    return resources.files("kg.ontology").joinpath(name)


def queries_dir() -> Traversable:
    return resources.files("kg.queries")


def static_file(name: str) -> Traversable:
    return resources.files("kg.static").joinpath(name)
