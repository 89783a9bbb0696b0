"""The command line: build, validate, export; errors are one line with an exit code."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.cli import main

from .conftest import SEED_FILE, SEEDS


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_build_writes_graph_and_prints_a_summary(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", str(SEEDS), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "PilotFreeTradeZone 1" in result.output
    assert "Area 3" in result.output
    assert "observations:" in result.output
    assert (tmp_path / "kg.ttl").stat().st_size > 10000
    assert (tmp_path / "kg.trig").exists()


def test_build_reads_stdin(runner: CliRunner, tmp_path: Path) -> None:
    text = "中国（山东）自由贸易试验区涵盖济南、青岛、烟台三大片区。"
    result = runner.invoke(main, ["build", "-", "--out", str(tmp_path)], input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert "济南片区" in (tmp_path / "kg.ttl").read_text(encoding="utf-8")


def test_empty_file_is_a_warning_and_the_build_goes_on(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "seed.txt").write_bytes(SEED_FILE.read_bytes())
    result = runner.invoke(main, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "empty.txt" in result.output
    strict = runner.invoke(
        main, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "o2"), "--strict"]
    )
    assert strict.exit_code == 2


def test_binary_input_is_one_line_and_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    result = runner.invoke(main, ["build", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "scan.txt" in lines[0] and lines[0].startswith("error[")
    assert "Traceback" not in result.output


def test_missing_path_is_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", str(tmp_path / "nope"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "nope" in result.output and "Traceback" not in result.output


def test_failed_build_leaves_previous_output(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(main, ["build", str(SEEDS), "--out", str(out)]).exit_code == 0
    before = (out / "kg.ttl").read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\xff" * 100)
    result = runner.invoke(main, ["build", str(SEEDS), str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert (out / "kg.ttl").read_bytes() == before


def test_validate_conforming_graph(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(main, ["build", str(SEEDS), "--out", str(tmp_path)])
    result = runner.invoke(main, ["validate", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_validate_reports_violations_with_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix ftz: <https://w3id.org/ftz-kg/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/ftz-kg/id/area/x> a ftz:Area ; skos:prefLabel "甲"@zh, "乙"@zh .\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["validate", "--data", str(bad)])
    assert result.exit_code == 1
    assert "violation" in result.output


def test_validate_without_a_build_says_what_to_do(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", "--out", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "ftz-kg build" in result.output


def test_export_formats_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(main, ["build", str(SEEDS), "--out", str(tmp_path)])
    original = Graph().parse(tmp_path / "kg.ttl")
    for fmt, parser in (("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml")):
        target = tmp_path / f"kg.{fmt}"
        result = runner.invoke(
            main, ["export", "--format", fmt, "--out", str(tmp_path), "-o", str(target)]
        )
        assert result.exit_code == 0, result.output
        assert isomorphic(Graph().parse(target, format=parser), original)


def test_export_to_stdout(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(main, ["build", str(SEEDS), "--out", str(tmp_path)])
    result = runner.invoke(main, ["export", "--format", "nt", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert result.output.count("\n") > 1000


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        out.append((prefix + name, command))
        if isinstance(command, click.Group):
            out.extend(_commands(command, prefix + name + " "))
    return out


def test_every_command_has_help_with_an_example(runner: CliRunner) -> None:
    for name, _ in _commands(main):
        result = runner.invoke(main, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"`ftz-kg {name} --help` has no example"


def test_every_command_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name, _ in _commands(main):
        assert f"ftz-kg {name}" in readme, f"README does not show `ftz-kg {name}`"
