"""Rapport errors (:mod:`graph.errors`) as one printed line and an exit code, mapped here once."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import typer

from cli.output import console
from graph import errors

EXIT_CODES: list[tuple[type[errors.RapportError], int]] = [
    (errors.CorruptInput, 6),  # before InvalidInput, its base
    (errors.InvalidInput, 2),
    (errors.ConfigError, 3),
    (errors.NotFound, 4),
    (errors.Conflict, 5),
    (errors.StoreUnavailable, 69),  # EX_UNAVAILABLE
    (errors.StoreError, 65),
]

F = TypeVar("F", bound=Callable[..., Any])


def exit_code(exc: errors.RapportError) -> int:
    return next((code for kind, code in EXIT_CODES if isinstance(exc, kind)), 1)


def reports_errors(command: F) -> F:
    """Print a Rapport error as one line (no traceback) and exit with its code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except errors.RapportError as exc:
            console.print(f"[bold red]error[/]: {exc}", highlight=False)
            raise typer.Exit(exit_code(exc)) from None
        except KeyboardInterrupt:
            console.print("interrupted; everything was stopped cleanly")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]
