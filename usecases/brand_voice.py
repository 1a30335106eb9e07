"""What customers say about each brand: the posts about it, as two columns held while the read view stands.

The share of voice (``GET /v1/brands``) and the weekly sentiment (``GET /v1/brands/{id}/sentiment``)
count and average the posts about a brand in a window. Computed in the store on every request, each
was an aggregation over every post about the brand, with a traversal to its author per post: a cost
that grows with the brand's posts (``bench/api.py``, docs/benchmarks.md). Here the posts of a brand
are read once per data version (:func:`usecases.read_view.memoized`) into sorted arrays of times and
sentiments, and a request is two binary searches and sums over its window.

Whose posts count: not those of an account whose analysed role is ``brand_owned`` or ``staff``, nor
those of an account a brand owns (``(:Brand)-[:HAS_PROFILE]->``), even before an analysis named its
role; a support reply is the brand talking, not its customers. A post none of whose authors is known
counts. A post's sentiment toward the brand is its ``ABOUT`` edge's ``sentiment``, else the post's own;
an unscored post counts in the share of voice and not in the sentiment.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph.store import CypherGraphStore
from usecases.read_view import memoized

WEEK_MS = 7 * 24 * 3600 * 1000
MONDAY_SHIFT_MS = 3 * 24 * 3600 * 1000  # the epoch began on a Thursday: weeks start Monday 00:00 UTC
POSITIVE_ABOVE = 0.05
NEGATIVE_BELOW = -0.05


@dataclass(frozen=True)
class SentimentWeek:
    """One week of a brand's voice: the mean sentiment of its scored posts, how many, and how many of
    them were positive (> 0.05) and negative (< -0.05)."""

    week_start: int  # epoch ms of Monday 00:00 UTC
    mean_sentiment: float
    posts: int
    positive: int
    negative: int


@dataclass(frozen=True)
class BrandVoice:
    """The customers' posts about one brand: ``created_at`` (epoch ms, ascending) and ``sentiment``
    (NaN where unscored), aligned."""

    created_at: np.ndarray
    sentiment: np.ndarray

    def _window(self, from_ms: int, to_ms: int) -> slice:
        start, end = np.searchsorted(self.created_at, [from_ms, to_ms], side="left")
        return slice(int(start), int(end))

    def posts(self, from_ms: int, to_ms: int) -> int:
        """Posts created in ``[from_ms, to_ms)``."""
        window = self._window(from_ms, to_ms)
        return window.stop - window.start

    def weekly(self, from_ms: int, to_ms: int) -> list[SentimentWeek]:
        """The scored posts created in ``[from_ms, to_ms)`` by week, oldest first."""
        window = self._window(from_ms, to_ms)
        times, scores = self.created_at[window], self.sentiment[window]
        scored = ~np.isnan(scores)
        times, scores = times[scored], scores[scored]
        if not len(times):
            return []
        weeks, week_of_post, counts = np.unique(
            (times + MONDAY_SHIFT_MS) // WEEK_MS, return_inverse=True, return_counts=True
        )
        sums = np.bincount(week_of_post, weights=scores)
        positive = np.bincount(week_of_post, weights=scores > POSITIVE_ABOVE)
        negative = np.bincount(week_of_post, weights=scores < NEGATIVE_BELOW)
        return [
            SentimentWeek(
                week_start=int(week) * WEEK_MS - MONDAY_SHIFT_MS,
                mean_sentiment=float(sums[i] / counts[i]),
                posts=int(counts[i]),
                positive=int(positive[i]),
                negative=int(negative[i]),
            )
            for i, week in enumerate(weeks)
        ]


def brand_voice(store: CypherGraphStore, brand: str) -> BrandVoice:
    """Brand ``brand``'s voice (empty for an unknown brand), held while the read view stands."""
    return memoized(store, ("brand voice", brand), lambda: _read_voice(store, brand))


def brands(store: CypherGraphStore) -> list[tuple[str, str | None]]:
    """Every brand's id and name, by id, held while the read view stands."""
    return memoized(
        store, "api.brands", lambda: [(row["id"], row.get("name")) for row in store.run("api.brands")]
    )


def _non_customer_accounts(store: CypherGraphStore) -> frozenset[str]:
    return memoized(
        store,
        "api.non_customer_accounts",
        lambda: frozenset(row["id"] for row in store.run("api.non_customer_accounts")),
    )


def _read_voice(store: CypherGraphStore, brand: str) -> BrandVoice:
    left_out = _non_customer_accounts(store)
    posts: dict[str, tuple[int, float]] = {}
    by_others: set[str] = set()
    for row in store.run("api.brand_voice_posts", {"brand": brand}):
        created_at = row["created_at"]
        if row["author"] in left_out:
            by_others.add(row["id"])
        elif isinstance(created_at, int | float) and not isinstance(created_at, bool):
            sentiment = row["sentiment"]
            posts[row["id"]] = (int(created_at), float(sentiment) if sentiment is not None else np.nan)
    kept = sorted(value for post, value in posts.items() if post not in by_others)
    return BrandVoice(
        created_at=np.fromiter((t for t, _ in kept), dtype=np.int64, count=len(kept)),
        sentiment=np.fromiter((s for _, s in kept), dtype=np.float64, count=len(kept)),
    )
