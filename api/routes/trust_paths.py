"""``GET /v1/trust-paths``: the most trusted chains of RATED introductions between two profiles."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from algorithms.trust import trust_paths
from api.analysis import TrustGraphCache
from api.deps import ReadAccess
from graph.errors import NotFound

router = APIRouter(prefix="/v1", tags=["trust"])
_cache_lock = threading.Lock()


class TrustEdgePublic(BaseModel):
    source: str
    target: str
    trust: float  # rating / 10, in (0, 1]
    rating: float  # the stored RATED rating, in (0, 10]


class TrustPathPublic(BaseModel):
    nodes: list[str]
    edges: list[TrustEdgePublic]
    trust: float  # product of the edge trusts, in (0, 1]
    hops: int


class TrustPathsPublic(BaseModel):
    source: str
    target: str
    paths: list[TrustPathPublic]


def _cache(request: Request) -> TrustGraphCache:
    with _cache_lock:
        cache = getattr(request.app.state, "trust_graph_cache", None)
        if cache is None:
            cache = request.app.state.trust_graph_cache = TrustGraphCache()
        return cache


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
    graph = _cache(request).get(request.app.state.store)
    for node_id in (source, target):
        if node_id not in graph:
            raise NotFound(f"no profile {node_id!r} with trust ratings")
    paths = [] if source == target else trust_paths(graph, source, target, k=k, max_hops=max_hops)
    return TrustPathsPublic(
        source=source,
        target=target,
        paths=[
            TrustPathPublic(
                nodes=list(path.nodes),
                edges=[
                    TrustEdgePublic(
                        source=e.source, target=e.target, trust=e.trust, rating=round(e.trust * 10, 9)
                    )
                    for e in path.edges
                ],
                trust=path.trust,
                hops=path.hops,
            )
            for path in paths
        ],
    )
