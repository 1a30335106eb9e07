"""``rapport analyze``: run the analysis pipeline on the configured store and print a summary."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from cli.options import DataDirOption, settings_from
from cli.output import console, stdout
from cli.process import return_freed_memory_promptly, terminate_on_sigterm
from graph import errors
from graph.store import open_store
from ingest.pipeline import rare_cycle_collection
from usecases.analysis import AnalysisParams, run_analysis


def parse_as_of(value: str | None) -> int | None:
    """``--as-of`` as epoch ms: digits are epoch ms, anything else ISO 8601 (naive = UTC)."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise errors.InvalidInput(f"--as-of expects ISO 8601 or epoch ms, got {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def register(app: typer.Typer, *, reports_errors: Callable) -> None:
    """Add the ``analyze`` command to ``app``."""

    @app.command()
    @reports_errors
    def analyze(
        as_of: Annotated[
            str | None,
            typer.Option("--as-of", help="Decay reference time: ISO 8601 or epoch ms (default: newest)"),
        ] = None,
        half_life: Annotated[
            float, typer.Option("--half-life", help="Engagement half-life in days", min=0.001)
        ] = 30.0,
        no_decay: Annotated[
            bool, typer.Option("--no-decay", help="Weigh interactions without time decay")
        ] = False,
        seed: Annotated[int, typer.Option("--seed", help="Seed of Louvain and sampled betweenness")] = 0,
        resolution: Annotated[float, typer.Option("--resolution", help="Modularity resolution (> 0)")] = 1.0,
        engine: Annotated[
            str, typer.Option("--engine", help="in-process (default) or spark (docs/scale-out.md)")
        ] = "in-process",
        master: Annotated[
            str | None,
            typer.Option("--master", help="Spark master (default: RAPPORT_SPARK__MASTER, local[*])"),
        ] = None,
        from_parquet: Annotated[
            str | None,
            typer.Option(
                "--from-parquet",
                help="Spark input: a `rapport export` snapshot, directory or URI (default: Neo4j)",
            ),
        ] = None,
        data_dir: DataDirOption = None,
    ) -> None:
        """Compute communities, influence, reach, brokerage and brand advocacy, and publish them."""
        if engine not in ("in-process", "spark"):
            raise errors.InvalidInput(f"--engine: in-process or spark, got {engine!r}")
        if engine == "in-process" and (master or from_parquet):
            raise errors.InvalidInput("--master and --from-parquet are options of --engine spark")
        terminate_on_sigterm()
        return_freed_memory_promptly()  # arrays freed stage by stage leave the process
        settings = settings_from(data_dir)
        params = AnalysisParams(
            as_of_ms=parse_as_of(as_of),
            half_life_days=None if no_decay else half_life,
            seed=seed,
            resolution=resolution,
            runs_kept=settings.analysis_runs_kept,
        )
        interactive = sys.stderr.isatty()

        def progress(stage: str, fraction: float) -> None:
            if interactive:
                console.print(f"[{fraction:4.0%}] {stage.replace('_', ' ')}", highlight=False)

        notes: list[tuple[str, str]] = []
        if engine == "spark":
            # PySpark is the optional [spark] extra: imported for this engine only, so an in-process
            # `rapport analyze` neither needs it nor pays for its import
            try:
                from usecases import spark_analysis
            except ModuleNotFoundError as exc:
                if (exc.name or "").split(".")[0] != "pyspark":
                    raise
                raise errors.ConfigError(
                    "--engine spark needs PySpark: pip install 'rapport[spark]'"
                ) from exc
            spark_analysis.check_spark_input(settings, from_parquet)  # before the store starts
        # The program's entry point may tune the process-wide collector (library code may not): the
        # projection builds millions of short-lived, cycle-free rows, see rare_cycle_collection.
        status = console.status("analysing") if interactive else nullcontext()
        with open_store(settings) as store, rare_cycle_collection(), status:
            if engine == "spark":
                spark_run = spark_analysis.analyze_on_spark(
                    store, settings, params, master=master, parquet=from_parquet, progress=progress
                )
                summary = spark_run.summary
                notes = [
                    ("engine", f"spark ({spark_run.master}), input {spark_run.origin}"),
                    ("computed by Spark", ", ".join(spark_run.spark_computed)),
                    ("computed on the driver", ", ".join(spark_run.driver_computed)),
                    ("communities", f"{spark_run.community_method} (Louvain not run)"),
                    ("not computed (null)", ", ".join(spark_run.not_computed)),
                ]
            else:
                summary = run_analysis(store, params, progress)
        table = Table(title=f"analysis {summary.run_id}")
        table.add_column("stage")
        table.add_column("seconds", justify="right")
        for stage in summary.stages:
            table.add_row(stage.name, f"{stage.seconds:.2f}")
        table.add_row("total", f"{summary.seconds:.2f}")
        stdout.print(table)
        counts = Table(title="counts")
        counts.add_column("measure")
        counts.add_column("value", justify="right")
        for name, value in (
            ("profiles", summary.profiles),
            ("engagement edges", summary.engagement_edges),
            ("interactions", summary.interactions),
            ("trust edges", summary.trust_edges),
            ("communities", summary.communities),
            ("modularity", f"{summary.modularity:.4f}"),
            ("brands", summary.brands),
            (
                "influences / advocates / detractors / mixed",
                f"{summary.influences} / {summary.advocates} / {summary.detractors} / {summary.mixed}",
            ),
            ("non-customer profiles / flagged accounts", f"{summary.non_customers} / {summary.flagged}"),
            ("projection interactions/s", f"{summary.projection_rate():,.0f}"),
        ):
            counts.add_row(name, str(value))
        for name, value in notes:
            counts.add_row(name, value)
        stdout.print(counts)
