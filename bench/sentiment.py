"""Benchmark of post sentiment: the support model and rules next to plain VADER on labelled customer tweets.

Data: ``tests/data/sentiment_eval.csv`` (600 customer tweets of the Customer Support on Twitter sample,
labelled by reading them under the rule in docs/sentiment.md) joined by ``tweet_id`` with
``../shared/data/twcs_head/twcs_head5000.csv`` (or ``$RAPPORT_SHARED_DATA/twcs_head/...``).

Prints, in one run:

* accuracy, macro-F1 and per-class precision / recall of the learned ``model`` scorer
  (:class:`ingest.support_model.SupportModelScorer`, trained on ``tests/data/sentiment_train.csv`` and the
  dev half), of the rule-based ``support`` scorer (both with each post's detected language) and of plain
  VADER (compound thresholds ±0.05, every text read as English) on the held-out and dev halves, over the
  tweets labelled English or undetermined (the model's dev figures are on its own training data); the
  target (macro-F1 ≥ 0.75 on the held-out half and ≥ 0.15 above VADER) for each scorer with PASS / FAIL;
* the non-English tweets: how many the support scorer left unscored and how many VADER misread;
* language detection against the labelled languages, and how many of all 5,000 tweets of the sample the
  plain-English check decides without Lingua;
* throughput in posts/s (best of ``--rounds``, after a warm-up) over all 5,000 tweets: language
  detection, the support model, the support rules, detection + model (what ingest runs per post with the
  default scorer) and plain VADER.

Usage: ``python bench/sentiment.py [--rounds 3] [--sample] [--fresh TWCS_CSV]`` (``--sample`` reprints the
sample's ids, drawn again by the documented stratified rule, and checks them against the stored set).

``--fresh TWCS_CSV`` is for the fresh evaluation set (docs/sentiment.md): a Customer Support on Twitter
file larger than the shared 5,000-row sample. It draws the set by its fixed rule
(:func:`ingest.sentiment_evaluation.fresh_sample`, the customer tweets of that file in neither labelled
set). While ``tests/data/sentiment_fresh.csv`` does not exist it prints the ids to label and stops — no
scorer but the baseline that stratifies the draw runs on them; once the labels are committed it checks
they are the drawn ids and prints the fresh set's rows and target line (all of the set is held out).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.language import UNDETERMINED, detect_language, language_content, plain_english, words_of  # noqa: E402
from ingest.sentiment import NEUTRAL, UNSCORED, VaderScorer  # noqa: E402
from ingest.sentiment_evaluation import (  # noqa: E402
    DEV,
    HELD_OUT,
    LABELS,
    Evaluation,
    LabelledPost,
    evaluate,
    fresh_sample,
    read_customer_tweets,
    read_labelled_posts,
    stratified_sample,
)
from ingest.support_model import SupportModelScorer  # noqa: E402
from ingest.support_sentiment import SupportSentimentScorer  # noqa: E402

LABELS_CSV = ROOT / "tests" / "data" / "sentiment_eval.csv"
TRAIN_CSV = ROOT / "tests" / "data" / "sentiment_train.csv"
FRESH_CSV = ROOT / "tests" / "data" / "sentiment_fresh.csv"
FRESH = "fresh"
TARGET_MACRO_F1 = 0.75
TARGET_MARGIN = 0.15
ENGLISH_LIKE = ("en", UNDETERMINED)


def shared_data() -> Path:
    return Path(os.environ.get("RAPPORT_SHARED_DATA") or ROOT.parent / "shared" / "data")


def all_texts(twcs_csv: Path) -> list[str]:
    import csv

    with twcs_csv.open(encoding="utf-8", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def row(name: str, split: str, result: Evaluation) -> str:
    per_class = "  ".join(
        f"{result.classes[label].precision:.2f}/{result.classes[label].recall:.2f}" for label in LABELS
    )
    return f"| {split:<8} | {name:<7} | {result.n:>3} | {result.accuracy:.3f} | {result.macro_f1:.3f} | {per_class} |"


def throughput(function: Callable[[str], object], texts: Sequence[str], rounds: int) -> float:
    for text in texts[:200]:
        function(text)  # warm-up: lexicons and language models load here
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for text in texts:
            function(text)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="timed passes over the 5,000 tweets (best kept)"
    )
    parser.add_argument(
        "--sample", action="store_true", help="redraw the sample and check it against the set"
    )
    parser.add_argument(
        "--fresh",
        type=Path,
        metavar="TWCS_CSV",
        help="a larger twcs file: draw the fresh set (ids to label) or, once labelled, score it",
    )
    args = parser.parse_args()

    twcs = shared_data() / "twcs_head" / "twcs_head5000.csv"
    if not twcs.exists():
        sys.exit(f"{twcs} is missing: the texts are joined from the shared data set (see docs/sentiment.md)")
    posts = read_labelled_posts(LABELS_CSV, twcs)
    vader = VaderScorer(languages=None)
    fresh: list[LabelledPost] = []
    if args.fresh:
        fresh = fresh_set(args.fresh, twcs, posts, vader)
        if not fresh:
            return
    support = SupportSentimentScorer()
    model = SupportModelScorer()

    if args.sample:
        ids = stratified_sample(read_customer_tweets(twcs), vader)
        print(" ".join(map(str, ids)))
        same = ids == sorted(post.tweet_id for post in posts)
        print(
            f"sample redrawn: {len(ids)} ids, {'identical to' if same else 'DIFFERENT from'} {LABELS_CSV.name}"
        )

    detected = {post.tweet_id: detect_language(post.text) for post in posts}
    print(f"# Sentiment on labelled customer tweets ({LABELS_CSV.name}, {len(posts)} tweets)")
    print(
        f"machine: {os.cpu_count()} cores, 24 GiB, shared with other jobs (busy); "
        f"Python {platform.python_version()}; rounds {args.rounds}"
    )
    sets = {split: [post for post in posts if post.split == split] for split in (HELD_OUT, DEV)}
    if fresh:
        sets = {FRESH: fresh, **sets}
        print(f"fresh set: {FRESH_CSV.name}, texts from {args.fresh}")
    for split, members in sets.items():
        labels = Counter(post.label for post in members)
        counts = ", ".join(f"{labels[label]} {label}" for label in LABELS)
        print(f"{split}: {len(members)} tweets ({counts})")
    detected.update({post.tweet_id: detect_language(post.text) for post in fresh})

    print(
        "\n## Accuracy and macro-F1 (tweets labelled en or und; P/R per class: negative, neutral, positive)"
    )
    print("| half     | scorer  |   n | acc   | macro-F1 | P/R neg    P/R neu    P/R pos |")
    print("|----------|---------|-----|-------|----------|---------------------------------|")
    results: dict[tuple[str, str], Evaluation] = {}
    for split, members in sets.items():
        half = [post for post in members if post.lang in ENGLISH_LIKE]
        gold = [post.label for post in half]
        for name, predict in (
            ("model", lambda post: model.score(post.text, detected[post.tweet_id]).label),
            ("support", lambda post: support.score(post.text, detected[post.tweet_id]).label),
            ("vader", lambda post: vader.score(post.text, "en").label),
        ):
            results[split, name] = evaluate(gold, [predict(post) for post in half])
            print(row(name, split, results[split, name]))
    print()
    for split, where in ((FRESH, "the fresh set"), (HELD_OUT, "the held-out half")):
        if split not in sets:
            continue
        split_vader = results[split, "vader"].macro_f1
        for name in ("model", "support"):
            held = results[split, name].macro_f1
            passed = held >= TARGET_MACRO_F1 and held - split_vader >= TARGET_MARGIN
            print(
                f"target on {where} ({name}): macro-F1 {held:.3f} >= {TARGET_MACRO_F1} and "
                f"{held - split_vader:+.3f} over VADER >= +{TARGET_MARGIN}: {'PASS' if passed else 'FAIL'}"
            )

    report_non_english(posts, detected, support, vader)
    report_languages(posts, detected, twcs)
    report_throughput(all_texts(twcs), model, support, vader, args.rounds)


def fresh_set(source: Path, twcs: Path, posts: list[LabelledPost], vader: VaderScorer) -> list[LabelledPost]:
    """The fresh set's labelled posts, or ``[]`` after printing the ids still to label (module doc)."""
    labelled = [post.tweet_id for post in posts]
    labelled += [post.tweet_id for post in read_labelled_posts(TRAIN_CSV, twcs)]
    ids = fresh_sample(read_customer_tweets(source), vader, labelled)
    if not FRESH_CSV.exists():
        print(" ".join(map(str, ids)))
        print(f"fresh set drawn from {source}: {len(ids)} ids to label into {FRESH_CSV} (docs/sentiment.md)")
        return []
    fresh = read_labelled_posts(FRESH_CSV, source)
    if sorted(post.tweet_id for post in fresh) != ids:
        sys.exit(f"{FRESH_CSV} does not hold the {len(ids)} ids drawn from {source} by the fixed rule")
    return fresh


