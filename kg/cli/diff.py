"""The ``ftz-kg diff`` command, registered on the ``ftz-kg`` group."""

from __future__ import annotations

from pathlib import Path

import click

from .common import handle_errors

__all__ = ["register"]


def register(group: click.Group) -> None:
    """Add ``diff`` to ``group``."""
    from ..diff.writers import FORMATS

    @group.command()
    @click.argument("old", type=click.Path())
    @click.argument("new", type=click.Path())
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(sorted(FORMATS)),
        default="summary",
        show_default=True,
        help="summary: what changed, for a reader; json: the same counts for scripts; "
        "sparql-update: DELETE DATA/INSERT DATA; rdf-patch: an RDF Patch (TX, D/A rows, TC).",
    )
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False),
        default=None,
        help="Write to this file (atomically) instead of stdout.",
    )
    @handle_errors
    def diff(old: str, new: str, fmt: str, output: str | None) -> None:
        """Show what changed between two builds, or write the changeset from OLD to NEW.

        OLD and NEW are build folders (their kg.trig, else kg.ttl, is read) or graph files
        (.trig, .nq, .ttl, .nt). The comparison covers quads: a document's named graph and
        the shared default graph are compared graph by graph. The summary counts documents,
        entities per class, relations per property, and both per zone. The changesets turn a
        store holding OLD into one holding NEW: POST the SPARQL Update to the store's update
        endpoint, or apply the RDF Patch with a patch-aware store.

        \b
        Example:
            ftz-kg build seeds --out out/v1
            ftz-kg build seeds new/ --out out/v2
            ftz-kg diff out/v1 out/v2
            ftz-kg diff out/v1 out/v2 --format sparql-update -o v1-to-v2.ru
            curl --data-binary @v1-to-v2.ru -H 'Content-Type: application/sparql-update' \\
                http://127.0.0.1:7879/update
        """
        from ..diff.changes import diff_paths
        from ..diff.writers import render
        from ..rdf.serialize import write_atomic

        data = render(diff_paths(old, new), fmt)
        if output is None:
            click.echo(data.decode("utf-8"), nl=False)
        else:
            write_atomic(Path(output), data)
