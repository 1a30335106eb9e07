"""The OpenAPI document, completed with every response the API can give.

FastAPI documents each route's success response and a 422 in its own ``HTTPValidationError``
shape. The API answers more, and always as ``application/problem+json`` (:mod:`api.errors`):

- every operation: 404 (unknown path, or a path holding a control character), 422 (invalid
  parameters or body, a query parameter holding a control character);
- every ``/v1`` operation (they need a key): 401, 403, 409 (no analysis run yet, a stale cursor, an
  existing segment, a run in progress), 429 (throttled after invalid keys, with ``Retry-After``),
  503 (the store is unavailable);
- operations with a body: 400 (an invalid ``Content-Length``) and 413 (over ``max_body_bytes``).

Page sizes get their real ``maximum`` (``Settings.max_page_size``). The document is built once,
on first request, by :func:`install_openapi`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.errors import PROBLEM_JSON
from graph.config import Settings

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details; branch on `code`, never on `detail`",
    "required": ["type", "title", "status", "code", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "examples": ["https://rapport.dev/problems/not_found"]},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "code": {"type": "string", "examples": ["not_found"]},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "location": {"type": "array", "items": {"type": "string"}},
                    "message": {"type": "string"},
                },
            },
        },
    },
}

_DESCRIPTIONS = {
    "400": "Bad request (an invalid Content-Length header)",
    "401": "No API key, or not a valid one (code `unauthorized`)",
    "403": "The key's role is too low for this operation (code `forbidden`)",
    "404": "Nothing here: an unknown entity or path (code `not_found`)",
    "409": "Conflict with the current state: no analysis run yet, a stale cursor, an existing segment "
    "or a run in progress (codes `no_analysis_run`, `stale_cursor`, `segment_exists`, `conflict`)",
    "413": "The request body is over the size limit (code `payload_too_large`)",
    "422": "Invalid parameters or body (code `invalid_input`, `invalid_cursor`; `errors` lists the issues)",
    "429": "Too many invalid API keys from this address; retry after `Retry-After` seconds "
    "(code `too_many_requests`)",
    "503": "The graph store is unavailable (code `store_unavailable`)",
}
_HEADERS = {
    "401": {"WWW-Authenticate": {"schema": {"type": "string"}, "required": True, "description": "`Bearer`"}},
    "429": {
        "Retry-After": {"schema": {"type": "integer"}, "required": True, "description": "seconds to wait"}
    },
}
_BODY_METHODS = {"post", "put", "patch"}


def _problem_response(status: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": _DESCRIPTIONS[status],
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status in _HEADERS:
        response["headers"] = _HEADERS[status]
    return response


def complete_document(document: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Add the problem responses, the Problem schema and the page-size maximum to ``document``."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            statuses = ["404", "422"]
            if path.startswith("/v1/"):
                statuses += ["401", "403", "409", "429", "503"]
            if method in _BODY_METHODS:
                statuses += ["400", "413"]
            responses = operation.setdefault("responses", {})
            for status in statuses:
                documented = responses.get(status, {})
                problem = _problem_response(status)
                if documented.get("description") and status not in ("422",):
                    problem["description"] = documented["description"]
                responses[status] = problem
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("name") == "limit" and "maximum" not in schema:
                    schema["maximum"] = settings.max_page_size
                _no_control_characters(schema)
    for name, schema in schemas.items():
        if name != "Problem":  # a problem may quote the offending input, control characters and all
            _no_control_characters(schema)
    return document


NO_CONTROL_CHARACTERS = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
"""Strings Rapport accepts hold no control character but tab, newline and return (see
:func:`ingest.events.check_characters`); the document says so as a ``pattern``."""


def _no_control_characters(schema: Any) -> None:
    """Add :data:`NO_CONTROL_CHARACTERS` to every free-text string schema within ``schema``."""
    if isinstance(schema, dict):
        if schema.get("type") == "string" and not {"pattern", "enum", "const", "format"} & schema.keys():
            schema["pattern"] = NO_CONTROL_CHARACTERS
        for value in schema.values():
            _no_control_characters(value)
    elif isinstance(schema, list):
        for value in schema:
            _no_control_characters(value)


def install_openapi(app: FastAPI, settings: Settings) -> None:
    """Serve :func:`complete_document` of FastAPI's own document as ``/openapi.json``."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = complete_document(document, settings)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
