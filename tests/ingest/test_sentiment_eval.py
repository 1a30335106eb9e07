"""The support scorer measured on the labelled customer tweets (docs/sentiment.md), against plain VADER.

The texts come from the shared Customer Support on Twitter sample; the tests skip when it is absent.
The held-out half is the one the target applies to (the rules were tuned on the dev half only).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.language import detect_language
from ingest.sentiment import UNSCORED, VaderScorer
from ingest.sentiment_evaluation import (
    DEV,
    HELD_OUT,
    LabelledPost,
    evaluate,
    read_customer_tweets,
    read_labelled_posts,
    split_of,
    stratified_sample,
)
from ingest.support_sentiment import SupportSentimentScorer
from tests.data import SHARED_DATA

LABELS = Path(__file__).resolve().parents[1] / "data" / "sentiment_eval.csv"
TWCS = SHARED_DATA / "twcs_head" / "twcs_head5000.csv"
TARGET_MACRO_F1 = 0.75
TARGET_MARGIN = 0.15

pytestmark = pytest.mark.skipif(not TWCS.exists(), reason=f"shared data set absent: {TWCS}")


@pytest.fixture(scope="module")
def posts() -> list[LabelledPost]:
    return read_labelled_posts(LABELS, TWCS)


def macro_f1s(posts: list[LabelledPost], split: str) -> tuple[float, float]:
    half = [post for post in posts if post.split == split and post.lang in ("en", "und")]
    gold = [post.label for post in half]
    support, vader = SupportSentimentScorer(), VaderScorer(languages=None)
    ours = evaluate(gold, [support.score(p.text, detect_language(p.text)).label for p in half])
    baseline = evaluate(gold, [vader.score(p.text, "en").label for p in half])
    return ours.macro_f1, baseline.macro_f1


def test_the_set_is_the_documented_sample_and_split(posts: list[LabelledPost]) -> None:
    assert len(posts) == 600
    assert [p.tweet_id for p in posts] == stratified_sample(read_customer_tweets(TWCS), VaderScorer(None))
    halves = {split: [p for p in posts if split_of(p.tweet_id) == split] for split in (DEV, HELD_OUT)}
    assert len(halves[DEV]) + len(halves[HELD_OUT]) == 600 and min(map(len, halves.values())) > 250
    for half in halves.values():
        labels = {p.label for p in half}
        assert labels == {"negative", "neutral", "positive"}
        assert min(sum(1 for p in half if p.label == label) for label in labels) >= 30


@pytest.mark.xfail(
    strict=True,
    reason="not met: held-out macro-F1 0.635 (+0.153 over VADER) against the target 0.75 and +0.15, "
    "see docs/sentiment.md",
)
def test_target_on_the_held_out_half(posts: list[LabelledPost]) -> None:
    ours, vader = macro_f1s(posts, HELD_OUT)
    assert ours >= TARGET_MACRO_F1 and ours - vader >= TARGET_MARGIN


def test_support_scorer_beats_vader_on_both_halves(posts: list[LabelledPost]) -> None:
    """A floor below the measured figures (docs/sentiment.md), so a change that loses ground fails."""
    held_out, held_out_vader = macro_f1s(posts, HELD_OUT)
    assert held_out >= 0.60 and held_out - held_out_vader >= 0.10
    dev, dev_vader = macro_f1s(posts, DEV)
    assert dev >= 0.75 and dev - dev_vader >= 0.25


def test_no_labelled_non_english_tweet_is_scored_with_the_english_lexicon(posts: list[LabelledPost]) -> None:
    foreign = [p for p in posts if p.lang not in ("en", "und")]
    assert len(foreign) >= 10
    support = SupportSentimentScorer()
    assert all(support.score(p.text, detect_language(p.text)).label == UNSCORED for p in foreign)
    english = [p for p in posts if p.lang == "en"]
    assert sum(detect_language(p.text) in ("en", "und") for p in english) == len(english)
