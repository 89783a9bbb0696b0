"""``kg.build()`` runs the steps ``ftz-kg build`` runs, and writes the same files."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.build.outputs import OUTPUTS, output_writers
from kg.cli import main
from kg.errors import OutputError

from .conftest import SEEDS

# What a reader of a build folder sees; the pages name their folder, which differs.
PUBLISHED = (
    "kg.ttl",
    "kg.trig",
    "kg.html",
    "views/index.html",
    "views/all.html",
    "zones/index.html",
)


def _read(out: Path, name: str) -> bytes:
    return (out / name).read_bytes().replace(str(out).encode(), b"OUT")


def test_the_api_writes_what_the_command_writes(tmp_path: Path) -> None:
    api, command = tmp_path / "api", tmp_path / "command"

    result = kg.build([SEEDS], api)
    ran = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(command), "--no-cache"])

    assert ran.exit_code == 0, ran.output
    assert (api / "store").is_dir()
    for name in PUBLISHED:
        assert _read(api, name) == _read(command, name), name
    written = {p.relative_to(api).parts[0] for p in result.written}
    assert {"kg.ttl", "kg.trig", "store", "kg.html", "views", "zones"} <= written


def test_outputs_choose_what_is_written(tmp_path: Path) -> None:
    result = kg.build([SEEDS], tmp_path, outputs=("store",))

    assert (tmp_path / "store").is_dir()
    assert not (tmp_path / "kg.html").exists()
    assert not (tmp_path / "views").exists()
    assert {p.name for p in result.written} == {"kg.ttl", "kg.trig", "store"}


def test_output_names_are_checked() -> None:
    assert OUTPUTS == ("store", "maps")
    assert output_writers(()) == []
    assert len(output_writers(OUTPUTS, progress=False)) == 2
    with pytest.raises(
        OutputError, match="unknown build output 'graphml'; choose from store, maps"
    ):
        output_writers(("store", "graphml"))
