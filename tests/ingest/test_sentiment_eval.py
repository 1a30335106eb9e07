"""The support model and rules measured on the labelled customer tweets (docs/sentiment.md), against VADER.

The texts come from the shared Customer Support on Twitter sample; the tests skip when it is absent.
The held-out half is the one the target applies to (the rules were tuned on the dev half only, the model
was trained on the training set and the dev half only).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.language import detect_language
from ingest.sentiment import UNSCORED, SentimentScorer, VaderScorer
from ingest.sentiment_evaluation import (
    DEV,
    HELD_OUT,
    LabelledPost,
    evaluate,
    fresh_sample,
    read_customer_tweets,
    read_labelled_posts,
    split_of,
    stratified_sample,
    training_sample,
)
from ingest.support_model import SupportModelScorer
from ingest.support_sentiment import SupportSentimentScorer
from tests.data import SHARED_DATA

LABELS = Path(__file__).resolve().parents[1] / "data" / "sentiment_eval.csv"
TRAINING = Path(__file__).resolve().parents[1] / "data" / "sentiment_train.csv"
TWCS = SHARED_DATA / "twcs_head" / "twcs_head5000.csv"
TARGET_MACRO_F1 = 0.75
TARGET_MARGIN = 0.15

pytestmark = pytest.mark.skipif(not TWCS.exists(), reason=f"shared data set absent: {TWCS}")


@pytest.fixture(scope="module")
def posts() -> list[LabelledPost]:
    return read_labelled_posts(LABELS, TWCS)


def macro_f1s(
    posts: list[LabelledPost], split: str, ours: SentimentScorer | None = None
) -> tuple[float, float]:
    half = [post for post in posts if post.split == split and post.lang in ("en", "und")]
    gold = [post.label for post in half]
    scorer = ours or SupportSentimentScorer()
    vader = VaderScorer(languages=None)
    measured = evaluate(gold, [scorer.score(p.text, detect_language(p.text)).label for p in half])
    baseline = evaluate(gold, [vader.score(p.text, "en").label for p in half])
    return measured.macro_f1, baseline.macro_f1


def test_the_training_set_is_every_other_customer_tweet() -> None:
    """Disjoint from the evaluation set; its first round is the documented stratified draw (seed 16)."""
    tweets = read_customer_tweets(TWCS)
    evaluation = [p.tweet_id for p in read_labelled_posts(LABELS, TWCS)]
    training = read_labelled_posts(TRAINING, TWCS)
    ids = [p.tweet_id for p in training]
    assert len(ids) == len(set(ids)) == 2178
    assert set(ids) == set(tweets) - set(evaluation)
    assert set(training_sample(tweets, VaderScorer(None), evaluation)) <= set(ids)
    assert {p.label for p in training} == {"negative", "neutral", "positive"}


def test_no_customer_tweet_of_the_shared_sample_is_left_for_a_fresh_set() -> None:
    """Why the fresh evaluation set waits for more data (docs/sentiment.md): both sets take every tweet."""
    labelled = [p.tweet_id for p in read_labelled_posts(LABELS, TWCS)]
    labelled += [p.tweet_id for p in read_labelled_posts(TRAINING, TWCS)]
    assert fresh_sample(read_customer_tweets(TWCS), VaderScorer(None), labelled) == []


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
    reason="not met: the support model's held-out macro-F1 is 0.746 (+0.263 over VADER) against the "
    "target 0.75 and +0.15, see docs/sentiment.md",
)
def test_target_on_the_held_out_half(posts: list[LabelledPost]) -> None:
    ours, vader = macro_f1s(posts, HELD_OUT, SupportModelScorer())
    assert ours >= TARGET_MACRO_F1 and ours - vader >= TARGET_MARGIN


def test_support_model_beats_the_rules_and_vader_on_the_held_out_half(posts: list[LabelledPost]) -> None:
    """A floor below the measured figures (model 0.746, rules 0.635, VADER 0.482; docs/sentiment.md)."""
    model, vader = macro_f1s(posts, HELD_OUT, SupportModelScorer())
    rules, _ = macro_f1s(posts, HELD_OUT)
    assert model >= 0.72 and model - vader >= 0.20 and model - rules >= 0.08


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
