"""Errors as RFC 9457 problem details, mapped from :mod:`graph.errors` in one place.

Every error body is ``application/problem+json`` with ``type``, ``title``, ``status``, ``detail``,
``instance`` and a stable machine-readable ``code``; clients branch on ``code``, never on ``detail``:

======  ==========================================================================================
status  codes
======  ==========================================================================================
400     ``query_error`` (the store rejected a query), ``http_error``
401     ``unauthorized`` (no or unknown API key; ``WWW-Authenticate: Bearer``)
403     ``forbidden`` (the key's role is too low), ``read_only``
404     ``not_found`` (unknown brand, profile, customer, community, segment or path)
405     ``method_not_allowed``
409     ``conflict``, ``segment_exists``, ``stale_cursor`` (the cursor belongs to an older analysis
        run: restart from the first page), ``no_analysis_run`` (run ``rapport analyze`` first),
        ``constraint_violation``, ``consent_refused`` (the customer's consent forbids the link)
410     ``run_not_retained`` (a delta since a run whose list record is no longer kept: pull in full)
413     ``payload_too_large`` (request body over ``Settings.max_body_bytes``)
422     ``invalid_input`` (with ``errors``: location and message per issue), ``invalid_cursor``
429     ``too_many_requests`` (too many invalid keys from this address; ``Retry-After`` says when)
503     ``store_unavailable``, ``data_dir_locked``
======  ==========================================================================================

No response ever carries a stack trace; unexpected errors are logged (path only, never query
parameters or bodies, which may hold personal data) and answered 500 ``internal_error``.
"""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph import errors

log = logging.getLogger("rapport.api")

PROBLEM_JSON = "application/problem+json"


_STATUS: list[tuple[type[errors.RapportError], int]] = [
    (errors.TooManyFailures, 429),
    (errors.PayloadTooLarge, 413),
    (errors.InvalidInput, 422),
    (errors.NotFound, 404),
    (errors.RunNotRetained, 410),
    (errors.Conflict, 409),
    (errors.Forbidden, 403),
    (errors.AuthError, 401),
    (errors.StoreUnavailable, 503),
    (errors.ReadOnlyViolation, 403),
    (errors.QueryError, 400),
    (errors.ConstraintViolation, 409),
]

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    410: "Gone",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}


_PUBLIC_DETAIL: list[tuple[type[errors.RapportError], str]] = [
    (errors.DataDirLocked, "the graph store is in use by another process; try again later"),
    (errors.StoreUnavailable, "the graph store is unavailable; try again later"),
    (errors.QueryError, "the graph store could not run the query for this request"),
    (errors.ConstraintViolation, "the write clashes with an existing entity"),
]
"""Errors whose own text comes from the engine (socket and data paths, parser messages, query
excerpts): the client gets a fixed sentence and its ``code``; the text is logged, never sent."""


def public_detail(exc: errors.RapportError, request: Request) -> str:
    """What the client may read about ``exc``: its own message, or a fixed one (see ``_PUBLIC_DETAIL``)."""
    for kind, detail in _PUBLIC_DETAIL:
        if isinstance(exc, kind) and not isinstance(exc, errors.ReadOnlyViolation):
            # a store's own message names paths, not people; a query error's may quote values
            reason = (
                str(exc) if isinstance(exc, errors.StoreUnavailable) else "(not logged: may quote values)"
            )
            log.warning("%s on %s: %s", type(exc).__name__, request.url.path, reason)
            return detail
    return str(exc)


def status_for(exc: errors.RapportError) -> int:
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return status
    return 500


def problem(
    status: int, code: str, detail: str, request: Request, *, retry_after: int | None = None, **extra: object
) -> JSONResponse:
    body = {
        "type": f"https://rapport.dev/problems/{code}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "code": code,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers or None)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.RapportError)
    async def rapport_error(request: Request, exc: errors.RapportError) -> JSONResponse:
        status = status_for(exc)
        if status >= 500 and status != 503:
            log.error("unexpected %s on %s", type(exc).__name__, request.url.path)
        retry_after = exc.retry_after if isinstance(exc, errors.TooManyFailures) else None
        return problem(status, exc.code, public_detail(exc, request), request, retry_after=retry_after)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        issues = [
            {"location": list(map(str, e.get("loc", ()))), "message": e.get("msg", "")} for e in exc.errors()
        ]
        return problem(422, "invalid_input", "the request is invalid", request, errors=issues)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
            exc.status_code, "http_error"
        )
        return problem(exc.status_code, code, str(exc.detail), request)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem(500, "internal_error", "an unexpected error occurred", request)


class _BodyTooLarge(StarletteHTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is over the limit of {limit} bytes")


class BodySizeLimit:
    """Answer 413 ``payload_too_large`` for request bodies over ``max_bytes``.

    A declared ``Content-Length`` over the limit is refused before the body is read; a body sent
    without one (chunked) is counted as it streams in and refused as soon as it passes the limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await send_problem(scope, send, 400, "http_error", "the Content-Length header is invalid")
                return
            if int(declared) > self.max_bytes:
                detail = f"the request body is over the limit of {self.max_bytes} bytes"
                await send_problem(scope, send, 413, "payload_too_large", detail)
                return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge as exc:
            if started:
                raise
            await send_problem(scope, send, 413, "payload_too_large", str(exc.detail))


async def send_problem(scope: Scope, send: Send, status: int, code: str, detail: str) -> None:
    body = json.dumps(
        {
            "type": f"https://rapport.dev/problems/{code}",
            "title": _TITLES.get(status, "Error"),
            "status": status,
            "code": code,
            "detail": detail,
            "instance": scope.get("path", ""),
        }
    ).encode()
    headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
