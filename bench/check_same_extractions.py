"""Check (not a test): two versions of the code extract exactly the same records.

Extracts every text of the corpus, the seeds and the dev set (``../shared``) with the code
of a git revision (checked out in a temporary worktree) and with the working tree, each in
its own process with that tree first on the path, and compares each file's full
extraction: sentences, articles, mentions, relations, figures, warnings and dates (a hash
of their ``repr``). Meant for changes that must not change what is found (a faster rule):
it reads all 500 texts, where ``check_same_outputs.py`` builds a subset. Prints the files
that differ and exits 1 when any does.

Usage::

    python bench/check_same_extractions.py --ref HEAD~3
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from bench.check_same_outputs import ref_worktree  # noqa: E402

# Run in each tree's own process: prints {file: hash} as JSON.
_CHILD = """
import hashlib, json, sys
from pathlib import Path
from kg.build.engine import extract_one
from kg.errors import InputError
from kg.extract import default_pipeline
from kg.read.documents import read_document
pipe = default_pipeline()
found = {}
for name in sys.argv[1:]:
    try:
        doc = read_document(Path(name))
    except InputError:
        continue
    ex = extract_one(doc, pipe)
    record = (ex.sentences, ex.articles, ex.mentions, ex.relations, ex.observations,
              ex.warnings, ex.dates)
    found[name] = hashlib.sha256(repr(record).encode("utf-8")).hexdigest()
print(json.dumps(found))
"""


def texts() -> list[str]:
    """The texts compared: the corpus's, the seeds' and the dev set's, as paths."""
    found = sorted((SHARED / "corpus").rglob("*.txt")) + sorted((SHARED / "dev").glob("*.txt"))
    found += sorted((ROOT / "seeds").glob("*.txt"))
    return [str(path) for path in found]


def extraction_hashes(code: Path, names: list[str]) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(code))
    # -P: without it `python -c` puts the working directory first on the path.
    done = subprocess.run(
        [sys.executable, "-P", "-c", _CHILD, *names],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    hashes: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return hashes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", required=True, help="git revision to compare the tree with")
    args = parser.parse_args()
    names = texts()
    with (
        tempfile.TemporaryDirectory(prefix="same-extractions-") as tmp,
        ref_worktree(args.ref, Path(tmp) / "ref") as worktree,
    ):
        old = extraction_hashes(worktree, names)
    new = extraction_hashes(ROOT, names)
    differ = sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))
    for name in differ:
        print(f"DIFFERS {name}")
    print(
        f"{len(differ)} of {len(new)} texts extract differently from {args.ref}"
        if differ
        else f"all {len(new)} texts extract as with {args.ref}"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
