"""``GET /v1/trust-paths``: the most trusted chains of introductions between two profiles.

Trust comes from explicit ratings (RATED) and, where there is none, from interactions (repeated positive
engagement = implicit trust, negative engagement = distrust; ``api.trust_network``). Every edge of a
path says which: ``origin`` ``rating`` (with the rating) or ``implicit`` (with the counts).
"""

from __future__ import annotations

import threading
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from algorithms.implicit_trust import TrustOrigin
from api.deps import ReadAccess
from api.trust_network import TrustNetworkCache
from graph.errors import NotFound

router = APIRouter(prefix="/v1", tags=["trust"])
_cache_lock = threading.Lock()


class TrustEdgePublic(BaseModel):
    source: str
    target: str
    trust: float  # rating / 10, or the implicit beta-reputation value, in (0, 1]
    origin: Literal["rating", "implicit"]
    rating: float | None = None  # the stored RATED rating, in (0, 10] (explicit edges)
    positive_interactions: int | None = None  # implicit edges: positive engagements source -> target
    negative_interactions: int | None = None  # implicit edges: negative engagements source -> target


class TrustPathPublic(BaseModel):
    nodes: list[str]
    edges: list[TrustEdgePublic]
    trust: float  # product of the edge trusts, in (0, 1]
    hops: int


class TrustPathsPublic(BaseModel):
    source: str
    target: str
    paths: list[TrustPathPublic]


def _cache(request: Request) -> TrustNetworkCache:
    with _cache_lock:
        cache = getattr(request.app.state, "trust_network_cache", None)
        if cache is None:
            cache = request.app.state.trust_network_cache = TrustNetworkCache()
        return cache


def _edge(source: str, target: str, trust: float, origin: TrustOrigin) -> TrustEdgePublic:
    if origin.kind == "rating":
        return TrustEdgePublic(
            source=source, target=target, trust=trust, origin="rating", rating=origin.rating
        )
    return TrustEdgePublic(
        source=source,
        target=target,
        trust=trust,
        origin="implicit",
        positive_interactions=origin.positive,
        negative_interactions=origin.negative,
    )


@router.get(
    "/trust-paths",
    response_model=TrustPathsPublic,
    summary="The k most trusted simple paths from source to target (distrust is never crossed)",
)
def get_trust_paths(
    request: Request,
    caller: ReadAccess,
    source: Annotated[str, Query(min_length=1, max_length=256, description="Profile id of the truster")],
    target: Annotated[str, Query(min_length=1, max_length=256, description="Profile id to reach")],
    k: Annotated[int, Query(ge=1, le=10, description="Number of paths")] = 3,
    max_hops: Annotated[int, Query(ge=1, le=6, description="Hop limit per path")] = 4,
) -> TrustPathsPublic:
    network, search = _cache(request).get(request.app.state.store)
    graph = network.graph
    for node_id in (source, target):
        if node_id not in graph:
            raise NotFound(f"no profile {node_id!r} with trust ratings or repeated engagement")
    paths = [] if source == target else search.paths(source, target, k=k, max_hops=max_hops)
    return TrustPathsPublic(
        source=source,
        target=target,
        paths=[
            TrustPathPublic(
                nodes=list(path.nodes),
                edges=[
                    _edge(e.source, e.target, e.trust, network.origins[(e.source, e.target)])
                    for e in path.edges
                ],
                trust=path.trust,
                hops=path.hops,
            )
            for path in paths
        ],
    )
