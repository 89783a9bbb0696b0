"""Commands of the view feature, registered on the `ftz-kg` group. Placeholder until built."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add this feature's commands to `group`."""
