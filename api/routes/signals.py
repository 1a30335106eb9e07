"""Signals a marketer acts on beside the rankings: spike alerts, account screening, community bridges.

``GET /v1/brands/{id}/alerts``  negative-sentiment spikes against the brand's own baseline (``usecases.alerts``)
``GET /v1/screening``           accounts with coordinated/automated signals and their evidence
``GET /v1/bridges``             high-brokerage profiles whose neighbours span several communities

Rules and sources: ``docs/signals.md``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from api.deps import AppSettings, CursorParam, Limit, ReadAccess, Store, check_limit
from api.inline import HeldFirstRoute
from api.schemas import Page, RunRef, iso_time, run_ref
from graph import errors
from usecases.alerts import brand_alerts
from usecases.communities import community_bridges
from usecases.current_run import current_run
from usecases.paging import read_page
from usecases.roles import Include, roles_of

router = APIRouter(prefix="/v1", tags=["signals"], route_class=HeldFirstRoute)


class AlertPost(BaseModel):
    id: str
    created_at: int
    text: str | None = None
    sentiment: float | None = None
    author: str | None = Field(default=None, description="the author's profile id")
    author_handle: str | None = Field(default=None, description="the author's handle, when known")
    created_at_iso = iso_time("created_at")


class Alert(BaseModel):
    start: int = Field(description="start of the first out-of-control bucket, epoch ms")
    end: int = Field(description="end of the last out-of-control bucket (exclusive), epoch ms")
    buckets: int
    observed: int = Field(description="negative posts in the alert's buckets")
    expected: float = Field(description="the trailing baselines summed over those buckets")
    upper_control_limit: int = Field(description="largest per-bucket Poisson limit crossed")
    p_value: float = Field(description="smallest per-bucket P(X >= count) under the baseline")
    posts: list[AlertPost] = Field(description="the posts behind the alert, oldest first (at most 50)")
    start_iso = iso_time("start")
    end_iso = iso_time("end")


class BrandAlerts(BaseModel):
    brand: str
    granularity: Literal["hour", "day"]
    method: str
    alpha: float
    min_count: int
    negative_posts: int
    alerts: list[Alert]


METHOD = "exact Poisson upper control limit on a trailing baseline (168 hours or 28 days)"


@router.get(
    "/brands/{brand_id}/alerts",
    response_model=BrandAlerts,
    summary="Negative-sentiment spikes of a brand against its own trailing baseline",
)
def get_brand_alerts(
    store: Store,
    caller: ReadAccess,
    brand_id: Annotated[str, Path(min_length=1, max_length=256, examples=["acme"])],
    granularity: Annotated[Literal["hour", "day"], Query(description="bucket width")] = "hour",
    alpha: Annotated[float, Query(ge=1e-12, le=0.5, description="false-alarm probability per bucket")] = 1e-4,
    min_count: Annotated[int, Query(ge=1, le=1_000_000, description="smallest count that can alert")] = 5,
    since: Annotated[int | None, Query(ge=0, description="epoch ms, inclusive")] = None,
    until: Annotated[int | None, Query(ge=0, description="epoch ms, exclusive")] = None,
    include: Include = None,
) -> BrandAlerts:
    result = brand_alerts(
        store,
        brand_id,
        granularity=granularity,
        alpha=alpha,
        min_count=min_count,
        since_ms=since,
        until_ms=until,
        include=include,
    )
    return BrandAlerts(
        brand=result.brand,
        granularity=granularity,
        method=METHOD,
        alpha=result.alpha,
        min_count=result.min_count,
        negative_posts=result.negative_posts,
        alerts=[
            Alert(
                start=a.spike.start_ms,
                end=a.spike.end_ms,
                buckets=a.spike.buckets,
                observed=a.spike.observed,
                expected=a.spike.expected,
                upper_control_limit=a.spike.upper_control_limit,
                p_value=a.spike.p_value,
                posts=[AlertPost(**vars(post)) for post in a.posts],
            )
            for a in result.alerts
        ],
    )


class ScreenedProfile(BaseModel):
    id: str
    handle: str | None = None
    platform: str | None = None
    role: str | None = None
    flagged: bool = Field(description="coordinated_text: down-weighted in influence and advocacy")
    flags: list[str]
    evidence: list[str]
    weight: float | None = Field(default=None, description="advocacy multiplier: 0.1 if flagged, else 1")


class ScreeningPage(Page[ScreenedProfile]):
    run: RunRef


@router.get(
    "/screening",
    response_model=ScreeningPage,
    summary="Accounts with coordinated or automated signals (copied text in step, bursts, rings), with evidence",
)
def get_screening(
    store: Store,
    settings: AppSettings,
    caller: ReadAccess,
    flagged_only: Annotated[bool, Query(description="only flagged (down-weighted) accounts")] = True,
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> ScreeningPage:
    check_limit(limit, settings)
    page = read_page(
        store,
        cursor=cursor,
        scope="screening",
        filters={"flagged_only": flagged_only},
        limit=limit,
        fetch=lambda run, skip, size: store.run(
            "api.screening",
            {
                "run_id": str(run["id"]) if run else None,
                "flagged_only": flagged_only,
                "skip": skip,
                "limit": size,
            },
        ),
    )
    assert page.run is not None
    items = [
        ScreenedProfile(
            id=row["id"],
            handle=row.get("handle"),
            platform=row.get("platform"),
            role=row.get("role"),
            flagged=bool(row.get("flagged")),
            flags=list(row.get("flags") or []),
            evidence=list(row.get("evidence") or []),
            weight=row.get("weight"),
        )
        for row in page.items
    ]
    return ScreeningPage(items=items, next_cursor=page.next_cursor, run=run_ref(page.run))


class Bridge(BaseModel):
    id: str
    handle: str | None = None
    platform: str | None = None
    role: str | None = None
    community: int | None = None
    brokerage: float
    communities: list[int] = Field(description="communities of its neighbours (influence sources, follows)")


class Bridges(BaseModel):
    items: list[Bridge]
    run: RunRef


@router.get(
    "/bridges",
    response_model=Bridges,
    summary="Community bridges: high-brokerage profiles whose neighbours span several communities",
)
def get_bridges(
    store: Store,
    settings: AppSettings,
    caller: ReadAccess,
    min_communities: Annotated[int, Query(ge=1, le=1000)] = 2,
    limit: Limit = 20,
    include: Include = None,
) -> Bridges:
    check_limit(limit, settings)
    run = run_ref(current_run(store))
    if "brokerage" in run.not_computed:
        raise errors.ScoreNotComputed(
            f"bridges are ranked by brokerage, which the current run {run.id} (engine {run.engine}) did "
            "not compute; run `rapport analyze` in-process to have them"
        )
    rows = community_bridges(
        store, run.id, roles=list(roles_of(include)), min_communities=min_communities, limit=limit
    )
    return Bridges(
        items=[
            Bridge(
                id=row["profile"],
                handle=row.get("handle"),
                platform=row.get("platform"),
                role=row.get("role"),
                community=row.get("community"),
                brokerage=float(row["brokerage"]),
                communities=sorted(int(c) for c in row.get("communities") or []),
            )
            for row in rows
        ],
        run=run,
    )
