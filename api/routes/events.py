"""``POST /v1/events``: the ingest pipeline over HTTP, for systems that push interactions.

The body is a JSON array of canonical events (the same objects as the JSON Lines files, schema in
``ingest/EVENTS.md``). Valid events are written in idempotent batches (posting the same body twice
changes nothing); each invalid element is reported with its 0-based ``index`` and a reason naming
the field, and does not stop the others. Bodies over ``RAPPORT_MAX_BODY_BYTES`` get 413.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from api.cache import clear_response_cache
from api.deps import AppSettings, Store, WriteAccess
from graph.errors import InvalidInput
from ingest.identity_ledger import enforce_consent
from ingest.loader import apply_batches
from ingest.records import Rejected
from ingest.sources.canonical import read_event_array

router = APIRouter(prefix="/v1", tags=["ingest"])


class RejectedEvent(BaseModel):
    index: int = Field(description="0-based position of the element in the posted array", examples=[3])
    reason: str = Field(examples=["rating: Input should be less than or equal to 10"])


class EventsAccepted(BaseModel):
    accepted: int = Field(description="events validated and written", examples=[41])
    rejected: list[RejectedEvent] = Field(default_factory=list)


EXAMPLE_EVENTS: list[dict[str, Any]] = [
    {"kind": "profile", "id": "twitter:ada", "platform": "twitter", "handle": "ada", "followers": 120},
    {
        "kind": "post",
        "id": "p-1",
        "author": "twitter:ada",
        "text": "Love @northwind!",
        "created_at": "2026-10-01T09:30:00Z",
        "brands": ["northwind"],
    },
    {"kind": "rating", "source": "twitter:ada", "target": "twitter:bob", "rating": 8, "at": 1790000000},
]


@router.post(
    "/events",
    response_model=EventsAccepted,
    summary="Load a batch of canonical events",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "array",
                        "items": {"description": "a canonical event object; any other element is rejected"},
                    },
                    "example": EXAMPLE_EVENTS,
                }
            },
        }
    },
    responses={413: {"description": "body over the size limit"}, 422: {"description": "not a JSON array"}},
)
async def post_events(
    request: Request, store: Store, settings: AppSettings, caller: WriteAccess
) -> EventsAccepted:
    body = await request.body()
    items = list(read_event_array(body))
    if len(items) == 1 and isinstance(items[0], Rejected) and items[0].line == 0:
        raise InvalidInput(items[0].reason)
    rejected = [
        RejectedEvent(index=item.line - 1, reason=item.reason) for item in items if isinstance(item, Rejected)
    ]
    accepted = len(items) - len(rejected)
    await run_in_threadpool(apply_batches, store, items, batch_size=settings.batch_size)
    if accepted:
        await run_in_threadpool(enforce_consent, store, settings.identity_consent)
    if accepted:
        clear_response_cache(request.app.state)  # cached pages may show renamed profiles
    return EventsAccepted(accepted=accepted, rejected=rejected)
