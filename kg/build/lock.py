"""The build lock of an output folder: one build writes a folder at a time."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ..errors import (
    FolderBusyError,
    OutputError,
)

# The one lock of a build: held on OUT/.lock from before the first input is read until
# the last output (graph files, store, maps) is written.
LOCK_FILE = ".lock"

# The lock files' descriptors held by this process. A forked child (the maps' child, an
# extraction worker) shares each: closed there at once, the lock stays the parent's alone,
# and a child still exiting after its answer cannot turn the next build away.
_held: set[int] = set()


def _close_held() -> None:
    for fd in _held:
        with suppress(OSError):
            os.close(fd)
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_held)


@contextmanager
def lock_folder(out: Path) -> Iterator[None]:
    """Hold the build lock of ``out`` (an exclusive ``flock`` on ``OUT/.lock``).

    Two builds into one folder would leave the graph files of one and the store of the
    other, so the second raises :class:`~kg.errors.FolderBusyError` at once, before it
    reads or extracts anything. The kernel releases the lock when the process ends, even
    on kill -9: a stale lock file is harmless and is never deleted (deleting it would let
    a third build lock a different file)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OutputError(
            f"{out}: cannot create the output folder or its lock file {LOCK_FILE} ({exc}); "
            "check the path and its permissions, or choose another folder with --out"
        ) from exc
    try:
        try:
            _flock(fd)
        except BlockingIOError:
            holder = ""
            with suppress(OSError):
                os.lseek(fd, 0, os.SEEK_SET)
                holder = os.read(fd, 64).decode("ascii", "replace").strip()
            by = f" (process {holder})" if holder.isdigit() else ""
            raise FolderBusyError(
                f"{out}: another build is writing this folder{by}; wait for it to finish, "
                "or build into another folder with --out"
            ) from None
        with suppress(OSError):  # who holds it, for the message above; not needed
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        _held.add(fd)
        yield
    finally:
        _held.discard(fd)
        os.close(fd)  # releases the lock


def _flock(fd: int) -> None:
    """Take an exclusive lock on ``fd`` without waiting (BlockingIOError if it is held)."""
    if sys.platform == "win32":  # lock the first byte instead
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            raise BlockingIOError(str(exc)) from exc
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
