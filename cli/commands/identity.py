"""``rapport identity links|unlink|relink|log``: inspect, undo and redo identity links, with their history.

The rules (consent, evidence, what is logged) are :mod:`ingest.identity_ledger`'s; these commands
only turn arguments into its calls.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.options import settings_from
from cli.output import console, print_rows
from cli.process import terminate_on_sigterm
from graph.store import open_store
from ingest.identity_ledger import identity_history, recent_entries, relink, unlink
from ingest.identity_links import customer_links

ActorOption = Annotated[
    str | None, typer.Option("--actor", help="Who is acting, for the log (default: cli:<login name>)")
]
ReasonOption = Annotated[str | None, typer.Option("--reason", help="Why, for the log")]


def _actor(actor: str | None) -> str:
    if actor:
        return actor
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


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
        terminate_on_sigterm()
        with open_store(settings_from(data_dir)) as store:
            rows = customer_links(store, customer_id)
        print_rows(rows, as_json=as_json)

    @identity.command("unlink")
    @reports_errors
    def unlink_command(
        customer_id: Annotated[str, typer.Argument(help="Customer id")],
        profile_id: Annotated[str, typer.Argument(help="Profile id")],
        actor: ActorOption = None,
        reason: ReasonOption = None,
        data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
    ) -> None:
        """Remove the link between a customer and a profile (logged; undo with `relink`)."""
        terminate_on_sigterm()
        with open_store(settings_from(data_dir)) as store:
            link = unlink(store, customer_id, profile_id, actor=_actor(actor), reason=reason)
        console.print(
            f"unlinked {profile_id} from {customer_id} (the link's evidence was {link.get('evidence')}); "
            f"undo with: rapport identity relink {customer_id} {profile_id}",
            highlight=False,
        )

    @identity.command("relink")
    @reports_errors
    def relink_command(
        customer_id: Annotated[str, typer.Argument(help="Customer id")],
        profile_id: Annotated[str, typer.Argument(help="Profile id")],
        actor: ActorOption = None,
        reason: ReasonOption = None,
        override_consent: Annotated[
            bool,
            typer.Option(
                "--override-consent", help="Approve a link the customer's consent forbids (a reviewer's call)"
            ),
        ] = False,
        data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
    ) -> None:
        """Restore an unlinked link with its former evidence, or approve a held one (logged)."""
        terminate_on_sigterm()
        with open_store(settings_from(data_dir)) as store:
            link = relink(
                store,
                customer_id,
                profile_id,
                actor=_actor(actor),
                reason=reason,
                override_consent=override_consent,
            )
        console.print(
            f"linked {profile_id} to {customer_id} (evidence {link.get('evidence')})", highlight=False
        )

    @identity.command("log")
    @reports_errors
    def log_command(
        customer_id: Annotated[
            str | None, typer.Argument(help="Customer id (default: the newest entries of every customer)")
        ] = None,
        limit: Annotated[int, typer.Option(min=1, max=100_000, help="Entries without a customer id")] = 100,
        as_json: Annotated[bool, typer.Option("--json")] = False,
        data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
    ) -> None:
        """Show the identity history: links made, held, refused, unlinked, relinked and approved."""
        terminate_on_sigterm()
        with open_store(settings_from(data_dir)) as store:
            entries = (
                identity_history(store, customer_id).history if customer_id else recent_entries(store, limit)
            )
        print_rows([vars(entry) for entry in entries], as_json=as_json)
