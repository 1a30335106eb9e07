"""Delta sync: ``GET …/changes?since_run=R`` for segments, influencer and advocate/detractor lists.

Each answers the members added, removed, and changed (score moved by more than ``min_change``,
relative) between run ``R`` and the current run; the use case is :func:`usecases.crm.deltas.list_changes`,
the records it compares are :mod:`usecases.crm.run_lists`. See docs/crm-sync.md.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import ReadAccess, Store
from api.inline import HeldFirstRoute
from api.schemas import SEGMENT_NAME_MAX, ListChange, ListChanges, run_ref
from usecases.crm.deltas import DEFAULT_MIN_CHANGE, ListDelta, list_changes
from usecases.crm.run_lists import brand_list, segment_list
from usecases.lookups import require_brand

router = APIRouter(prefix="/v1", tags=["delta sync"], route_class=HeldFirstRoute)

SinceRun = Annotated[
    str, Query(min_length=1, max_length=100, description="the run of your last pull (its `run.id`)")
]
MinChange = Annotated[
    float, Query(ge=0, le=1000, description="relative score move above which a member counts as changed")
]
_GONE = {410: {"description": "the run's list record is no longer kept (code run_not_retained)"}}


def _body(delta: ListDelta) -> ListChanges:
    def changes(items: tuple) -> list[ListChange]:
        return [ListChange(**vars(item)) for item in items]

    return ListChanges(
        list_id=delta.list,
        since_run=delta.since_run,
        run=run_ref(delta.run),
        min_change=delta.min_change,
        added=changes(delta.added),
        removed=changes(delta.removed),
        changed=changes(delta.changed),
        unchanged=delta.unchanged,
    )


@router.get(
    "/segments/{name}/changes",
    response_model=ListChanges,
    summary="A segment's members added, removed and changed since a run",
    responses=_GONE,
)
def segment_changes(
    store: Store,
    caller: ReadAccess,
    name: Annotated[str, Path(min_length=1, max_length=SEGMENT_NAME_MAX)],
    since_run: SinceRun,
    min_change: MinChange = DEFAULT_MIN_CHANGE,
) -> ListChanges:
    return _body(list_changes(store, segment_list(name), since_run, min_change=min_change))


@router.get(
    "/influencers/changes",
    response_model=ListChanges,
    summary="Influencers (top by influence, or a brand's) added, removed and changed since a run",
    responses=_GONE,
)
def influencer_changes(
    store: Store,
    caller: ReadAccess,
    since_run: SinceRun,
    brand: Annotated[str | None, Query(min_length=1, max_length=256)] = None,
    min_change: MinChange = DEFAULT_MIN_CHANGE,
) -> ListChanges:
    key = "influencers" if brand is None else brand_list("influencers", _brand(store, brand))
    return _body(list_changes(store, key, since_run, min_change=min_change))


def _brand(store: Store, brand: str) -> str:
    require_brand(store, brand)
    return brand


BrandId = Annotated[str, Path(min_length=1, max_length=256)]


@router.get(
    "/brands/{brand_id}/advocates/changes",
    response_model=ListChanges,
    summary="A brand's advocates added, removed and changed since a run",
    responses=_GONE,
)
def advocate_changes(
    store: Store,
    caller: ReadAccess,
    brand_id: BrandId,
    since_run: SinceRun,
    min_change: MinChange = DEFAULT_MIN_CHANGE,
) -> ListChanges:
    key = brand_list("advocates", _brand(store, brand_id))
    return _body(list_changes(store, key, since_run, min_change=min_change))


@router.get(
    "/brands/{brand_id}/detractors/changes",
    response_model=ListChanges,
    summary="A brand's detractors added, removed and changed since a run",
    responses=_GONE,
)
def detractor_changes(
    store: Store,
    caller: ReadAccess,
    brand_id: BrandId,
    since_run: SinceRun,
    min_change: MinChange = DEFAULT_MIN_CHANGE,
) -> ListChanges:
    key = brand_list("detractors", _brand(store, brand_id))
    return _body(list_changes(store, key, since_run, min_change=min_change))
