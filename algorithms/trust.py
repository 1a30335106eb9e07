"""Trust paths: the most trusted chains of introductions from one profile to another.

A trust graph stores, per rater -> ratee pair, trust in ``(0, 1]`` (a positive rating divided by
the rating scale) or distrust in ``[-1, 0]``. A path's trust is the product of its edge trusts
(multiplicative trust propagation, Guha, Kumar, Raghavan & Tomkins, "Propagation of trust and
distrust", WWW 2004); distrust and zero edges never carry trust.
"""

from __future__ import annotations

import heapq
import math
import queue
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from algorithms.projection import DirectedGraph


@dataclass(frozen=True)
class TrustEdge:
    """One hop of a trust path: ``source`` trusts ``target`` with ``trust`` in ``(0, 1]``."""

    source: str
    target: str
    trust: float


@dataclass(frozen=True)
class TrustPath:
    """A simple path of positive-trust edges.

    Attributes
    ----------
    nodes : tuple of str
        From the source to the target, no repeats.
    edges : tuple of TrustEdge
    trust : float
        Product of the edge trusts, in ``(0, 1]``; 1 only if every edge has full trust.
    hops : int
        Number of edges.
    """

    nodes: tuple[str, ...]
    edges: tuple[TrustEdge, ...]
    trust: float
    hops: int


def trust_graph(
    sources: Sequence[str],
    targets: Sequence[str],
    ratings: Sequence[float] | np.ndarray,
    scale: float = 10.0,
    nodes: Sequence[str] = (),
) -> DirectedGraph:
    """The trust graph from ratings: edge weight ``rating / scale`` in ``[-1, 1]``.

    Positive weights are trust, negative ones distrust (kept, e.g. for detractor analysis, but
    never used by :func:`trust_paths`). A rater rates a ratee at most once: pass the latest rating
    per pair; duplicate pairs raise :class:`ValueError` instead of being summed.
    """
    ratings = np.asarray(ratings, dtype=np.float64)
    if not scale > 0:
        raise ValueError("scale must be > 0")
    weights = ratings / scale
    if np.any(np.abs(weights) > 1.0):
        raise ValueError(f"ratings must lie in [-{scale}, {scale}]")
    graph = DirectedGraph.from_edges(sources, targets, weights, nodes=nodes)
    if graph.m != len(ratings):
        raise ValueError("duplicate (source, target) ratings: keep one rating per pair")
    return graph


