"""The in-memory projection every algorithm reads: a directed, weighted graph over string ids.

The store builds a projection in one query; this module turns its rows into index arrays so
the algorithms can run on scipy sparse matrices or networkit graphs without Python loops, and
computes the engagement edge weight (per-kind weight with exponential time decay).

Canonical form
--------------
:meth:`DirectedGraph.from_edges` sorts node ids and edges, so two projections holding the same
edges in any order are *identical* arrays; every algorithm downstream is then independent of the
order in which the store returned rows (a precondition for reproducible, seeded results).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp

MILLIS_PER_DAY = 86_400_000


@dataclass(frozen=True, eq=False)
class DirectedGraph:
    """A directed graph with float edge weights, nodes identified by strings.

    Parallel edges are merged (weights summed) and edges are sorted by ``(src, dst)``, so
    equal edge sets give identical arrays. Self-loops are **kept**: PageRank (networkx as well)
    counts a self-loop as an out-link of its node, so dropping them would change the scores.
    Algorithms for which self-loops are meaningless (betweenness, trust paths) ignore them.

    The same class carries signed graphs: the trust graph (see :mod:`algorithms.trust`) stores
    trust in ``(0, 1]`` and distrust in ``[-1, 0)``. Algorithms that need non-negative weights
    (PageRank, communities) reject negative weights with :class:`ValueError`.

    Equality is identity (``eq=False``): the fields are numpy arrays.

    Attributes
    ----------
    node_ids : tuple of str
        Sorted node ids; node ``i`` of the arrays is ``node_ids[i]``.
    src, dst : numpy.ndarray of int64
        Edge endpoints as indices into ``node_ids``, sorted by ``(src, dst)``, no duplicates.
    weight : numpy.ndarray of float64
        Edge weights (read-only).
    """

    node_ids: tuple[str, ...]
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    _index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        src = np.ascontiguousarray(self.src, dtype=np.int64)
        dst = np.ascontiguousarray(self.dst, dtype=np.int64)
        weight = np.ascontiguousarray(self.weight, dtype=np.float64)
        if not (src.shape == dst.shape == weight.shape) or src.ndim != 1:
            raise ValueError("src, dst and weight must be 1-d arrays of equal length")
        n = len(self.node_ids)
        if src.size and (min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= n):
            raise ValueError("edge endpoint index out of range")
        if not np.all(np.isfinite(weight)):
            raise ValueError("edge weights must be finite")
        index = {node_id: i for i, node_id in enumerate(self.node_ids)}
        if len(index) != n:
            raise ValueError("node ids must be unique")
        for array in (src, dst, weight):
            array.setflags(write=False)
        object.__setattr__(self, "src", src)
        object.__setattr__(self, "dst", dst)
        object.__setattr__(self, "weight", weight)
        object.__setattr__(self, "_index", index)

    @classmethod
    def from_edges(
        cls,
        sources: Sequence[str],
        targets: Sequence[str],
        weights: Sequence[float] | np.ndarray | None = None,
        nodes: Iterable[str] = (),
    ) -> DirectedGraph:
        """Build the canonical graph from parallel lists of edge ends and weights.

        Parameters
        ----------
        sources, targets : sequence of str
            Edge ends; ``sources[i] -> targets[i]``.
        weights : sequence of float, optional
            Edge weights (default 1.0 each). Parallel edges are merged by summing their weights,
            so passing one row per interaction with weight 1 yields interaction counts.
        nodes : iterable of str, optional
            Extra node ids to include, e.g. isolated profiles.

        Examples
        --------
        >>> g = DirectedGraph.from_edges(["b", "a", "a"], ["a", "b", "b"], [1.0, 2.0, 0.5], nodes=["c"])
        >>> g.node_ids, g.m, g.weight.tolist()
        (('a', 'b', 'c'), 2, [2.5, 1.0])
        """
        source_array = np.asarray(sources, dtype=object)
        target_array = np.asarray(targets, dtype=object)
        if source_array.shape != target_array.shape or source_array.ndim != 1:
            raise ValueError("sources and targets must be 1-d and of equal length")
        if weights is None:
            weight = np.ones(source_array.shape[0], dtype=np.float64)
        else:
            weight = np.asarray(weights, dtype=np.float64)
            if weight.shape != source_array.shape:
                raise ValueError("weights must have one entry per edge")
        node_ids = tuple(sorted(set(source_array.tolist()) | set(target_array.tolist()) | set(nodes)))
        if any(not isinstance(node_id, str) for node_id in node_ids):
            raise TypeError("node ids must be str")
        index = {node_id: i for i, node_id in enumerate(node_ids)}
        src = np.fromiter((index[s] for s in source_array), dtype=np.int64, count=source_array.shape[0])
        dst = np.fromiter((index[t] for t in target_array), dtype=np.int64, count=target_array.shape[0])
        n = len(node_ids)
        # Merge parallel edges and sort by (src, dst) in one step via the flat pair key.
        keys, inverse = np.unique(src * max(n, 1) + dst, return_inverse=True)
        summed = np.zeros(keys.shape[0], dtype=np.float64)
        np.add.at(summed, inverse.reshape(-1), weight)
        return cls(node_ids, keys // max(n, 1), keys % max(n, 1), summed)

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.node_ids)

    @property
    def m(self) -> int:
        """Number of distinct directed edges (self-loops included)."""
        return int(self.src.shape[0])

    def index_of(self, node_id: str) -> int:
        """Array index of ``node_id``; raises :class:`KeyError` for an unknown id."""
        try:
            return self._index[node_id]
        except KeyError:
            raise KeyError(f"unknown node id {node_id!r}") from None

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._index

    def adjacency(self) -> sp.csr_matrix:
        """The ``n x n`` weighted adjacency matrix; row = source, column = target."""
        return sp.csr_matrix((self.weight, (self.src, self.dst)), shape=(self.n, self.n))

    def out_weight(self) -> np.ndarray:
        """Sum of outgoing edge weights per node (self-loops included)."""
        return np.bincount(self.src, weights=self.weight, minlength=self.n)

    def to_networkx(self) -> nx.DiGraph:
        """The same graph as a ``networkx.DiGraph`` with a ``weight`` edge attribute (for references)."""
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(self.node_ids)
        ids = self.node_ids
        graph.add_weighted_edges_from(
            (ids[s], ids[t], w)
            for s, t, w in zip(self.src.tolist(), self.dst.tolist(), self.weight.tolist(), strict=True)
        )
        return graph


@dataclass(frozen=True)
class EngagementWeights:
    """Weight of one interaction of each kind in the engagement graph.

    The defaults rank effort: a reply (3) costs more than a mention or share (2), which cost
    more than a like (1). They are product choices, not estimates; change them per deployment.
    """

    reply: float = 3.0
    mention: float = 2.0
    share: float = 2.0
    like: float = 1.0

    def __post_init__(self) -> None:
        for kind, value in self.as_mapping().items():
            if not (np.isfinite(value) and value >= 0):
                raise ValueError(f"weight of {kind!r} must be finite and >= 0")

    def as_mapping(self) -> dict[str, float]:
        """``{kind: weight}`` for the four interaction kinds."""
        return {"reply": self.reply, "mention": self.mention, "share": self.share, "like": self.like}


INTERACTION_KINDS: tuple[str, ...] = ("reply", "mention", "share", "like")
"""Interaction kinds in the order integer kind codes refer to (0 = reply ... 3 = like)."""


def decayed_weights(
    kinds: Sequence[str] | np.ndarray,
    times_ms: Sequence[int] | np.ndarray,
    as_of_ms: int,
    half_life_days: float | None = 30.0,
    kind_weights: EngagementWeights = EngagementWeights(),
) -> np.ndarray:
    """Per-interaction engagement weight: ``kind_weight * 0.5 ** (age_days / half_life_days)``.

    The weight halves every ``half_life_days``; an interaction exactly one half-life old counts
    half as much as one made at ``as_of_ms``. Interactions time-stamped after ``as_of_ms`` (clock
    skew) are treated as age 0, so a weight never exceeds its kind weight. Values lie in
    ``[0, kind_weight]``. The function is elementwise, so equal kinds at equal times get equal
    weights. Summing these per ``(source, target)`` pair (:func:`engagement_graph`) gives the
    engagement edge weight, a time-decayed interaction count in the spirit of exponentially
    decayed tie strength (Kossinets & Watts, "Empirical analysis of an evolving social network",
    Science 311, 2006).

    Parameters
    ----------
    kinds : array of str or int
        ``"reply" | "mention" | "share" | "like"``, or integer codes indexing
        :data:`INTERACTION_KINDS`.
    times_ms : array of int
        Interaction times, epoch milliseconds.
    as_of_ms : int
        The reference time, epoch milliseconds.
    half_life_days : float or None
        Half-life in days (> 0); ``None`` disables decay.
    kind_weights : EngagementWeights
        Weight per kind.

    Returns
    -------
    numpy.ndarray of float64
        One weight per interaction.

    Examples
    --------
    >>> day = 86_400_000
    >>> decayed_weights(["reply", "like"], [10 * day, 0], as_of_ms=10 * day, half_life_days=10).tolist()
    [3.0, 0.5]
    """
    kinds = np.asarray(kinds)
    times = np.asarray(times_ms, dtype=np.float64)
    if kinds.shape != times.shape or kinds.ndim != 1:
        raise ValueError("kinds and times_ms must be 1-d and of equal length")
    table = np.array([kind_weights.as_mapping()[kind] for kind in INTERACTION_KINDS], dtype=np.float64)
    if kinds.size == 0:
        return np.zeros(0, dtype=np.float64)
    if np.issubdtype(kinds.dtype, np.integer):
        codes = kinds.astype(np.int64)
        if codes.min() < 0 or codes.max() >= len(INTERACTION_KINDS):
            raise ValueError(f"kind codes must be in 0..{len(INTERACTION_KINDS) - 1}")
    else:
        distinct, inverse = np.unique(kinds.astype(str), return_inverse=True)
        unknown = sorted(set(distinct.tolist()) - set(INTERACTION_KINDS))
        if unknown:
            raise ValueError(f"unknown interaction kinds: {unknown}")
        code_of = np.array([INTERACTION_KINDS.index(kind) for kind in distinct.tolist()], dtype=np.int64)
        codes = code_of[inverse.reshape(-1)]
    base = table[codes]
    if half_life_days is None:
        return base
    if not half_life_days > 0:
        raise ValueError("half_life_days must be > 0 or None")
    age_days = np.maximum(float(as_of_ms) - times, 0.0) / MILLIS_PER_DAY
    return base * np.exp2(-age_days / float(half_life_days))


def engagement_graph(
    sources: Sequence[str],
    targets: Sequence[str],
    kinds: Sequence[str] | np.ndarray,
    times_ms: Sequence[int] | np.ndarray,
    as_of_ms: int,
    half_life_days: float | None = 30.0,
    kind_weights: EngagementWeights = EngagementWeights(),
    nodes: Iterable[str] = (),
) -> DirectedGraph:
    """The engagement graph: one edge per ``(source, target)`` weighted by summed decayed interactions.

    ``sources[i]`` engaged with ``targets[i]`` (replied to, mentioned, shared or liked a post
    of). The edge weight is the sum of :func:`decayed_weights` over that pair's interactions.
    """
    weights = decayed_weights(kinds, times_ms, as_of_ms, half_life_days, kind_weights)
    return DirectedGraph.from_edges(sources, targets, weights, nodes=nodes)
