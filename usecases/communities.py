"""Reads of the current run's communities for the API and the CLI: each community's size and
reach, their readable labels, and the bridges between communities, each held while the read view
stands (:mod:`usecases.read_view`), since each is an aggregation over the run's profiles.

Community ids are the run's stable ids (``algorithms/communities.py``); labels are written by the
analysis (``usecases/community_labels.py``); a bridge is a profile with a high brokerage score
(betweenness, ``algorithms/influence.py``) whose neighbours span several communities
(``cypher/analyst/community_bridges.cypher``).
"""

from __future__ import annotations

from typing import Any

from graph.store import CypherGraphStore
from usecases.read_view import memoized


def communities_by_size(
    store: CypherGraphStore, run_id: str | None, *, roles: list[str], top: int, skip: int, limit: int
) -> list[dict[str, Any]]:
    """Rows ``skip`` to ``skip + limit`` of run ``run_id``'s communities, largest first (then by id),
    each with its ``top`` members by influence among the ``roles`` asked for (``api.communities``)."""
    params = {"run_id": run_id, "roles": roles, "top": top, "skip": skip, "limit": limit}
    return memoized(
        store,
        ("api.communities", run_id, tuple(roles), top, skip, limit),
        lambda: store.run("api.communities", params),
    )


def community_stats(store: CypherGraphStore, run_id: str) -> dict[int, dict[str, Any]]:
    """Size, reach and mean influence of every community of run ``run_id``, by id: one aggregation over
    the run's profiles (``Profile.community`` has no index to find one community's members by)."""
    return memoized(
        store,
        ("api.community_stats", run_id),
        lambda: {int(row["community"]): row for row in store.run("api.community_stats", {"run_id": run_id})},
    )


def community_label_texts(store: CypherGraphStore, communities: list[int]) -> dict[int, str]:
    """The labels of the given community ids; ids without one are left out."""
    if not communities:
        return {}
    rows = memoized(
        store,
        ("api.community_labels", tuple(communities)),
        lambda: store.run("api.community_labels", {"communities": communities}),
    )
    return {int(row["community"]): row["label"] for row in rows if row["label"] is not None}


def community_bridges(
    store: CypherGraphStore, run_id: str, *, roles: list[str], min_communities: int, limit: int
) -> list[dict[str, Any]]:
    """The ``limit`` profiles of run ``run_id`` with the highest brokerage whose neighbours are in at
    least ``min_communities`` communities, among the ``roles`` asked for; rows of
    ``analyst.community_bridges``."""
    params = {"roles": roles, "min_communities": min_communities, "limit": limit}
    return memoized(
        store,
        ("analyst.community_bridges", run_id, tuple(roles), min_communities, limit),
        lambda: store.run("analyst.community_bridges", params),
    )
