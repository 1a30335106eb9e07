"""A drawable map of a partitioned graph: the quotient graph of its communities and seeded 2-D layouts.

The *community graph* (quotient graph) has one node per community and, between two communities,
an undirected edge whose weight is the total weight of the directed edges running between their
members in either direction; edges inside one community are left out (they are the community's
``internal`` weight). This is the graph Louvain's second phase builds (Blondel et al. 2008), and
:func:`networkx.quotient_graph` computes the same sums.

Layouts are force-directed (Fruchterman & Reingold 1991, :func:`networkx.spring_layout`), seeded so
the same graph always gets the same picture, and scaled into the square ``[-1, 1]²``.

References
----------
.. [1] V. D. Blondel, J.-L. Guillaume, R. Lambiotte, E. Lefebvre, "Fast unfolding of communities in
   large networks", J. Stat. Mech. (2008) P10008.
.. [2] T. M. J. Fruchterman, E. M. Reingold, "Graph drawing by force-directed placement",
   Software: Practice and Experience 21(11), 1991.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np


@dataclass(frozen=True)
class CommunityEdge:
    """Engagement between two communities ``a < b``: summed weight of the edges between their members."""

    a: int
    b: int
    weight: float


def community_edges(
    community: np.ndarray, source: np.ndarray, target: np.ndarray, weight: np.ndarray
) -> tuple[list[CommunityEdge], dict[int, float]]:
    """Cross-community edges and each community's internal weight.

    Parameters
    ----------
    community : array of int
        Community of each node (by position); negative = unassigned (its edges are left out).
    source, target : array of int
        Node positions of each directed edge.
    weight : array of float
        Weight of each edge.

    Returns
    -------
    edges : list of CommunityEdge
        One per pair of communities with weight > 0 between them, ``a < b``, sorted by ``(a, b)``;
        both directions summed.
    internal : dict
        Community -> summed weight of the edges inside it (self-loops included).

    Examples
    --------
    >>> c = np.array([0, 0, 1, 1])
    >>> edges, internal = community_edges(c, np.array([0, 1, 2, 3]), np.array([1, 2, 3, 0]), np.ones(4))
    >>> [(e.a, e.b, e.weight) for e in edges], internal
    ([(0, 1, 2.0)], {0: 1.0, 1: 1.0})
    """
    community = np.asarray(community, dtype=np.int64)
    a = community[np.asarray(source, dtype=np.int64)]
    b = community[np.asarray(target, dtype=np.int64)]
    weight = np.asarray(weight, dtype=np.float64)
    assigned = (a >= 0) & (b >= 0)
    a, b, weight = a[assigned], b[assigned], weight[assigned]
    inside = a == b
    internal: dict[int, float] = {}
    if inside.any():
        keys, inverse = np.unique(a[inside], return_inverse=True)
        sums = np.bincount(inverse.reshape(-1), weights=weight[inside])
        internal = {int(k): float(s) for k, s in zip(keys.tolist(), sums.tolist(), strict=True)}
    low, high, cross = np.minimum(a, b)[~inside], np.maximum(a, b)[~inside], weight[~inside]
    if low.size == 0:
        return [], internal
    width = int(high.max()) + 1
    keys, inverse = np.unique(low * width + high, return_inverse=True)
    sums = np.bincount(inverse.reshape(-1), weights=cross)
    edges = [
        CommunityEdge(int(k // width), int(k % width), float(s))
        for k, s in zip(keys.tolist(), sums.tolist(), strict=True)
        if s > 0
    ]
    return edges, internal


def spring_positions(
    nodes: Sequence[Hashable],
    edges: Iterable[tuple[Hashable, Hashable, float]],
    *,
    seed: int = 0,
    iterations: int = 100,
) -> dict[Hashable, tuple[float, float]]:
    """Seeded Fruchterman–Reingold positions in ``[-1, 1]²`` (:func:`networkx.spring_layout`).

    Edge weights pull harder (``weight`` attribute); weights are scaled by their maximum first so the
    layout does not depend on the unit. Nodes without edges are placed too. One node sits at
    ``(0, 0)``; two or more are centred, their distances from the centre compressed by a square root
    (a few weakly tied outliers would otherwise squeeze everything else into the middle of the
    picture; the order of distances is kept), and rescaled so the largest coordinate magnitude is 1.

    Examples
    --------
    >>> spring_positions(["a"], [])
    {'a': (0.0, 0.0)}
    >>> p = spring_positions(["a", "b", "c"], [("a", "b", 1.0), ("b", "c", 1.0)], seed=1)
    >>> p == spring_positions(["a", "b", "c"], [("a", "b", 1.0), ("b", "c", 1.0)], seed=1)
    True
    >>> max(abs(v) for xy in p.values() for v in xy)
    1.0
    """
    graph: nx.Graph = nx.Graph()
    graph.add_nodes_from(nodes)
    edge_list = [(u, v, float(w)) for u, v, w in edges if u != v and w > 0]
    top = max((w for _, _, w in edge_list), default=1.0)
    graph.add_weighted_edges_from((u, v, w / top) for u, v, w in edge_list)
    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_nodes() == 1:
        return {next(iter(graph.nodes)): (0.0, 0.0)}
    layout = nx.spring_layout(graph, weight="weight", seed=seed, iterations=iterations)
    coords = np.array([layout[node] for node in graph.nodes])
    coords -= coords.mean(axis=0)
    radius = np.hypot(coords[:, 0], coords[:, 1])
    coords *= (np.sqrt(radius) / np.where(radius > 0, radius, 1.0))[:, None]
    scale = float(np.abs(coords).max()) or 1.0
    coords /= scale
    return {
        node: (round(float(x), 6), round(float(y), 6))
        for node, (x, y) in zip(graph.nodes, coords.tolist(), strict=True)
    }
