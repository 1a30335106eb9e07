"""``rapport alerts BRAND``: a brand's negative-sentiment spikes, with the posts behind each (``usecases.alerts``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from cli.options import DataDirOption, settings_from
from cli.output import stdout
from cli.process import terminate_on_sigterm
from graph.store import open_store
from usecases.alerts import brand_alerts


def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M")


def register(app: typer.Typer, *, reports_errors: Callable) -> None:
    """Add the ``alerts`` command to ``app``."""

    @app.command()
    @reports_errors
    def alerts(
        brand: Annotated[str, typer.Argument(help="Brand id")],
        granularity: Annotated[str, typer.Option("--granularity", help="hour or day")] = "hour",
        alpha: Annotated[float, typer.Option("--alpha", help="False-alarm probability per bucket")] = 1e-4,
        min_count: Annotated[int, typer.Option("--min-count", help="Smallest count that can alert")] = 5,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table")] = False,
        data_dir: DataDirOption = None,
    ) -> None:
        """Negative-sentiment spikes of BRAND against its own trailing baseline (Poisson control limit)."""
        terminate_on_sigterm()
        with open_store(settings_from(data_dir)) as store:
            result = brand_alerts(store, brand, granularity=granularity, alpha=alpha, min_count=min_count)
        if as_json:
            stdout.print_json(json.dumps(asdict(result)))
            return
        if not result.alerts:
            stdout.print(
                f"{brand}: no negative-sentiment spike per {granularity} "
                f"({result.negative_posts} negative posts checked)",
                highlight=False,
            )
            return
        table = Table(
            title=f"{brand}: negative spikes per {granularity} ({result.negative_posts} negative posts)"
        )
        for column in ("start (UTC)", "buckets", "observed", "expected", "limit", "p-value", "first posts"):
            table.add_column(column)
        for alert in result.alerts:
            spike = alert.spike
            table.add_row(
                _when(spike.start_ms),
                str(spike.buckets),
                str(spike.observed),
                f"{spike.expected:.2f}",
                str(spike.upper_control_limit),
                f"{spike.p_value:.2e}",
                "\n".join(f"{p.id}: {(p.text or '')[:60]}" for p in alert.posts[:3]),
            )
        stdout.print(table)
