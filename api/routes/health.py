"""Liveness and store reachability (no API key needed)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    store: str
    store_reachable: bool


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "the store is unreachable"}},
    summary="Is the API up and can it reach its store?",
)
def health(request: Request) -> JSONResponse | Health:
    store = request.app.state.store
    reachable = store.ping()
    body = Health(status="ok" if reachable else "degraded", store=store.kind, store_reachable=reachable)
    if not reachable:
        return JSONResponse(body.model_dump(), status_code=503)
    return body
