"""``GET /v1/community-map`` and ``GET /v1/community-map/{id}``: the current run's communities, laid out.

Positions are computed on the server, once per analysis run (see :mod:`usecases.community_map`), in the
square ``[-1, 1]²``; a client scales them to its canvas and draws. The overview has one node per
community (the largest ``limit``); a community's view holds its ``limit`` most influential members
and the engagement among them, so neither answer grows with the graph.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field

from api.deps import ReadAccess, Store
from api.inline import HeldFirstRoute
from api.schemas import CommunityMember, RunRef, run_ref
from usecases.current_run import current_run
from usecases.read_view import memoized, memoized_json

router = APIRouter(prefix="/v1/community-map", tags=["communities"], route_class=HeldFirstRoute)

MAX_COMMUNITIES = 500
MAX_MEMBERS = 1000


class MapCommunity(BaseModel):
    id: int = Field(examples=[3])
    size: int = Field(description="profiles in the community", examples=[1520])
    influence: float = Field(description="summed PageRank of its members (all communities sum to ≤ 1)")
    internal_engagement: float = Field(description="engagement weight of the edges inside it")
    x: float = Field(ge=-1, le=1)
    y: float = Field(ge=-1, le=1)
    top_members: list[CommunityMember] = Field(description="its 3 most influential profiles")


class MapEdge(BaseModel):
    source: int
    target: int
    weight: float = Field(description="engagement weight between the two communities, both directions")


class CommunityMap(BaseModel):
    communities_total: int = Field(description="communities in the run (the map shows the largest `limit`)")
    nodes: list[MapCommunity]
    edges: list[MapEdge]
    run: RunRef


class MapProfile(BaseModel):
    id: str
    handle: str | None = None
    platform: str | None = None
    influence: float | None = None
    rank: int | None = Field(default=None, description="global influence rank")
    reach: int | None = None
    x: float = Field(ge=-1, le=1)
    y: float = Field(ge=-1, le=1)


class MapProfileEdge(BaseModel):
    source: str
    target: str
    weight: float = Field(description="engagement weight of source -> target")


class CommunityMapView(BaseModel):
    id: int
    size: int = Field(description="profiles in the community (the view shows the top `limit`)")
    influence: float
    nodes: list[MapProfile]
    edges: list[MapProfileEdge]
    run: RunRef


@router.get("", response_model=CommunityMap, summary="Communities as a laid-out network (one node each)")
def community_map(
    request: Request,
    store: Store,
    caller: ReadAccess,
    limit: Annotated[int, Query(ge=1, le=MAX_COMMUNITIES, description="largest communities shown")] = 200,
) -> Response:
    run = current_run(store)

    def encoded() -> bytes:
        view = request.app.state.community_map_cache.overview(store, str(run["id"]), limit=limit)
        return CommunityMap(**view, run=run_ref(run)).model_dump_json().encode()

    # held as JSON while the read view stands: a map of hundreds of nodes is not re-validated and
    # re-encoded on every request
    body = memoized(store, ("community map", str(run["id"]), limit), encoded)
    return Response(body, media_type="application/json")


@router.get(
    "/{community_id}",
    response_model=CommunityMapView,
    summary="One community's most influential members, laid out, with the engagement among them",
)
def community_map_view(
    request: Request,
    store: Store,
    caller: ReadAccess,
    community_id: Annotated[int, Path(ge=0, le=2**53)],
    limit: Annotated[int, Query(ge=1, le=MAX_MEMBERS, description="members shown, by influence")] = 200,
) -> Response:
    run = current_run(store)
    cache = request.app.state.community_map_cache

    def encode(community: str) -> bytes:
        view = cache.community(store, str(run["id"]), int(community), limit=limit)
        return CommunityMapView(**view, run=run_ref(run)).model_dump_json().encode()

    body = memoized_json(store, ("community map view", str(run["id"]), limit), encode)(str(community_id))
    assert body is not None  # an unknown community raises NotFound from the cache
    return Response(body, media_type="application/json")
