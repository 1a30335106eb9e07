"""``rapport demo`` / ``make demo``: generate the demo world, load it, analyse it, serve the API.

The demo uses only data the project generates (:mod:`ingest.demo`), never the non-commercial
Twitter sample. Its store lives in ``./.rapport-data`` unless ``--data-dir`` says otherwise; an
API key with the admin role is generated for the session (or taken from RAPPORT_API_KEYS)
and printed, so the documented curl commands work as shown.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from rich.console import Console

from graph.config import ApiKey, Settings
from graph.store import open_store
from ingest.demo import demo_events
from ingest.loader import load_file


def write_demo_file(path: Path, seed: int = 7) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "w", encoding="utf-8") as stream:
        for event in demo_events(seed):
            stream.write(json.dumps(event, ensure_ascii=False) + "\n")
            count += 1
    return count


def run_demo(settings: Settings, *, port: int | None, serve_api: bool, console: Console) -> None:
    from api.cli import run_api

    if not settings.api_keys:
        settings = settings.model_copy(
            update={"api_keys": [ApiKey(key=secrets.token_urlsafe(24), role="admin", name="demo")]}
        )
    key = settings.api_keys[0].key.get_secret_value()
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
        counts = store.counts()
        console.print(
            "      graph: " + ", ".join(f"{n:,} {label}" for label, n in sorted(counts.nodes.items()))
        )
        if not serve_api:
            return
        base = f"http://{settings.api_host}:{port}"
        console.print(
            f"\n[bold green]Rapport is serving[/] {base}  (docs: {base}/docs, health: {base}/health)\n"
            f"Console: [bold]{base}/console[/]  (sign in with the key below)\n"
            f"API key (admin): [bold]{key}[/]\n"
            f"Try:  curl -H 'Authorization: Bearer {key}' '{base}/v1/influencers?limit=5'\n"
            f"      curl -H 'Authorization: Bearer {key}' '{base}/v1/brands/northwind/advocates'\n"
            f"Cypher: rapport cypher --data-dir {settings.data_dir} 'MATCH (p:Profile) RETURN p.handle, "
            "p.influence ORDER BY p.influence DESC LIMIT 5'  (after stopping the demo)\n"
            "Press Ctrl-C to stop the API and the store.",
            highlight=False,
        )
        run_api(settings, store, port=port)
    console.print("stopped: API and embedded store shut down cleanly")


def analyse(store: object, console: Console) -> None:
    """Run the analysis on the loaded demo data (communities, influence, advocacy)."""
    from api.analysis import AnalysisParams, run_analysis

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
