"""``rapport demo`` / ``make demo``: generate the demo world, load it, analyse it, serve the API.

The demo uses only data the project generates (:mod:`ingest.demo`), never the non-commercial
Twitter sample. Its store lives in ``./.rapport-data`` unless ``--data-dir`` says otherwise; an
API key with the admin role is created in the data directory's key file on the first run (printed
once, kept hashed, reused by later runs) unless RAPPORT_API_KEYS sets keys. It also saves one
segment, :data:`EXAMPLE_SEGMENT` (a brand's advocates), so a CRM pull works from the first minute.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from api.serving import run_api
from cli.options import settings_from
from cli.output import console as stderr_console
from graph.config import Settings
from graph.errors import SegmentExists
from graph.store import CypherGraphStore, open_store
from ingest.demo import demo_events
from ingest.loader import load_file
from usecases.analysis import AnalysisParams, run_analysis
from usecases.api_keys import ensure_first_admin_key, key_file_of
from usecases.crm.run_lists import save_recorded_segment
from usecases.segments import SegmentFilter

EXAMPLE_SEGMENT = "northwind-advocates"
"""The segment the demo saves: Northwind Coffee's advocates, customers only, scored by advocacy."""


def register(app: typer.Typer, *, reports_errors: Callable[..., Any]) -> None:
    """Add the ``demo`` command to ``app``."""

    @app.command()
    @reports_errors
    def demo(
        port: Annotated[int | None, typer.Option(help="API port (default RAPPORT_API_PORT, 8000)")] = None,
        data_dir: Annotated[
            Path | None,
            typer.Option(
                "--data-dir",
                help="Embedded store's data directory (default: RAPPORT_DATA_DIR, else ./.rapport-data)",
            ),
        ] = None,
        serve_api: Annotated[
            bool, typer.Option("--serve/--no-serve", help="Serve the API afterwards")
        ] = True,
    ) -> None:
        """Load the generated demo data set into the embedded store, then serve the API."""
        settings = demo_settings(data_dir)
        run_demo(settings, port=port, serve_api=serve_api, console=stderr_console)


DEMO_DATA_DIR = Path(".rapport-data")
"""Where the demo keeps its store when neither ``--data-dir`` nor the configuration names one: beside
the project, not in the user's data directory that other stores may use."""


def demo_settings(data_dir: Path | None) -> Settings:
    """The demo's settings: ``data_dir`` if given, else the configured one (``RAPPORT_DATA_DIR``, a
    config file), else :data:`DEMO_DATA_DIR`, so that later commands run with the same configuration
    find the demo's store."""
    settings = settings_from(data_dir)
    return (
        settings
        if data_dir is not None or "data_dir" in settings.model_fields_set
        else settings_from(DEMO_DATA_DIR)
    )


def write_demo_file(path: Path, seed: int = 7) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "w", encoding="utf-8") as stream:
        for event in demo_events(seed):
            stream.write(json.dumps(event, ensure_ascii=False) + "\n")
            count += 1
    return count


def run_demo(settings: Settings, *, port: int | None, serve_api: bool, console: Console) -> None:
    key = demo_key(settings)
    port = port or settings.api_port
    events_path = settings.data_dir / "demo-events.jsonl"
    console.print(f"[bold]1/4[/] generating the demo world -> {events_path}")
    generated = write_demo_file(events_path)
    console.print(f"      {generated:,} canonical events (4 brands, 400 customers, 5 communities)")
    console.print(f"[bold]2/4[/] starting the embedded FalkorDB store in {settings.data_dir}")
    with open_store(settings) as store:
        console.print("[bold]3/4[/] loading (idempotent: running the demo again changes nothing)")
        summary = load_file(
            store, events_path, "events", rejects_path=settings.data_dir / "demo.rejects.jsonl"
        )
        console.print(
            f"      loaded {summary.events:,} events in {summary.elapsed_s:.1f} s; rejected {summary.rejected}"
        )
        analyse(store, console)
        save_example_segment(store, console)
        counts = store.counts()
        console.print(
            "      graph: " + ", ".join(f"{n:,} {label}" for label, n in sorted(counts.nodes.items()))
        )
        if not serve_api:
            return
        base = f"http://{settings.api_host}:{port}"
        console.print(
            f"\n[bold green]Rapport is serving[/] {base}  (docs: {base}/docs, health: {base}/health)\n"
            f"Console: [bold]{base}/console[/]  (sign in with the API key)\n"
            + (
                f"API key (admin, shown this once; kept hashed in {key_file_of(settings)}): [bold]{key}[/]\n"
                if key
                else "API key: the one printed by the first run of the demo (or `rapport keys create NAME "
                f"--role admin --data-dir {settings.data_dir}`)\n"
            )
            + f"Try:  curl -H 'Authorization: Bearer {key or '$RAPPORT_KEY'}' '{base}/v1/influencers?limit=5'\n"
            f"      curl -H 'Authorization: Bearer {key or '$RAPPORT_KEY'}' '{base}/v1/brands/northwind/advocates'\n"
            f"      curl -H 'Authorization: Bearer {key or '$RAPPORT_KEY'}' "
            f"'{base}/v1/segments/{EXAMPLE_SEGMENT}/members?format=csv'  (a CRM pull)\n"
            f'Cypher: rapport cypher --data-dir {settings.data_dir} "MATCH (p:Profile) WHERE p.role = '
            "'customer' RETURN p.handle, p.influence ORDER BY p.influence DESC LIMIT 5\"  (in another "
            "terminal: it uses this store)\n"
            "Press Ctrl-C to stop the API and the store.",
            highlight=False,
        )
        run_api(settings, store, port=port)
    console.print("stopped: API and embedded store shut down cleanly")


def demo_key(settings: Settings) -> str | None:
    """The demo's admin key, created in the data directory's key file on the first run and kept there
    (hashed) for the next ones; None when it existed already or when the user configured keys."""
    if settings.api_keys:
        return settings.api_keys[0].key.get_secret_value() if settings.api_keys[0].key is not None else None
    return ensure_first_admin_key(key_file_of(settings), "demo")


def save_example_segment(store: CypherGraphStore, console: Console) -> None:
    """Save :data:`EXAMPLE_SEGMENT` unless a segment of that name exists (a later demo run keeps it),
    recorded in the current run so that a CRM can ask for its changes since then."""
    try:
        save_recorded_segment(
            store,
            EXAMPLE_SEGMENT,
            "Northwind Coffee's advocates (saved by the demo)",
            SegmentFilter(brand="northwind", role="advocate"),
        )
        console.print(f"      saved segment {EXAMPLE_SEGMENT!r}: Northwind Coffee's advocates, for CRM pulls")
    except SegmentExists:
        console.print(f"      segment {EXAMPLE_SEGMENT!r} kept from an earlier run")


def analyse(store: CypherGraphStore, console: Console) -> None:
    """Run the analysis on the loaded demo data (communities, influence, advocacy)."""
    console.print(
        "[bold]4/4[/] analysing: communities, influence, reach, brokerage, advocates and detractors"
    )
    summary = run_analysis(store, AnalysisParams(seed=7))
    seconds = sum(stage.seconds for stage in summary.stages)
    console.print(
        f"      run {summary.run_id}: {summary.profiles:,} profiles, {summary.engagement_edges:,} engagement edges, "
        f"{summary.communities} communities (modularity {summary.modularity:.3f}), "
        f"{summary.advocates} advocates / {summary.detractors} detractors in {seconds:.1f} s"
    )
