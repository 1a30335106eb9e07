"""Serve the HTTP API with uvicorn: the one start-up that ``rapport serve`` and ``rapport demo`` call.

This is the only module of :mod:`api` the command line imports, because starting the server means
building this package's application (:func:`api.main.create_app`) and handing it to uvicorn; the
CLI owns the store's lifetime (it opens it, serves, closes it), the API only uses it.
"""

from __future__ import annotations

import json
import os

import uvicorn

from api.main import create_app
from graph.config import Settings
from graph.engines.falkordb import FalkorDBEngine
from graph.store import CypherGraphStore
from usecases.api_keys import key_file_of


def run_api(
    settings: Settings, store: CypherGraphStore, *, host: str | None = None, port: int | None = None
) -> None:
    """Serve until Ctrl-C or SIGTERM (uvicorn handles both and returns)."""
    application = create_app(settings, store=store)
    config = uvicorn.Config(
        application,
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_level="warning",
        access_log=False,
    )
    server = uvicorn.Server(config)
    server.run()


def run_api_workers(
    settings: Settings,
    store: CypherGraphStore,
    workers: int,
    *,
    host: str | None = None,
    port: int | None = None,
) -> None:
    """Serve with ``workers`` uvicorn processes; this process keeps owning the store.

    Each worker builds ``api.main:app`` from the environment, so the settings travel there: the
    embedded FalkorDB is reached through its unix socket (the workers never start a server), and
    Neo4j through its URI as configured. Setting the environment is the entry point's call (this
    runs only under ``rapport serve --workers``, never inside a served application).
    """
    engine = store.engine
    if isinstance(engine, FalkorDBEngine) and engine.server is not None:
        os.environ["RAPPORT_FALKORDB__URL"] = f"unix://{engine.server.socket_path}"
        os.environ["RAPPORT_FALKORDB__GRAPH"] = engine.graph_name
    os.environ["RAPPORT_API_KEYS"] = json.dumps(
        [
            {"key": k.key.get_secret_value(), "role": k.role, "name": k.name}
            if k.key is not None
            else {"key_id": k.key_id, "key_hash": k.key_hash, "role": k.role, "name": k.name}
            for k in settings.api_keys
        ]
    )
    os.environ["RAPPORT_API_KEY_FILE"] = str(key_file_of(settings))
    uvicorn.run(
        "api.main:app",
        host=host or settings.api_host,
        port=port or settings.api_port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )
