"""``GET /v1/influencers``: profiles by influence, overall or for one brand (:mod:`usecases.influencers`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import TypeAdapter

from api.cache import cached_json
from api.deps import AppSettings, CursorParam, Limit, ReadAccess, Store, check_limit
from api.inline import HeldFirstRoute
from api.schemas import (
    Explanation,
    Influencer,
    InfluencerPage,
    SourceShare,
    influencer_fields,
    page_json,
    run_ref,
)
from graph.store import CypherGraphStore
from usecases.influencers import explanation_sources, influencer_page
from usecases.read_view import held_json_of_rows
from usecases.roles import Include

router = APIRouter(prefix="/v1", tags=["influencers"], route_class=HeldFirstRoute)


def read_influencers(
    store: CypherGraphStore,
    *,
    brand: str | None,
    community: int | None,
    platform: str | None,
    limit: int,
    cursor: str | None,
    explain: bool,
    include: str | None,
) -> bytes:
    """The JSON of an :class:`InfluencerPage` (keys in its field order, nulls left out) around the
    held influencers."""
    page = influencer_page(
        store,
        brand=brand,
        community=community,
        platform=platform,
        limit=limit,
        cursor=cursor,
        include=include,
        explain=explain,
    )
    assert page.run is not None
    items = _held_influencers(store, str(page.run["id"]), page.items, brand=brand, explain=explain)
    return page_json(items, {"next_cursor": page.next_cursor, "run": run_ref(page.run)}, exclude_none=True)


_INFLUENCER_LIST = TypeAdapter(list[Influencer])


def _held_influencers(
    store: CypherGraphStore, run_id: str, rows: list[dict[str, Any]], *, brand: str | None, explain: bool
) -> list[bytes]:
    """The :class:`Influencer` JSON of each ranking row (nulls left out, with its explanation when
    ``explain``), held while the read view stands (:func:`usecases.read_view.held_json_of_rows`): a
    page asked again, or another page (a community's, a platform's) holding the same profiles,
    validates and encodes only the profiles not asked for before. A profile's entry is the same on
    every page of one run while the data stands (its rank is the run's, overall or for ``brand``)."""

    def encode(wanted: list[dict[str, Any]]) -> list[bytes]:
        items = [influencer_fields(row, brand=brand) for row in wanted]
        if explain:
            _explain(items, wanted, explanation_sources(store, wanted), brand=brand)
        return [
            item.model_dump_json(exclude_none=True).encode()
            for item in _INFLUENCER_LIST.validate_python(items)
        ]

    return held_json_of_rows(store, ("influencer json", run_id, brand, explain), rows, encode)


def _explain(
    items: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    sources: dict[str, dict[str, Any]],
    *,
    brand: str | None,
) -> None:
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
            item["explanation"] = Explanation(
                kind="pagerank",
                **parts,
                top_sources=shares,
                global_influence=row.get("influence"),
                global_rank=row.get("rank"),
            )
        else:
            item["explanation"] = Explanation(
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

    def page() -> bytes:
        return read_influencers(
            store,
            brand=brand,
            community=community,
            platform=platform,
            limit=limit,
            cursor=cursor,
            explain=explain,
            include=include,
        )

    return await cached_json(request, page, exclude_none=True)
