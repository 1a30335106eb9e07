"""Opaque cursors bound to the analysis run and to the query they page.

A cursor is ``base64url(JSON)`` holding the run id, a fingerprint of the endpoint and its
filters, and a position: the last rank seen (keyset paging on an integer rank, which the store
indexes) or a row offset (``SKIP`` over ``ORDER BY score DESC, id ASC``). Pages are never cut by
string-key ranges (the pinned FalkorDB ignores ``<`` on indexed strings).

A cursor made under another analysis run is refused with 409 ``stale_cursor``: scores and order
changed, so the client restarts from the first page (no cursor). A cursor made for another query
(other filters or endpoint), or one that does not decode, is refused with 422 ``invalid_cursor``.
Cursors are not secrets and carry no personal data.

Every paged listing reads through :func:`read_page` (decode, current run, check, fetch ``limit + 1``,
slice, encode) and returns a :class:`Page`; a listing that is also streamed as an export (a segment's
members) resumes with the same :func:`resume` and pages with :meth:`Resume.page`.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from graph.errors import InvalidCursor, StaleCursor
from graph.store import CypherGraphStore
from usecases.current_run import current_run

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
        return encode_cursor(self.run_id, self.query, self.position)


def encode_cursor(run_id: str, query: str, position: int) -> str:
    """``Cursor(run_id, query, position).encode()`` without the object (an export makes one per row):
    base64url of the JSON ``{"r": run_id, "q": query, "p": position}``. The head's whole 3-byte
    groups are encoded once per list (base64 of a concatenation is the concatenation of the
    encodings when the first part's length is a multiple of 3); only the rest is encoded per row."""
    encoded_head, rest = _encoded_head(run_id, query)
    return encoded_head + base64.urlsafe_b64encode(rest + str(position).encode() + b"}").decode().rstrip("=")


@functools.lru_cache(maxsize=256)
def _encoded_head(run_id: str, query: str) -> tuple[str, bytes]:
    """The cursor JSON's head up to the position: its whole 3-byte groups base64url-encoded, and the
    bytes after them."""
    head = json.dumps({"r": run_id, "q": query, "p": 0}, separators=(",", ":"))[: -len("0}")].encode()
    whole = len(head) - len(head) % 3
    return base64.urlsafe_b64encode(head[:whole]).decode(), head[whole:]


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


T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing: its items, the cursor of the next page (None on the last), the run it was
    read from (None for listings that do not depend on a run), and the query and position it started
    at (for rows that carry their own resume cursor, :class:`usecases.crm.exports.ExportPosition`)."""

    items: list[T]
    next_cursor: str | None
    run: dict[str, Any] | None
    query: str
    start: int

    def map(self, convert: Callable[[list[T]], list[U]]) -> Page[U]:
        """The same page with its items converted (in one call, so a converter can batch its reads)."""
        return Page(convert(self.items), self.next_cursor, self.run, self.query, self.start)


RUNLESS = "-"
"""The run id of cursors for listings that do not depend on an analysis run (segments, runs)."""


@dataclass(frozen=True)
class Resume:
    """Where a listing resumes: the run it reads (None when it does not depend on one), the query the
    cursor was made for, and the position the cursor holds (0 without a cursor)."""

    run: dict[str, Any] | None
    query: str
    start: int

    @property
    def run_id(self) -> str:
        return str(self.run["id"]) if self.run is not None else RUNLESS

    def page(self, rows: list[T], limit: int, rank: Callable[[T], int] | None = None) -> Page[T]:
        """The first ``limit`` of ``rows`` (read as ``limit + 1`` from :attr:`start`) and the next cursor.

        ``rank(row)`` is the position a cursor after ``row`` holds: its rank for keyset paging, its
        position in the list + 1 for rows that carry one; without it, :attr:`start` + the rows kept.
        """
        items = rows[:limit]
        next_cursor = None
        if len(rows) > limit and items:
            after = rank(items[-1]) if rank is not None else self.start + len(items)
            next_cursor = Cursor(self.run_id, self.query, after).encode()
        return Page(items, next_cursor, self.run, self.query, self.start)


def resume(
    store: CypherGraphStore,
    *,
    cursor: str | None,
    scope: str,
    filters: Any,
    per_run: bool = True,
    before_run: Callable[[], None] | None = None,
) -> Resume:
    """Decode ``cursor`` against the query (``scope`` + ``filters``: 422 ``invalid_cursor`` when it was
    made for another), run ``before_run`` (a listing's own checks, e.g. that its brand exists), find the
    current analysis run (409 ``no_analysis_run``) and check the cursor was made under it (409
    ``stale_cursor``), unless ``per_run`` is false."""
    query = fingerprint(scope, filters)
    position = decode_cursor(cursor, query=query)
    if before_run is not None:
        before_run()
    run = current_run(store) if per_run else None
    if run is not None and position is not None and position.run_id != str(run["id"]):
        run = current_run(store, fresh=True)  # the cursor may come from a run this process has not seen yet
    if run is not None:
        check_run(position, str(run["id"]))
    return Resume(run, query, position.position if position else 0)


def read_page(
    store: CypherGraphStore,
    *,
    cursor: str | None,
    scope: str,
    filters: Any,
    limit: int,
    fetch: Callable[[dict[str, Any] | None, int, int], list[T]],
    rank: Callable[[T], int] | None = None,
    per_run: bool = True,
    before_run: Callable[[], None] | None = None,
) -> Page[T]:
    """Read one page of a listing; the one paging loop every listing uses.

    :func:`resume` (decode, run, checks), then ``fetch(run, start, limit + 1)``, then
    :meth:`Resume.page` (keep ``limit`` rows, encode the next cursor). ``start`` is the position the
    cursor holds: with ``rank`` (keyset paging on an indexed integer rank) the rank of the last row
    seen, which ``fetch`` reads after; without it a row offset, which ``fetch`` skips.
    """
    at = resume(store, cursor=cursor, scope=scope, filters=filters, per_run=per_run, before_run=before_run)
    return at.page(fetch(at.run, at.start, limit + 1), limit, rank)
