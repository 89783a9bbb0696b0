"""Questions in Chinese or simple English answered with SPARQL over the store."""

from .questions import ask

__all__ = ["ask"]
