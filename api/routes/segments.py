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
from the last whole row received (see :mod:`api.crm.exports`). Streamed responses carry
``X-Rapport-Run-Id``; every chunk reads the results of that run, so an export never mixes runs (a new
run that finishes mid-export re-stamps profile scores, which can shorten that export: pull the delta,
``GET /v1/segments/{name}/changes``, see :mod:`api.routes.list_changes`).

The selection itself (queries, order) is :mod:`api.crm.segment_lists`.

Contact data: ``email`` only when the customer's email is verified and its ``contact_allowed`` CRM
attribute is not false (see :func:`api.routes.profiles.contact_allowed`).
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse

from api.crm.exports import ExportPosition, chunked_rows, link_next
from api.crm.run_lists import record_segment_now
from api.crm.segment_lists import (
    MemberQuery,
    definition_key,
    load_segment,
    segment_from_node,
    segment_member_ids,  # noqa: F401 - re-exported for api.outreach
)
from api.current_run import current_run, run_ref
from api.deps import AdminAccess, AppSettings, ReadAccess, Store, WriteAccess
from api.errors import SegmentExists
from api.pagination import Cursor, check_run, decode_cursor, fingerprint
from api.routes.influencers import CursorParam, check_limit
from api.routes.profiles import allowed_email
from api.schemas import (
    SEGMENT_NAME_MAX,
    SEGMENT_NAME_PATTERN,
    Segment,
    SegmentCreate,
    SegmentFilter,
    SegmentList,
    SegmentMember,
    SegmentMemberPage,
)
from graph.errors import ConstraintViolation, NotFound
from graph.model import Label
from graph.store import CypherGraphStore

router = APIRouter(prefix="/v1/segments", tags=["segments"])

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
_SEGMENT_LIST_SCOPE = "segment-list"


_segment = segment_from_node
_load_segment = load_segment


@router.post(
    "",
    status_code=201,
    response_model=Segment,
    summary="Save a segment (needs the write role)",
    responses={409: {"description": "a segment with this name exists (code segment_exists)"}},
)
def create_segment(store: Store, caller: WriteAccess, body: SegmentCreate) -> Segment:
    if store.get_node(Label.SEGMENT, body.name) is not None:
        raise SegmentExists(f"a segment named {body.name!r} exists")
    filter_json = json.dumps(body.filter.model_dump(exclude_none=True), sort_keys=True, ensure_ascii=False)
    params = {
        "id": body.name,
        "filter_json": filter_json,
        "description": body.description,
        "created_at": int(time.time() * 1000),
    }
    try:
        store.run_write("api.segment_create", params)
    except ConstraintViolation:
        raise SegmentExists(f"a segment named {body.name!r} exists") from None
    record_segment_now(store, body.name)  # so a delta since the current run can be asked for tomorrow
    return Segment(
        name=body.name, description=body.description, filter=body.filter, created_at=params["created_at"]
    )


@router.get("", response_model=SegmentList, summary="Saved segments by name")
def list_segments(
    store: Store,
    settings: AppSettings,
    caller: ReadAccess,
    limit: Annotated[int, Query(ge=1)] = 100,
    cursor: CursorParam = None,
) -> SegmentList:
    check_limit(limit, settings)
    position = decode_cursor(cursor, query=fingerprint(_SEGMENT_LIST_SCOPE, None))
    skip = position.position if position else 0
    rows = store.run("api.segments", {"skip": skip, "limit": limit + 1})
    items = [_segment(dict(row["segment"])) for row in rows[:limit]]
    next_cursor = (
        Cursor("-", fingerprint(_SEGMENT_LIST_SCOPE, None), skip + limit).encode()
        if len(rows) > limit
        else None
    )
    return SegmentList(items=items, next_cursor=next_cursor)


@router.get("/{name}", response_model=Segment, summary="One saved segment")
def get_segment(store: Store, caller: ReadAccess, name: SegmentName) -> Segment:
    return _load_segment(store, name)[0]


@router.delete("/{name}", status_code=204, summary="Delete a saved segment (needs the admin role)")
def delete_segment(store: Store, caller: AdminAccess, name: SegmentName) -> Response:
    rows = store.run_write("api.segment_delete", {"id": name})
    if not rows or int(rows[0]["deleted"]) == 0:
        raise NotFound(f"no segment named {name!r}")
    return Response(status_code=204)


def _reason(flt: SegmentFilter, row: dict[str, Any]) -> str:
    score, rank = row.get("score"), row.get("rank")
    numbers = f"rank {rank}, score {score:.4g}" if isinstance(score, int | float) else f"rank {rank}"
    if flt.brand is None:
        head = f"influence {numbers}"
    elif flt.role is None:
        head = f"influencer for {flt.brand} ({numbers})"
    else:
        head = f"{flt.role} of {flt.brand} ({numbers})"
    details = []
    if flt.community is not None:
        details.append(f"community {flt.community}")
    if flt.platform is not None:
        details.append(f"on {flt.platform}")
    if flt.min_influence is not None:
        details.append(f"influence >= {flt.min_influence:g}")
    if flt.sentiment_min is not None or flt.sentiment_max is not None:
        mean = row.get("mean_sentiment")
        details.append(f"mean sentiment {mean:.3f}" if isinstance(mean, int | float) else "mean sentiment")
    if flt.active_within_days is not None:
        details.append(f"active within {flt.active_within_days} days")
    return "; ".join([head, *details])


