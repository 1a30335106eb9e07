"""Neo4j Graph Data Science as the reference for Rapport's analysis, on the same stored graph.

Rapport computes its scores in Python over its own projection (:mod:`graph.projection`,
:mod:`algorithms`). On Neo4j the same engagement graph can be projected into GDS straight from the
stored interactions, with Rapport's weighting re-stated in Cypher, and GDS's own algorithms run on
it: the test suite checks Rapport's scores against these (``tests/analysis/test_gds_reference.py``)
and ``bench/analyze.py --store neo4j`` times both on one graph.

The statements live in ``neo4j/gds/*.cypher`` (same format as the query catalogue: a ``//`` summary,
``:param`` lines, so they paste into the Neo4j Browser), not in ``cypher/``: they call ``gds.*``
procedures, which only Neo4j with the GDS plugin has (the local server of
:mod:`graph.engines.local_neo4j` and the production compose file both load it).

What GDS returns, and how it relates to Rapport's numbers:

* PageRank (``gds.pageRank``): scores that do not sum to 1, because GDS neither normalises nor
  hands a dangling node's mass on. Rapport hands it to the teleport vector (as networkx does); that
  only rescales the solution of ``x = d P^T x + (1 - d) v``, so the two agree after dividing each by
  its sum. With ``seed_ids`` the teleport set is those profiles (personalized PageRank).
* Betweenness (``gds.betweenness``): raw sums of pair dependencies over ordered pairs (directed,
  unweighted); Rapport reports them divided by ``(n - 1)(n - 2)``.
* Louvain (``gds.louvain``) on the undirected copy of the same rows, so a pair's weight is
  ``w(a, b) + w(b, a)`` as in Rapport's symmetrised graph.

References: Neo4j Graph Data Science manual 2.13, "Cypher projection", "PageRank",
"Betweenness Centrality", "Louvain" (https://neo4j.com/docs/graph-data-science/2.13/).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graph.catalogue import parse_query
from graph.errors import ConfigError

GDS_QUERIES = Path(__file__).resolve().parents[1] / "neo4j" / "gds"
ENGAGED = "ENGAGED"


@cache
def gds_query(name: str) -> str:
    """The statement of ``neo4j/gds/<name>.cypher`` (``:param`` lines and comments stripped)."""
    path = GDS_QUERIES / f"{name}.cypher"
    if not path.exists():
        raise ConfigError(f"the GDS reference statement is missing: {path} (a source checkout has it)")
    return parse_query(f"gds.{name}", path.read_text(encoding="utf-8"), path).text


def _run(store: Any, name: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    return store.execute_text(gds_query(name), dict(params), write=True)


@dataclass(frozen=True)
class GdsProjection:
    """A GDS in-memory graph of the engagement graph: its name and size as GDS reports them.

    ``relationships`` counts the directed ``ENGAGED`` relationships once and the undirected copy
    twice (GDS stores an undirected relationship in both directions).
    """

    name: str
    nodes: int
    relationships: int
    project_millis: int


def project_engagement(
    store: Any,
    name: str,
    *,
    as_of_ms: int,
    half_life_ms: float | None,
    kind_weights: Mapping[str, float],
) -> GdsProjection:
    """Project the engagement graph with Rapport's weights (``kind_weights``: reply, mention, share, like)."""
    rows = _run(
        store,
        "project_engagement",
        {
            "graph_name": name,
            "as_of_ms": int(as_of_ms),
            "half_life_ms": None if half_life_ms is None else float(half_life_ms),
            "reply_weight": float(kind_weights["reply"]),
            "mention_weight": float(kind_weights["mention"]),
            "share_weight": float(kind_weights["share"]),
            "like_weight": float(kind_weights["like"]),
        },
    )
    row = rows[0]
    return GdsProjection(
        row["graph"], int(row["nodes"]), int(row["relationships"]), int(row["project_millis"])
    )


def pagerank(
    store: Any,
    name: str,
    *,
    damping: float = 0.85,
    seed_ids: Iterable[str] = (),
    tolerance: float = 1e-10,
    max_iterations: int = 1000,
    limit: int | None = None,
) -> dict[str, float]:
    """GDS PageRank scores by profile id, as GDS returns them (not normalised); personalized if ``seed_ids``.

    ``limit`` keeps the highest scores only (ties by GDS node id).
    """
    rows = _run(
        store,
        "pagerank",
        {
            "graph_name": name,
            "seed_ids": sorted(set(seed_ids)),
            "damping": float(damping),
            "tolerance": float(tolerance),
            "max_iterations": int(max_iterations),
            "limit": int(limit) if limit is not None else 2**62,
        },
    )
    return {row["id"]: float(row["score"]) for row in rows}


def betweenness(store: Any, name: str, *, sampling_size: int, seed: int = 0) -> dict[str, float]:
    """GDS betweenness (raw, directed, unweighted) from ``sampling_size`` sources; all nodes = exact."""
    rows = _run(
        store, "betweenness", {"graph_name": name, "sampling_size": int(sampling_size), "seed": int(seed)}
    )
    return {row["id"]: float(row["score"]) for row in rows}


@dataclass(frozen=True)
class GdsCommunities:
    """GDS Louvain's partition (community id by profile id) and the modularity GDS reports for it."""

    membership: dict[str, int]
    modularity: float
    levels: int
    compute_millis: int


def louvain(store: Any, name: str, *, concurrency: int = 1, prop: str = "community") -> GdsCommunities:
    """GDS Louvain, weighted, on the undirected copy; ``concurrency=1`` makes it deterministic."""
    stats = _run(store, "louvain", {"graph_name": name, "property": prop, "concurrency": int(concurrency)})[0]
    rows = _run(store, "node_property", {"graph_name": name, "property": prop})
    return GdsCommunities(
        {row["id"]: int(row["value"]) for row in rows},
        float(stats["modularity"]),
        int(stats["levels"]),
        int(stats["compute_millis"]),
    )


def drop(store: Any, name: str) -> None:
    """Drop the projection ``name`` if it exists."""
    _run(store, "drop_graph", {"graph_name": name})


def size_bytes(store: Any, name: str) -> int:
    """Heap bytes the projection ``name`` holds, as GDS estimates them."""
    return int(_run(store, "graph_size", {"graph_name": name})[0]["bytes"])
