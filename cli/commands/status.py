"""``rapport status``: the store in use and its node and relationship counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from cli.options import DataDirOption, settings_from
from cli.output import console, print_rows
from cli.process import terminate_on_sigterm
from graph.store import open_store


def register(app: typer.Typer, *, reports_errors: Callable[..., Any]) -> None:
    """Add the ``status`` command to ``app``."""

    @app.command()
    @reports_errors
    def status(
        data_dir: DataDirOption = None, as_json: Annotated[bool, typer.Option("--json")] = False
    ) -> None:
        """Show the store in use and how many nodes and relationships it holds."""
        terminate_on_sigterm()
        settings = settings_from(data_dir)
        with open_store(settings) as store:
            counts = store.counts()
        rows = [{"kind": "node", "name": k, "count": v} for k, v in counts.nodes.items()]
        rows += [{"kind": "relationship", "name": k, "count": v} for k, v in counts.relationships.items()]
        if not as_json:
            console.print(
                f"store: {settings.store.value}"
                + (
                    f" (embedded, data in {settings.data_dir})"
                    if settings.store == "falkordb" and not settings.falkordb.url
                    else ""
                )
            )
        print_rows(rows, as_json=as_json)
