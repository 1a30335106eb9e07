"""``GET /v1/communities`` and ``GET /v1/communities/{id}``: the current run's communities.

Community ids are the run's stable ids (see ``algorithms/communities.py``); each community has a
readable ``label`` (its leading members' handles and most used terms, kept across runs like the id,
see ``algorithms/community_labels.py``). The list is ordered by
size (largest first, then id) and paged by offset; a community's members are keyset-paged by
influence rank like ``/v1/influencers?community=``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api.cache import cached_json
from api.deps import AppSettings, CursorParam, Limit, ReadAccess, Store, check_limit
from api.inline import HeldFirstRoute
from api.schemas import CommunityDetail, CommunityPage, influencer_fields, run_ref
from graph.errors import NotFound
from graph.store import CypherGraphStore
from usecases.communities import communities_by_size, community_label_texts, community_stats
from usecases.current_run import current_run
from usecases.influencers import influencer_page
from usecases.paging import read_page
from usecases.roles import Include, roles_of

router = APIRouter(prefix="/v1/communities", tags=["communities"], route_class=HeldFirstRoute)


@router.get("", response_model=CommunityPage, summary="Communities by size with their top members")
async def list_communities(
    request: Request,
    store: Store,
    settings: AppSettings,
    caller: ReadAccess,
    top: Annotated[int, Query(ge=0, le=100, description="top members (by influence) per community")] = 5,
    limit: Limit = 50,
    cursor: CursorParam = None,
    include: Include = None,
) -> Response:
    check_limit(limit, settings)
    return await cached_json(request, lambda: _communities_page(store, top, limit, cursor, include))


def _communities_page(
    store: CypherGraphStore, top: int, limit: int, cursor: str | None, include: str | None = None
) -> CommunityPage:
    roles = roles_of(include)
    page = read_page(
        store,
        cursor=cursor,
        scope="communities",
        filters={"top": top, "roles": list(roles)},
        limit=limit,
        fetch=lambda run, skip, size: communities_by_size(
            store, str(run["id"]) if run else None, roles=list(roles), top=top, skip=skip, limit=size
        ),
    )
    run = page.run
    assert run is not None
    labels = community_label_texts(store, [row["community"] for row in page.items])
    items = [
        {
            "id": row["community"],
            "label": labels.get(row["community"]),
            "size": row["size"],
            "reach": _int(row.get("reach")),
            "top_members": row.get("top") or [],
        }
        for row in page.items
    ]
    # validated in one call (pydantic-core), not a model constructed in Python per member
    return CommunityPage.model_validate(
        {
            "items": items,
            "modularity": run.get("modularity"),
            "next_cursor": page.next_cursor,
            "run": run_ref(run),
        }
    )


@router.get(
    "/{community_id}", response_model=CommunityDetail, summary="One community and its members by influence"
)
async def get_community(
    request: Request,
    store: Store,
    settings: AppSettings,
    caller: ReadAccess,
    community_id: Annotated[int, Path(ge=0, le=2**53)],
    limit: Limit = 50,
    cursor: CursorParam = None,
    include: Include = None,
) -> Response:
    check_limit(limit, settings)
    return await cached_json(request, lambda: _community_detail(store, community_id, limit, cursor, include))


def _community_detail(
    store: CypherGraphStore, community_id: int, limit: int, cursor: str | None, include: str | None = None
) -> CommunityDetail:
    run = current_run(store)
    stats = community_stats(store, str(run["id"])).get(community_id)
    if stats is None:
        raise NotFound(f"no community {community_id} in the current analysis run")
    size = int(stats["size"])
    page = influencer_page(
        store,
        brand=None,
        community=community_id,
        platform=None,
        limit=limit,
        cursor=cursor,
        scope="community-members",
        include=include,
    )
    members = [influencer_fields(row, brand=None) for row in page.items]
    next_cursor = page.next_cursor
    return CommunityDetail(
        id=community_id,
        label=community_label_texts(store, [community_id]).get(community_id),
        size=size,
        reach=_int(stats.get("reach")),
        mean_influence=stats.get("mean_influence"),
        modularity=run.get("modularity"),
        members=members,
        next_cursor=next_cursor,
        run=run_ref(run),
    )


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
