"""What changed between two builds: the changeset, the zones it concerns, its writers."""

from .changes import Changeset, Summary, diff, diff_paths

__all__ = ["Changeset", "Summary", "diff", "diff_paths"]
