"""Check (not a test): two versions of the code build byte-identical outputs.

Builds the seed and a subset of the corpus with the code of a git revision (checked out in
a temporary worktree) and with the working tree, each in its own process with that tree
first on the path, the same inputs and the same output folder (moved aside after each
build), then compares what readers see: ``kg.ttl``,
``kg.trig``, ``kg.html``, ``views/``, ``zones/`` byte for byte and the SPARQL store as its
sorted N-Quads. Prints one line per build and output and exits 1 when anything differs.

Usage::

    python bench/check_same_outputs.py --ref HEAD~3          # build both, compare
    python bench/check_same_outputs.py --compare OLD NEW    # compare two build folders
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CORPUS, CORPUS_SUBSET  # noqa: E402

FILES = ("kg.ttl", "kg.trig", "kg.html")
FOLDERS = ("views", "zones")


def builds() -> dict[str, list[str]]:
    """The inputs of each build, as the command line names them (relative to ROOT)."""
    found = {"seed": ["seeds"]}
    if CORPUS.is_dir():
        found["corpus"] = [str(CORPUS / name) for name in CORPUS_SUBSET]
    return found


def run_build(code: Path, inputs: list[str], out: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(code))
    # -P: without it `python -c` puts the working directory (ROOT) first on the path, and
    # both builds would run ROOT's code.
    command = [sys.executable, "-P", "-c", "from kg.cli import main; main()", "build", *inputs]
    command += ["--out", str(out), "--engine", "serial", "--no-cache"]
    # The same working directory for both versions, so that the source paths recorded in
    # the graph are the same.
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)


def store_quads(out: Path) -> bytes:
    import pyoxigraph as ox

    store = ox.Store.read_only(str(out / "store"))
    dump = store.dump(format=ox.RdfFormat.N_QUADS) or b""
    return b"".join(sorted(dump.splitlines(keepends=True)))


def _same(a: Path, a_root: Path, b: Path, b_root: Path, strict: bool) -> bool:
    """Same bytes; unless ``strict``, once each page's mention of its own build folder (two
    folders given with --compare) is set aside."""
    if filecmp.cmp(a, b, shallow=False):
        return True
    return not strict and _text(a, a_root) == _text(b, b_root)


def _text(path: Path, root: Path) -> bytes:
    return path.read_bytes().replace(str(root).encode(), b"OUT")


def _tree(folder: Path) -> dict[str, Path]:
    return {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*")) if p.is_file()}


def compare(old: Path, new: Path, strict: bool = False) -> list[str]:
    """One line per output; a line starting with DIFFERS for each difference."""
    lines: list[str] = []
    for name in FILES:
        a, b = old / name, new / name
        same = a.is_file() and b.is_file() and _same(a, old, b, new, strict)
        lines.append(
            f"{'same' if same else 'DIFFERS'}  {name} ({b.stat().st_size if b.is_file() else 0} bytes)"
        )
    for name in FOLDERS:
        a, b = _tree(old / name), _tree(new / name)
        differ = sorted(set(a) ^ set(b)) + sorted(
            k for k in set(a) & set(b) if not _same(a[k], old, b[k], new, strict)
        )
        state = "same" if not differ else f"DIFFERS ({', '.join(differ[:5])})"
        lines.append(f"{state}  {name}/ ({len(b)} files)")
    a_quads, b_quads = store_quads(old), store_quads(new)
    state = "same" if a_quads == b_quads else "DIFFERS"
    quads = len(b_quads.splitlines())
    lines.append(f"{state}  store ({quads} quads)")
    return lines


@contextmanager
def ref_worktree(ref: str, folder: Path) -> Iterator[Path]:
    """The code of git revision ``ref``, checked out in ``folder`` while the block runs."""
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(folder), ref],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--ref", help="git revision whose outputs the working tree must reproduce")
    group.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"))
    args = parser.parse_args()
    if args.compare:
        report = compare(*args.compare)
        print("\n".join(report))
        return 1 if any(line.startswith("DIFFERS") for line in report) else 0
    failed = False
    with tempfile.TemporaryDirectory(prefix="same-outputs-") as tmp:
        work = Path(tmp)
        with ref_worktree(args.ref, work / "ref") as worktree:
            for name, inputs in builds().items():
                # Both built in the same folder (the pages name it), then moved aside.
                for side, code in (("old", worktree), ("new", ROOT)):
                    run_build(code, inputs, work / "out" / name)
                    (work / side).mkdir(exist_ok=True)
                    (work / "out" / name).rename(work / side / name)
                for line in compare(work / "old" / name, work / "new" / name, strict=True):
                    print(f"{name:7} {line}")
                    failed |= line.startswith("DIFFERS")
    print("outputs differ" if failed else f"outputs byte-identical with {args.ref}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
