"""One generation of outputs: a build publishes all its outputs at once, with one rename.

The outputs readers use (``kg.ttl``, ``kg.trig``, ``kg.html``, ``views/``, ``zones/`` and the SPARQL
store ``store``) are fixed symbolic links in the output folder, ``OUT/kg.ttl →
.current/kg.ttl`` and so on, and ``OUT/.current`` points at one generation folder
``OUT/.gen-<id>/`` that holds one build's files (its store is ``OUT/.store-<id>``, linked
from the generation as ``store``). A build:

1. stages a new generation (:func:`stage`): a folder whose files are hard links to those
   of the current one (no copy), so the writers find the previous outputs where they
   always did and replace them in the stage only;
2. writes every output into the stage;
3. publishes it (:func:`publish`): one atomic rename of ``OUT/.current``, then deletes
   the previous generation and every store no generation uses.

A reader therefore sees the old set or the new set, never a mix, whatever moment a build
is killed at; what a killed build left (a stage, a store, temporary files) is deleted by
the next one. A folder written by an older ftz-kg (plain files) is adopted as the first
generation before anything is replaced, one content-preserving rename per name.

Where symbolic links cannot be made (some Windows setups) the outputs are written in
place, as before.

:func:`checkpoint` is a test hook: with ``FTZ_KG_TEST_KILL_AT=<name>`` in the environment,
the build kills itself with SIGKILL when it reaches the checkpoint of that name
(``tests/test_reliability_generations.py``), so a test can interrupt a build at a chosen
moment without timing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import uuid
from pathlib import Path

from ..errors import OutputError

__all__ = ["CURRENT", "PUBLISHED", "checkpoint", "home", "is_stage", "publish", "stage"]

CURRENT = ".current"
PUBLISHED = ("kg.ttl", "kg.trig", "kg.html", "views", "zones", "store")
_PAGE_FOLDERS = ("views", "zones")
_GEN = ".gen-"
_STORE = ".store-"
KILL_VARIABLE = "FTZ_KG_TEST_KILL_AT"


def checkpoint(name: str) -> None:
    """Test hook: kill this process (SIGKILL, as ``kill -9``) if ``FTZ_KG_TEST_KILL_AT``
    names this checkpoint. Does nothing otherwise."""
    if os.environ.get(KILL_VARIABLE) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def is_stage(folder: Path) -> bool:
    """Whether ``folder`` is a generation folder (a build's stage)."""
    return folder.name.startswith(_GEN)


def home(folder: Path) -> Path:
    """The output folder of ``folder``: its parent for a generation folder, else itself
    (where a build keeps its stores)."""
    return folder.parent if folder.name.startswith(_GEN) else folder


def _symlinks_work(out: Path) -> bool:
    probe = out / f".probe-{uuid.uuid4().hex[:8]}"
    try:
        os.symlink(".", probe, target_is_directory=True)
    except (OSError, NotImplementedError):
        return False
    probe.unlink()
    return True


def _relink(link: Path, target: str) -> None:
    """Point ``link`` at ``target`` with one atomic rename."""
    tmp = link.with_name(f".link-{uuid.uuid4().hex[:8]}")
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _link(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (a copy where hard links cannot be made)."""
    try:
        os.link(source.resolve(), target)
    except OSError:
        shutil.copy2(source, target)


def _fill(folder: Path, source: Path) -> None:
    """Hard-link the outputs found under ``source`` (an output folder or a generation)
    into ``folder``; the store is linked, not copied."""
    for name in ("kg.ttl", "kg.trig", "kg.html"):
        path = source / name
        if path.is_file():
            _link(path, folder / name)
    for name in _PAGE_FOLDERS:
        pages = source / name
        if pages.is_dir():
            (folder / name).mkdir()
            for page in pages.iterdir():
                if page.is_file():
                    _link(page, folder / name / page.name)
    store = source / "store"
    if store.is_dir():
        os.symlink(
            os.path.relpath(store.resolve(), folder), folder / "store", target_is_directory=True
        )


def _adopt(out: Path) -> None:
    """Make ``out`` a folder of generations: a first generation holding its present files,
    then each output name a link into ``.current`` (each step keeps what readers see)."""
    for name in ("kg.ttl", "kg.trig", "kg.html"):
        if (out / name).is_dir() and not (out / name).is_symlink():
            raise OutputError(
                f"{out / name}: is a folder, so {name} cannot be written; cannot write the "
                "outputs there. Remove it, or build into another folder with --out"
            )
    current = out / CURRENT
    store = out / "store"
    if store.is_dir() and not store.is_symlink():  # the oldest layout: a plain folder
        moved = out / f"{_STORE}{uuid.uuid4().hex[:8]}"
        os.replace(store, moved)
        os.symlink(moved.name, store, target_is_directory=True)
    if not current.is_symlink():
        first = out / f"{_GEN}{uuid.uuid4().hex[:8]}"
        first.mkdir()
        _fill(first, out)
        _relink(current, first.name)
    for name in PUBLISHED:
        link = out / name
        wanted = f"{CURRENT}/{name}"
        if link.is_symlink() and os.readlink(link) == wanted:
            continue
        if link.is_dir() and not link.is_symlink():  # a folder cannot be renamed over
            aside = out / f"{_GEN}old-{uuid.uuid4().hex[:8]}"
            os.replace(link, aside)
            shutil.rmtree(aside, ignore_errors=True)
        _relink(link, wanted)


def clean(out: Path) -> None:
    """Delete what no published generation uses: other generation folders, stores, and
    temporary files left by a killed build."""
    current = out / CURRENT
    if not current.is_symlink():  # not a folder of generations (yet)
        return
    live = current.resolve()
    store = (current / "store").resolve()
    for path in out.iterdir():
        name = path.name
        if path.is_symlink():
            if name.startswith((".link-", ".store-link-", ".probe-")):
                path.unlink(missing_ok=True)
            continue
        unused_generation = name.startswith(_GEN) and path.resolve() != live
        unused_store = name.startswith(_STORE) and path.is_dir() and path.resolve() != store
        if unused_generation or unused_store:
            shutil.rmtree(path, ignore_errors=True)
        elif name.startswith(".") and name.endswith(".tmp") and path.is_file():
            path.unlink(missing_ok=True)
    cache = out / "cache"
    if cache.is_dir():
        for path in cache.rglob(".*.tmp"):  # the extraction cache's unfinished writes
            path.unlink(missing_ok=True)


def stage(out: Path) -> Path:
    """A new generation folder holding (as hard links) the current outputs of ``out``,
    for a build to write into; ``out`` itself where symbolic links cannot be made."""
    out.mkdir(parents=True, exist_ok=True)
    if not _symlinks_work(out):
        return out
    _adopt(out)
    clean(out)
    folder = out / f"{_GEN}{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    _fill(folder, out / CURRENT)
    return folder


def publish(out: Path, folder: Path) -> None:
    """Make ``folder`` the current generation of ``out`` (one rename), then delete the
    previous one."""
    if folder == out:
        return
    checkpoint("before-publish")
    _relink(out / CURRENT, folder.name)
    checkpoint("after-publish")
    with contextlib.suppress(OSError):
        clean(out)


def discard(out: Path, folder: Path) -> None:
    """Delete a stage that will not be published (a failed build)."""
    if folder != out:
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            clean(out)
