"""The FastAPI application: ``create_app(settings)``; ``api.main:app`` builds it on first use.

The store is opened once, in the lifespan, and closed (stopping the embedded server) on
shutdown. Nothing is configured or connected at import time: the module attribute ``app``
is created lazily, when uvicorn (or a test) first asks for it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from api.cache import ResponseCache
from api.errors import BodySizeLimit, install_error_handlers
from api.routes import (
    analysis_runs,
    brands,
    communities,
    events,
    health,
    influencers,
    outreach,
    profiles,
    segments,
    signals,
    trust_paths,
)
from graph.config import Settings, load_settings
from graph.store import CypherGraphStore, open_store

API_DESCRIPTION = """
Rapport answers the questions a Social CRM team asks of its customers' social graph:
influencers per community, advocates and detractors of a brand, the most trusted path for a
warm introduction, whom to contact first, and which segments to pull today.

**Authentication**: every `/v1` endpoint needs an API key, sent as `Authorization: Bearer <key>` or
`X-API-Key: <key>`. Keys have a role: `read` (GET), `write` (also saves segments), `admin` (everything).

**Errors** are `application/problem+json` (RFC 9457) with a stable `code`.

**Paging**: list endpoints return `next_cursor`; pass it back as `cursor`. Cursors are bound to the
analysis run: after a new run, an old cursor answers 409 `stale_cursor` (start again without one).
"""

API_ROUTERS = (
    influencers.router,
    brands.router,
    communities.router,
    profiles.router,
    segments.router,
    events.router,
    trust_paths.router,
    analysis_runs.router,
    outreach.router,
    signals.router,
)


def create_app(settings: Settings | None = None, *, store: CypherGraphStore | None = None) -> FastAPI:
    """Build the app. With ``store`` given, the caller owns it (tests); otherwise the lifespan
    opens the store the settings describe and closes it on shutdown."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if store is not None:
            app.state.store = store
            yield
            return
        with open_store(settings) as opened:
            app.state.store = opened
            yield

    app = FastAPI(
        title="Rapport",
        version="0.1.0",
        summary="Graph engine for customer relationships and influence (Social CRM)",
        description=API_DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.response_cache = ResponseCache(
        settings.response_cache_seconds, settings.response_cache_max_bytes
    )
    if store is not None:
        app.state.store = store  # also usable without running the lifespan (schema fuzzers, ASGI mounts)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.include_router(health.router)
    for router in API_ROUTERS:
        app.include_router(router)
    return app


def __getattr__(name: str) -> Any:
    if name == "app":
        application = create_app()
        globals()["app"] = application
        return application
    raise AttributeError(name)