class _HopLimitedSearch:
    """Cheapest walks with at most ``h`` hops by layered Bellman-Ford over positive-trust edges.

    Cost is ``-log(trust) >= 0``. With non-negative costs the cheapest walk of at most ``h``
    hops can be shortened to a simple path (drop its cycles) without raising its cost or hop
    count, so the cheapest ``<= h``-hop walk has the cost of the most trusted ``<= h``-hop simple
    path - which makes this search exact under a hop limit, where plain Dijkstra (one label per
    node) is not. Round ``j`` uses only round ``j - 1`` distances (Jacobi update), so after round
    ``j`` a distance is the optimum over walks of at most ``j`` hops. Updates must be strict
    improvements, so the reconstructed walk is already simple (it is also checked).

    A search costs what it reaches, not ``n``: the distances live in an array of all nodes that is
    kept between searches (a small pool, one per concurrent search) and reset only where a search
    wrote; a round remembers only the nodes it improved. A round whose frontier has at most
    ``python_edges`` out-edges is relaxed in plain Python (cheaper than numpy's per-call cost on a
    few dozen edges, the API's usual question); a larger one is vectorised. Both pick the same
    edges (tested).
    """

    _POOLED = 4  # scratch arrays of each kind kept for reuse; more concurrent searches allocate their own

    def __init__(self, graph: DirectedGraph, python_edges: int = 32) -> None:
        positive = graph.weight > 0
        positive &= graph.src != graph.dst
        self.n = graph.n
        self.src = graph.src[positive]
        self.dst = graph.dst[positive]
        self.trust = graph.weight[positive]
        self.cost = -np.log(self.trust)
        # edges are sorted by source (DirectedGraph's order): node v's out-edges are
        # edge indices first_edge[v] .. first_edge[v + 1] - 1
        self.first_edge = np.searchsorted(self.src, np.arange(self.n + 1))
        self.python_edges = python_edges
        self._distance: queue.SimpleQueue[np.ndarray] = queue.SimpleQueue()
        self._round_best: queue.SimpleQueue[np.ndarray] = queue.SimpleQueue()

    def _scratch(self, pool: queue.SimpleQueue[np.ndarray]) -> np.ndarray:
        """An array of ``n`` infinities from ``pool`` (or a new one); give it back with :meth:`_release`."""
        try:
            return pool.get_nowait()
        except queue.Empty:
            return np.full(self.n, np.inf)

    def _release(self, pool: queue.SimpleQueue[np.ndarray], array: np.ndarray) -> None:
        """Return an array reset to all infinities to ``pool``, which keeps at most :attr:`_POOLED`."""
        if pool.qsize() < self._POOLED:
            pool.put(array)

    def _out_edges(self, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Indices of the out-edges of ``nodes`` (sorted node indices) in increasing edge order, and
        how many each node has."""
        starts = self.first_edge[nodes]
        counts = self.first_edge[nodes + 1] - starts
        total = int(counts.sum())
        if total == 0:
            return np.empty(0, dtype=np.int64), counts
        offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
        return offsets + np.arange(total), counts

    def _round_in_python(
        self, frontier: np.ndarray, distance: np.ndarray, blocked_nodes: set[int], blocked_edges: set[int]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Improved nodes (sorted), their new distances and winning edges: one round from ``frontier``."""
        best: dict[int, tuple[float, int]] = {}
        first_edge, dst, cost = self.first_edge, self.dst, self.cost
        for node in frontier.tolist():
            start, stop = int(first_edge[node]), int(first_edge[node + 1])
            base = float(distance[node])
            for edge, target, edge_cost in zip(
                range(start, stop), dst[start:stop].tolist(), cost[start:stop].tolist(), strict=True
            ):
                if target in blocked_nodes or edge in blocked_edges:
                    continue
                candidate = base + edge_cost
                held = best.get(target)
                if held is None or candidate < held[0] or (candidate == held[0] and edge < held[1]):
                    best[target] = (candidate, edge)
        improved = sorted(node for node, (candidate, _) in best.items() if candidate < distance[node])
        return (
            np.array(improved, dtype=np.int64),
            np.array([best[node][0] for node in improved], dtype=np.float64),
            np.array([best[node][1] for node in improved], dtype=np.int64),
        )

    def _round_vectorised(
        self, frontier: np.ndarray, distance: np.ndarray, blocked_nodes: set[int], blocked_edges: set[int]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`_round_in_python` with numpy over the frontier's out-edges."""
        edges, counts = self._out_edges(frontier)
        candidate = np.repeat(distance[frontier], counts) + self.cost[edges]
        dst = self.dst[edges]
        if blocked_nodes or blocked_edges:
            keep = np.ones(edges.size, dtype=bool)
            if blocked_nodes:
                keep &= ~np.isin(dst, np.fromiter(blocked_nodes, dtype=np.int64))
            if blocked_edges:
                keep &= ~np.isin(edges, np.fromiter(blocked_edges, dtype=np.int64))
            edges, dst, candidate = edges[keep], dst[keep], candidate[keep]
        # the cheapest candidate per node: a scratch array of all nodes, inf except while a round runs
        best = self._scratch(self._round_best)
        try:
            np.minimum.at(best, dst, candidate)
            # winners are in increasing edge order, so the first per node is its lowest edge index
            winners = np.flatnonzero(candidate == best[dst])
            dst, first = np.unique(dst[winners], return_index=True)
            edges, candidate = edges[winners[first]], best[dst]
        finally:
            best[dst] = np.inf
            self._release(self._round_best, best)
        improved = candidate < distance[dst]
        return dst[improved], candidate[improved], edges[improved]

    def cheapest(
        self, source: int, target: int, max_hops: int, blocked_nodes: set[int], blocked_edges: set[int]
    ) -> list[int] | None:
        """Edge indices of the cheapest ``<= max_hops``-hop path, or ``None`` if there is none.

        Each round relaxes only the out-edges of the nodes the previous round improved (the
        frontier): an edge whose source kept its distance offers the same candidate as in the
        round before, which cannot improve its target again. So a round costs the frontier's
        out-degree, not ``m``, with the same distances and the same winning edges (the lowest
        edge index among equal candidates) as relaxing every edge.
        """
        if max_hops < 1 or source in blocked_nodes:
            return None
        distance = self._scratch(self._distance)
        written = [np.array([source], dtype=np.int64)]
        try:
            distance[source] = 0.0
            frontier = written[0]
            # layers[j]: the nodes round j improved (sorted) and the last edge of their cheapest walk
            layers: list[tuple[np.ndarray, np.ndarray]] = []
            for _ in range(max_hops):
                out_edges = int((self.first_edge[frontier + 1] - self.first_edge[frontier]).sum())
                step = self._round_in_python if out_edges <= self.python_edges else self._round_vectorised
                nodes, distances, edges = step(frontier, distance, blocked_nodes, blocked_edges)
                if nodes.size == 0:
                    break
                written.append(nodes)  # first, so the array goes back to the pool clean whatever happens
                distance[nodes] = distances  # after the round: it read only the round before's distances
                layers.append((nodes, edges))
                frontier = nodes
            if not np.isfinite(distance[target]):
                return None
        finally:
            distance[np.concatenate(written)] = np.inf
            self._release(self._distance, distance)
        path: list[int] = []
        node, layer = target, len(layers) - 1
        while node != source:
            while True:
                nodes, edges = layers[layer]
                at = int(np.searchsorted(nodes, node))
                if at < nodes.size and nodes[at] == node:
                    break
                layer -= 1
            edge = int(edges[at])
            path.append(edge)
            node, layer = int(self.src[edge]), layer - 1
        path.reverse()
        return path


def trust_paths(
    trust: DirectedGraph,
    source: str,
    target: str,
    k: int = 3,
    max_hops: int | None = 4,
) -> list[TrustPath]:
    """The ``k`` most trusted simple paths from ``source`` to ``target`` within ``max_hops`` edges.

    Path trust is the product of the edge trusts, in ``(0, 1]``; only edges with positive trust
    are used (distrust and zero-trust edges are never crossed), and a path never passes through a
    profile ``source`` itself distrusts (its own negative edge to it: an introduction through someone
    you distrust is no warm one; the target may be distrusted). Paths are returned by decreasing
    trust, equal trust broken deterministically (fewer hops first); fewer than ``k`` are returned
    when fewer exist.

    Method: Yen's k shortest simple paths (Yen 1971) on edge cost ``-log(trust)``, whose
    shortest-path subroutine is a hop-limited layered Bellman-Ford (exact under the remaining
    hop budget, see :class:`_HopLimitedSearch`). A spur path from the ``i``-th node of a path
    gets the budget ``max_hops - i``. Cost per path found: at most ``O(L * max_hops * m)`` for
    paths of ``L`` hops, vectorised over edges; each round relaxes only the out-edges of the nodes
    the round before improved, so a search that stays local costs far less. To ask many questions
    of one graph, build a :class:`TrustPathSearch` once.

    Parameters
    ----------
    trust : DirectedGraph
        Trust graph from :func:`trust_graph` (weights in ``[-1, 1]``).
    source, target : str
        Distinct node ids.
    k : int
        Number of paths wanted (>= 1).
    max_hops : int or None
        Hop limit; ``None`` means no limit (``n - 1``).

    Returns
    -------
    list of TrustPath

    References
    ----------
    .. [1] J. Y. Yen, "Finding the k shortest loopless paths in a network", Management Science
       17 (1971) 712-716.
    .. [2] R. Guha, R. Kumar, P. Raghavan, A. Tomkins, "Propagation of trust and distrust",
       WWW 2004.

    Examples
    --------
    >>> g = trust_graph(["a", "b", "a"], ["b", "c", "c"], [10, 5, 4])
    >>> [(p.nodes, round(p.trust, 3)) for p in trust_paths(g, "a", "c")]
    [(('a', 'b', 'c'), 0.5), (('a', 'c'), 0.4)]
    """
    return TrustPathSearch(trust).paths(source, target, k=k, max_hops=max_hops)


class TrustPathSearch:
    """:func:`trust_paths` over one trust graph, with the graph's search arrays built once.

    Building them (positive edges, ``-log(trust)`` costs, the per-node edge offsets) costs
    ``O(m)``, more than a hop-limited search from one node usually does; a caller asking many
    questions of the same graph (the API, per analysis run) keeps one of these. Threads may share
    it: the graph arrays are read-only, and each search takes scratch arrays of its own from a pool.
    """

    def __init__(self, trust: DirectedGraph, *, python_edges: int = 32) -> None:
        if np.any(trust.weight > 1.0):
            raise ValueError("trust weights must lie in [-1, 1]")
        self.graph = trust
        self._search = _HopLimitedSearch(trust, python_edges=python_edges)
        # edges are sorted by source: node v's own edges are [out_start[v], out_start[v + 1])
        self._out_start = np.searchsorted(trust.src, np.arange(trust.n + 1))

    def paths(self, source: str, target: str, k: int = 3, max_hops: int | None = 4) -> list[TrustPath]:
        """The same answer as ``trust_paths(self.graph, source, target, k, max_hops)``."""
        trust, search = self.graph, self._search
        if k < 1:
            raise ValueError("k must be >= 1")
        s, t = trust.index_of(source), trust.index_of(target)
        if s == t:
            raise ValueError("source and target must differ")
        limit = trust.n - 1 if max_hops is None else max_hops

        def path_key(edge_path: tuple[int, ...]) -> tuple[float, int, tuple[str, ...]]:
            return (
                float(search.cost[list(edge_path)].sum()),
                len(edge_path),
                tuple(trust.node_ids[v] for v in _nodes_of(search, s, edge_path)),
            )

        own = slice(self._out_start[s], self._out_start[s + 1])  # the source's ratings, not all m edges
        distrusted = set(trust.dst[own][trust.weight[own] < 0].tolist()) - {s, t}
        first = search.cheapest(s, t, limit, distrusted, set())
        if first is None:
            return []
        accepted: list[tuple[int, ...]] = [tuple(first)]
        candidates: list[tuple[tuple[float, int, tuple[str, ...]], tuple[int, ...]]] = []
        seen: set[tuple[int, ...]] = {tuple(first)}
        while len(accepted) < k:
            last = accepted[-1]
            last_nodes = _nodes_of(search, s, last)
            for i in range(len(last)):
                root = last[:i]
                spur_node = last_nodes[i]
                blocked_edges = {path[i] for path in accepted if path[:i] == root}
                blocked_nodes = set(last_nodes[:i]) | distrusted
                spur = search.cheapest(spur_node, t, limit - i, blocked_nodes, blocked_edges)
                if spur is None:
                    continue
                candidate = root + tuple(spur)
                if candidate not in seen:
                    seen.add(candidate)
                    heapq.heappush(candidates, (path_key(candidate), candidate))
            if not candidates:
                break
            accepted.append(heapq.heappop(candidates)[1])
        return [_as_trust_path(trust, search, s, path) for path in accepted]


def _nodes_of(search: _HopLimitedSearch, source: int, edge_path: tuple[int, ...]) -> list[int]:
    return [source] + [int(search.dst[e]) for e in edge_path]


def _as_trust_path(
    graph: DirectedGraph, search: _HopLimitedSearch, source: int, edge_path: tuple[int, ...]
) -> TrustPath:
    ids = graph.node_ids
    nodes = _nodes_of(search, source, edge_path)
    if len(set(nodes)) != len(nodes):
        raise AssertionError("trust path search produced a non-simple path")
    edges = tuple(
        TrustEdge(ids[int(search.src[e])], ids[int(search.dst[e])], float(search.trust[e])) for e in edge_path
    )
    return TrustPath(
        nodes=tuple(ids[v] for v in nodes),
        edges=edges,
        trust=math.prod(edge.trust for edge in edges),
        hops=len(edges),
    )
