"""Checks of typed inputs that use cases and their adapters (HTTP bodies, CLI options) share."""

from __future__ import annotations


def not_a_bool(value: object) -> object:
    """A JSON true/false is not an integer here, though Python's bool is one (the OpenAPI type says integer)."""
    if isinstance(value, bool):
        raise ValueError("expected an integer, not true/false")
    return value
