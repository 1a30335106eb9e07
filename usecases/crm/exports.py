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
``Link: <…?cursor=…>; rel="next"`` header (for a stream: where the next ``limit`` rows start),
written by :func:`api.links.link_next`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from usecases.paging import encode_cursor

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class ExportPosition:
    """Where an export is: the run and list it reads, and the position of its next row."""

    run_id: str
    query_id: str
    start: int

    def cursor_at(self, position: int) -> str:
        """The cursor resuming this export's list at ``position``."""
        return encode_cursor(self.run_id, self.query_id, position)

    def cursor_after(self, positions: int) -> str:
        """The cursor resuming ``positions`` after this export's start."""
        return self.cursor_at(self.start + positions)


def chunked_rows(
    fetch: Callable[[int, int, int | None], Rows], *, start: int, total: int | None, chunk: int
) -> Iterator[Rows]:
    """The rows from position ``start`` on (before ``start + total``, or to the end) in chunks of ``chunk``.

    ``fetch(skip, limit, stop)`` reads up to ``limit`` rows from position ``skip`` on and before
    position ``stop`` (None: no bound), each with its ``position`` in the list; fewer than ``limit``
    means none is left. A position is not a count of rows (a list may skip an erased member's), so
    each chunk starts after the previous one's last row and ``total`` bounds positions: an export
    with ``limit`` covers exactly the positions before the one its ``Link`` header resumes at.

    The first chunk is read when this is called, not when iterated, so a store error surfaces
    before a response starts streaming. Each later chunk is read in a helper thread while the
    previous one is consumed (``fetch`` must be thread-safe).
    """
    stop = None if total is None else start + total

    def size_at(offset: int) -> int:
        return chunk if stop is None else min(chunk, stop - offset)

    first = fetch(start, size_at(start), stop)

    def chunks() -> Iterator[Rows]:
        rows, size = first, size_at(start)
        # the next chunk is read while the caller formats this one: the store works on its own
        # core meanwhile, instead of the export alternating between waiting and formatting
        reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-read")
        try:
            while True:
                upcoming = None
                offset = rows[-1]["position"] + 1 if rows else start
                if rows and len(rows) == size and (stop is None or offset < stop):
                    size = size_at(offset)
                    upcoming = reader.submit(fetch, offset, size, stop)
                yield rows
                if upcoming is None:
                    return
                rows = upcoming.result()
        finally:
            # not ``with`` (which waits): an export the client abandons is closed by whichever
            # thread collects it, the reader itself included, and a thread cannot wait for itself;
            # the reader ends after the read it may be doing
            reader.shutdown(wait=False, cancel_futures=True)

    return chunks()
