"""``GET /v1/influencers``: profiles by influence, overall or for one brand.

Pages are keyset-paged on the run's integer rank (``influence_rank``, or the INFLUENCES ``rank``
for a brand): rank 1 is the highest score and ranks break ties by profile id, so the order is
``score DESC, id ASC``. Without filters a page reads only the index range
``(after, after + limit]`` of ``influence_rank`` — no sort over all profiles.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.cache import cached_json
from api.current_run import current_run, run_ref
from api.deps import AppSettings, ReadAccess, Store
from api.pagination import Cursor, check_run, decode_cursor, fingerprint
from api.read_model import Filters, read_model, rows_in_order
from api.roles import Include, roles_of
from api.schemas import Explanation, Influencer, InfluencerPage, RunRef, SourceShare
from graph.config import Settings
from graph.errors import InvalidInput, NotFound
from graph.model import Label
from graph.store import CypherGraphStore

router = APIRouter(prefix="/v1", tags=["influencers"])


Limit = Annotated[int, Query(ge=1, description="page size, at most Settings.max_page_size", examples=[50])]
CursorParam = Annotated[
    str | None, Query(max_length=2048, description="`next_cursor` of the previous page (opaque)")
]


def check_limit(limit: int, settings: Settings) -> int:
    if limit > settings.max_page_size:
        raise InvalidInput(f"limit is over the maximum page size of {settings.max_page_size}")
    return limit


def read_influencers(
    store: CypherGraphStore,
    *,
    brand: str | None,
    community: int | None,
    platform: str | None,
    limit: int,
    cursor: str | None,
    explain: bool,
    scope: str = "influencers",
    include: str | None = None,
) -> tuple[list[Influencer], str | None, RunRef]:
    """One page of influencers; shared with ``GET /v1/communities/{id}``.

    Only customers unless ``include`` names other roles (``owned,staff,placeholder``).
    """
    roles = roles_of(include)
    query_id = fingerprint(
        scope, {"brand": brand, "community": community, "platform": platform, "roles": list(roles)}
    )
    position = decode_cursor(cursor, query=query_id)
    after = position.position if position else 0
    if brand is not None and store.get_node(Label.BRAND, brand) is None:
        raise NotFound(f"no brand with id {brand!r}")
    run_props = current_run(store)
    run = run_ref(run_props)
    check_run(position, run.id)
    model = read_model(store, run.id)
    ranked = model.ranked_ids(Filters(roles, community, platform), after, brand=brand)
    if brand is not None:
        fetch = lambda ids: store.run(  # noqa: E731
            "api.brand_influencers_by_ids", {"run_id": run.id, "brand": brand, "ids": ids}
        )
    else:
        fetch = lambda ids: store.run("api.influencers_by_ids", {"run_id": run.id, "ids": ids})  # noqa: E731
    rows = rows_in_order(ranked, limit + 1, fetch)
    page, more = rows[:limit], len(rows) > limit
    items = [_influencer(row, brand=brand) for row in page]
    if explain:
        _explain(store, items, page, brand=brand)
    next_cursor = Cursor(run.id, query_id, int(page[-1]["rank"])).encode() if more and page else None
    return items, next_cursor, run


def _influencer(row: dict[str, Any], *, brand: str | None) -> Influencer:
    return Influencer(
        id=row["id"],
        handle=row.get("handle"),
        platform=row.get("platform"),
        influence=row.get("influence"),
        rank=row.get("rank"),
        reach=row.get("reach"),
        community=row.get("community"),
        role=row.get("role"),
        role_reason=row.get("role_reason") or None,
        brand_score=row.get("brand_score") if brand is not None else None,
    )


def _explain(
    store: CypherGraphStore, items: list[Influencer], rows: list[dict[str, Any]], *, brand: str | None
) -> None:
    source_ids = sorted({source for row in rows for source in (row.get("top_sources") or [])})
    sources = (
        {row["id"]: row for row in store.run("api.profiles_by_ids", {"ids": source_ids})}
        if source_ids
        else {}
    )
    for item, row in zip(items, rows, strict=True):
        score = float((row.get("influence") if brand is None else row.get("brand_score")) or 0.0)

        def fraction(part: Any, score: float = score) -> float | None:
            return float(part) / score if isinstance(part, int | float) and score > 0 else None

        shares = [
            SourceShare(
                id=source,
                handle=sources.get(source, {}).get("handle"),
                platform=sources.get(source, {}).get("platform"),
                share=fraction(share) or 0.0,
                contribution=float(share),
            )
            for source, share in zip(row.get("top_sources") or [], row.get("top_shares") or [], strict=False)
        ]
        parts = {
            "score": score,
            "other_sources_share": fraction(row.get("other_sources")),
            "teleport_share": fraction(row.get("teleport")),
        }
        if brand is None:
            item.explanation = Explanation(
                kind="pagerank",
                **parts,
                top_sources=shares,
                global_influence=row.get("influence"),
                global_rank=row.get("rank"),
            )
        else:
            item.explanation = Explanation(
                kind="personalized_pagerank",
                **parts,
                top_sources=shares,
                brand_score=row.get("brand_score"),
                brand_rank=row.get("rank"),
                global_influence=row.get("influence"),
                global_rank=row.get("influence_rank"),
            )


@router.get(
    "/influencers",
    response_model=InfluencerPage,
    response_model_exclude_none=True,
    summary="Profiles by influence (PageRank), or by a brand's personalized influence",
    description="Pages are served from a short-lived cache (`X-Cache: hit|miss`, see `api/cache.py`).",
)
async def list_influencers(
    request: Request,
    store: Store,
    settings: AppSettings,
    caller: ReadAccess,
    brand: Annotated[
        str | None,
        Query(min_length=1, max_length=256, description="rank by this brand's personalized PageRank"),
    ] = None,
    community: Annotated[int | None, Query(ge=0, le=2**53, description="only this community")] = None,
    platform: Annotated[str | None, Query(min_length=1, max_length=64, examples=["twitter"])] = None,
    limit: Limit = 50,
    cursor: CursorParam = None,
    explain: Annotated[bool, Query(description="add what made each score (top sources and shares)")] = False,
    include: Include = None,
) -> Response:
    check_limit(limit, settings)

    def page() -> InfluencerPage:
        items, next_cursor, run = read_influencers(
            store,
            brand=brand,
            community=community,
            platform=platform,
            limit=limit,
            cursor=cursor,
            explain=explain,
            include=include,
        )
        return InfluencerPage(items=items, next_cursor=next_cursor, run=run)

    return await cached_json(request, page, exclude_none=True)
