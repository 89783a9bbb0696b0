"""``python -m kg.cli``: the ``ftz-kg`` command."""

from . import main

main()
