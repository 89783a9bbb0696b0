"""The ``ftz-kg`` command line: thin click commands over the library.

This module is the group; the commands are in one module per group of commands
(:mod:`kg.cli.graph`: build, validate, export; :mod:`kg.cli.sparql`; :mod:`kg.cli.view`;
:mod:`kg.cli.diff`; :mod:`kg.cli.ask`). Each command parses its arguments, calls one public
function and formats the result. Errors from :mod:`kg.errors` become one line on stderr and exit code 2 (1 when the
command ran but found problems, such as SHACL violations).
"""

from __future__ import annotations

import click

from . import ask as cli_ask
from . import diff as cli_diff
from . import graph as cli_graph
from . import sparql as cli_sparql
from . import view as cli_view


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ftz-kg")
def main() -> None:
    """ftz-kg: a knowledge graph of China's Pilot Free Trade Zones from Chinese policy texts.

    \b
    Example:
        ftz-kg build seeds --out out
        ftz-kg export --format nt -o out/kg.nt
    """


# The commands live in their own modules, one per group, and register themselves on `main`.
cli_graph.register(main)
cli_ask.register(main)
cli_sparql.register(main)
cli_view.register(main)
cli_diff.register(main)

if __name__ == "__main__":  # pragma: no cover
    main()
