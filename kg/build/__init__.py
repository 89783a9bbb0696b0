"""Stage 6, the build: find inputs, extract, assemble, validate and publish every output."""

from .result import BuildResult
from .run import build

__all__ = ["BuildResult", "build"]
