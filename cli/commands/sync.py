"""``rapport runs`` and ``rapport changes``: the CRM delta sync from the command line.

Both call the use cases the HTTP API calls (:mod:`usecases.crm.run_lists`, :mod:`usecases.crm.deltas`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cli.options import settings_from
from cli.output import console, print_rows
from cli.process import terminate_on_sigterm
from graph.errors import InvalidInput
from graph.store import open_store
from usecases.crm.deltas import list_changes
from usecases.crm.run_lists import list_runs


def register(app: typer.Typer, *, reports_errors: Any) -> None:
    @app.command("runs")
    @reports_errors
    def runs(
        limit: Annotated[int, typer.Option(min=1, max=10_000, help="Newest runs to show")] = 50,
        as_json: Annotated[bool, typer.Option("--json")] = False,
        data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
    ) -> None:
        """List analysis runs, newest first, and whether deltas since each can still be asked for."""
        terminate_on_sigterm()
        with open_store(settings_from(data_dir)) as store:
            found, _, recorded = list_runs(store, skip=0, limit=limit)
        rows = [
            {
                "id": run["id"],
                "state": run.get("state"),
                "current": run.get("current") is True,
                "finished_at": run.get("finished_at"),
                "lists_kept": run["id"] in recorded,
            }
            for run in found
        ]
        print_rows(rows, as_json=as_json)

    @app.command("changes")
    @reports_errors
    def changes(
        list_id: Annotated[
            str,
            typer.Argument(
                help="segment:<name>, influencers, influencers:<brand>, advocates:<brand> or detractors:<brand>"
            ),
        ],
        since_run: Annotated[str, typer.Option("--since-run", help="The run of your last pull")],
        min_change: Annotated[
            float, typer.Option("--min-change", min=0, help="Relative score move counted as a change")
        ] = 0.1,
        as_json: Annotated[bool, typer.Option("--json")] = False,
        data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
    ) -> None:
        """Members added, removed and changed in a list between run --since-run and the current run."""
        kind = list_id.partition(":")[0]
        if kind not in ("segment", "influencers", "advocates", "detractors") or (
            kind != "influencers" and ":" not in list_id
        ):
            raise InvalidInput(f"unknown list {list_id!r}; see --help for the forms a list id takes")
        terminate_on_sigterm()
        with open_store(settings_from(data_dir)) as store:
            delta = list_changes(store, list_id, since_run, min_change=min_change)
        rows = [vars(change) for change in (*delta.added, *delta.removed, *delta.changed)]
        print_rows(rows, as_json=as_json)
        if not as_json:
            console.print(
                f"{list_id}: since {since_run} to {delta.run['id']}: {len(delta.added)} added, "
                f"{len(delta.removed)} removed, {len(delta.changed)} changed, {delta.unchanged} unchanged",
                highlight=False,
            )
