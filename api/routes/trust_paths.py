"""``GET /v1/trust-paths``: the most trusted chains of introductions between two profiles, or from a brand's
own accounts to a profile.

Trust comes from explicit ratings (RATED) and, where there is none, from interactions (repeated positive
engagement = implicit trust, negative engagement = distrust; ``usecases.trust_network``). Every edge of a
path says which: ``origin`` ``rating`` (with the rating) or ``implicit`` (with the counts).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from api.deps import ReadAccess
from api.inline import HeldFirstRoute
from usecases.lookups import profile_handles
from usecases.trust_network import TrustHop, trust_paths

router = APIRouter(prefix="/v1", tags=["trust"], route_class=HeldFirstRoute)


class TrustEdge(BaseModel):
    source: str
    target: str
    trust: float  # rating / 10, or the implicit beta-reputation value, in (0, 1]
    origin: Literal["rating", "implicit"]
    rating: float | None = None  # the stored RATED rating, in (0, 10] (explicit edges)
    positive_interactions: int | None = None  # implicit edges: positive engagements source -> target
    negative_interactions: int | None = None  # implicit edges: negative engagements source -> target


class TrustPath(BaseModel):
    nodes: list[str]
    handles: list[str | None] = Field(
        default_factory=list, description="each node's handle (null when unknown)"
    )
    edges: list[TrustEdge]
    trust: float  # product of the edge trusts, in (0, 1]
    hops: int


class TrustPaths(BaseModel):
    source: str
    target: str
    paths: list[TrustPath]


def _edge(hop: TrustHop) -> TrustEdge:
    origin = hop.origin
    if origin.kind == "rating":
        return TrustEdge(
            source=hop.source, target=hop.target, trust=hop.trust, origin="rating", rating=origin.rating
        )
    return TrustEdge(
        source=hop.source,
        target=hop.target,
        trust=hop.trust,
        origin="implicit",
        positive_interactions=origin.positive,
        negative_interactions=origin.negative,
    )


@router.get(
    "/trust-paths",
    response_model=TrustPaths,
    summary="The k most trusted simple paths from source to target (distrust is never crossed)",
)
def get_trust_paths(
    request: Request,
    caller: ReadAccess,
    source: Annotated[
        str,
        Query(
            min_length=1,
            max_length=256,
            description="Profile id of the truster, or a brand id: paths from any of the brand's own accounts",
        ),
    ],
    target: Annotated[str, Query(min_length=1, max_length=256, description="Profile id to reach")],
    k: Annotated[int, Query(ge=1, le=10, description="Number of paths")] = 3,
    max_hops: Annotated[int, Query(ge=1, le=6, description="Hop limit per path")] = 4,
) -> TrustPaths:
    store, cache = request.app.state.store, request.app.state.trust_network_cache
    paths = trust_paths(cache, store, source, target, k=k, max_hops=max_hops)
    handles = profile_handles(store, {node for path in paths for node in path.nodes})
    return TrustPaths(
        source=source,
        target=target,
        paths=[
            TrustPath(
                nodes=list(path.nodes),
                handles=[handles.get(node) for node in path.nodes],
                edges=[_edge(hop) for hop in path.hops],
                trust=path.trust,
                hops=len(path.hops),
            )
            for path in paths
        ],
    )
