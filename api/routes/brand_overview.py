"""``GET /v1/brands`` (every brand with its share of voice) and ``GET /v1/brands/{id}/sentiment``
(the weekly sentiment of the posts about one brand).

Share of voice is a brand's posts (those ``ABOUT`` it) over all posts about any brand in the same
window, in [0, 1]; a post about two brands counts for each. Sentiment is the stored post sentiment
in [-1, 1] (VADER compound, see :mod:`ingest`); a post is counted ``positive`` above 0.05 and
``negative`` below -0.05, VADER's own thresholds (Hutto & Gilbert 2014). Weeks start Monday 00:00
UTC, counted back from the current run's ``as_of`` (now, before the first run). Neither needs an
analysis run. Only customers' posts count, not a brand's own accounts' or staff's; both are answered
from each brand's posts held in memory per data version (:mod:`usecases.brand_voice`).
"""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from api.deps import ReadAccess, Store
from api.inline import HeldFirstRoute
from api.schemas import iso_time
from graph.store import CypherGraphStore
from usecases.brand_voice import WEEK_MS, brand_voice, brands
from usecases.current_run import find_current_run
from usecases.lookups import require_brand

router = APIRouter(prefix="/v1/brands", tags=["brands"], route_class=HeldFirstRoute)

_DAY_MS = 24 * 3600 * 1000
_OPEN_END = 2**62


class BrandVoice(BaseModel):
    id: str = Field(examples=["northwind"])
    name: str | None = Field(default=None, examples=["Northwind Coffee"])
    posts: int = Field(description="posts about the brand in the window")
    share_of_voice: float = Field(ge=0, le=1, description="posts / posts about any brand, in the window")


class BrandList(BaseModel):
    items: list[BrandVoice]
    from_ms: int = Field(description="window start, epoch ms (inclusive)")
    to_ms: int | None = Field(default=None, description="window end, epoch ms (exclusive); null = open")
    from_ms_iso = iso_time("from_ms")
    to_ms_iso = iso_time("to_ms")


class BrandSentimentWeek(BaseModel):
    week_start: int = Field(description="epoch ms of Monday 00:00 UTC")
    mean_sentiment: float = Field(ge=-1, le=1)
    posts: int
    positive: int = Field(description="posts with sentiment > 0.05")
    negative: int = Field(description="posts with sentiment < -0.05")
    week_start_iso = iso_time("week_start")


class BrandSentiment(BaseModel):
    brand: str
    weeks: list[BrandSentimentWeek]
    from_ms: int = Field(description="window start, epoch ms (inclusive)")
    to_ms: int = Field(description="window end, epoch ms (exclusive)")
    from_ms_iso = iso_time("from_ms")
    to_ms_iso = iso_time("to_ms")


def _anchor(store: CypherGraphStore) -> int:
    run = find_current_run(store)
    as_of = (run or {}).get("param_as_of")
    return int(as_of) + 1 if isinstance(as_of, int | float) else int(time.time() * 1000)


@router.get("", response_model=BrandList, summary="Every brand with its share of voice")
def list_brands(
    store: Store,
    caller: ReadAccess,
    days: Annotated[
        int | None,
        Query(ge=1, le=36_500, description="only posts of the last `days` before the run's as_of; none: all"),
    ] = None,
) -> BrandList:
    if days is None:
        from_ms, to_ms = 0, None
    else:
        to_ms = _anchor(store)
        from_ms = max(0, to_ms - days * _DAY_MS)
    end = _OPEN_END if to_ms is None else to_ms
    counts = [(brand, name, brand_voice(store, brand).posts(from_ms, end)) for brand, name in brands(store)]
    total = sum(posts for _, _, posts in counts)
    items = [
        BrandVoice(id=brand, name=name, posts=posts, share_of_voice=posts / total if total else 0.0)
        for brand, name, posts in counts
    ]
    return BrandList(items=items, from_ms=from_ms, to_ms=to_ms)


@router.get(
    "/{brand_id}/sentiment",
    response_model=BrandSentiment,
    summary="Weekly mean sentiment of the posts about a brand, with positive and negative counts",
)
def brand_sentiment(
    store: Store,
    caller: ReadAccess,
    brand_id: Annotated[str, Path(min_length=1, max_length=256, examples=["northwind"])],
    weeks: Annotated[int, Query(ge=1, le=520, description="weeks back from the run's as_of")] = 12,
) -> BrandSentiment:
    require_brand(store, brand_id)
    to_ms = _anchor(store)
    from_ms = max(0, to_ms - weeks * WEEK_MS)
    return BrandSentiment(
        brand=brand_id,
        weeks=[
            BrandSentimentWeek(**asdict(week)) for week in brand_voice(store, brand_id).weekly(from_ms, to_ms)
        ],
        from_ms=from_ms,
        to_ms=to_ms,
    )
