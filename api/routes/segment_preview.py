"""``POST /v1/segments/preview``: the first members of a segment filter, without saving it (role ``read``).

The same evaluation, order and member rows as ``GET /v1/segments/{name}/members`` (see
:mod:`api.routes.segments`), for a filter that is not (yet) saved: a client shows who a segment would
hold before someone with the write role saves it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import AppSettings, ReadAccess, Store, check_limit
from api.inline import HeldFirstRoute
from api.schemas import RunRef, SegmentMember, member_items, run_ref
from usecases.crm.exports import ExportPosition
from usecases.current_run import current_run
from usecases.paging import fingerprint
from usecases.segments import MemberQuery, SegmentFilter, check_filter_brand, member_columns

router = APIRouter(prefix="/v1/segments", tags=["segments"], route_class=HeldFirstRoute)


class SegmentPreview(BaseModel):
    filter: SegmentFilter
    items: list[SegmentMember]
    more: bool = Field(description="the segment holds more members than `limit`")
    run: RunRef


@router.post("/preview", response_model=SegmentPreview, summary="Who a segment filter holds now (not saved)")
def preview_segment(
    store: Store,
    settings: AppSettings,
    caller: ReadAccess,
    body: SegmentFilter,
    limit: Annotated[int, Query(ge=1, description="members shown")] = 50,
) -> SegmentPreview:
    check_limit(limit, settings)
    check_filter_brand(store, body)
    run = current_run(store)
    rows = MemberQuery.of(body, run).rows(store, 0, limit + 1)
    # each member's cursor resumes a preview of the same filter in the same run
    at = ExportPosition(str(run["id"]), fingerprint("segment-preview", body.model_dump(mode="json")), 0)
    return SegmentPreview.model_validate(
        {
            "filter": body,
            "items": member_items(member_columns(store, body, rows[:limit], at)),
            "more": len(rows) > limit,
            "run": run_ref(run),
        }
    )
