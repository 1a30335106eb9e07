"""Errors as RFC 9457 problem details, mapped from :mod:`graph.errors` in one place."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph import errors

log = logging.getLogger("rapport.api")

PROBLEM_JSON = "application/problem+json"

_STATUS: list[tuple[type[errors.RapportError], int]] = [
    (errors.PayloadTooLarge, 413),
    (errors.InvalidInput, 422),
    (errors.NotFound, 404),
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
    413: "Payload too large",
    422: "Invalid input",
    500: "Internal error",
    503: "Service unavailable",
}


def status_for(exc: errors.RapportError) -> int:
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return status
    return 500


def problem(status: int, code: str, detail: str, request: Request, **extra: object) -> JSONResponse:
    body = {
        "type": f"https://rapport.dev/problems/{code}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "code": code,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.RapportError)
    async def rapport_error(request: Request, exc: errors.RapportError) -> JSONResponse:
        status = status_for(exc)
        if status >= 500 and status != 503:
            log.error("unexpected %s on %s", type(exc).__name__, request.url.path)
        return problem(status, exc.code, str(exc), request)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        issues = [
            {"location": list(map(str, e.get("loc", ()))), "message": e.get("msg", "")} for e in exc.errors()
        ]
        return problem(422, "invalid_input", "the request is invalid", request, errors=issues)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return problem(exc.status_code, code, str(exc.detail), request)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem(500, "internal_error", "an unexpected error occurred", request)
