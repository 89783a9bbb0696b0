"""Issue 14, finding 4: a build killed with ``kill -9`` at any moment leaves a consistent out/.

A build writes every output (``kg.ttl``, ``kg.trig``, the SPARQL store, ``kg.html``,
``views/``) into a new generation folder and publishes it with one rename
(:mod:`kg.store.generations`). The test builds the seed into a folder, then runs builds of a
changed input in a subprocess that kill themselves with SIGKILL at named checkpoints
(the test hook ``FTZ_KG_TEST_KILL_AT``, read by :func:`kg.store.generations.checkpoint`), spread
over reading, extraction, drawing, writing, the store swap, the maps and the publication.
After each kill the store and the in-memory engine agree, the graph files and the map are
one build's (the old one's or the new one's), ``validate`` exits 0, and the next build
succeeds and leaves no stray file.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from kg.store.generations import KILL_VARIABLE

from .conftest import ROOT, SEED_FILE

# In the order a build reaches them: extraction, graph, writing, store, maps, publication.
MOMENTS = (
    "after-read",
    "after-extract",
    "after-graph",
    "before-write",
    "after-graph-write",  # kg.ttl/kg.trig replaced (the graph swap of the finding)
    "after-index-commit",
    "before-store-swap",
    "after-output-1",  # the store swapped, the maps not drawn yet
    "after-output-2",  # the maps drawn
    "before-publish",
    "after-publish",
    "after-manifest",
)
COUNT = "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?g) AS ?g) WHERE { GRAPH ?g { ?s ?p ?o } }"
EXTRA = "\n上海自由贸易试验区临港新片区于2019年8月设立，面积119.5平方公里。\n"


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, (args, result.output)
    return result.output


def _count(out: Path, engine: str) -> str:
    return _cli("query", COUNT, "--out", str(out), "--engine", engine, "-f", "csv")


def _outputs(out: Path) -> tuple[bytes, bytes, bytes]:
    """The graph files and the map, read through the names readers use."""
    return (
        (out / "kg.ttl").read_bytes(),
        (out / "kg.trig").read_bytes(),
        (out / "kg.html").read_bytes(),
    )


def _killed_build(source: Path, out: Path, moment: str) -> None:
    env = {**os.environ, KILL_VARIABLE: moment}
    done = subprocess.run(
        [sys.executable, "-c", "from kg.cli import main; main()", "build", str(source)]
        + ["--out", str(out), "--engine", "serial"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == -signal.SIGKILL, (moment, done.returncode, done.stderr[-2000:])


def _strays(out: Path) -> list[str]:
    """What a finished build should not leave: a second generation or store, temp files."""
    names = [p.name for p in out.iterdir()]
    extra = [n for n in names if n.startswith(".gen-")][1:]
    extra += [n for n in names if n.startswith(".store-")][1:]
    extra += [n for n in names if n.startswith((".link-", ".store-link-", ".probe-"))]
    extra += [str(p.relative_to(out)) for p in out.rglob("*.tmp")]
    return extra


def test_finding_4_kill_9_at_ten_moments_leaves_a_consistent_out(tmp_path: Path) -> None:
    seed, changed, out = tmp_path / "seed", tmp_path / "changed", tmp_path / "out"
    for folder in (seed, changed):
        folder.mkdir()
    shutil.copy(SEED_FILE, seed / SEED_FILE.name)
    text = SEED_FILE.read_text(encoding="utf-8")
    (changed / SEED_FILE.name).write_text(text + EXTRA, encoding="utf-8")

    build = ("build", "--out", str(out), "--engine", "serial")
    _cli(*build[:1], str(changed), *build[1:])
    new, new_count = _outputs(out), _count(out, "store")
    _cli(*build[:1], str(seed), *build[1:])
    old, old_count = _outputs(out), _count(out, "store")
    assert old != new and old_count != new_count

    for moment in MOMENTS:
        _killed_build(changed, out, moment)
        # One build's set, never a mix: the graph files and the map together, and both
        # engines over the same graph.
        found = _outputs(out)
        assert found in (old, new), f"{moment}: kg.ttl/kg.trig/kg.html of different builds"
        expected = old_count if found == old else new_count
        assert _count(out, "store") == expected, f"{moment}: the store is another build's"
        assert _count(out, "memory") == expected, moment
        assert "conforms" in _cli("validate", "--out", str(out))
        # The next build succeeds and deletes what the killed one left.
        _cli(*build[:1], str(seed), *build[1:])
        assert _outputs(out) == old, moment
        assert _count(out, "store") == old_count, moment
        assert _strays(out) == [], moment


def test_finding_4_a_folder_of_an_older_build_is_adopted_without_a_mix(tmp_path: Path) -> None:
    """Plain kg.ttl/kg.trig/kg.html/views/ and a store link (the layout before generations)
    become the first generation; a build killed after its graph swap still leaves them."""
    seed, changed, built, out = (tmp_path / n for n in ("seed", "changed", "built", "out"))
    for folder in (seed, changed):
        folder.mkdir()
    shutil.copy(SEED_FILE, seed / SEED_FILE.name)
    (changed / SEED_FILE.name).write_text(
        SEED_FILE.read_text(encoding="utf-8") + EXTRA, encoding="utf-8"
    )
    _cli("build", str(seed), "--out", str(built), "--engine", "serial")
    out.mkdir()
    for name in ("kg.ttl", "kg.trig", "kg.html"):
        shutil.copy(built / name, out / name)
    shutil.copytree(built / "views", out / "views")
    shutil.copytree((built / "store").resolve(), out / ".store-legacy")
    (out / "store").symlink_to(".store-legacy", target_is_directory=True)
    old, old_count = _outputs(out), _count(out, "store")

    _killed_build(changed, out, "after-graph-write")
    assert _outputs(out) == old
    assert _count(out, "store") == _count(out, "memory") == old_count
    _cli("build", str(changed), "--out", str(out), "--engine", "serial")
    assert _outputs(out) != old and _count(out, "store") == _count(out, "memory") != old_count
    assert _strays(out) == [] and not (out / ".store-legacy").exists()
