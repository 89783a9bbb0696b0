"""Stage 7, the ``ftz-kg`` command line: one module per command group over the library."""

from .group import main

__all__ = ["main"]
