"""Dependencies every router shares: the store, the settings, and access by role.

Use the ``Annotated`` aliases as handler parameters; each one authenticates the request's API
key (``Authorization: Bearer <key>`` or ``X-API-Key``, see :mod:`api.auth`) and checks its role,
answering 401 (no or unknown key) or 403 (role too low) as problem+json before the handler runs::

    from api.deps import AdminAccess, ReadAccess, Store, WriteAccess

    @router.get("/v1/trust-paths")
    def trust_paths(store: Store, caller: ReadAccess, source: str, target: str) -> ...:
        ...                                   # caller.name / caller.role, never the key

    @router.post("/v1/events", status_code=202)
    def post_events(store: Store, caller: WriteAccess, body: EventBatch) -> ...: ...

    @router.post("/v1/analysis-runs")
    def start_run(caller: AdminAccess) -> ...: ...

Roles nest: ``admin`` ⊇ ``write`` ⊇ ``read``. A router whose every route needs the same role can
say so once: ``APIRouter(dependencies=[Depends(require_role("read"))])``. ``/health`` and the docs
stay open. The OpenAPI document lists both key schemes, so ``/docs`` has an "Authorize" button.

The dependencies are ``async def`` because they do no I/O: FastAPI then runs them on the event
loop, instead of handing each one to the thread pool (a thread hop per dependency per request).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.auth import Principal, Role, authenticate, authorize
from api.throttle import FailedAuthThrottle
from graph.config import Settings
from graph.errors import InvalidInput
from graph.store import CypherGraphStore
from usecases.api_keys import KeyRing, key_file_of

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <API key>`")
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="`X-API-Key: <API key>`")


async def get_store(request: Request) -> CypherGraphStore:
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


Store = Annotated[CypherGraphStore, Depends(get_store)]
AppSettings = Annotated[Settings, Depends(get_settings)]


def key_ring(request: Request) -> KeyRing:
    """The app's :class:`~usecases.api_keys.KeyRing`, rebuilt if its settings were replaced."""
    state = request.app.state
    settings = state.settings
    ring = getattr(state, "key_ring", None)
    if ring is None or getattr(state, "key_ring_settings", None) is not settings:
        ring = state.key_ring = KeyRing(settings.api_keys, key_file_of(settings))
        state.key_ring_settings = settings
    return ring


def auth_throttle(request: Request) -> FailedAuthThrottle:
    state = request.app.state
    throttle = getattr(state, "auth_throttle", None)
    if throttle is None:
        settings = state.settings
        throttle = state.auth_throttle = FailedAuthThrottle(
            settings.auth_failures_allowed, settings.auth_failure_window_s
        )
    return throttle


def require_role(role: Role) -> Callable[..., Principal]:
    """A dependency answering the caller's :class:`~api.auth.Principal` if its key has ``role``."""

    async def dependency(
        request: Request,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        api_key: Annotated[str | None, Depends(_api_key_header)],
    ) -> Principal:
        presented = bearer.credentials if bearer is not None else (api_key or None)
        client = request.client.host if request.client else ""
        principal = authenticate(key_ring(request), presented, client=client, throttle=auth_throttle(request))
        return authorize(principal, role)

    dependency.__name__ = f"require_{role}"
    return dependency


ReadAccess = Annotated[Principal, Depends(require_role("read"))]
WriteAccess = Annotated[Principal, Depends(require_role("write"))]
AdminAccess = Annotated[Principal, Depends(require_role("admin"))]


Limit = Annotated[int, Query(ge=1, description="page size, at most Settings.max_page_size", examples=[50])]
CursorParam = Annotated[
    str | None, Query(max_length=2048, description="`next_cursor` of the previous page (opaque)")
]


def check_limit(limit: int, settings: Settings) -> int:
    if limit > settings.max_page_size:
        raise InvalidInput(f"limit is over the maximum page size of {settings.max_page_size}")
    return limit
