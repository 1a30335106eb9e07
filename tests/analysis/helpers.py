"""Small graphs written into the store through GraphWrites, for the analysis tests."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from graph.model import LIKED, MENTIONS, POSTED, REPLY_TO, SHARED, Label
from graph.writes import GraphWrites

T0 = 1_700_000_000_000
DAY = 86_400_000


def profile_id(node: object) -> str:
    return f"k:{node}"


def add_profile(writes: GraphWrites, node_id: str) -> None:
    writes.add_node_properties(Label.PROFILE, {"id": node_id, "platform": "test", "handle": node_id})


def add_post(writes: GraphWrites, author: str, post_id: str, at: int, **props: object) -> None:
    writes.add_node_properties(Label.POST, {"id": post_id, "text": "", "created_at": at, **props})
    writes.add_relationship(POSTED, author, post_id)


def add_interaction(writes: GraphWrites, kind: str, source: str, target: str, at: int, tag: str) -> None:
    """One interaction ``source -> target`` of ``kind``; ``tag`` makes its posts unique."""
    target_post = f"post:{target}:{tag}"
    if kind == "like":
        add_post(writes, target, target_post, at)
        writes.add_relationship(LIKED, source, target_post, at=at)
    elif kind == "share":
        add_post(writes, target, target_post, at)
        writes.add_relationship(SHARED, source, target_post, at=at)
    elif kind == "reply":
        add_post(writes, target, target_post, at)
        reply = f"post:{source}:reply:{tag}"
        add_post(writes, source, reply, at)
        writes.add_relationship(REPLY_TO, reply, target_post)
    elif kind == "mention":
        own = f"post:{source}:mention:{tag}"
        add_post(writes, source, own, at)
        writes.add_relationship(MENTIONS, own, target, at=at)
    else:
        raise ValueError(kind)


def interactions_writes(
    nodes: Iterable[object], interactions: Iterable[tuple[object, object, str, int]]
) -> GraphWrites:
    """Profiles ``k:<node>`` and one interaction per ``(u, v, kind, at)`` tuple."""
    writes = GraphWrites()
    for node in nodes:
        add_profile(writes, profile_id(node))
    for number, (u, v, kind, at) in enumerate(interactions):
        add_interaction(writes, kind, profile_id(u), profile_id(v), at, f"i{number}")
    return writes


def random_interactions(
    count: int, *, nodes: int, seed: int, self_loops: bool = True
) -> list[tuple[int, int, str, int]]:
    """``count`` seeded random (source, target, kind, time) interactions among ``nodes`` profiles,
    times spread over the 100 days before ``T0`` (the input of ``interactions_writes``);
    ``self_loops=False`` drops the draws whose source is their target."""
    rng = np.random.default_rng(seed)
    kinds = ("reply", "mention", "share", "like")
    rows = zip(
        rng.integers(0, nodes, count),
        rng.integers(0, nodes, count),
        rng.integers(0, 4, count),
        rng.integers(0, 100, count),
        strict=True,
    )
    return [
        (int(u), int(v), kinds[int(k)], T0 - int(age) * DAY) for u, v, k, age in rows if self_loops or u != v
    ]
