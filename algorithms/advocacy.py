"""Brand advocates and detractors: who speaks for or against a brand, how loudly, with evidence.

Score of a profile ``p`` for a brand ``b`` (advocacy; detraction is the mirror image)::

    advocacy(p, b) = influence_factor(p) * sum over p's non-neutral posts about b of
                     max(sentiment, 0) * (1 + log1p(engagement)) * 0.5 ** (age_days / half_life_days)

* ``max(sentiment, 0)`` in ``[0, 1]``: how positive the post is (detraction uses ``max(-sentiment, 0)``);
  posts with ``|sentiment| < neutral_band`` count for neither side.
* ``1 + log1p(engagement)`` in ``[1, inf)``: replies, shares and likes the post received, with
  diminishing returns (a post with 0 engagement still counts once; ``e - 1 ~ 1.7`` engagements
  double it, ``e**2 - 1 ~ 6.4`` triple it).
* ``0.5 ** (age_days / half_life_days)`` in ``(0, 1]``: recency; a post one half-life old counts half.
  Posts dated after ``as_of_ms`` count as fresh (age 0).
* ``influence_factor = 1 + influence percentile`` in ``[1, 2]``: the fraction of other profiles in
  the influence map with strictly lower influence (PageRank, say). Rank-based, so it is
  insensitive to the heavy tail of PageRank and easy to explain ("outranks 80% of profiles").
  Profiles missing from the map get 1.

The score is in ``[0, inf)`` and 0 only without any qualifying post. This is a transparent
product heuristic (sentiment x reach x recency x influence), in the line of Net-Promoter-style
advocacy measures rather than a published model; every factor is returned as evidence.

The analysis publishes one stance per profile and brand from the net of both sides
(:mod:`algorithms.stance`, same per-post weight); this function keeps the two sides apart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from algorithms.projection import MILLIS_PER_DAY

AdvocacyKind = Literal["advocate", "detractor"]


@dataclass(frozen=True)
class BrandPost:
    """A post by ``profile_id`` about ``brand_id``; ``sentiment`` in ``[-1, 1]``, ``engagement`` >= 0."""

    profile_id: str
    brand_id: str
    post_id: str
    sentiment: float
    created_at_ms: int
    engagement: int = 0

    def __post_init__(self) -> None:
        if not -1.0 <= self.sentiment <= 1.0:
            raise ValueError(f"sentiment of post {self.post_id!r} must lie in [-1, 1]")
        if self.engagement < 0:
            raise ValueError(f"engagement of post {self.post_id!r} must be >= 0")


@dataclass(frozen=True)
class PostEvidence:
    """One post's part of an :class:`AdvocacyScore`.

    ``contribution = polarity * engagement_factor * recency`` (before the influence factor), where
    ``polarity`` is ``max(sentiment, 0)`` for advocates and ``max(-sentiment, 0)`` for detractors.
    """

    post_id: str
    sentiment: float
    engagement: int
    engagement_factor: float
    recency: float
    contribution: float


@dataclass(frozen=True)
class AdvocacyScore:
    """How strongly a profile advocates for (or detracts from) a brand; see the module docstring.

    ``score = influence_factor * sum(e.contribution for e in evidence)``, in ``[0, inf)``.
    ``evidence`` lists the qualifying posts by decreasing contribution (ties by post id).
    """

    profile_id: str
    brand_id: str
    kind: AdvocacyKind
    score: float
    influence_factor: float
    evidence: tuple[PostEvidence, ...]


def influence_percentiles(influence: Mapping[str, float]) -> dict[str, float]:
    """Fraction of the *other* profiles with strictly lower influence, in ``[0, 1]`` (ties share)."""
    if len(influence) < 2:
        return dict.fromkeys(influence, 0.0)
    values = np.sort(np.fromiter(influence.values(), dtype=np.float64, count=len(influence)))
    lower = np.searchsorted(values, list(influence.values()), side="left")
    return dict(zip(influence.keys(), (lower / (len(influence) - 1)).tolist(), strict=True))


def brand_advocacy(
    posts: Sequence[BrandPost],
    influence: Mapping[str, float],
    as_of_ms: int,
    half_life_days: float = 30.0,
    neutral_band: float = 0.05,
) -> dict[str, list[AdvocacyScore]]:
    """Advocates and detractors of every brand mentioned in ``posts``.

    Parameters
    ----------
    posts : sequence of BrandPost
    influence : mapping of str to float
        Influence per profile (e.g. :func:`algorithms.influence.pagerank` scores); only its ranks
        matter.
    as_of_ms : int
        Reference time for recency, epoch milliseconds.
    half_life_days : float
        Recency half-life in days (> 0).
    neutral_band : float
        Posts with ``|sentiment| < neutral_band`` are ignored.

    Returns
    -------
    dict of str to list of AdvocacyScore
        Per brand id, every (profile, kind) with a qualifying post, by decreasing score (ties by
        kind, then profile id). A profile with both positive and negative posts appears twice.

    Examples
    --------
    >>> posts = [BrandPost("p1", "acme", "x", sentiment=0.5, created_at_ms=0, engagement=0)]
    >>> [(s.kind, s.score) for s in brand_advocacy(posts, {}, as_of_ms=0)["acme"]]
    [('advocate', 0.5)]
    """
    if not half_life_days > 0:
        raise ValueError("half_life_days must be > 0")
    percentile = influence_percentiles(influence)
    grouped: dict[tuple[str, str, AdvocacyKind], list[PostEvidence]] = {}
    for post in posts:
        if abs(post.sentiment) < neutral_band:
            continue
        kind: AdvocacyKind = "advocate" if post.sentiment > 0 else "detractor"
        polarity = abs(post.sentiment)
        engagement_factor = 1.0 + math.log1p(post.engagement)
        age_days = max(as_of_ms - post.created_at_ms, 0) / MILLIS_PER_DAY
        recency = 0.5 ** (age_days / half_life_days)
        item = PostEvidence(
            post.post_id,
            post.sentiment,
            post.engagement,
            engagement_factor,
            recency,
            polarity * engagement_factor * recency,
        )
        grouped.setdefault((post.brand_id, post.profile_id, kind), []).append(item)

    result: dict[str, list[AdvocacyScore]] = {}
    for (brand_id, profile_id, kind), evidence in grouped.items():
        evidence.sort(key=lambda e: (-e.contribution, e.post_id))
        factor = 1.0 + percentile.get(profile_id, 0.0)
        total = math.fsum(e.contribution for e in evidence)
        result.setdefault(brand_id, []).append(
            AdvocacyScore(profile_id, brand_id, kind, factor * total, factor, tuple(evidence))
        )
    for scores in result.values():
        scores.sort(key=lambda s: (-s.score, s.kind, s.profile_id))
    return dict(sorted(result.items()))
