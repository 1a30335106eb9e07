"""The FastAPI application: ``create_app(settings)``; ``api.main:app`` builds it on first use.

The store is opened once, in the lifespan, and closed (stopping the embedded server) on
shutdown. Nothing is configured or connected at import time: the module attribute ``app``
is created lazily, when uvicorn (or a test) first asks for it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from api.cache import ResponseCache
from api.console import install_console
from api.errors import BodySizeLimit, install_error_handlers
from api.openapi import install_openapi
from api.request_guards import RequestGuards
from api.routes import (
    analysis_runs,
    brand_overview,
    brands,
    communities,
    community_map,
    events,
    health,
    identity,
    influencers,
    keys,
    list_changes,
    me,
    outreach,
    profiles,
    segment_preview,
    segments,
    signals,
    trust_paths,
)
from graph.config import Settings, load_settings
from graph.store import CypherGraphStore, open_store
from usecases.collector import freeze_long_lived_builds, keep_out_of_collections
from usecases.community_map import CommunityMapCache
from usecases.current_run import find_current_run
from usecases.read_model import read_model
from usecases.read_view import holding_views
from usecases.trust_network import TrustNetworkCache

API_DESCRIPTION = """
Rapport answers the questions a Social CRM team asks of its customers' social graph:
influencers per community, advocates and detractors of a brand, the most trusted path for a
warm introduction, whom to contact first, and which segments to pull today.

**Authentication**: every `/v1` endpoint needs an API key, sent as `Authorization: Bearer <key>` or
`X-API-Key: <key>`. Keys have a role: `read` (GET), `write` (also loads events and saves segments),
`admin` (also deletes segments and starts analysis runs). An address that sends too many invalid keys
gets 429 with `Retry-After`.

**Errors** are `application/problem+json` (RFC 9457) with a stable `code`.

**Paging**: list endpoints return `next_cursor`; pass it back as `cursor`. Cursors are bound to the
analysis run: after a new run, an old cursor answers 409 `stale_cursor` (start again without one).
Streamed segment exports carry a `cursor` per row, so an interrupted export resumes after the last row
received; `…/changes?since_run=R` returns only what changed since run R (docs/crm-sync.md).
"""

API_ROUTERS = (
    list_changes.router,  # before the routers whose paths it extends (/v1/influencers/changes)
    influencers.router,
    brands.router,
    communities.router,
    profiles.router,
    identity.router,
    segments.router,
    events.router,
    trust_paths.router,
    analysis_runs.router,
    outreach.router,
    brand_overview.router,
    community_map.router,
    me.router,
    segment_preview.router,
    keys.router,
    signals.router,
)


log = logging.getLogger(__name__)


def warm_trust_network(cache: TrustNetworkCache, store: CypherGraphStore) -> threading.Thread:
    """Build the trust network in the background at start-up (bench/api.py printed a 1-client p99 of
    3,280 ms for a worker building it on its first request: docs/benchmarks.md), so the
    first trust-path request of each worker does not wait for it; a request arriving meanwhile waits
    for that build instead of starting its own (:class:`TrustNetworkCache` builds one at a time)."""

    def build() -> None:
        try:
            cache.get(store)
        except Exception:  # the first request builds it then, and reports what failed
            log.warning("could not build the trust network at start-up", exc_info=True)

    builder = threading.Thread(target=build, name="rapport-trust-warm", daemon=True)
    builder.start()
    return builder


def create_app(settings: Settings | None = None, *, store: CypherGraphStore | None = None) -> FastAPI:
    """Build the app. With ``store`` given, the caller owns it (tests); otherwise the lifespan
    opens the store the settings describe and closes it on shutdown."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if store is not None:
            app.state.store = store
            try:
                with holding_views(store, settings.read_view_seconds):
                    yield
            finally:
                analysis_runs.finish_analysis_jobs(app.state)
            return
        with open_store(settings) as opened:
            app.state.store = opened
            warm = find_current_run(opened)
            if warm is not None:  # built now, not by the first request each worker serves
                read_model(opened, str(warm["id"]))
                warm_trust_network(app.state.trust_network_cache, opened)
            keep_out_of_collections()  # what start-up built: modules, routes, schemas, that model
            freeze_long_lived_builds()  # and from now on each run's read model, trust network...
            try:
                with holding_views(opened, settings.read_view_seconds):
                    yield
            finally:
                analysis_runs.finish_analysis_jobs(app.state)

    app = FastAPI(
        title="Rapport",
        version="0.1.0",
        summary="Graph engine for customer relationships and influence (Social CRM)",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc are served from packaged assets by install_console
        redoc_url=None,
    )
    app.state.settings = settings
    # one of each per app (per worker process), rebuilt when the run changes, shared by its threads
    app.state.trust_network_cache = TrustNetworkCache()
    app.state.community_map_cache = CommunityMapCache()
    app.state.response_cache = ResponseCache(
        settings.response_cache_seconds, settings.response_cache_max_bytes
    )
    if store is not None:
        app.state.store = store  # also usable without running the lifespan (schema fuzzers, ASGI mounts)
    install_error_handlers(app)
    install_openapi(app, settings)
    app.add_middleware(RequestGuards)  # inside the size limit: it holds a body the limit allowed
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.include_router(health.router)
    for router in API_ROUTERS:
        app.include_router(router)
    install_console(app)
    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        application = create_app()
        globals()["app"] = application
        return application
    raise AttributeError(name)
