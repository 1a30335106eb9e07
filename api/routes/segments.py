"""Segments for CRM systems: saved filters over the current run's results, pulled as members.

``POST /v1/segments`` (role ``write``) saves a name and a :class:`~api.schemas.SegmentFilter` as a
``(:Segment {id: name, filter_json, description, created_at})`` node; ``GET /v1/segments/{name}/members``
evaluates it against the *current* analysis run each time it is pulled.

Order and paging: members are ordered ``score DESC, profile id ASC`` (the score the filter ranks
by: influence, the brand's personalized influence, or advocacy/detraction) and paged with
``SKIP``/``LIMIT`` over that order behind an opaque cursor. The cursor is bound to the run id and
to the segment definition: after a new run becomes current an old cursor gets 409 ``stale_cursor``
(restart without a cursor); a cursor of another segment gets 422 ``invalid_cursor``. Without new
data (no new run) two pulls give the same members in the same order.

Formats: ``json`` (one page, ``next_cursor`` and a ``Link: rel="next"`` header), ``ndjson`` and ``csv``
(streamed: every member from the cursor on, or at most ``limit`` of them, read from the store in
chunks). Every member carries ``cursor``, which resumes right after it: an interrupted export goes on
from the last whole row received (see :mod:`usecases.crm.exports`). Streamed responses carry
``X-Rapport-Run-Id``; every chunk reads the results of that run, so an export never mixes runs (a new
run that finishes mid-export re-stamps profile scores, which can shorten that export: pull the delta,
``GET /v1/segments/{name}/changes``, see :mod:`api.routes.list_changes`).

The use cases (save, list, load, delete, the member queries and their order, each member's reason)
are :mod:`usecases.segments`; this module turns HTTP into their calls and back.

Contact data: ``email`` only when the customer's email is verified and its ``contact_allowed`` CRM
attribute is not false (see :mod:`usecases.consent`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic_core import to_json

from api.deps import AdminAccess, AppSettings, CursorParam, ReadAccess, Store, WriteAccess, check_limit
from api.inline import HeldFirstRoute
from api.links import link_next
from api.schemas import (
    MEMBER_RECORD_FIELDS,
    SEGMENT_NAME_MAX,
    SEGMENT_NAME_PATTERN,
    RunRef,
    Segment,
    SegmentCreate,
    SegmentMemberPage,
    SegmentPage,
    member_record_columns,
    page_json,
    run_ref,
    segment_public,
)
from graph.store import CypherGraphStore
from usecases.crm.exports import ExportPosition, chunked_rows
from usecases.crm.run_lists import save_recorded_segment
from usecases.paging import read_page, resume
from usecases.read_view import memoized_json_many
from usecases.segments import (
    SEGMENT_LIST_SCOPE,
    MemberFetch,
    MemberQuery,
    SegmentFilter,
    definition_key,
    load_segment,
    member_columns,
)
from usecases.segments import (
    delete_segment as remove_segment,
)
from usecases.segments import (
    list_segments as saved_segments,
)

router = APIRouter(prefix="/v1/segments", tags=["segments"], route_class=HeldFirstRoute)

SegmentName = Annotated[
    str,
    Path(
        min_length=1,
        max_length=SEGMENT_NAME_MAX,
        examples=["acme-advocates-recent"],
        json_schema_extra={"pattern": SEGMENT_NAME_PATTERN},
    ),
]
EXPORT_CHUNK = 5000
CSV_COLUMNS = [
    "profile_id",
    "platform",
    "handle",
    "role",  # customer, or brand_owned / staff / placeholder in a segment that includes them
    "customer_id",
    "email",
    "handles",
    "score",
    "rank",
    "influence",
    "community",
    "mean_sentiment",
    "reason",
    "cursor",
]
_HANDLES = CSV_COLUMNS.index("handles")
_RECORD_INDEX = {name: i for i, name in enumerate(MEMBER_RECORD_FIELDS)}


@router.post(
    "",
    status_code=201,
    response_model=Segment,
    summary="Save a segment (needs the write role)",
    responses={
        404: {"description": "the filter names a brand the store does not hold"},
        409: {"description": "a segment with this name exists (code segment_exists)"},
    },
)
def create_segment(store: Store, caller: WriteAccess, body: SegmentCreate) -> Segment:
    saved = save_recorded_segment(store, body.name, body.description, body.filter)
    return segment_public(saved)


@router.get("", response_model=SegmentPage, summary="Saved segments by name")
def list_segments(
    store: Store,
    settings: AppSettings,
    caller: ReadAccess,
    limit: Annotated[int, Query(ge=1)] = 100,
    cursor: CursorParam = None,
) -> SegmentPage:
    check_limit(limit, settings)
    page = read_page(
        store,
        cursor=cursor,
        scope=SEGMENT_LIST_SCOPE,
        filters=None,
        limit=limit,
        fetch=lambda _run, skip, size: saved_segments(store, skip, size),
        per_run=False,
    )
    items = [segment_public(segment) for segment in page.items]
    next_cursor = page.next_cursor
    return SegmentPage(items=items, next_cursor=next_cursor)


@router.get("/{name}", response_model=Segment, summary="One saved segment")
def get_segment(store: Store, caller: ReadAccess, name: SegmentName) -> Segment:
    return segment_public(load_segment(store, name)[0])


@router.delete("/{name}", status_code=204, summary="Delete a saved segment (needs the admin role)")
def delete_segment(store: Store, caller: AdminAccess, name: SegmentName) -> Response:
    remove_segment(store, name)
    return Response(status_code=204)


_FORMULA_STARTS = frozenset("=+-@\t\r")  # a cell starting with one of these is read as a formula


def csv_cells(values: list[object]) -> list[object]:
    """CSV cells safe to open in a spreadsheet: text that would start a formula gets a leading ``'``
    (OWASP's CSV-injection advice); numbers are left as they are; None is an empty cell. A list at a
    time: exports write one per member."""
    starts = _FORMULA_STARTS
    return [
        "" if value is None else "'" + value if type(value) is str and value[:1] in starts else value
        for value in values
    ]


def csv_cell(value: object) -> object:
    """:func:`csv_cells` of one value."""
    return csv_cells([value])[0]


def _csv_lines(columns: list[list[Any]]) -> str:
    """CSV lines of :func:`member_record_columns` (the :data:`CSV_COLUMNS` of each member),
    ``handles`` joined with ``;``, every cell through :func:`csv_cells`."""
    cells = [columns[_RECORD_INDEX[name]] for name in CSV_COLUMNS]
    cells[_HANDLES] = [";".join(handles) for handles in cells[_HANDLES]]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(zip(*map(csv_cells, cells), strict=True))
    return buffer.getvalue()


def _ndjson_lines(columns: list[list[Any]]) -> bytes:
    """NDJSON lines (UTF-8) of :func:`member_record_columns`: one JSON object per member, keys in
    :data:`MEMBER_RECORD_FIELDS` order, compact, text not escaped to ASCII. pydantic-core's encoder
    (Rust, part of pydantic) writes what ``json.dumps`` with ``separators=(",", ":"),
    ensure_ascii=False`` writes (a small float's exponent as ``1e-7``, not ``1e-07``), without the
    new C encoder per line that ``json.JSONEncoder.encode`` builds (docs/benchmarks.md, "Exports at
    50k rows/s"); the record columns hold no non-finite number (:func:`member_record_columns` made
    them null)."""
    return b"".join(record + b"\n" for record in member_records_json(columns))


def member_records_json(columns: list[list[Any]], *, cursor: bool = True) -> list[bytes]:
    """Each member of :func:`member_record_columns` as one compact JSON object (UTF-8), keys in
    :data:`MEMBER_RECORD_FIELDS` order: what ``SegmentMember(...).model_dump_json()`` writes; without
    its last key, ``cursor``, unless ``cursor`` (:func:`with_cursor` adds it)."""
    fields = MEMBER_RECORD_FIELDS if cursor else MEMBER_RECORD_FIELDS[:-1]
    return [
        to_json(dict(zip(fields, values, strict=True)), inf_nan_mode="null")
        for values in zip(*columns[: len(fields)], strict=True)
    ]


def with_cursor(record: bytes, cursor: str | None) -> bytes:
    """A record of :func:`member_records_json` without ``cursor``, with it: the same bytes as
    encoding the member with its cursor (``cursor`` is the record's last key)."""
    return record[:-1] + b',"cursor":' + to_json(cursor) + b"}"


def held_with_cursor(row: dict[str, Any], position: int, at: ExportPosition) -> bytes:
    """The record of a held row of :func:`held_member_records` at ``position`` of the list ``at``
    exports, with the cursor resuming after it; kept in the held row with its position, so a page
    pulled again encodes no cursor either (a member's position is fixed while its row is held; a row
    asked at another position gets that position's cursor)."""
    kept = row.get("with_cursor")
    if kept is None or kept[0] != position:
        kept = row["with_cursor"] = (position, with_cursor(row["json"], at.cursor_at(position + 1)))
    return kept[1]


def member_page_json(name: str, records: list[bytes], next_cursor: str | None, run: RunRef) -> bytes:
    """The JSON of a :class:`SegmentMemberPage` (keys in its field order) around the members' records
    (:func:`member_records_json`), without a model per member to validate first
    (tests/api/test_export_encoding.py holds it equal to ``SegmentMemberPage(...).model_dump_json()``)."""
    return page_json(records, {"next_cursor": next_cursor, "segment": name, "run": run})


def held_member_records(
    store: CypherGraphStore, flt: SegmentFilter, at: ExportPosition
) -> Callable[[MemberFetch], MemberFetch]:
    """What :meth:`MemberQuery.positioned` reads members through for a JSON page: each member's
    record (:func:`member_records_json`, without its cursor) as a row ``{"id", "json"}``, held while
    the read view stands (:func:`usecases.read_view.memoized_json_many`), so a page pulled again, by
    this CRM or another, reads and encodes only the members not pulled before. Without its cursor a
    member's record is the same on every page of one run's list while the data stands."""
    key = ("segment member records", at.run_id, at.query_id)

    def through(fetch: MemberFetch) -> MemberFetch:
        def encode(ids: list[str]) -> dict[str, bytes]:
            rows = fetch(ids)
            columns = member_record_columns(member_columns(store, flt, rows, None))
            return dict(
                zip((row["id"] for row in rows), member_records_json(columns, cursor=False), strict=True)
            )

        return memoized_json_many(store, key, encode)

    return through


def _csv_header() -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(CSV_COLUMNS)
    return buffer.getvalue()


@router.get(
    "/{name}/members",
    response_model=SegmentMemberPage,
    summary="A segment's members now (json page, or a streamed ndjson/csv export that can be resumed)",
    responses={
        200: {
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
            },
            "description": "json: one page; ndjson/csv: every member from the cursor on (or `limit` of "
            "them), each row with the `cursor` that resumes after it",
        }
    },
)
def segment_members(
    request: Request,
    store: Store,
    settings: AppSettings,
    caller: ReadAccess,
    name: SegmentName,
    format: Annotated[
        Literal["json", "ndjson", "csv"], Query(description="json page or streamed export")
    ] = "json",
    limit: Annotated[
        int | None, Query(ge=1, description="json: page size (default 100); ndjson/csv: at most this many")
    ] = None,
    cursor: CursorParam = None,
) -> Any:
    segment, node = load_segment(store, name)
    flt = segment.filter
    at = resume(store, cursor=cursor, scope="segment", filters=definition_key(segment, node))
    assert at.run is not None
    run, run_id, query_id = at.run, at.run_id, at.query
    export = ExportPosition(run_id, query_id, at.start)
    query = MemberQuery.of(flt, run)

    if format == "json":
        page_size = check_limit(limit if limit is not None else 100, settings)
        found = query.positioned(
            store, at.start, page_size + 1, through=held_member_records(store, flt, export)
        )
        page = at.page(found, page_size, lambda item: item[0] + 1)
        next_cursor = page.next_cursor
        records = [held_with_cursor(row, position, export) for position, row in page.items]
        return Response(
            member_page_json(name, records, next_cursor, run_ref(run)),
            media_type="application/json",
            headers=link_next(request.url, next_cursor, raw_path=request.scope.get("raw_path")),
        )

    chunks = chunked_rows(
        lambda skip, size, stop: query.rows(store, skip, size, stop=stop),
        start=export.start,
        total=limit,
        chunk=EXPORT_CHUNK,
    )

    def exported() -> Iterator[list[list[Any]]]:
        for rows in chunks:
            yield member_record_columns(member_columns(store, flt, rows, export))

    def ndjson() -> Iterator[bytes]:
        for columns in exported():
            yield _ndjson_lines(columns)

    def csv_text() -> Iterator[str]:
        yield _csv_header()
        for chunk in exported():
            yield _csv_lines(chunk)

    headers = {
        "X-Rapport-Run-Id": run_id,
        **link_next(request.url, _next_window(export, limit), raw_path=request.scope.get("raw_path")),
    }
    if format == "ndjson":
        return StreamingResponse(ndjson(), media_type="application/x-ndjson", headers=headers)
    headers["Content-Disposition"] = 'attachment; filename="segment-members.csv"'
    return StreamingResponse(csv_text(), media_type="text/csv; charset=utf-8", headers=headers)


def _next_window(export: ExportPosition, limit: int | None) -> str | None:
    """Where the next window of ``limit`` positions starts (a stream without ``limit`` runs to the end:
    no next); a window holds fewer rows than ``limit`` where members were erased."""
    return export.cursor_after(limit) if limit is not None else None
