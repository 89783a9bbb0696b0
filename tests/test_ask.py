"""``ftz-kg ask``: questions to SPARQL, on the seed and on a small fixed part of the corpus.

The question set is data (``tests/fixtures/questions.toml``): every question must be taken
for its kind and get exactly its answer set, or be refused with a message. The other tests
check what a user sees: the CLI, the JSON of ``GET /ask`` on a real server, the sources of
every answer row, and that the kinds file (``queries/ask.toml``) is sound.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from kg.ask.evaluate import Question, check, load_questions
from kg.ask.questions import ask, load_kinds
from kg.build import build
from kg.build.outputs import store_output
from kg.cli import main
from kg.errors import QueryError, QuestionError
from kg.serve.config import ServerConfig
from kg.store.embedded import open_store
from kg.store.engines import StoreEngine

from .conftest import CORPUS, FIXTURES, free_port, require_shared

QUESTIONS = load_questions(FIXTURES / "questions.toml")
SEED_QUESTIONS = [q for q in QUESTIONS.questions if q.graph == "seed"]
CORPUS_QUESTIONS = [q for q in QUESTIONS.questions if q.graph == "corpus"]


@pytest.fixture(scope="module")
def seed_engine(seed_store: Path) -> StoreEngine:
    return StoreEngine(open_store(seed_store))


@pytest.fixture(scope="module")
def corpus_engine(tmp_path_factory: pytest.TempPathFactory) -> StoreEngine:
    require_shared(CORPUS)
    out = tmp_path_factory.mktemp("ask-corpus")
    result = build(
        [CORPUS / f for f in QUESTIONS.graphs["corpus"]], out, validate=False, outputs=()
    )
    store_output(result)
    return StoreEngine(open_store(out))


def test_the_question_set_is_large_and_varied() -> None:
    assert len(QUESTIONS.questions) >= 60
    kinds = {k.name for k in load_kinds().kinds}
    asked = {q.kind for q in QUESTIONS.questions if not q.error}
    assert asked == kinds, f"kinds without a question: {kinds - asked}"
    assert sum(q.error for q in QUESTIONS.questions) >= 3
    assert any(q.q.isascii() for q in QUESTIONS.questions)  # simple English too
    assert len(CORPUS_QUESTIONS) >= 20


def _explain(q: Question, outcome: Any) -> str:
    want = "a refusal" if q.error else f"{q.kind} {sorted(q.answer)}"
    got = outcome.error or f"{outcome.kind} {sorted(outcome.answer)}"
    return f"{q.q!r}: expected {want}, got {got}"


@pytest.mark.parametrize("question", SEED_QUESTIONS, ids=[q.q for q in SEED_QUESTIONS])
def test_seed_question(question: Question, seed_engine: StoreEngine) -> None:
    outcome = check(question, seed_engine)
    assert outcome.exact, _explain(question, outcome)


@pytest.mark.parametrize("question", CORPUS_QUESTIONS, ids=[q.q for q in CORPUS_QUESTIONS])
def test_corpus_question(question: Question, corpus_engine: StoreEngine) -> None:
    outcome = check(question, corpus_engine)
    assert outcome.exact, _explain(question, outcome)


# -- what an answer carries -----------------------------------------------------------------


def test_every_answer_row_has_its_source(seed_engine: StoreEngine) -> None:
    answered = 0
    for q in SEED_QUESTIONS:
        if q.error or not q.answer:
            continue
        answer = ask(q.q, seed_engine)
        sources = [v for v in answer.result.variables if v.startswith("source")]
        assert sources, f"{answer.kind.name}: no ?source column"
        for row in answer.as_dict()["rows"]:
            assert all(row[v] for v in sources), (q.q, row)
        answered += 1
    assert answered >= 40


def test_a_source_is_the_sentence_and_its_document(seed_engine: StoreEngine) -> None:
    answer = ask("呼和浩特片区重点发展哪些产业？", seed_engine)
    row = next(r for r in answer.as_dict()["rows"] if r["sectorLabel"] == "新能源")
    assert "呼和浩特片区重点发展新能源" in row["source"]
    assert row["source"].endswith("〔深入学习贯彻习近平新时代中国特色社会主义思想〕")


def test_the_entities_are_found_by_short_form_alias_and_english_name(
    seed_engine: StoreEngine,
) -> None:
    cases = {
        "满洲里面向哪些国家": ("满洲里", "满洲里片区", "name"),  # an alias of the area
        "内蒙古自贸区有哪些片区": ("内蒙古自贸区", "中国（内蒙古）自由贸易试验区", "name"),
        "which countries does Manzhouli face": ("Manzhouli", "满洲里片区", "short form"),
        "what areas does the Inner Mongolia zone have": (
            "Inner Mongolia",
            "中国（内蒙古）自由贸易试验区",
            "name",
        ),
        "满州里片区面向哪些国家": ("满州里片区", "满洲里片区", "closest name"),  # a typo
    }
    for question, (text, label, how) in cases.items():
        found = ask(question, seed_engine).entities[0]
        assert (found.text, found.label, found.how) == (text, label, how), question


def test_an_understood_question_without_rows_says_so(seed_engine: StoreEngine) -> None:
    answer = ask("满洲里片区和呼和浩特片区有哪些共同的重点产业？", seed_engine)
    assert answer.empty
    assert (
        answer.message
        == "no answer: 满洲里片区 and 呼和浩特片区 have no sector in common in the graph"
    )


def test_a_question_not_understood_names_the_part_and_the_nearest_kinds(
    seed_engine: StoreEngine,
) -> None:
    with pytest.raises(QuestionError) as info:
        ask("北京片区重点发展哪些产业", seed_engine)
    message = info.value.message
    assert "understood the kind sectors" in message and "not which entity" in message
    assert "北京 is known to the lexicon but not in this graph" in message
    with pytest.raises(QuestionError) as info:
        ask("今天天气怎么样？", seed_engine)
    assert "did not understand" in info.value.message
    assert len(info.value.nearest) == 3 and "The nearest kinds:" in info.value.message


def test_the_generated_query_goes_through_the_service_policy(seed_engine: StoreEngine) -> None:
    text = (FIXTURES.parent.parent / "queries" / "ask.toml").read_text(encoding="utf-8")
    remote = text.replace(
        "  ?zone ftz:hasArea ?area .",
        "  SERVICE <http://127.0.0.1:9/sparql> { ?zone ftz:hasArea ?area }",
        1,
    )
    assert remote != text
    with pytest.raises(QueryError, match="SERVICE"):
        ask("内蒙古自贸区有多少个片区", seed_engine, kinds=load_kinds(remote))


def test_every_kind_runs_and_its_first_example_is_taken_for_it(
    seed_engine: StoreEngine,
) -> None:
    for kind in load_kinds().kinds:
        assert kind.examples and kind.triggers and kind.answer and kind.sparql, kind.name
        try:
            answer = ask(kind.examples[0], seed_engine)
        except QuestionError as exc:  # pragma: no cover - reported below
            pytest.fail(f"{kind.name}: its example {kind.examples[0]!r} is refused: {exc}")
        assert answer.kind.name == kind.name, kind.examples[0]
        assert set(kind.answer) <= set(answer.result.variables), kind.name


def test_a_broken_kinds_file_is_an_error_not_a_traceback() -> None:
    with pytest.raises(QuestionError, match="not valid TOML"):
        load_kinds("[[kind]\nname=")
    with pytest.raises(QuestionError, match="incomplete"):
        load_kinds('[[kind]]\nname = "x"\n')


# -- the command ---------------------------------------------------------------------------


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_cli_answers_with_a_table_and_the_sources(runner: CliRunner, seed_store: Path) -> None:
    result = runner.invoke(
        main, ["ask", "满洲里片区面向哪些国家？", "--out", str(seed_store), "--width", "160"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "kind: countries — 面向哪些国家 · which countries a zone, area or port faces"
    assert lines[1] == "entities: 满洲里片区 → 满洲里片区 (Area)"
    assert "?countryLabel" in lines[2] and "?source" in lines[2]
    assert any("俄罗斯" in line for line in lines[4:])
    assert lines[-1] == "(1 row)"
    assert "?country " not in lines[2]  # the IRI column is left to --iris, JSON and CSV
    with_iris = runner.invoke(
        main, ["ask", "满洲里片区面向哪些国家？", "--out", str(seed_store), "--iris", "--full"]
    )
    assert "?country " in with_iris.output and "id:country/ru" in with_iris.output


def test_cli_show_query_prints_the_sparql_that_ran(runner: CliRunner, seed_store: Path) -> None:
    result = runner.invoke(
        main, ["ask", "内蒙古自贸区有哪些片区", "--out", str(seed_store), "--show-query"]
    )
    assert result.exit_code == 0, result.output
    assert "query:\nPREFIX dcterms:" in result.output
    assert "VALUES (?zone) { (<https://w3id.org/ftz-kg/id/zone/neimenggu>) }" in result.output


def test_cli_json_is_what_the_endpoint_gives(runner: CliRunner, seed_store: Path) -> None:
    result = runner.invoke(
        main, ["ask", "which zones face Russia", "--out", str(seed_store), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kind"] == "facing"
    assert [e["label"] for e in data["entities"]] == ["俄罗斯"]
    assert [r["entityLabel"] for r in data["rows"]] == ["中国（内蒙古）自由贸易试验区"]


def test_cli_empty_answer_and_refusal(runner: CliRunner, seed_store: Path) -> None:
    empty = runner.invoke(main, ["ask", "满洲里片区重点发展哪些产业", "--out", str(seed_store)])
    assert empty.exit_code == 0
    assert empty.output.splitlines()[-1].startswith("no answer: the graph names no sector")
    refused = runner.invoke(main, ["ask", "今天天气怎么样", "--out", str(seed_store)])
    assert refused.exit_code == 2
    assert refused.output.startswith("error[E430]: did not understand")
    assert "Traceback" not in refused.output
    none = runner.invoke(main, ["ask", "--out", str(seed_store)])
    assert none.exit_code == 2 and "no question" in none.output


def test_cli_lists_the_kinds(runner: CliRunner) -> None:
    result = runner.invoke(main, ["ask", "--kinds"])
    assert result.exit_code == 0
    for kind in load_kinds().kinds:
        assert f"{kind.name}  {kind.title}" in result.output


# -- GET /ask on a real server -----------------------------------------------------------


@pytest.fixture(scope="module")
def endpoint(seed_store: Path, serve_in_thread: Any) -> Iterator[str]:
    config = ServerConfig(out_dir=seed_store, port=free_port(), workers=1, timeout=10.0)
    with serve_in_thread(config) as base:
        yield base


def test_ask_endpoint_returns_kind_entities_query_and_sourced_rows(endpoint: str) -> None:
    response = httpx.get(endpoint + "/ask", params={"q": "哪些片区面向蒙古国？"}, timeout=30)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["kind"] == "facing"
    assert data["entities"][0]["iri"] == "https://w3id.org/ftz-kg/id/country/mn"
    assert "VALUES (?class ?country)" in data["sparql"]
    assert [r["entityLabel"] for r in data["rows"]] == ["二连浩特片区"]
    assert all(r["source"] for r in data["rows"])
    # the query it gives runs on the server's own SPARQL endpoint, with the same rows
    sparql = httpx.post(
        endpoint + "/sparql",
        data={"query": data["sparql"]},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    bindings = sparql.json()["results"]["bindings"]
    assert [b["entityLabel"]["value"] for b in bindings] == ["二连浩特片区"]


def test_ask_endpoint_refuses_with_the_nearest_kinds(endpoint: str) -> None:
    response = httpx.get(endpoint + "/ask", params={"q": "今天天气怎么样"}, timeout=30)
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "E430" and data["error"].startswith("did not understand")
    assert len(data["nearest"]) == 3 and all(k["example"] for k in data["nearest"])
    missing = httpx.get(endpoint + "/ask", timeout=30)
    assert missing.status_code == 400 and "?q=" in missing.json()["error"]
