"""Checks of typed inputs that use cases and their adapters (HTTP bodies, CLI options) share."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from ingest.events import check_characters

PlainText = Annotated[str, AfterValidator(check_characters)]
"""A string field of a request body: no control character but tab, newline and return, as every id and
name Rapport stores (``ingest.events.check_characters``; a query or path parameter is checked by
``api.request_guards``). The OpenAPI document states it as a pattern (``api.openapi``)."""


def not_a_bool(value: object) -> object:
    """A JSON true/false is not an integer here, though Python's bool is one (the OpenAPI type says integer)."""
    if isinstance(value, bool):
        raise ValueError("expected an integer, not true/false")
    return value
