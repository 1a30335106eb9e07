"""``rapport serve``: the HTTP API and the web console on the configured store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from api.serving import run_api, run_api_workers
from cli.options import DataDirOption, settings_from
from cli.process import terminate_on_sigterm
from graph.store import open_store


def register(app: typer.Typer, *, reports_errors: Callable[..., Any]) -> None:
    """Add the ``serve`` command to ``app``."""

    @app.command()
    @reports_errors
    def serve(
        host: Annotated[str | None, typer.Option(help="Bind address (default RAPPORT_API_HOST)")] = None,
        port: Annotated[int | None, typer.Option(help="Port (default RAPPORT_API_PORT)")] = None,
        workers: Annotated[
            int, typer.Option(min=1, max=64, help="API worker processes sharing one store")
        ] = 1,
        data_dir: DataDirOption = None,
    ) -> None:
        """Serve the HTTP API and the web console (console at /console, docs at /docs) on the configured store."""
        terminate_on_sigterm()  # uvicorn handles SIGTERM while serving; this covers start-up and shutdown
        settings = settings_from(data_dir)
        with open_store(settings) as store:
            if workers == 1:
                run_api(settings, store, host=host, port=port)
            else:
                run_api_workers(settings, store, workers, host=host, port=port)
