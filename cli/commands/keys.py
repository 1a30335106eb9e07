"""``rapport keys create|list|revoke``: manage the hashed API keys of the key file (see usecases/api_keys.py).

The key file lives in the data directory; a running API re-reads it on its next request, so a new
key works and a revoked one stops working without a restart.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.options import settings_from
from cli.output import console, print_rows, stdout
from usecases.api_keys import KeyFile, key_file_of


def register(app: typer.Typer, *, reports_errors: Any) -> None:
    keys = typer.Typer(help="Create, list and revoke API keys (stored hashed in the data directory).")
    app.add_typer(keys, name="keys")

    def key_file(data_dir: Path | None) -> KeyFile:
        return KeyFile(key_file_of(settings_from(data_dir)))

    @keys.command("create")
    @reports_errors
    def create(
        name: Annotated[str, typer.Argument(help="A name for the key's holder, e.g. crm-sync")],
        role: Annotated[str, typer.Option(help="read, write or admin")] = "read",
        print_config: Annotated[
            bool,
            typer.Option(
                "--print-config", help="Also print the RAPPORT_API_KEYS entry (hash only) for deployments"
            ),
        ] = False,
        data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
    ) -> None:
        """Create a key and print it once: only its salted hash is kept."""
        store = key_file(data_dir)
        record, secret = store.create(name, role)  # type: ignore[arg-type]  # KeyFile.create refuses other roles
        stdout.out(secret, highlight=False)
        console.print(
            f"created key {record.id} ({record.name}, role {record.role}) in {store.path}; "
            "this is the only time it is shown",
            highlight=False,
        )
        if print_config:
            entry = {"name": record.name, "role": record.role, "key_id": record.id, "key_hash": record.hash}
            console.print(json.dumps(entry), highlight=False, soft_wrap=True)

    @keys.command("list")
    @reports_errors
    def list_keys(
        as_json: Annotated[bool, typer.Option("--json")] = False,
        data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
    ) -> None:
        """List the keys (id, name, role, creation time; never a secret or a hash)."""
        rows = [
            {
                "id": k.id,
                "name": k.name,
                "role": k.role,
                "created": datetime.fromtimestamp(k.created_at / 1000, tz=UTC).isoformat(timespec="seconds"),
            }
            for k in key_file(data_dir).read()
        ]
        print_rows(rows, as_json=as_json)

    @keys.command("revoke")
    @reports_errors
    def revoke(
        key: Annotated[str, typer.Argument(help="The key's id (from `rapport keys list`) or name")],
        data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
    ) -> None:
        """Revoke a key: the API refuses it from its next request on."""
        for gone in key_file(data_dir).revoke(key):
            console.print(f"revoked key {gone.id} ({gone.name}, role {gone.role})", highlight=False)
