"""What a build changes in the graph index before it is written: the rows and counts
pending, and the kinds of default-graph statements."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# Kinds of default-graph statements: an entity's description, the sector scheme, an
# ontology term. Only the first two count as using ontology terms (as in kg.rdf.graph).
_ENTITY, _SCHEME, _TERM = "entity", "scheme", "term"


@dataclass
class _Pending:
    """Changes to the reference counts and default-graph statements, not yet written."""

    triples: Counter[int] = field(default_factory=Counter)
    edges: Counter[int] = field(default_factory=Counter)
    terms: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    classes: dict[str, str] = field(default_factory=dict)
    # subject -> its new row in ``blocks``, or None to delete it
    blocks: dict[str, tuple[str, str, str, bytes, str, bytes, str] | None] = field(
        default_factory=dict
    )
