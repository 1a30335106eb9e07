"""The ``rapport`` command line.

Every command opens the configured store through :func:`graph.store.open_store` (starting the
embedded FalkorDB server when that is the store, or using the one a running API owns) and closes it
on exit, on Ctrl-C and on SIGTERM, so no server process it started outlives the command. Errors
from :mod:`graph.errors` are printed as one line and mapped to exit codes once
(:mod:`cli.exit_codes`).

Commands are registered lazily: :data:`COMMANDS` names each command, the module that defines it
(``cli/commands/<module>.py``, whose ``register(app, *, reports_errors)`` adds it) and its help line
for ``rapport --help``; a command's module is imported only when that command runs, so
``rapport cypher "RETURN 1"`` does not pay for the analysis, ingest or outreach imports.
"""

from __future__ import annotations

from importlib import import_module
from typing import NamedTuple

import typer
from typer import _click as click  # typer vendors click: the types its public API (TyperGroup) speaks
from typer.core import TyperCommand, TyperGroup

from cli.exit_codes import reports_errors


class Listed(NamedTuple):
    module: str
    help: str


# name -> the module under cli/commands/ that defines it, and its help line (tests/test_cli.py checks
# that each line is the first line of the command's own help, so the two cannot drift apart)
COMMANDS: dict[str, Listed] = {
    "cypher": Listed("cypher", "Run one Cypher statement on the configured store and print its rows (read-only by default)."),
    "status": Listed("status", "Show the store in use and how many nodes and relationships it holds."),
    "serve": Listed("serve", "Serve the HTTP API and the web console (console at /console, docs at /docs) on the configured store."),
    "demo": Listed("demo", "Load the generated demo data set into the embedded store, then serve the API."),
    "ingest": Listed("ingest", "Load interactions from a file: idempotent (safe to repeat) and resumable after an interruption."),
    "analyze": Listed("analyze", "Compute communities, influence, reach, brokerage and brand advocacy, and publish them."),
    "outreach": Listed("outreach", "Whom to contact first so a campaign spreads furthest."),
    "identity": Listed("identity", "Identity links: which profiles belong to which customer, and why."),
    "runs": Listed("sync", "List analysis runs, newest first, and whether deltas since each can still be asked for."),
    "changes": Listed("sync", "Members added, removed and changed in a list between run --since-run and the current run."),
    "keys": Listed("keys", "Create, list and revoke API keys (stored hashed in the data directory)."),
    "alerts": Listed("alerts", "Negative-sentiment spikes of BRAND against its own trailing baseline (Poisson control limit)."),
    "export": Listed("export", "Write profiles and interactions (partitioned by kind) for `rapport analyze --engine spark`."),
}  # fmt: skip


def load_command(name: str) -> click.Command:
    """Import the module that defines command ``name`` and build its click command."""
    holder = typer.Typer()
    import_module(f"cli.commands.{COMMANDS[name].module}").register(holder, reports_errors=reports_errors)
    return typer.main.get_group(holder).commands[name]


class LazyCommands(TyperGroup):
    """Lists every command from :data:`COMMANDS`; loads a command's module only to run it."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """What ``--help`` lists: the name and help line, without importing the command's module."""
        listed = COMMANDS.get(cmd_name)
        return None if listed is None else TyperCommand(cmd_name, help=listed.help)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        return name, (load_command(name) if name is not None else command), rest


app = typer.Typer(
    name="rapport",
    cls=LazyCommands,
    help="Rapport: a graph engine for customer relationships and influence (Social CRM).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Rapport: a graph engine for customer relationships and influence (Social CRM)."""


def main(argv: list[str] | None = None) -> None:
    app(args=argv, prog_name="rapport")


if __name__ == "__main__":
    main()
