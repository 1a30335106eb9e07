"""``rapport export --format parquet``: the store's profiles and interactions as a Parquet snapshot
for the Spark engine (scaleout/, docs/scale-out.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from cli.options import DataDirOption, settings_from
from cli.output import stdout
from graph import errors
from graph.store import open_store
from scaleout.export import export_parquet


def register(app: typer.Typer, *, reports_errors: Callable) -> None:
    """Add the ``export`` command to ``app``."""

    @app.command()
    @reports_errors
    def export(
        out: Annotated[Path, typer.Option("--out", help="Directory of the snapshot")],
        format: Annotated[str, typer.Option("--format", help="Snapshot format (parquet)")] = "parquet",
        data_dir: DataDirOption = None,
    ) -> None:
        """Write profiles and interactions (partitioned by kind) for `rapport analyze --engine spark`."""
        if format != "parquet":
            raise errors.InvalidInput(f"--format: only parquet is supported, got {format!r}")
        with open_store(settings_from(data_dir)) as store:
            summary = export_parquet(store, out)
        total = sum(summary.interactions.values())
        stdout.print(f"exported {summary.profiles} profiles and {total} interactions to {summary.path}")
