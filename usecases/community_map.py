"""The community map: the current run's communities as a drawable network, and one community opened up.

Two views, both laid out here on the server, once per analysis run (cached in memory, rebuilt when a
new run becomes current), so a browser only draws:

- :meth:`CommunityMapCache.overview`: one node per community (size = members, ``influence`` = the
  community's summed PageRank), edges weighted by the engagement between their members in either
  direction (:func:`algorithms.community_map.community_edges`), the largest ``limit`` communities.
- :meth:`CommunityMapCache.community`: the ``limit`` most influential members of one community and
  the engagement edges among them (never the whole community: a drawing of 100k nodes helps nobody).

Engagement weight of an edge is ``sum over interactions of kind_weight`` (reply 3, mention 2, share 2,
like 1: :class:`algorithms.projection.EngagementWeights`), without time decay: the map shows who
talks with whom over the data's whole span. The projection is read with the analysis's own reader
(:func:`graph.projection.read_profiles_and_engagement`); positions come from a seeded
Fruchterman–Reingold layout (:func:`algorithms.community_map.spring_positions`), so the same run
always gives the same picture.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from algorithms.community_map import CommunityEdge, community_edges, spring_positions
from algorithms.projection import EngagementWeights
from graph import projection
from graph.errors import NotFound
from graph.inline import may_wait, waiting_for
from graph.store import CypherGraphStore
from usecases.roles import roles_of

LAYOUT_SEED = 0
_VIEW_CACHE_SIZE = 64


@dataclass(frozen=True)
class RunEngagement:
    """One run's engagement projection: weighted directed edges between profile positions."""

    run_id: str
    position: dict[str, int]
    community: np.ndarray
    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    communities: list[dict[str, Any]]
    edges: list[CommunityEdge]
    internal: dict[int, float]


def read_run_engagement(store: CypherGraphStore, run_id: str) -> RunEngagement:
    """Read the engagement projection and the run's communities, aggregated for the map."""
    profiles, engagement = projection.read_profiles_and_engagement(store, as_of_ms=None, half_life_ms=None)
    kind_weight = np.array([EngagementWeights().as_mapping()[kind] for kind in projection.ENGAGEMENT_KINDS])
    weight = kind_weight[engagement.kind.astype(np.int64)] * engagement.interactions
    community = np.array([-1 if c is None else int(c) for c in profiles.community], dtype=np.int64)
    edges, internal = community_edges(community, engagement.source, engagement.target, weight)
    communities = [
        dict(row)
        for row in store.run(
            "api.community_map_communities",
            {"run_id": run_id, "top": 3, "roles": list(roles_of(None))},  # customers, as each community lists
        )
    ]
    return RunEngagement(
        run_id=run_id,
        position={node_id: index for index, node_id in enumerate(profiles.ids)},
        community=community,
        source=np.asarray(engagement.source, dtype=np.int64),
        target=np.asarray(engagement.target, dtype=np.int64),
        weight=weight,
        communities=communities,
        edges=edges,
        internal=internal,
    )


class CommunityMapCache:
    """Map data and layouts of the current run, computed on first use and kept until the run changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: RunEngagement | None = None
        self._views: OrderedDict[tuple[Any, ...], dict[str, Any]] = OrderedDict()

    def _run_data(self, store: CypherGraphStore, run_id: str) -> RunEngagement:
        if self._data is None or self._data.run_id != run_id:
            self._data = read_run_engagement(store, run_id)
            self._views.clear()
        return self._data

    def _remember(self, key: tuple[Any, ...], view: dict[str, Any]) -> dict[str, Any]:
        self._views[key] = view
        while len(self._views) > _VIEW_CACHE_SIZE:
            self._views.popitem(last=False)
        return view

    def overview(self, store: CypherGraphStore, run_id: str, *, limit: int) -> dict[str, Any]:
        """The largest ``limit`` communities with their positions and the edges between them."""
        with waiting_for(self._lock, "the community map"):
            data = self._run_data(store, run_id)
            key = ("overview", limit)
            if key in self._views:
                return self._views[key]
            may_wait("a community map layout")
            shown = data.communities[:limit]
            ids = {int(row["community"]) for row in shown}
            edges = [edge for edge in data.edges if edge.a in ids and edge.b in ids]
            positions = spring_positions(
                [int(row["community"]) for row in shown],
                [(edge.a, edge.b, edge.weight) for edge in edges],
                seed=LAYOUT_SEED,
            )
            nodes = [
                {
                    "id": int(row["community"]),
                    "size": int(row["size"]),
                    "influence": float(row.get("influence") or 0.0),
                    "internal_engagement": data.internal.get(int(row["community"]), 0.0),
                    "x": positions[int(row["community"])][0],
                    "y": positions[int(row["community"])][1],
                    "top_members": list(row.get("top") or []),
                }
                for row in shown
            ]
            view = {
                "communities_total": len(data.communities),
                "nodes": nodes,
                "edges": [{"source": e.a, "target": e.b, "weight": e.weight} for e in edges],
            }
            return self._remember(key, view)

    def community(
        self, store: CypherGraphStore, run_id: str, community_id: int, *, limit: int
    ) -> dict[str, Any]:
        """The ``limit`` most influential members of a community, their positions and engagement edges."""
        with waiting_for(self._lock, "the community map"):
            data = self._run_data(store, run_id)
            key = ("community", community_id, limit)
            if key in self._views:
                return self._views[key]
            may_wait("a community map layout")
            summary = next((row for row in data.communities if int(row["community"]) == community_id), None)
            if summary is None:
                raise NotFound(f"no community {community_id} in the current analysis run")
            params = {
                "run_id": run_id,
                "community": community_id,
                "after": 0,
                "platform": None,
                "roles": list(roles_of(None)),  # customers, as the community's member list shows
                "limit": limit,
            }
            members = store.run("api.influencers_in_community", params)
            ids = [row["id"] for row in members]
            index = np.array([data.position.get(node_id, -1) for node_id in ids], dtype=np.int64)
            local = np.full(len(data.position), -1, dtype=np.int64)
            known = index >= 0
            local[index[known]] = np.nonzero(known)[0]
            src, dst = local[data.source], local[data.target]
            keep = (src >= 0) & (dst >= 0) & (src != dst)
            pairs: dict[tuple[int, int], float] = {}
            for s, t, w in zip(
                src[keep].tolist(), dst[keep].tolist(), data.weight[keep].tolist(), strict=True
            ):
                pairs[(s, t)] = pairs.get((s, t), 0.0) + w
            positions = spring_positions(
                list(range(len(ids))), [(s, t, w) for (s, t), w in pairs.items()], seed=LAYOUT_SEED
            )
            nodes = [
                {
                    "id": row["id"],
                    "handle": row.get("handle"),
                    "platform": row.get("platform"),
                    "influence": row.get("influence"),
                    "rank": row.get("rank"),
                    "reach": row.get("reach"),
                    "x": positions[i][0],
                    "y": positions[i][1],
                }
                for i, row in enumerate(members)
            ]
            edges = [{"source": ids[s], "target": ids[t], "weight": w} for (s, t), w in sorted(pairs.items())]
            view = {
                "id": community_id,
                "size": int(summary["size"]),
                "influence": float(summary.get("influence") or 0.0),
                "nodes": nodes,
                "edges": edges,
            }
            return self._remember(key, view)
