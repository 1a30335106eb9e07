"""Opaque cursors bound to the analysis run and to the query they page.

A cursor is ``base64url(JSON)`` holding the run id, a fingerprint of the endpoint and its
filters, and a position: the last rank seen (keyset paging on an integer rank, which the store
indexes) or a row offset (``SKIP`` over ``ORDER BY score DESC, id ASC``). Pages are never cut by
string-key ranges (the pinned FalkorDB ignores ``<`` on indexed strings).

A cursor made under another analysis run is refused with 409 ``stale_cursor``: scores and order
changed, so the client restarts from the first page (no cursor). A cursor made for another query
(other filters or endpoint), or one that does not decode, is refused with 422 ``invalid_cursor``.
Cursors are not secrets and carry no personal data.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from api.errors import InvalidCursor, StaleCursor

_MAX_POSITION = 2**62


def fingerprint(scope: str, filters: Any) -> str:
    canonical = json.dumps([scope, filters], sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Cursor:
    run_id: str
    query: str
    position: int

    def encode(self) -> str:
        # the JSON of {"r": run_id, "q": query, "p": position}; its head is built once per list,
        # since an export encodes one cursor per row
        raw = _head(self.run_id, self.query) + str(self.position) + "}"
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@functools.lru_cache(maxsize=256)
def _head(run_id: str, query: str) -> str:
    head = json.dumps({"r": run_id, "q": query, "p": 0}, separators=(",", ":"))
    return head[: -len("0}")]


def decode_cursor(token: str | None, *, query: str) -> Cursor | None:
    """The cursor a client sent back, checked against the query it must page."""
    if token is None or token == "":
        return None
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        cursor = Cursor(run_id=data["r"], query=data["q"], position=data["p"])
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
        raise InvalidCursor("the cursor is not one this API issued") from None
    if not (
        isinstance(cursor.run_id, str)
        and isinstance(cursor.query, str)
        and isinstance(cursor.position, int)
        and not isinstance(cursor.position, bool)
        and 0 <= cursor.position < _MAX_POSITION
    ):
        raise InvalidCursor("the cursor is not one this API issued")
    if cursor.query != query:
        raise InvalidCursor("the cursor belongs to another query (other endpoint or filters)")
    return cursor


def check_run(cursor: Cursor | None, run_id: str) -> None:
    if cursor is not None and cursor.run_id != run_id:
        raise StaleCursor(
            f"the cursor belongs to an older analysis run ({cursor.run_id}); restart from the first page "
            f"(no cursor), or for a list you already hold ask its `/changes?since_run={cursor.run_id}`"
        )
