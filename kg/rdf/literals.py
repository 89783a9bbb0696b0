"""rdflib Literals made without rdflib's constructor, for the drawing's hot loop.

``Literal(...)`` runs a dozen Python checks (language tag, datatype casts, normalisation)
for every offset, sentence and label of a document: a few microseconds each, a tenth of
the drawing. The forms the drawing makes (a plain string, a string tagged ``zh``, an
integer) need none of them, so their fields are set directly, to what the constructor
sets (``tests/test_stage_equivalence.py`` compares every field and the equality).
"""

from __future__ import annotations

from rdflib import Literal

from ..namespaces import XSD

__all__ = ["integer", "plain", "tagged"]

_INTEGER = XSD.integer
_new = str.__new__


def _literal(lexical: str, language: str | None, datatype: object, value: object) -> Literal:
    literal: Literal = _new(Literal, lexical)
    literal._language = language
    literal._datatype = datatype  # type: ignore[assignment]
    literal._value = value
    literal._ill_typed = None
    return literal


def plain(text: str) -> Literal:
    """``Literal(text)``."""
    return _literal(text, None, None, text)


def tagged(text: str, language: str) -> Literal:
    """``Literal(text, lang=language)`` for a tag known to be well formed (``zh``, ``en``)."""
    return _literal(text, language, None, text)


def integer(value: int) -> Literal:
    """``Literal(value)`` of a Python int (not a bool)."""
    return _literal(str(value), None, _INTEGER, value)
