"""``rapport identity links|unlink``: inspect and undo identity links between customers and profiles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer


def register(app: typer.Typer, *, reports_errors: Any) -> None:
    identity = typer.Typer(help="Identity links: which profiles belong to which customer, and why.")
    app.add_typer(identity, name="identity")

    @identity.command("links")
    @reports_errors
    def links(
        customer_id: Annotated[str, typer.Argument(help="Customer id")],
        as_json: Annotated[bool, typer.Option("--json")] = False,
        data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
    ) -> None:
        """List a customer's profiles with the evidence of each link."""
        from api.cli import _terminate_on_sigterm, print_rows, settings_from
        from graph.store import open_store
        from ingest.identity_links import customer_links

        _terminate_on_sigterm()
        with open_store(settings_from(data_dir)) as store:
            rows = customer_links(store, customer_id)
        print_rows(rows, as_json=as_json)

    @identity.command("unlink")
    @reports_errors
    def unlink_command(
        customer_id: Annotated[str, typer.Argument(help="Customer id")],
        profile_id: Annotated[str, typer.Argument(help="Profile id")],
        data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
    ) -> None:
        """Remove the link between a customer and a profile (derived links are not made again)."""
        from api.cli import _terminate_on_sigterm, console, settings_from
        from graph.store import open_store
        from ingest.identity_links import unlink

        _terminate_on_sigterm()
        with open_store(settings_from(data_dir)) as store:
            evidence = unlink(store, customer_id, profile_id)
        console.print(
            f"unlinked {profile_id} from {customer_id} (the link's evidence was {evidence})", highlight=False
        )