def _first_customer(row: dict[str, Any]) -> dict[str, Any] | None:
    customers = sorted((dict(c) for c in row.get("customers") or []), key=lambda c: str(c.get("id")))
    return customers[0] if customers else None


def _members(
    store: CypherGraphStore, flt: SegmentFilter, rows: list[dict[str, Any]], at: ExportPosition
) -> list[SegmentMember]:
    """Members of one page or chunk (starting at ``at``), with their customers' handles read in one
    query, each with the cursor that resumes after it."""
    customers = [_first_customer(row) for row in rows]
    customer_ids = sorted({customer["id"] for customer in customers if customer is not None})
    handles: dict[str, set[str]] = {}
    if customer_ids:
        for found in store.run("api.customer_handles", {"ids": customer_ids}):
            if found.get("handle") is not None:
                handles.setdefault(found["customer"], set()).add(found["handle"])
    return [
        _member(flt, row, customer, handles, at.cursor_after(index))
        for index, (row, customer) in enumerate(zip(rows, customers, strict=True), start=1)
    ]


def _member(
    flt: SegmentFilter,
    row: dict[str, Any],
    customer: dict[str, Any] | None,
    handles: dict[str, set[str]],
    cursor: str,
) -> SegmentMember:
    return SegmentMember(
        profile_id=row["id"],
        platform=row.get("platform"),
        handle=row.get("handle"),
        customer_id=customer.get("id") if customer else None,
        email=allowed_email(customer) if customer else None,
        handles=sorted(handles.get(customer["id"], set())) if customer else [],
        score=row.get("score"),
        rank=row.get("rank"),
        influence=row.get("influence"),
        community=row.get("community"),
        role=row.get("role"),
        mean_sentiment=row.get("mean_sentiment"),
        reason=_reason(flt, row),
        cursor=cursor,
    )


_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell safe to open in a spreadsheet: text that would start a formula gets a leading ``'``
    (OWASP's CSV-injection advice); numbers are left as they are."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_lines(members: list[SegmentMember]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for member in members:  # the fields as model_dump() gives them, without building its dict per row
        values = [getattr(member, column) for column in CSV_COLUMNS]
        values[_HANDLES] = ";".join(member.handles)
        writer.writerow([csv_cell(value) for value in values])
    return buffer.getvalue()


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
    segment, node = _load_segment(store, name)
    flt = segment.filter
    query_id = fingerprint("segment", definition_key(segment, node))
    position = decode_cursor(cursor, query=query_id)
    run = current_run(store)
    run_id = str(run["id"])
    check_run(position, run_id)
    export = ExportPosition(run_id, query_id, position.position if position else 0)
    query = MemberQuery.of(flt, run)

    if format == "json":
        page_size = check_limit(limit if limit is not None else 100, settings)
        rows = query.rows(store, export.start, page_size + 1)
        items = _members(store, flt, rows[:page_size], export)
        next_cursor = export.cursor_after(page_size) if len(rows) > page_size else None
        page = SegmentMemberPage(segment=name, items=items, next_cursor=next_cursor, run=run_ref(run))
        return JSONResponse(page.model_dump(mode="json"), headers=link_next(request.url, next_cursor))

    chunks = chunked_rows(
        lambda skip, size: query.rows(store, skip, size), start=export.start, total=limit, chunk=EXPORT_CHUNK
    )

    def exported() -> Iterator[list[SegmentMember]]:
        sent = 0
        for rows in chunks:
            members = _members(store, flt, rows, ExportPosition(run_id, query_id, export.start + sent))
            sent += len(rows)
            yield members

    def ndjson() -> Iterator[str]:
        for members in exported():
            yield "".join(member.model_dump_json() + "\n" for member in members)

    def csv_text() -> Iterator[str]:
        yield _csv_header()
        for members in exported():
            yield _csv_lines(members)

    headers = {"X-Rapport-Run-Id": run_id, **link_next(request.url, _next_window(export, limit))}
    if format == "ndjson":
        return StreamingResponse(ndjson(), media_type="application/x-ndjson", headers=headers)
    headers["Content-Disposition"] = 'attachment; filename="segment-members.csv"'
    return StreamingResponse(csv_text(), media_type="text/csv; charset=utf-8", headers=headers)


def _next_window(export: ExportPosition, limit: int | None) -> str | None:
    """Where the next ``limit`` rows start (a stream without ``limit`` runs to the end: no next)."""
    return export.cursor_after(limit) if limit is not None else None
