"""The build's first step: the input paths read into documents, with the files that cannot be
used reported or refused."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import (
    EmptyInputError,
    InputError,
    MissingInputError,
    UndecodableInputError,
    UnsupportedInputError,
)
from ..model import Document
from ..read.documents import KnownDocument, discover_sources, read_document, read_stdin

# Errors that make a file found in a folder unreadable (skipped with a warning), and a
# file named on the command line an error.
_UNREADABLE = (UndecodableInputError, UnsupportedInputError, MissingInputError)


def _reason(exc: InputError, name: str) -> str:
    """The middle of an error message: "x.txt: <reason>; <what to do>" → reason."""
    message = exc.message
    if message.startswith(f"{name}: "):
        message = message[len(name) + 2 :]
    return message.split("; ")[0]


def read_inputs(
    paths: Sequence[str | Path],
    strict: bool = False,
    known: Callable[[Path], KnownDocument | None] | None = None,
    remember: Callable[[Document], None] | None = None,
) -> tuple[list[Document | KnownDocument], list[str]]:
    """Read every input and return the documents and the warnings.

    ``known`` gives what a previous build read from a file that is unchanged since (it is
    not read again); ``remember`` is told of every file that is read.

    A file named in ``paths`` that cannot be read is an error. Files found in a folder
    that cannot be read are skipped and named together in one warning (an error with
    ``strict``); empty files are skipped with a warning each (an error with ``strict``).
    """
    warnings: list[str] = []
    documents: list[Document | KnownDocument] = []
    skipped: list[str] = []
    files = [p for p in paths if str(p) != "-"]
    for source in discover_sources(files):
        before = known(source.path) if known is not None else None
        if before is not None:
            documents.append(before)
            continue
        try:
            document = read_document(source.path, notes=warnings)
            documents.append(document)
            if remember is not None:
                remember(document)
        except EmptyInputError as exc:
            if strict:
                raise
            warnings.append(exc.message)
        except _UNREADABLE as exc:
            if source.explicit:
                raise
            skipped.append(f"{source.path} ({_reason(exc, source.path.name)})")
    if skipped:
        listing = "; ".join(skipped)
        if strict:
            raise InputError(
                f"{len(skipped)} file(s) in the input folders cannot be read: {listing}. "
                "Fix or remove them, or build without --strict to skip them"
            )
        warnings.append(f"skipped {len(skipped)} unreadable file(s): {listing}")
    if any(str(p) == "-" for p in paths):
        documents.append(read_stdin(notes=warnings))
    return documents, warnings
