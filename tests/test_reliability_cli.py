"""Issue 14, findings 15, 17 (why), 18 and 19: what the command line tells a new user.

Each test is named after its finding and failed before the fix.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.result import BuildResult
from kg.cli import main


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def _error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("error[")]
    assert len(lines) == 1, output
    return lines[0]


# -- finding 15: messages name what the user typed and the option that fits ----------------


@pytest.mark.parametrize("command", ["view", "stats", "validate", "export"])
def test_finding_15_data_missing_file_names_it(
    runner: CliRunner, tmp_path: Path, command: str
) -> None:
    missing = tmp_path / "nosuch.ttl"
    result = runner.invoke(main, [command, "--data", str(missing), "--out", str(tmp_path)])
    assert result.exit_code == 2
    line = _error_line(result.output)
    assert f"--data {missing}: no such file" in line
    assert "run `ftz-kg build` first" not in line  # --data was passed: a build is not the fix


def test_finding_15_view_data_missing_file_names_it(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["view", "--data", str(tmp_path / "nosuch.ttl")])
    line = _error_line(result.output)
    assert "--data" in line and "nosuch.ttl" in line and "(or pass --data FILE)" not in line


def test_finding_15_serve_without_build_suggests_only_its_options(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(main, ["serve", "--out", str(tmp_path), "--port", "1"])
    assert result.exit_code == 2
    line = _error_line(result.output)
    assert f"--out {tmp_path}" in line and f"ftz-kg build --out {tmp_path}" in line
    assert "--data" not in line and "--endpoint" not in line  # serve has neither


def test_finding_15_export_out_that_names_a_file_suggests_output(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "kg.nt"
    result = runner.invoke(main, ["export", "--format", "nt", "--out", str(target)])
    assert result.exit_code == 2
    line = _error_line(result.output)
    assert "kg.nt/kg.ttl" not in line
    assert f"--out {target}" in line and f"-o {target}" in line


def test_finding_15_out_that_is_a_graph_file_suggests_data(
    runner: CliRunner, seed_build: BuildResult
) -> None:
    graph = seed_build.out_dir / "kg.ttl"
    result = runner.invoke(main, ["stats", "--out", str(graph)])
    line = _error_line(result.output)
    assert f"--out {graph}: is a file" in line and f"--data {graph}" in line


def test_finding_15_query_without_store_names_out(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["query", "zones-areas", "--out", str(tmp_path)])
    line = _error_line(result.output)
    assert f"ftz-kg build --out {tmp_path}" in line and "--data FILE" in line


# -- finding 17 (why): a relation from the lexicon says so ---------------------------------


def test_finding_17_why_shows_lexicon_source(runner: CliRunner, seed_store: Path) -> None:
    result = runner.invoke(
        main,
        [
            "query",
            "why",
            "--out",
            str(seed_store),
            "--param",
            "subject=满洲里片区",
            "--param",
            "predicate=ftz:facesCountry",
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert "source" in doc["head"]["vars"]
    rows = doc["results"]["bindings"]
    assert rows, "why must not answer (0 rows) for a fact of the entity profile"
    faces = {(r["object"]["value"], r["source"]["value"]) for r in rows}
    assert ("https://w3id.org/ftz-kg/id/country/ru", "lexicon") in faces


def test_finding_17_why_source_is_the_sentence_text(seed_store: Path) -> None:
    from kg.store.sparql import run_query

    result = run_query("why", {"subject": "满洲里片区"}, out_dir=seed_store)
    records = [dict(zip(result.variables, row, strict=True)) for row in result.values()]
    by_sentence = [r for r in records if r["sentence"]]
    assert by_sentence and all(r["source"] and "满洲里" in (r["source"] or "") for r in by_sentence)
    assert all(r["source"] == "lexicon" for r in records if not r["sentence"])


# -- finding 18: tables fit the terminal, wrap instead of cutting, keep CJK aligned ---------

_SENTENCE_QUERY = "SELECT ?s ?text WHERE { ?s ftz:text ?text } ORDER BY DESC(STRLEN(?text)) LIMIT 2"


def _body(output: str) -> list[str]:
    """The lines of a table between its rule line and its "(n rows)" footer."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("─"))
    return lines[start + 1 : -1]


