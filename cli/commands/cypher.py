"""``rapport cypher``: one Cypher statement (or a .cypher file) on the configured store, rows printed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.options import DataDirOption, settings_from
from cli.output import print_rows
from cli.process import terminate_on_sigterm
from graph import errors
from graph.catalogue import Query, missing_parameters, read_cypher_file
from graph.store import open_store


def _parse_params(pairs: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.isidentifier():
            raise errors.InvalidInput(f"--param expects name=value, got {pair!r}")
        try:
            params[name] = json.loads(raw)
        except json.JSONDecodeError:
            params[name] = raw
    return params


def register(app: typer.Typer, *, reports_errors: Callable[..., Any]) -> None:
    """Add the ``cypher`` command to ``app``."""

    @app.command()
    @reports_errors
    def cypher(
        statement: Annotated[str | None, typer.Argument(help="One Cypher statement (or --file)")] = None,
        file: Annotated[
            Path | None,
            typer.Option(
                "--file", "-f", help="A .cypher file, run as the Neo4j Browser runs it (its :param lines)"
            ),
        ] = None,
        param: Annotated[list[str], typer.Option("--param", "-p", help="name=value (JSON or text)")] = [],  # noqa: B006
        as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of row objects")] = False,
        write: Annotated[bool, typer.Option("--write", help="Allow the statement to write")] = False,
        data_dir: DataDirOption = None,
    ) -> None:
        """Run one Cypher statement on the configured store and print its rows (read-only by default).

        With --file, the file's `:param name => value` lines set its parameters, as in the Neo4j Browser;
        -p overrides them.
        """
        terminate_on_sigterm()
        if (statement is None) == (file is None):
            raise errors.InvalidInput("give one Cypher statement or --file FILE, not both and not neither")
        params = _parse_params(param)
        source = read_cypher_file(file) if file is not None else None
        query = source or Query("statement", "", str(statement), {}, Path("<command line>"))
        missing = missing_parameters(query, {**query.example_params, **params})
        if missing:
            names = ", ".join(f"${name}" for name in missing)
            raise errors.InvalidInput(f"the statement uses {names}: set it with -p NAME=VALUE")
        with open_store(settings_from(data_dir)) as store:
            try:
                if source is not None:
                    rows = store.run_file(source, params, write=write)
                else:
                    rows = store.execute_text(str(statement), params, write=write)
            except errors.ReadOnlyViolation:  # the command line's refusal, not the store's (exit 2)
                raise errors.InvalidInput(
                    "this statement writes; add --write to allow writes through `rapport cypher`"
                ) from None
        print_rows(rows, as_json=as_json, times=False)
