"""Measuring a sentiment scorer against the labelled customer tweets (docs/sentiment.md).

The labels (``tests/data/sentiment_eval.csv``: ``tweet_id,label,lang,sarcasm``) are joined with the
tweet texts of the Customer Support on Twitter sample by ``tweet_id`` — the texts are CC BY-NC-SA and
stay out of this repository. :func:`split_of` fixes the dev / held-out halves, :func:`evaluate` gives
accuracy, macro-F1 and per-class precision and recall (macro-F1 is the unweighted mean of the three
classes' F1, so the rarer positive and neutral classes count as much as complaints; Sokolova & Lapalme,
"A systematic analysis of performance measures for classification tasks", IPM 45(4), 2009).
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.sentiment import NEGATIVE, NEUTRAL, POSITIVE, SentimentScorer

LABELS = (NEGATIVE, NEUTRAL, POSITIVE)
DEV = "dev"
HELD_OUT = "held-out"
SAMPLE_SEED = 15
SAMPLE_PER_STRATUM = 200


def split_of(tweet_id: int) -> str:
    """``dev`` when the first byte of ``sha256(str(tweet_id))`` is even, else ``held-out``."""
    return DEV if hashlib.sha256(str(tweet_id).encode()).digest()[0] % 2 == 0 else HELD_OUT


@dataclass(frozen=True, slots=True)
class LabelledPost:
    tweet_id: int
    text: str
    label: str
    lang: str
    sarcasm: bool

    @property
    def split(self) -> str:
        return split_of(self.tweet_id)


def read_customer_tweets(twcs_csv: Path) -> dict[int, str]:
    """Texts of the customer (``inbound=True``) tweets of a twcs CSV, by tweet id."""
    with twcs_csv.open(encoding="utf-8", newline="") as handle:
        return {
            int(row["tweet_id"]): row["text"] for row in csv.DictReader(handle) if row["inbound"] == "True"
        }


def read_labelled_posts(labels_csv: Path, twcs_csv: Path) -> list[LabelledPost]:
    """The labelled tweets with their texts; a label whose tweet is not a customer tweet is an error."""
    texts = read_customer_tweets(twcs_csv)
    posts = []
    with labels_csv.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            tweet_id = int(row["tweet_id"])
            if tweet_id not in texts:
                raise ValueError(
                    f"{labels_csv}:{line}: tweet_id {tweet_id} is not a customer tweet of {twcs_csv}"
                )
            if row["label"] not in LABELS:
                raise ValueError(f"{labels_csv}:{line}: label {row['label']!r} is not one of {LABELS}")
            posts.append(
                LabelledPost(tweet_id, texts[tweet_id], row["label"], row["lang"], row["sarcasm"] == "1")
            )
    return posts


def stratified_sample(
    tweets: dict[int, str],
    baseline: SentimentScorer,
    seed: int = SAMPLE_SEED,
    per_stratum: int = SAMPLE_PER_STRATUM,
) -> list[int]:
    """The evaluation sample's tweet ids: :data:`SAMPLE_PER_STRATUM` per class of ``baseline``'s reading.

    Tweets in id order are split by the baseline's label (plain VADER for the stored set), each stratum is
    shuffled with ``random.Random(seed)`` and its first ``per_stratum`` ids are kept; the result is sorted.
    """
    strata: dict[str, list[int]] = {label: [] for label in LABELS}
    for tweet_id in sorted(tweets):
        strata[baseline.score(tweets[tweet_id], "en").label].append(tweet_id)
    sample = []
    for label in LABELS:
        ids = strata[label]
        random.Random(seed).shuffle(ids)
        sample.extend(ids[:per_stratum])
    return sorted(sample)


@dataclass(frozen=True, slots=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Accuracy, macro-F1 and per-class scores of predictions against gold labels (``n`` posts)."""

    n: int
    accuracy: float
    macro_f1: float
    classes: dict[str, ClassScores]


def evaluate(gold: Sequence[str], predicted: Sequence[str]) -> Evaluation:
    """Compare labels pairwise; a prediction outside :data:`LABELS` (``unscored``) is simply wrong."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted labels differ in length")
    pairs = list(zip(gold, predicted, strict=True))
    classes = {}
    for label in LABELS:
        true_positive = sum(1 for g, p in pairs if g == label and p == label)
        predicted_count = sum(1 for _, p in pairs if p == label)
        support = sum(1 for g, _ in pairs if g == label)
        precision = true_positive / predicted_count if predicted_count else 0.0
        recall = true_positive / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        classes[label] = ClassScores(precision, recall, f1, support)
    accuracy = sum(1 for g, p in pairs if g == p) / len(pairs) if pairs else 0.0
    return Evaluation(len(pairs), accuracy, sum(c.f1 for c in classes.values()) / len(LABELS), classes)


def evaluate_scorer(
    scorer: SentimentScorer, posts: Iterable[LabelledPost], *, lang_of: dict[int, str] | None = None
) -> Evaluation:
    """Score each post (in its detected language from ``lang_of``, else ``"en"``) and :func:`evaluate`."""
    posts = list(posts)
    predicted = [scorer.score(p.text, (lang_of or {}).get(p.tweet_id, "en")).label for p in posts]
    return evaluate([p.label for p in posts], predicted)


TRAIN_SEED = 16
TRAIN_PER_STRATUM = 270


def training_sample(tweets: dict[int, str], baseline: SentimentScorer, exclude: Iterable[int]) -> list[int]:
    """The training sample's tweet ids: like :func:`stratified_sample`, disjoint from ``exclude``.

    The customer tweets not in ``exclude`` (the evaluation set) are split by ``baseline``'s label in id
    order, each stratum is shuffled with ``random.Random(TRAIN_SEED)`` and its first
    :data:`TRAIN_PER_STRATUM` ids are kept; the result is sorted.
    """
    excluded = set(exclude)
    return stratified_sample(
        {tweet_id: text for tweet_id, text in tweets.items() if tweet_id not in excluded},
        baseline,
        seed=TRAIN_SEED,
        per_stratum=TRAIN_PER_STRATUM,
    )


FRESH_SEED = 17
FRESH_PER_STRATUM = 150


def fresh_sample(tweets: dict[int, str], baseline: SentimentScorer, exclude: Iterable[int]) -> list[int]:
    """The fresh evaluation set's tweet ids, a rule fixed before any tweet of it exists here (docs/sentiment.md).

    Every customer tweet of the stored sets is labelled and the held-out half has been scored several
    times, so a measurement no scorer was tuned against needs tweets from beyond the shared sample: the
    customer tweets of a larger Customer Support on Twitter file that are in neither labelled set
    (``exclude``) are split by ``baseline``'s label (plain VADER) in id order, each stratum is shuffled
    with ``random.Random(FRESH_SEED)`` and its first :data:`FRESH_PER_STRATUM` ids are kept (450 tweets);
    the result is sorted. The whole draw is held out: no dev half, no reading of its errors.
    """
    excluded = set(exclude)
    return stratified_sample(
        {tweet_id: text for tweet_id, text in tweets.items() if tweet_id not in excluded},
        baseline,
        seed=FRESH_SEED,
        per_stratum=FRESH_PER_STRATUM,
    )
