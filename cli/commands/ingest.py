"""``rapport ingest PATH``: load a file into the store, with a progress bar on a terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from cli.options import settings_from
from cli.output import console
from cli.process import terminate_on_sigterm
from graph.errors import InvalidInput
from graph.store import open_store
from ingest.loader import MAX_PARSE_WORKERS, LoadProgress, load_file
from ingest.pipeline import FORMATS
from ingest.progress import LoadEstimator

FORMAT_HELP = "events (canonical JSON Lines), twcs, snap-signed or higgs"


def register(app: typer.Typer, *, reports_errors: Any) -> None:
    @app.command()
    @reports_errors
    def ingest(
        path: Annotated[
            Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="Input file (.gz ok)")
        ],
        format: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "events",  # noqa: A002
        rejects: Annotated[
            Path | None, typer.Option(help="Rejects file (JSON Lines); default ./<input>.rejects.jsonl")
        ] = None,
        batch_size: Annotated[int, typer.Option(min=1, max=100_000, help="Input lines per batch")] = 5000,
        platform: Annotated[str | None, typer.Option(help="Profile id namespace for twcs/snap/higgs")] = None,
        parse_workers: Annotated[
            int | None,
            typer.Option(
                min=1,
                max=16,
                help="Processes parsing the file (events, higgs, snap-signed); default: for events one per core, "
                f"at most {MAX_PARSE_WORKERS}, else one",
            ),
        ] = None,
        data_dir: Annotated[Path | None, typer.Option("--data-dir")] = None,
    ) -> None:
        """Load interactions from a file: idempotent (safe to repeat) and resumable after an interruption."""
        if format not in FORMATS:
            raise InvalidInput(f"unknown --format {format!r}; expected one of {', '.join(FORMATS)}")
        terminate_on_sigterm()
        rejects = rejects or Path.cwd() / f"{path.name}.rejects.jsonl"
        options = {"platform": platform} if platform else {}
        bar = Progress(
            TextColumn("[bold]loading[/] {task.description}"),
            BarColumn(bar_width=None, pulse_style="cyan"),
            TextColumn("{task.percentage:>5.1f}%"),
            TextColumn(
                "{task.fields[lines]:>10,} lines  {task.fields[rate]:>9,.0f} events/s  "
                "{task.fields[mb_rate]:>6.1f} MB/s  ETA {task.fields[eta]}  {task.fields[rejected]:,} rejected"
            ),
            TimeElapsedColumn(),
            console=console,
            disable=not console.is_terminal,
            transient=False,
        )
        settings = settings_from(data_dir)
        with open_store(settings) as store, bar:
            size = path.stat().st_size
            estimator = LoadEstimator(size)
            task = bar.add_task(
                path.name, total=max(size, 1), lines=0, rate=0.0, mb_rate=0.0, eta="--:--", rejected=0
            )

            def report(progress: LoadProgress) -> None:
                rate = progress.events / progress.elapsed_s if progress.elapsed_s else 0.0
                estimate = estimator.update(progress.bytes_read, progress.elapsed_s)
                left = estimate.seconds_left
                bar.update(
                    task,
                    completed=progress.bytes_read,
                    lines=progress.lines,
                    rate=rate,
                    mb_rate=(estimate.bytes_per_s or 0.0) / 1e6,
                    eta="--:--" if left is None else f"{int(left) // 60:02d}:{int(left) % 60:02d}",
                    rejected=progress.rejected,
                )

            summary = load_file(
                store,
                path,
                format,
                rejects_path=rejects,
                batch_size=batch_size,
                progress=report,
                options=options,
                parse_workers=parse_workers,
                consent_policy=settings.identity_consent,
            )
        resumed = f" (resumed after line {summary.resumed_from_line:,})" if summary.resumed_from_line else ""
        console.print(
            f"{summary.path}: read {summary.lines:,} lines{resumed}, loaded {summary.events:,} events, "
            f"rejected {summary.rejected:,} in {summary.elapsed_s:.1f} s ({summary.events_per_s:,.0f} events/s)",
            highlight=False,
        )
        if summary.rejects_path:
            console.print(f"rejected lines and reasons: {summary.rejects_path}", highlight=False)
