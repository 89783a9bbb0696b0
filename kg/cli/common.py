"""What every ``ftz-kg`` command shares: error handling and the common options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import FtzKgError, ValidationError

__all__ = ["allow_service_option", "handle_errors", "out_option", "table_width_options"]

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Turn a :class:`~kg.errors.FtzKgError` into one line on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            if exc.report:
                click.echo(exc.report, err=True)
            click.echo(str(exc), err=True)
            sys.exit(exc.exit_code)
        except FtzKgError as exc:
            click.echo(str(exc), err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def out_option(help_text: str = "Build folder.") -> Callable[[F], F]:
    """``--out DIR``: the folder a build writes and later commands read (default ``out``)."""
    return click.option(
        "--out", "out_dir", default="out", show_default=True, type=click.Path(), help=help_text
    )


def allow_service_option() -> Callable[[F], F]:
    """``--allow-service URL``: an endpoint a query's SERVICE may call (none by default)."""
    return click.option(
        "--allow-service",
        "allow_service",
        multiple=True,
        metavar="URL",
        help="Let SERVICE call this endpoint (its URL, or a URL prefix). Repeatable; none by default.",
    )


def table_width_options() -> Callable[[F], F]:
    """``--width N`` and ``--full``: how a result table fits the terminal."""

    def decorate(func: F) -> F:
        func = click.option(
            "--full",
            is_flag=True,
            help="Show each table cell whole on one line, however wide the table gets.",
        )(func)
        return click.option(
            "--width",
            type=click.IntRange(min=20),
            default=None,
            metavar="N",
            help="Fit the table into N columns, wrapping long cells (default: the terminal's width).",
        )(func)

    return decorate
