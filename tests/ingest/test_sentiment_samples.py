"""The seeded draw rules of the labelled sets, on made-up tweets (no shared data needed).

The fresh evaluation set's rule (:func:`ingest.sentiment_evaluation.fresh_sample`) is fixed before any of
its tweets exists here, so these tests pin what it will draw: disjoint from the labelled sets, the same
ids on every run, at most 150 per stratum of the baseline's reading, and a different draw from the
training rule's.
"""

from __future__ import annotations

from collections import Counter

from ingest.sentiment import SentimentResult, label_of
from ingest.sentiment_evaluation import (
    FRESH_PER_STRATUM,
    SAMPLE_SEED,
    TRAIN_SEED,
    fresh_sample,
    stratified_sample,
)


class FirstWordBaseline:
    """Reads ``good …`` as positive, ``bad …`` as negative, anything else as neutral."""

    def score(self, text: str, lang: str) -> SentimentResult:
        value = {"good": 0.5, "bad": -0.5}.get(text.split()[0], 0.0)
        return SentimentResult(value, label_of(value), lang, "first word")


def tweets(per_class: int) -> dict[int, str]:
    """``3 * per_class`` tweets, ids 1.., the classes interleaved so each stratum spans the id range."""
    words = ("good", "bad", "meh")
    return {i + 1: f"{words[i % 3]} tweet {i + 1}" for i in range(3 * per_class)}


def test_fresh_draw_skips_the_labelled_tweets_and_keeps_150_per_stratum() -> None:
    pool = tweets(400)
    labelled = set(range(1, 601))
    ids = fresh_sample(pool, FirstWordBaseline(), labelled)
    assert ids == sorted(ids) and len(set(ids)) == len(ids) == 3 * FRESH_PER_STRATUM == 450
    assert not set(ids) & labelled
    strata = Counter(pool[i].split()[0] for i in ids)
    assert strata == {"good": 150, "bad": 150, "meh": 150}


def test_fresh_draw_is_reproducible_and_not_the_training_or_evaluation_draw() -> None:
    pool = tweets(400)
    first = fresh_sample(pool, FirstWordBaseline(), [])
    assert first == fresh_sample(dict(reversed(pool.items())), FirstWordBaseline(), [])
    for other_seed in (SAMPLE_SEED, TRAIN_SEED):  # the evaluation set's and the training set's draws
        other = stratified_sample(pool, FirstWordBaseline(), seed=other_seed, per_stratum=FRESH_PER_STRATUM)
        assert len(other) == len(first) and other != first


def test_a_small_stratum_is_taken_whole() -> None:
    pool = {i: ("good x" if i <= 20 else "bad x") for i in range(1, 501)}
    ids = fresh_sample(pool, FirstWordBaseline(), [])
    assert Counter(pool[i].split()[0] for i in ids) == {"good": 20, "bad": 150}
    assert fresh_sample(pool, FirstWordBaseline(), pool) == []
