"""The relation rules each class of object can take, found once per set of rules.

``find_relations`` tries every rule on every object of a clause; most rules name other
classes of objects, and asking each ``rule.objects`` of every object was much of the loop.
"""

from __future__ import annotations

from .memo import by_identity
from .patterns import RelationRule

__all__ = ["rules_by_object"]


@by_identity  # kg.extract.memo
def rules_by_object(
    rules: tuple[RelationRule, ...],
) -> dict[str, tuple[tuple[int, RelationRule, bool], ...]]:
    """Object class -> the rules that take it, in the rules' order, each with its index and
    whether any trigger does (``"any"`` among its triggers)."""
    classes = {cls for rule in rules for cls in rule.objects}
    return {
        cls: tuple(
            (i, rule, rule.any_trigger) for i, rule in enumerate(rules) if cls in rule.objects
        )
        for cls in classes
    }
