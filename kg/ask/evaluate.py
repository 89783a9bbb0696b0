"""How well ``ftz-kg ask`` answers a question set (``tests/fixtures/questions.toml``).

A question is answered *exactly* when it is taken for the expected kind and its answer set
(the kind's answer columns) is the expected one, or, for a question that must be refused,
when :func:`kg.ask.ask` refuses it with a :class:`~kg.errors.QuestionError`. The test suite
requires every question to be; ``bench/bench_ask.py`` prints the share.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import QuestionError
from ..store.engines import StoreEngine
from .questions import ask

__all__ = ["Outcome", "Question", "QuestionSet", "check", "load_questions", "shares"]


@dataclass(frozen=True)
class Question:
    graph: str
    q: str
    kind: str = ""
    answer: frozenset[str] = frozenset()
    error: bool = False


@dataclass(frozen=True)
class QuestionSet:
    questions: tuple[Question, ...]
    graphs: dict[str, tuple[str, ...]]  # graph name → files (relative to the corpus)


@dataclass(frozen=True)
class Outcome:
    question: Question
    kind: str  # the kind it was taken for ("" when refused)
    answer: frozenset[str]
    error: str  # the refusal, if any

    @property
    def exact(self) -> bool:
        if self.question.error:
            return bool(self.error)
        return (
            not self.error
            and self.kind == self.question.kind
            and self.answer == self.question.answer
        )


def load_questions(path: str | Path) -> QuestionSet:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    questions = tuple(
        Question(
            graph=raw["graph"],
            q=raw["q"],
            kind=raw.get("kind", ""),
            answer=frozenset(raw.get("answer", ())),
            error=bool(raw.get("error", False)),
        )
        for raw in data.get("question", [])
    )
    graphs = {name: tuple(files) for name, files in data.get("graphs", {}).items()}
    return QuestionSet(questions, graphs)


def check(question: Question, engine: StoreEngine) -> Outcome:
    """Ask ``question`` on ``engine`` and compare with what is expected."""
    try:
        answer = ask(question.q, engine)
    except QuestionError as exc:
        return Outcome(question, "", frozenset(), exc.message)
    return Outcome(question, answer.kind.name, frozenset(answer.answers()), "")


def shares(outcomes: Iterable[Outcome], key: str = "graph") -> dict[str, tuple[int, int]]:
    """``{group: (exact, total)}`` by the questions' ``graph`` or expected ``kind``."""
    out: dict[str, tuple[int, int]] = {}
    for o in outcomes:
        group = getattr(o.question, key) or ("(refused)" if o.question.error else "?")
        exact, total = out.get(group, (0, 0))
        out[group] = (exact + o.exact, total + 1)
    return dict(sorted(out.items()))