def report_non_english(
    posts: list[LabelledPost], detected: dict[int, str], support: SupportSentimentScorer, vader: VaderScorer
) -> None:
    foreign = [post for post in posts if post.lang not in ENGLISH_LIKE]
    unscored = sum(1 for p in foreign if support.score(p.text, detected[p.tweet_id]).label == UNSCORED)
    vader_wrong = sum(1 for p in foreign if vader.score(p.text, "en").label != p.label)
    vader_neutral = sum(1 for p in foreign if vader.score(p.text, "en").label == NEUTRAL)
    languages = ", ".join(f"{lang} {n}" for lang, n in Counter(p.lang for p in foreign).most_common())
    print(f"\n## Non-English tweets: {len(foreign)} ({languages})")
    print(f"support scorer: {unscored} of {len(foreign)} left unscored (sentiment null, lang written)")
    print(
        f"plain VADER: {vader_wrong} of {len(foreign)} labelled wrong "
        f"({vader_neutral} read as neutral: the English lexicon does not know the words)"
    )


def report_languages(posts: list[LabelledPost], detected: dict[int, str], twcs: Path) -> None:
    agree = sum(1 for post in posts if detected[post.tweet_id] == post.lang)
    english_agree = sum(
        1 for post in posts if (detected[post.tweet_id] in ENGLISH_LIKE) == (post.lang in ENGLISH_LIKE)
    )
    confusions = Counter(
        (post.lang, detected[post.tweet_id]) for post in posts if detected[post.tweet_id] != post.lang
    )
    print("\n## Language detection")
    print(f"labelled tweets: detected = labelled language for {agree} of {len(posts)}")
    print(f"scored-as-English (en/und) or not, as labelled: {english_agree} of {len(posts)}")
    print(
        "differences (labelled -> detected): "
        + ", ".join(f"{a}->{b} {n}" for (a, b), n in confusions.items())
    )
    texts = all_texts(twcs)
    decided = 0
    for text in texts:
        words = words_of(language_content(text))
        if sum(map(len, words)) < 3 or plain_english(words):
            decided += 1
    print(
        f"all {len(texts)} tweets of the sample: {decided} decided by the plain-English check, {len(texts) - decided} by Lingua"
    )


def report_throughput(
    texts: list[str],
    model: SupportModelScorer,
    support: SupportSentimentScorer,
    vader: VaderScorer,
    rounds: int,
) -> None:
    def plain_check(text: str) -> bool:
        return plain_english(words_of(language_content(text)))

    def detect_and_score(text: str) -> object:
        return model.score(text, detect_language(text))

    print(f"\n## Throughput over all {len(texts)} tweets (posts/s, best of {rounds})")
    print("| step | posts/s |")
    print("|------|---------|")
    for name, function in (
        ("plain-English check only", plain_check),
        ("language detection (check, then Lingua)", detect_language),
        ("support model (lang given)", lambda text: model.score(text, "en")),
        ("support rules (lang given)", lambda text: support.score(text, "en")),
        ("detection + support model (ingest, per post)", detect_and_score),
        ("plain VADER", lambda text: vader.score(text, "en")),
    ):
        print(f"| {name} | {throughput(function, texts, rounds):,.0f} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this process (VADER, Lingua's models for the languages met): {peak:,.0f} MB")


if __name__ == "__main__":
    main()
