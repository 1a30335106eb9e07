"""What a PageRank score is made of: in-neighbour contributions plus the teleport term, adding up to it.

At the PageRank fixed point (Page, Brin, Motwani & Winograd, 1999; personalized: Haveliwala, WWW 2002)
every node's score splits exactly into::

    score[v] = sum over in-edges u -> v of damping * score[u] * w(u, v) / out_weight(u)      (links)
             + (damping * dangling_mass + 1 - damping) * teleport[v]                        (teleport)

where ``teleport`` is the (normalised) personalization vector — uniform for the global PageRank, the
brand's own accounts for a brand's — and ``dangling_mass`` the score of nodes without out-links, which
the surfer re-distributes like a teleport (as ``networkx.pagerank`` does). :func:`pagerank_parts`
returns, per node, the ``top`` largest link contributions, the sum of all other links
(``other_sources``), and the ``teleport`` part, so that ``sum(top) + other_sources + teleport ==
score``. The power iteration stops at a tolerance, so the three parts are computed with one more exact
step and scaled by ``score / (their sum)``, a factor within the tolerance (1e-10) of 1: the parts add
up to the published score exactly, not just to the iteration's next step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from algorithms.influence import BatchedInfluenceScores, InfluenceScores
from algorithms.projection import DirectedGraph


@dataclass(frozen=True)
class ScoreParts:
    """One node's score split into parts (absolute values; divide by ``score`` for fractions)."""

    score: float
    top_sources: tuple[str, ...]
    top_contributions: tuple[float, ...]
    other_sources: float
    teleport: float


def pagerank_parts(
    scores: InfluenceScores,
    top: int,
    *,
    seeds: Iterable[str] | None = None,
    nodes: Iterable[str] | None = None,
) -> dict[str, ScoreParts]:
    """The parts of ``scores`` for ``nodes`` (default: every node); see the module docstring.

    ``seeds`` is the personalization set the scores were computed with (uniform teleport to them),
    None for the global PageRank.

    Examples
    --------
    >>> from algorithms.influence import pagerank
    >>> from algorithms.projection import DirectedGraph
    >>> g = DirectedGraph.from_edges(["a", "b"], ["b", "a"])
    >>> parts = pagerank_parts(pagerank(g), top=1)["a"]
    >>> round(parts.top_contributions[0] + parts.other_sources + parts.teleport - parts.score, 12)
    0.0
    """
    graph = scores.graph
    score = np.array([scores.scores[node_id] for node_id in graph.node_ids])
    return _parts(graph, score, scores.damping, top, seeds, nodes)


def batched_pagerank_parts(
    batch: BatchedInfluenceScores, key: str, top: int, *, nodes: Iterable[str] | None = None
) -> dict[str, ScoreParts]:
    """:func:`pagerank_parts` of ``key``'s column of a batched personalized PageRank (its seeds are known)."""
    return _parts(
        batch.graph, batch.column(key), batch.damping, top, batch.seeds[batch.keys.index(key)], nodes
    )


def _parts(
    graph: DirectedGraph,
    score: np.ndarray,
    damping: float,
    top: int,
    seeds: Iterable[str] | None,
    nodes: Iterable[str] | None,
) -> dict[str, ScoreParts]:
    n = graph.n
    if n == 0:
        return {}
    if seeds is None:
        teleport = np.full(n, 1.0 / n)
    else:
        teleport = np.zeros(n)
        for seed in seeds:
            teleport[graph.index_of(seed)] = 1.0
        teleport /= teleport.sum()
    out_weight = graph.out_weight()
    dangling = out_weight <= 0
    contribution = damping * score[graph.src] * graph.weight / np.where(dangling, 1.0, out_weight)[graph.src]
    links = np.bincount(graph.dst, weights=contribution, minlength=n)
    teleport_part = (damping * score[dangling].sum() + 1.0 - damping) * teleport
    total = links + teleport_part
    scale = np.divide(score, total, out=np.ones(n), where=total > 0)
    wanted = graph.node_ids if nodes is None else list(nodes)
    # only the wanted nodes' in-edges need ordering: by target, then largest first, then source id
    if nodes is None:
        edges_in = np.arange(graph.m)
    else:
        wanted_rows = np.zeros(n, dtype=bool)
        wanted_rows[[graph.index_of(node_id) for node_id in wanted]] = True
        edges_in = np.flatnonzero(wanted_rows[graph.dst])
    order = edges_in[np.lexsort((graph.src[edges_in], -contribution[edges_in], graph.dst[edges_in]))]
    dst_sorted = graph.dst[order]
    starts = np.searchsorted(dst_sorted, np.arange(n + 1))
    result = {}
    for node_id in wanted:
        v = graph.index_of(node_id)
        edges = order[starts[v] : starts[v + 1]][: max(top, 0)]
        top_values = contribution[edges] * scale[v]
        result[node_id] = ScoreParts(
            float(score[v]),
            tuple(graph.node_ids[int(u)] for u in graph.src[edges].tolist()),
            tuple(top_values.tolist()),
            float(links[v] * scale[v] - top_values.sum()),
            float(teleport_part[v] * scale[v]),
        )
    return result


def link_and_teleport_parts(
    scores: InfluenceScores, *, seeds: Iterable[str] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised parts of every node, in ``graph.node_ids`` order: ``(links, teleport, scale)``.

    ``links`` sums all in-neighbour contributions, ``teleport`` is the restart term; multiplied by
    ``scale`` (within 1e-10 of 1, see the module docstring) they add up to the score exactly.
    """
    graph = scores.graph
    n = graph.n
    score = np.array([scores.scores[node_id] for node_id in graph.node_ids])
    if seeds is None:
        teleport = np.full(n, 1.0 / max(n, 1))
    else:
        teleport = np.zeros(n)
        for seed in seeds:
            teleport[graph.index_of(seed)] = 1.0
        teleport /= teleport.sum()
    out_weight = graph.out_weight()
    dangling = out_weight <= 0
    contribution = (
        scores.damping * score[graph.src] * graph.weight / np.where(dangling, 1.0, out_weight)[graph.src]
    )
    links = np.bincount(graph.dst, weights=contribution, minlength=n)
    teleport_part = (scores.damping * score[dangling].sum() + 1.0 - scores.damping) * teleport
    total = links + teleport_part
    scale = np.divide(score, total, out=np.ones(n), where=total > 0)
    return links, teleport_part, scale
