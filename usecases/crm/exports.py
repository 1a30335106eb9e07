"""Resumable exports: every row of a streamed list carries the cursor that resumes right after it.

A CRM pulling a large list as NDJSON or CSV may lose the connection half-way. Each exported row
holds ``cursor`` (an NDJSON field; the last CSV column): the opaque cursor (:mod:`usecases.paging`)
of the position *after that row*, bound to the analysis run and to the list's definition. To
resume, the client keeps the rows it received whole (it drops a partial last line) and sends the
last of their cursors back as ``cursor``; the export goes on with the next row, so no member is
lost or repeated. The order is the list's stable order (``score DESC, id ASC``, ties by id), read
from one run only, so a resumed export continues the same sequence. After a new run is current the
cursor is refused (409 ``stale_cursor``): pull the delta (:mod:`usecases.crm.deltas`) or start again.

JSON pages carry ``next_cursor`` in the body and, like streams with a ``limit``, an RFC 8288
``Link: <…?cursor=…>; rel="next"`` header (for a stream: where the next ``limit`` rows start).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from usecases.paging import Cursor

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class ExportPosition:
    """Where an export is: the run and list it reads, and the index of its next row."""

    run_id: str
    query_id: str
    start: int

    def cursor_after(self, rows_sent: int) -> str:
        """The cursor resuming after ``rows_sent`` rows of this export."""
        return Cursor(self.run_id, self.query_id, self.start + rows_sent).encode()


def chunked_rows(
    fetch: Callable[[int, int], Rows], *, start: int, total: int | None, chunk: int
) -> Iterator[Rows]:
    """Rows ``start`` … (up to ``total`` of them, or to the end) as consecutive chunks of ``chunk``.

    ``fetch(skip, limit)`` reads one chunk; the first one is read when this is called, not when
    iterated, so a store error surfaces before a response starts streaming.
    """
    size = min(chunk, total) if total is not None else chunk
    first = fetch(start, size)

    def chunks() -> Iterator[Rows]:
        rows, offset, sent = first, start, 0
        while True:
            yield rows
            sent += len(rows)
            offset += len(rows)
            remaining = None if total is None else total - sent
            if len(rows) < size or remaining == 0:
                return
            next_size = chunk if remaining is None else min(chunk, remaining)
            rows = fetch(offset, next_size)

    return chunks()


def link_next(url: Any, cursor: str | None) -> dict[str, str]:
    """An RFC 8288 ``Link`` header to the same request with ``cursor`` (empty when there is none).

    ``url`` is the request's ``starlette.datastructures.URL``.
    """
    if not cursor:
        return {}
    return {"Link": f'<{url.include_query_params(cursor=cursor)}>; rel="next"'}
