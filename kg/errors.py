"""The one exception tree of ftz-kg.

Every error a user can cause derives from :class:`FtzKgError`. Each carries a short
code (``E1xx`` input, ``E2xx`` ontology/lexicon, ``E3xx`` validation, ``E4xx`` query and
store, ``E5xx`` output) and a message that says what is wrong and how to fix it. The CLI
prints ``error[CODE]: message`` on one line and exits with :attr:`FtzKgError.exit_code`.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "FtzKgError",
    "InputError",
    "MissingInputError",
    "UndecodableInputError",
    "EmptyInputError",
    "OntologyError",
    "ValidationError",
    "QueryError",
    "QuestionError",
    "StoreError",
    "OutputError",
    "ViewError",
    "EndpointError",
    "UnsupportedInputError",
    "EngineError",
    "FolderBusyError",
    "PartialPushError",
    "InputWarning",
    "DiffError",
    "DiffInputError",
    "BlankNodeError",
]


class FtzKgError(Exception):
    """Base of every error ftz-kg raises on purpose."""

    code = "E000"
    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"error[{self.code}]: {self.message}"


class InputError(FtzKgError):
    """A source document cannot be used."""

    code = "E100"


class MissingInputError(InputError):
    code = "E101"


class UndecodableInputError(InputError):
    code = "E102"


class EmptyInputError(InputError):
    code = "E103"


class OntologyError(FtzKgError):
    """The ontology, lexicon or shapes files are broken."""

    code = "E200"


class ValidationError(FtzKgError):
    """The graph does not conform to the SHACL shapes ("ran, but found problems")."""

    code = "E300"
    exit_code = 1

    def __init__(self, message: str, report: str = "") -> None:
        super().__init__(message)
        self.report = report


class QueryError(FtzKgError):
    """A SPARQL query is malformed, unknown or has bad parameters."""

    code = "E400"


class QuestionError(QueryError):
    """A question to ``ftz-kg ask`` cannot be answered: its kind or its entity is not
    understood. ``understood`` names the kinds it was taken for, ``nearest`` the kinds it
    resembles (their examples show how to ask)."""

    code = "E430"

    def __init__(
        self, message: str, understood: list[str] | None = None, nearest: list[Any] | None = None
    ) -> None:
        super().__init__(message)
        self.understood = understood or []
        self.nearest = nearest or []


class StoreError(FtzKgError):
    """The built graph or store is missing or unreadable."""

    code = "E410"


class OutputError(FtzKgError):
    """An output cannot be written."""

    code = "E500"


class ViewError(FtzKgError):
    """A relation map or network selection cannot be made (unknown focus, class or relation)."""

    code = "E450"


class EndpointError(FtzKgError):
    """An HTTP endpoint cannot be reached or refused a request (a remote SPARQL endpoint, a
    graph store), or the local endpoint cannot listen where asked."""

    code = "E420"


class UnsupportedInputError(InputError):
    """A file's format needs an optional library that is not installed (.docx, .pdf)."""

    code = "E104"


class EngineError(FtzKgError):
    """The parallel or distributed engine cannot run (a missing library, a worker that died)."""

    code = "E600"


class FolderBusyError(OutputError):
    """Another build holds the output folder's lock (``OUT/.lock``): two builds into one
    folder would mix their outputs, so the second stops before reading anything."""

    code = "E501"


class PartialPushError(EndpointError):
    """A push stopped part-way: some graphs of the store were replaced, the others not.

    ``replaced`` and ``not_replaced`` name the graphs (document IRIs, or the default graph's
    label), in the order they were sent."""

    code = "E421"

    def __init__(self, message: str, replaced: list[str], not_replaced: list[str]) -> None:
        super().__init__(message)
        self.replaced = replaced
        self.not_replaced = not_replaced


class DiffError(FtzKgError):
    """Two graphs cannot be compared, or their changeset cannot be written (``ftz-kg diff``)."""

    code = "E470"


class DiffInputError(DiffError):
    """A side of a diff is no build folder (no kg.trig or kg.ttl in it) or no readable graph file."""

    code = "E471"


class BlankNodeError(DiffError):
    """A side of a diff has blank nodes, which no changeset can name in the target store."""

    code = "E472"


class InputWarning(UserWarning):
    """A source document was read, with a repair worth knowing (invalid bytes replaced).

    A build lists these among its warnings; a library caller that passes no ``notes``
    list to the reader gets them through :mod:`warnings`."""
