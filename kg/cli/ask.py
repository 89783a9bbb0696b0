"""``ftz-kg ask``: a question in Chinese or simple English, answered as a table."""

from __future__ import annotations

import json
import shutil

import click

from .common import allow_service_option, handle_errors, out_option, table_width_options

__all__ = ["register"]


def register(group: click.Group) -> None:
    """Add ``ask`` to ``group``."""

    @group.command("ask")
    @click.argument("question", required=False)
    @out_option()
    @click.option("--show-query", is_flag=True, help="Print the SPARQL query the question became.")
    @click.option(
        "-f",
        "--format",
        "fmt",
        type=click.Choice(["table", "json", "csv"]),
        default="table",
        show_default=True,
        help="table: what was understood, then the answer; json: all of it (as GET /ask gives it).",
    )
    @table_width_options()
    @click.option("--iris", is_flag=True, help="Keep the IRI columns in the table.")
    @click.option(
        "--kinds", is_flag=True, help="List the kinds of question understood, with examples."
    )
    @allow_service_option()
    @handle_errors
    def ask_command(
        question: str | None,
        out_dir: str,
        show_query: bool,
        fmt: str,
        width: int | None,
        full: bool,
        iris: bool,
        kinds: bool,
        allow_service: tuple[str, ...],
    ) -> None:
        """Ask the graph a question in Chinese (or simple English): it becomes a SPARQL query
        over the ontology, and each answer row comes with the sentence it was read from.

        Entities are found by label, alias, short form or English name (满洲里, 内蒙古自贸区,
        Manzhouli); the kinds of question (sectors, countries, areas, positions, tasks,
        platforms, initiatives, figures, comparisons, where, documents, counts, changes
        over the years) are listed by --kinds and defined in queries/ask.toml.
        A question that is not understood exits 2 and says which part was not.

        \b
        Example:
            ftz-kg ask 满洲里片区重点发展哪些产业？
            ftz-kg ask 哪些自贸试验区面向俄罗斯 --show-query
            ftz-kg ask "which sectors does Hohhot focus on" -f json
        """
        from ..ask.questions import ask, load_kinds
        from ..errors import QuestionError
        from ..store.embedded import open_store
        from ..store.engines import StoreEngine
        from ..store.formats import format_result
        from ..store.outbound import ServicePolicy

        if kinds:
            for kind in load_kinds().kinds:
                click.echo(f"{kind.name}  {kind.title}")
                for example in kind.examples:
                    click.echo(f"    {example}")
            return
        if not question:
            raise QuestionError(
                "no question; ask e.g. `ftz-kg ask 满洲里片区重点发展哪些产业？` "
                "(`ftz-kg ask --kinds` lists what can be asked)"
            )
        engine = StoreEngine(open_store(out_dir), ServicePolicy.from_options(allow_service))
        answer = ask(question, engine)
        if fmt == "json":
            click.echo(json.dumps(answer.as_dict(), ensure_ascii=False, indent=2))
            return
        if fmt == "csv":
            click.echo(format_result(answer.result, "csv").decode("utf-8"), nl=False)
            return
        entities = "; ".join(
            f"{f.text} → {f.label} ({f.cls}{', ' + f.how if f.how != 'name' else ''})"
            for f in answer.entities
        )
        click.echo(f"kind: {answer.kind.name} — {answer.kind.title}")
        if entities:
            click.echo(f"entities: {entities}")
        if show_query:
            click.echo("query:\n" + answer.query.rstrip() + "\n")
        if answer.empty:
            click.echo(answer.message)
            return
        columns = None if full else (width or shutil.get_terminal_size().columns)
        table = answer.result if iris else answer.readable()
        click.echo(format_result(table, "table", width=columns).decode("utf-8"), nl=False)
