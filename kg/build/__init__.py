"""Stage 6, the build: find inputs, extract, assemble, validate and publish every output."""

from .run import BuildResult, build

__all__ = ["BuildResult", "build"]
