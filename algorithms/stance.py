"""One stance per profile and brand: advocate, detractor or mixed — from net, recency-weighted evidence.

Per (profile ``p``, brand ``b``), every post of ``p`` about ``b`` outside the neutral band
(``|sentiment| >= 0.05``) contributes ``|sentiment| * (1 + log1p(engagement)) * 0.5 ** (age_days /
half_life_days)`` (the per-post weight of :mod:`algorithms.advocacy`; default half-life 30 days, the
analysis' ``half_life_days``) to one side::

    positive = sum over positive posts,   negative = sum over negative posts
    balance  = (positive - negative) / (positive + negative)            in [-1, 1]

    stance = advocate   if balance >=  1/3   (positive at least twice negative)
             detractor  if balance <= -1/3   (negative at least twice positive)
             mixed      otherwise

    score  = weight * influence_factor * (positive - negative)   for an advocate
             weight * influence_factor * (negative - positive)   for a detractor
             weight * influence_factor * (positive + negative)   for mixed (how much it says, both ways)

``influence_factor = 1 + influence percentile`` in ``[1, 2]`` as in :mod:`algorithms.advocacy`;
``weight`` is 1, or the screening down-weight for a flagged account (:mod:`algorithms.screening`).
A profile thus has exactly one stance per brand, never both advocate and detractor. Recency makes a
customer whose complaint was fixed last month and who praised the brand this week an advocate, and the
reverse a detractor. The evidence lists both sides: each post's ``contribution`` is signed so that
``score == weight * influence_factor * sum(contributions)`` (posts against the stance count negative for
advocates and detractors; for ``mixed`` every post counts positive).

The two-to-one threshold is a product choice (a clear majority of the weighted evidence), not an
estimate; the weights are those of the advocacy score, in the line of Net-Promoter-style measures.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from algorithms.advocacy import BrandPost, influence_percentiles
from algorithms.projection import MILLIS_PER_DAY

Stance = Literal["advocate", "detractor", "mixed"]
STANCE_THRESHOLD = 1.0 / 3.0
"""``|balance|`` at or above which the evidence is one-sided (one side at least twice the other)."""


@dataclass(frozen=True)
class StanceEvidence:
    """One post behind a stance: its tone (``positive``/``negative``) and signed contribution."""

    post_id: str
    sentiment: float
    tone: Literal["positive", "negative"]
    engagement: int
    recency: float
    contribution: float


@dataclass(frozen=True)
class BrandStance:
    """A profile's one stance toward a brand; see the module docstring for every field's rule."""

    profile_id: str
    brand_id: str
    stance: Stance
    score: float
    positive: float
    negative: float
    balance: float
    influence_factor: float
    weight: float
    evidence: tuple[StanceEvidence, ...]

    @property
    def posts(self) -> int:
        return len(self.evidence)


def brand_stances(
    posts: Sequence[BrandPost],
    influence: Mapping[str, float],
    as_of_ms: int,
    half_life_days: float = 30.0,
    neutral_band: float = 0.05,
    weights: Mapping[str, float] | None = None,
) -> dict[str, list[BrandStance]]:
    """Every brand's stances, by decreasing score within each stance (ties by profile id).

    Parameters
    ----------
    posts : sequence of BrandPost
    influence : mapping of str to float
        Influence per profile; only its ranks matter (the influence factor).
    as_of_ms : int
        Reference time of the recency weight, epoch ms (later posts count as age 0).
    half_life_days : float
        Recency half-life in days (> 0).
    neutral_band : float
        Posts with ``|sentiment| < neutral_band`` count for neither side.
    weights : mapping of str to float, optional
        Per-profile multiplier in ``[0, 1]`` (screening down-weight); 1 for profiles not listed.

    Examples
    --------
    A complaint two half-lives ago, praise today: ``positive = 0.8``, ``negative = 0.8 / 4``,
    balance 0.6, an advocate with net score 0.6.

    >>> day = 86_400_000
    >>> posts = [BrandPost("p", "acme", "old", -0.8, 0), BrandPost("p", "acme", "new", 0.8, 60 * day)]
    >>> (s,) = brand_stances(posts, {}, as_of_ms=60 * day)["acme"]
    >>> s.stance, round(s.score, 6), [e.contribution for e in s.evidence]
    ('advocate', 0.6, [0.8, -0.2])
    """
    if not half_life_days > 0:
        raise ValueError("half_life_days must be > 0")
    percentile = influence_percentiles(influence)
    grouped: dict[tuple[str, str], list[tuple[BrandPost, float, float]]] = {}
    for post in posts:
        if abs(post.sentiment) < neutral_band:
            continue
        age_days = max(as_of_ms - post.created_at_ms, 0) / MILLIS_PER_DAY
        recency = 0.5 ** (age_days / half_life_days)
        weight = abs(post.sentiment) * (1.0 + math.log1p(post.engagement)) * recency
        grouped.setdefault((post.brand_id, post.profile_id), []).append((post, recency, weight))

    result: dict[str, list[BrandStance]] = {}
    for (brand_id, profile_id), items in sorted(grouped.items()):
        positive = math.fsum(w for p, _, w in items if p.sentiment > 0)
        negative = math.fsum(w for p, _, w in items if p.sentiment < 0)
        total = positive + negative
        balance = (positive - negative) / total if total > 0 else 0.0
        stance: Stance = (
            "advocate"
            if balance >= STANCE_THRESHOLD
            else "detractor"
            if balance <= -STANCE_THRESHOLD
            else "mixed"
        )
        evidence = []
        for post, recency, w in items:
            tone: Literal["positive", "negative"] = "positive" if post.sentiment > 0 else "negative"
            supports = stance == "mixed" or (tone == "positive") == (stance == "advocate")
            evidence.append(
                StanceEvidence(
                    post.post_id, post.sentiment, tone, post.engagement, recency, w if supports else -w
                )
            )
        evidence.sort(key=lambda e: (-abs(e.contribution), e.post_id))
        net = {"advocate": positive - negative, "detractor": negative - positive, "mixed": total}[stance]
        factor = 1.0 + percentile.get(profile_id, 0.0)
        weight = 1.0 if weights is None else float(weights.get(profile_id, 1.0))
        result.setdefault(brand_id, []).append(
            BrandStance(
                profile_id,
                brand_id,
                stance,
                weight * factor * net,
                positive,
                negative,
                balance,
                factor,
                weight,
                tuple(evidence),
            )
        )
    for stances in result.values():
        stances.sort(key=lambda s: (s.stance, -s.score, s.profile_id))
    return result


def evidence_for_display(stance: BrandStance, per_side: int) -> tuple[StanceEvidence, ...]:
    """The strongest ``per_side`` posts of each tone, strongest first: both sides are always shown."""
    positive = [e for e in stance.evidence if e.tone == "positive"][:per_side]
    negative = [e for e in stance.evidence if e.tone == "negative"][:per_side]
    return tuple(sorted(positive + negative, key=lambda e: (-abs(e.contribution), e.post_id)))
