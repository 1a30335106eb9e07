"""Requests refused before any handler runs: hostile characters in the path or query, and bodies
that are not UTF-8.

- **Path and query.** No id, name or parameter Rapport stores can hold a control character
  (C0 but tab/newline/return, DEL, C1) or a lone surrogate: ingest refuses them
  (:func:`ingest.events.check_characters`). So a path holding one names nothing (404
  ``not_found``), and a query parameter holding one is invalid (422 ``invalid_input``) — answered
  here, before such a value reaches a query, where a NUL ends the engine's parser early and its
  error text would otherwise leak to the client.
- **Bodies.** JSON is UTF-8 (RFC 8259 §8.1). A body that does not decode as UTF-8 gets 422
  ``invalid_input`` naming the byte offset, instead of whatever encoding the JSON parser guessed
  (its ``'utf-16-le' codec`` messages). The body is bounded by :class:`api.errors.BodySizeLimit`
  (which runs first), so holding it here to check it is bounded too.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import send_problem
from ingest.events import first_forbidden_character

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def first_hostile_character(text: str) -> int | None:
    """Position of the first character no stored value can hold, or None."""
    return first_forbidden_character(text)


class RequestGuards:
    """ASGI middleware: refuse hostile paths/query parameters and non-UTF-8 bodies (see module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if first_hostile_character(path) is not None:
            detail = "nothing here: the path holds a control character, which no id or name can contain"
            await send_problem(scope, send, 404, "not_found", detail)
            return
        query = scope.get("query_string", b"").decode("utf-8", "surrogateescape")
        for name, value in parse_qsl(query, keep_blank_values=True, errors="surrogateescape"):
            if first_hostile_character(name) is not None or first_hostile_character(value) is not None:
                detail = f"query parameter {name[:40]!r} holds a control character or invalid UTF-8"
                await send_problem(scope, send, 422, "invalid_input", detail)
                return
        if scope.get("method") not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        chunks: list[bytes] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            detail = f"the request body is not valid UTF-8 (byte {exc.start}); JSON bodies must be UTF-8"
            await send_problem(scope, send, 422, "invalid_input", detail)
            return
        pending = iter(messages)

        async def replay() -> Message:
            try:
                return next(pending)
            except StopIteration:
                return await receive()

        await self.app(scope, replay, send)