def test_finding_18_table_fits_width_and_wraps_whole_sentence(
    runner: CliRunner, seed_store: Path
) -> None:
    from kg.store.formats import _width
    from kg.store.sparql import run_query

    longest = run_query(_SENTENCE_QUERY, out_dir=seed_store).column("text")[0] or ""
    assert _width(longest) > 200
    result = runner.invoke(
        main, ["query", _SENTENCE_QUERY, "--out", str(seed_store), "--width", "80"]
    )
    assert result.exit_code == 0, result.output
    assert all(_width(line) <= 80 for line in result.stdout.splitlines())
    assert "…" not in result.stdout  # nothing is cut off
    # the text column starts at the same terminal column on every line (CJK count 2)
    rule = result.stdout.splitlines()[1]
    start = _width(rule.split("  ")[0]) + 2
    pieces = []
    for line in _body(result.stdout):
        used, k = 0, 0
        while k < len(line) and used < start:
            used += _width(line[k])
            k += 1
        assert used == start or not line[k:], line
        pieces.append(line[k:])
    assert longest.replace(" ", "") in "".join(pieces).replace(" ", "")


def test_finding_18_table_follows_terminal_width(runner: CliRunner, seed_store: Path) -> None:
    from kg.store.formats import _width

    args = ["query", "why", "--out", str(seed_store), "--param", "subject=满洲里片区"]
    result = runner.invoke(main, args, env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert all(_width(line) <= 100 for line in result.stdout.splitlines())
    assert "…" not in result.stdout and "lexicon" in result.stdout


def test_finding_18_full_shows_cells_whole(runner: CliRunner, seed_store: Path) -> None:
    from kg.store.sparql import run_query

    longest = run_query(_SENTENCE_QUERY, out_dir=seed_store).column("text")[0] or ""
    result = runner.invoke(
        main, ["query", _SENTENCE_QUERY, "--out", str(seed_store), "--full"], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    assert len(_body(result.stdout)) == 2  # one line per row
    assert any(" ".join(longest.split()) in line for line in _body(result.stdout))


def test_finding_18_wrap_cell_counts_wide_characters() -> None:
    from kg.store.formats import _width, wrap_cell

    text = "满洲里片区 faces 俄罗斯 and id:area/neimenggu-manzhouli，重点发展跨境贸易"
    for width in (6, 10, 17, 40):
        lines = wrap_cell(text, width)
        assert all(_width(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_finding_18_json_ends_with_newline(runner: CliRunner, seed_store: Path) -> None:
    for query in ("zones-areas", "ASK { ?s ?p ?o }"):
        result = runner.invoke(main, ["query", query, "--out", str(seed_store), "-f", "json"])
        assert result.exit_code == 0, result.output
        assert result.stdout.endswith("}\n")
        json.loads(result.stdout)


# -- finding 19: the build summary lists every output it wrote ------------------------------


def test_finding_19_build_summary_lists_each_output(runner: CliRunner, tmp_path: Path) -> None:
    from tests.conftest import SEEDS

    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    wrote = result.stdout.split("wrote:\n", 1)[1].splitlines()
    listed = {line.split()[0]: " ".join(line.split()[1:]) for line in wrote}
    for path, what in [
        (f"{out / 'kg.ttl'}", "whole graph"),
        (f"{out / 'kg.trig'}", "named graph per source document"),
        (f"{out / 'store'}/", "SPARQL store"),
        (f"{out / 'kg.html'}", "relation map"),
        (f"{out / 'views'}/", "area map"),
        (f"{out / 'zones'}/", "zone profile"),
    ]:
        assert what in listed.get(path, ""), (path, result.stdout)
    assert len(wrote) == 6  # one line per output, the area maps as one, the zone pages as one
    # the stages after "writing kg.ttl and kg.trig" say what they do
    assert f"loading the SPARQL store {out / 'store'}" in result.stderr
    assert f"drawing the relation maps {out / 'kg.html'}" in result.stderr
