"""What every ``ftz-kg`` command shares: error handling and the common options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from .errors import FtzKgError, ValidationError

__all__ = ["allow_service_option", "handle_errors", "out_option"]

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
