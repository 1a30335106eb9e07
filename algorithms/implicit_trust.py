"""Implicit trust from interactions, merged with explicit ratings: who trusts whom, and on what evidence.

Social data rarely carries explicit ratings, but it carries behaviour. Per ordered pair ``(a, b)`` we
count ``a``'s *positive* engagements with ``b`` (likes and shares of ``b``'s posts, replies to or
mentions of ``b`` with positive sentiment) and *negative* ones (replies to or mentions of ``b`` with
negative sentiment), and turn the counts into a trust value with the beta reputation rating (Jøsang &
Ismail, "The Beta Reputation System", 15th Bled Electronic Commerce Conference, 2002)::

    trust(a, b) = (positive - negative) / (positive + negative + 2)        in (-1, 1)

* implicit **trust** needs *repeated* positive engagement: ``positive >= min_positive`` (2) and a
  positive value; two likes give 0.5, four 0.67, never 1 (full trust is for explicit ratings);
* implicit **distrust**: ``negative >= 1`` and a negative value; like explicit distrust it is kept
  in the graph and never carried by a trust path (:func:`algorithms.trust.trust_paths`);
* an explicit rating (``rating / 10``) takes precedence over implicit evidence for the same pair.

:func:`trust_network` returns the trust graph together with each edge's origin, so a path can say
where every hop's trust came from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from algorithms.projection import DirectedGraph
from algorithms.trust import trust_graph


@dataclass(frozen=True)
class TrustOrigin:
    """Where an edge's trust came from: an explicit ``rating`` or ``implicit`` engagement counts."""

    kind: Literal["rating", "implicit"]
    rating: float | None = None
    positive: int = 0
    negative: int = 0


@dataclass(frozen=True, eq=False)
class TrustNetwork:
    """The signed trust graph and, per ``(source, target)``, the origin of its weight."""

    graph: DirectedGraph
    origins: Mapping[tuple[str, str], TrustOrigin]


def beta_trust(positive: int, negative: int) -> float:
    """``(positive - negative) / (positive + negative + 2)`` (Jøsang & Ismail 2002).

    >>> beta_trust(2, 0), beta_trust(0, 1)
    (0.5, -0.3333333333333333)
    """
    return (positive - negative) / (positive + negative + 2)


def trust_network(
    ratings: Sequence[tuple[str, str, float]],
    positive: Mapping[tuple[str, str], int],
    negative: Mapping[tuple[str, str], int],
    *,
    min_positive: int = 2,
    scale: float = 10.0,
) -> TrustNetwork:
    """Explicit ratings plus implicit trust and distrust (see the module docstring).

    Examples
    --------
    >>> net = trust_network([("a", "b", 8.0)], {("b", "c"): 2, ("a", "b"): 5, ("c", "d"): 1}, {})
    >>> sorted((s, t, round(w, 3), net.origins[(s, t)].kind) for s, t, w in
    ...        zip(*[[net.graph.node_ids[i] for i in net.graph.src], [net.graph.node_ids[i] for i in net.graph.dst],
    ...              net.graph.weight.tolist()]))
    [('a', 'b', 0.8, 'rating'), ('b', 'c', 0.5, 'implicit')]
    """
    origins: dict[tuple[str, str], TrustOrigin] = {}
    values: dict[tuple[str, str], float] = {}
    for pair in sorted(set(positive) | set(negative)):
        source, target = pair
        if source == target:
            continue
        r, s = int(positive.get(pair, 0)), int(negative.get(pair, 0))
        value = beta_trust(r, s)
        if (r >= min_positive and value > 0) or (s >= 1 and value < 0):
            values[pair] = value * scale
            origins[pair] = TrustOrigin("implicit", positive=r, negative=s)
    for source, target, rating in ratings:
        values[(source, target)] = float(rating)
        origins[(source, target)] = TrustOrigin("rating", rating=float(rating))
    pairs = sorted(values)
    graph = trust_graph([s for s, _ in pairs], [t for _, t in pairs], [values[p] for p in pairs], scale=scale)
    return TrustNetwork(graph, origins)
