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

Formats: ``json`` (one page, ``next_cursor``), ``ndjson`` and ``csv`` (streamed: every member from the
cursor on, or at most ``limit`` of them, read from the store in chunks). Streamed responses carry
``X-Rapport-Run-Id``; every chunk reads the results of that run, so an export never mixes runs (a new
run that finishes mid-export re-stamps profile scores, which can shorten that export: pull again).

Contact data: ``email`` only when the customer's email is verified and its ``contact_allowed`` CRM
attribute is not false (see :func:`api.routes.profiles.contact_allowed`).
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import StreamingResponse

from algorithms.roles import parse_include
from api.current_run import current_run, run_ref
from api.deps import AppSettings, ReadAccess, Store, WriteAccess
from api.errors import SegmentExists
from api.pagination import Cursor, check_run, decode_cursor, fingerprint
from api.routes.influencers import CursorParam, check_limit
from api.routes.profiles import allowed_email
from api.schemas import (
    SEGMENT_NAME_MAX,
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
    str, Path(min_length=1, max_length=SEGMENT_NAME_MAX, examples=["acme-advocates-recent"])
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
]
_DAY_MS = 24 * 3600 * 1000
_SEGMENT_LIST_SCOPE = "segment-list"


def _segment(node: dict[str, Any]) -> Segment:
    return Segment(
        name=node["id"],
        description=node.get("description") or "",
        filter=SegmentFilter.model_validate_json(node.get("filter_json") or "{}"),
        created_at=int(node.get("created_at") or 0),
    )


def _load_segment(store: CypherGraphStore, name: str) -> tuple[Segment, dict[str, Any]]:
    node = store.get_node(Label.SEGMENT, name)
    if node is None:
        raise NotFound(f"no segment named {name!r}")
    return _segment(node), node


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


@router.delete("/{name}", status_code=204, summary="Delete a saved segment (needs the write role)")
def delete_segment(store: Store, caller: WriteAccess, name: SegmentName) -> Response:
    rows = store.run_write("api.segment_delete", {"id": name})
    if not rows or int(rows[0]["deleted"]) == 0:
        raise NotFound(f"no segment named {name!r}")
    return Response(status_code=204)


def _query_for(flt: SegmentFilter) -> str:
    if flt.brand is None:
        return "api.segment_members_all"
    return {
        None: "api.segment_members_influences",
        "advocate": "api.segment_members_advocates",
        "detractor": "api.segment_members_detractors",
    }[flt.role]


def _params(flt: SegmentFilter, run: dict[str, Any]) -> dict[str, Any]:
    active_since = None
    if flt.active_within_days is not None:
        anchor = run.get("param_as_of") or run.get("finished_at") or int(time.time() * 1000)
        active_since = int(anchor) - flt.active_within_days * _DAY_MS
    params: dict[str, Any] = {
        "run_id": str(run["id"]),
        "community": flt.community,
        "platform": flt.platform,
        "min_influence": flt.min_influence,
        "active_since": active_since,
        "sentiment_min": flt.sentiment_min,
        "sentiment_max": flt.sentiment_max,
        "roles": list(parse_include(",".join(flt.include or ()))),
    }
    if flt.brand is not None:
        params["brand"] = flt.brand
    return params


def segment_member_ids(store: CypherGraphStore, name: str, run: Mapping[str, Any]) -> list[str]:
    """Every member id of saved segment ``name`` in ``run``, in the members endpoint's order.

    For other services that take a segment as input (outreach candidates).
    """
    segment, _ = _load_segment(store, name)
    query, params = _query_for(segment.filter), _params(segment.filter, dict(run))
    run_id, members, skip = str(run["id"]), [], 0
    while True:
        rows = store.run(query, {**params, "skip": skip, "limit": EXPORT_CHUNK})
        members.extend(row["id"] for row in rows if row.get("run_id", run_id) == run_id)
        if len(rows) < EXPORT_CHUNK:
            return members
        skip += EXPORT_CHUNK


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


def _members(store: CypherGraphStore, flt: SegmentFilter, rows: list[dict[str, Any]]) -> list[SegmentMember]:
    """Members of one page or chunk, with their customers' handles read in one query."""
    customers = [_first_customer(row) for row in rows]
    customer_ids = sorted({customer["id"] for customer in customers if customer is not None})
    handles: dict[str, set[str]] = {}
    if customer_ids:
        for found in store.run("api.customer_handles", {"ids": customer_ids}):
            if found.get("handle") is not None:
                handles.setdefault(found["customer"], set()).add(found["handle"])
    return [_member(flt, row, customer, handles) for row, customer in zip(rows, customers, strict=True)]


def _member(
    flt: SegmentFilter, row: dict[str, Any], customer: dict[str, Any] | None, handles: dict[str, set[str]]
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
    for member in members:
        values = member.model_dump()
        values["handles"] = ";".join(member.handles)
        writer.writerow([csv_cell(values[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()


def _csv_header() -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(CSV_COLUMNS)
    return buffer.getvalue()


@router.get(
    "/{name}/members",
    response_model=SegmentMemberPage,
    summary="A segment's members now (json page, or a streamed ndjson/csv export)",
    responses={
        200: {
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
            },
            "description": "json: one page; ndjson/csv: every member from the cursor on (or `limit` of them)",
        }
    },
)
def segment_members(
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
    query_id = fingerprint(
        "segment", {"name": name, "filter": node.get("filter_json"), "at": segment.created_at}
    )
    position = decode_cursor(cursor, query=query_id)
    run = current_run(store)
    run_id = str(run["id"])
    check_run(position, run_id)
    skip = position.position if position else 0
    query = _query_for(flt)
    params = _params(flt, run)

    if format == "json":
        page_size = check_limit(limit if limit is not None else 100, settings)
        rows = store.run(query, {**params, "skip": skip, "limit": page_size + 1})
        items = _members(store, flt, rows[:page_size])
        next_cursor = Cursor(run_id, query_id, skip + page_size).encode() if len(rows) > page_size else None
        return SegmentMemberPage(segment=name, items=items, next_cursor=next_cursor, run=run_ref(run))

    total = limit
    first_size = min(EXPORT_CHUNK, total) if total is not None else EXPORT_CHUNK
    first = store.run(query, {**params, "skip": skip, "limit": first_size})  # errors surface before streaming

    def chunks() -> Iterator[list[dict[str, Any]]]:
        rows, offset, sent = first, skip, 0
        while True:
            yield rows
            sent += len(rows)
            offset += len(rows)
            remaining = None if total is None else total - sent
            if len(rows) < EXPORT_CHUNK or remaining == 0:
                return
            size = EXPORT_CHUNK if remaining is None else min(EXPORT_CHUNK, remaining)
            rows = store.run(query, {**params, "skip": offset, "limit": size})

    def ndjson() -> Iterator[str]:
        for rows in chunks():
            yield "".join(member.model_dump_json() + "\n" for member in _members(store, flt, rows))

    def csv_text() -> Iterator[str]:
        yield _csv_header()
        for rows in chunks():
            yield _csv_lines(_members(store, flt, rows))

    headers = {"X-Rapport-Run-Id": run_id}
    if format == "ndjson":
        return StreamingResponse(ndjson(), media_type="application/x-ndjson", headers=headers)
    headers["Content-Disposition"] = 'attachment; filename="segment-members.csv"'
    return StreamingResponse(csv_text(), media_type="text/csv; charset=utf-8", headers=headers)
