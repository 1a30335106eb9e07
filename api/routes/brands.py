"""``GET /v1/brands/{id}/advocates`` and ``/detractors``: who speaks for or against a brand, and why.

Each entry carries the current run's score (influence-weighted sentiment toward the brand), the
mean sentiment of the posts counted, and the evidence posts with each post's contribution.
Keyset-paged on the run's per-brand rank (1 = strongest), i.e. ``score DESC, id ASC``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api.cache import cached_json
from api.current_run import current_run, run_ref
from api.deps import AppSettings, ReadAccess, Store
from api.pagination import Cursor, check_run, decode_cursor, fingerprint
from api.routes.influencers import CursorParam, Limit, check_limit
from api.schemas import BrandStance, BrandStancePage, EvidencePost
from graph.errors import NotFound
from graph.model import Label
from graph.store import CypherGraphStore

router = APIRouter(prefix="/v1/brands", tags=["brands"])

BrandId = Annotated[str, Path(min_length=1, max_length=256, examples=["acme"])]


def _stances(
    store: CypherGraphStore,
    brand: str,
    role: Literal["advocate", "detractor"],
    limit: int,
    cursor: str | None,
) -> BrandStancePage:
    query_id = fingerprint(role, {"brand": brand})
    position = decode_cursor(cursor, query=query_id)
    if store.get_node(Label.BRAND, brand) is None:
        raise NotFound(f"no brand with id {brand!r}")
    name = "api.advocates" if role == "advocate" else "api.detractors"
    run_props = current_run(store)
    run = run_ref(run_props)
    check_run(position, run.id)
    params = {
        "run_id": run.id,
        "brand": brand,
        "after": position.position if position else 0,
        "limit": limit + 1,
    }
    rows = store.run(name, params)
    page = rows[:limit]
    posts = _evidence_posts(store, page)
    items = [_stance(row, posts) for row in page]
    more = len(rows) > limit and page
    next_cursor = Cursor(run.id, query_id, int(page[-1]["rank"])).encode() if more else None
    return BrandStancePage(brand=brand, role=role, items=items, next_cursor=next_cursor, run=run)


def _evidence_posts(store: CypherGraphStore, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    ids = sorted({post_id for row in rows for post_id in (row.get("evidence_post_ids") or [])})
    if not ids:
        return {}
    return {row["id"]: row for row in store.run("api.posts_by_ids", {"ids": ids})}


def _stance(row: dict[str, Any], posts: dict[str, dict[str, Any]]) -> BrandStance:
    ids = row.get("evidence_post_ids") or []
    contributions = row.get("evidence_contributions") or []
    evidence = []
    for index, post_id in enumerate(ids):
        post = posts.get(post_id, {})
        evidence.append(
            EvidencePost(
                id=post_id,
                text=post.get("text"),
                sentiment=post.get("sentiment"),
                created_at=post.get("created_at"),
                contribution=float(contributions[index]) if index < len(contributions) else None,
            )
        )
    return BrandStance(
        id=row["id"],
        handle=row.get("handle"),
        platform=row.get("platform"),
        community=row.get("community"),
        score=row.get("score"),
        rank=row.get("rank"),
        posts=row.get("posts"),
        mean_sentiment=row.get("mean_sentiment"),
        influence=row.get("influence"),
        influence_factor=row.get("influence_factor"),
        evidence=evidence,
    )


@router.get(
    "/{brand_id}/advocates",
    response_model=BrandStancePage,
    summary="A brand's advocates: score, evidence posts, mean sentiment, influence",
)
async def advocates(
    request: Request,
    store: Store,
    settings: AppSettings,
    caller: ReadAccess,
    brand_id: BrandId,
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> Response:
    check_limit(limit, settings)
    return await cached_json(request, lambda: _stances(store, brand_id, "advocate", limit, cursor))


@router.get(
    "/{brand_id}/detractors",
    response_model=BrandStancePage,
    summary="A brand's detractors: score, evidence posts, mean sentiment, influence",
)
async def detractors(
    request: Request,
    store: Store,
    settings: AppSettings,
    caller: ReadAccess,
    brand_id: BrandId,
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> Response:
    check_limit(limit, settings)
    return await cached_json(request, lambda: _stances(store, brand_id, "detractor", limit, cursor))
