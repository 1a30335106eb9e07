"""Train the support-language sentiment model and write ``ingest/models/support_sentiment.npz``.

Data: the customer tweets labelled by reading them under docs/sentiment.md's rule — the training set
``tests/data/sentiment_train.csv`` and the **dev** half of ``tests/data/sentiment_eval.csv`` (the held-out
half is never read here) — joined by ``tweet_id`` with the texts of the shared Customer Support on Twitter
sample (``$RAPPORT_SHARED_DATA/twcs_head/twcs_head5000.csv``, default ``../shared/data``). Only tweets
labelled ``en`` or ``und`` are used (the scorer's domain).

Model: multinomial logistic regression over :func:`ingest.support_model.post_features`, minimising the
class-balanced mean cross-entropy plus ``l2 / 2 * ||W||^2`` (bias not penalised) with L-BFGS from zero
weights (scipy.optimize), so a run is deterministic and, with the same numpy/scipy build, regenerates
the file exactly (the zip members carry a fixed date); another build moves the last bits of the weights. Class-balanced: each class weighs as much in the loss as the others, whatever its
count (macro-F1 is the measure).

``--cv K`` instead prints the K-fold cross-validated macro-F1 on the same data for each ``--l2`` value
(folds by ``sha256(tweet_id)``), which is how the regularisation was chosen; nothing is written.

``--learning-curve`` (with ``--cv K``) asks what more labelled data would be worth and how precisely an
evaluation set of a given size measures the model, on the training data only (never an evaluation set):
in each fold the model is fitted on the first 1/4, 1/2, 3/4 and all of the fold's training posts in a
fixed order (``sha256("order:" + id)``), and the cross-validated macro-F1 is printed per fraction; then
the standard deviation of macro-F1 over 2,000 bootstrap draws of n posts from the full-data
cross-validated predictions (``random.Random(0)``), for evaluation sets of n posts.

Usage: ``python scripts/train_support_sentiment_model.py [--l2 1e-2] [--cv 5 --l2 3e-3 1e-2 3e-2]
[--cv 5 --learning-curve]``
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import sys
import zipfile
from pathlib import Path

import numpy as np
from scipy import optimize, sparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.sentiment_evaluation import DEV, LabelledPost, evaluate, read_labelled_posts  # noqa: E402
from ingest.support_model import BUCKETS, CLASSES, MODEL_PATH, post_features  # noqa: E402

TRAIN_CSV = ROOT / "tests" / "data" / "sentiment_train.csv"
EVAL_CSV = ROOT / "tests" / "data" / "sentiment_eval.csv"
DEFAULT_L2 = 1e-2
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def training_posts(twcs: Path) -> list[LabelledPost]:
    """The training set and the eval set's dev half, English and ``und`` tweets only, in id order."""
    posts = read_labelled_posts(TRAIN_CSV, twcs) + [
        post for post in read_labelled_posts(EVAL_CSV, twcs) if post.split == DEV
    ]
    return sorted((post for post in posts if post.lang in ("en", "und")), key=lambda post: post.tweet_id)


def design_matrix(posts: list[LabelledPost]) -> sparse.csr_matrix:
    rows, columns, values = [], [], []
    for row, post in enumerate(posts):
        for column, value in sorted(post_features(post.text).items()):
            rows.append(row)
            columns.append(column)
            values.append(value)
    return sparse.csr_matrix((values, (rows, columns)), shape=(len(posts), BUCKETS), dtype=np.float64)


def fit(features: sparse.csr_matrix, labels: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray]:
    """Weights (buckets x classes) and bias minimising the balanced cross-entropy + L2 (module doc)."""
    n, k = features.shape[0], len(CLASSES)
    counts = np.bincount(labels, minlength=k).astype(np.float64)
    sample_weight = (n / (k * counts))[labels] / n
    used = np.unique(features.indices)
    compact = features[:, used].tocsr()
    onehot = np.eye(k)[labels]

    def loss_and_gradient(theta: np.ndarray) -> tuple[float, np.ndarray]:
        weights = theta[: used.size * k].reshape(used.size, k)
        bias = theta[used.size * k :]
        logits = compact @ weights + bias
        logits -= logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(logits).sum(axis=1, keepdims=True))
        log_probs = logits - log_norm
        loss = -(sample_weight * (onehot * log_probs).sum(axis=1)).sum() + 0.5 * l2 * (weights**2).sum()
        residual = (np.exp(log_probs) - onehot) * sample_weight[:, None]
        gradient_w = compact.T @ residual + l2 * weights
        return loss, np.concatenate([np.asarray(gradient_w).ravel(), residual.sum(axis=0)])

    result = optimize.minimize(
        loss_and_gradient,
        np.zeros(used.size * k + k),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 500, "gtol": 1e-7, "ftol": 1e-10},
    )
    weights = np.zeros((BUCKETS, k))
    weights[used] = result.x[: used.size * k].reshape(used.size, k)
    return weights, result.x[used.size * k :]


def predict(features: sparse.csr_matrix, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    return np.asarray(features @ weights + bias).argmax(axis=1)


def fold_of(tweet_id: int, folds: int) -> int:
    return int.from_bytes(hashlib.sha256(f"fold:{tweet_id}".encode()).digest()[:4], "big") % folds


def order_key(tweet_id: int) -> bytes:
    return hashlib.sha256(f"order:{tweet_id}".encode()).digest()


FRACTIONS = (0.25, 0.5, 0.75, 1.0)
BOOTSTRAP_SIZES = (268, 300, 450, 600, 1000)
BOOTSTRAP_DRAWS = 2000


def learning_curve(
    posts: list[LabelledPost], features: sparse.csr_matrix, labels: np.ndarray, folds: np.ndarray, l2: float
) -> None:
    """Cross-validated macro-F1 by training fraction, then bootstrap spreads by set size (module doc)."""
    k = int(folds.max()) + 1
    keys = [order_key(post.tweet_id) for post in posts]
    full = np.empty_like(labels)
    print(f"learning curve, l2 {l2:g}, {k}-fold (training posts per fold: fraction of the fold's rest)")
    for fraction in FRACTIONS:
        predicted = np.empty_like(labels)
        sizes = []
        for fold in range(k):
            rest = sorted(np.flatnonzero(folds != fold), key=lambda i: keys[i])
            chosen = np.array(rest[: round(fraction * len(rest))])
            sizes.append(chosen.size)
            weights, bias = fit(features[chosen], labels[chosen], l2)
            test = folds == fold
            predicted[test] = predict(features[test], weights, bias)
        result = evaluate([CLASSES[i] for i in labels], [CLASSES[i] for i in predicted])
        print(
            f"fraction {fraction:.2f} (~{round(sum(sizes) / k)} training posts): "
            f"accuracy {result.accuracy:.3f} macro-F1 {result.macro_f1:.3f}"
        )
        if fraction == 1.0:
            full = predicted
    rng = random.Random(0)
    gold = [CLASSES[i] for i in labels]
    guessed = [CLASSES[i] for i in full]
    for n in BOOTSTRAP_SIZES:
        draws = []
        for _ in range(BOOTSTRAP_DRAWS):
            picks = [rng.randrange(len(gold)) for _ in range(n)]
            draws.append(evaluate([gold[i] for i in picks], [guessed[i] for i in picks]).macro_f1)
        spread = float(np.std(draws))
        print(
            f"evaluation set of {n} posts: macro-F1 standard deviation {spread:.3f} (2 sd {2 * spread:.3f})"
        )


def write_model(path: Path, weights: np.ndarray, bias: np.ndarray, l2: float, n: int) -> None:
    """Only the buckets with a weight are stored (float32); zip members carry a fixed date."""
    rows = np.flatnonzero(np.abs(weights).sum(axis=1)).astype(np.int32)
    arrays = {
        "buckets": np.array(BUCKETS, dtype=np.int64),
        "rows": rows,
        "weights": weights[rows].astype(np.float32),
        "bias": bias.astype(np.float64),
        "l2": np.array(l2),
        "training_posts": np.array(n, dtype=np.int64),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asarray(array), allow_pickle=False)
            archive.writestr(
                zipfile.ZipInfo(f"{name}.npy", date_time=FIXED_DATE),
                buffer.getvalue(),
                compress_type=zipfile.ZIP_DEFLATED,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", type=float, nargs="+", default=[DEFAULT_L2])
    parser.add_argument("--cv", type=int, default=0, help="K-fold cross-validation only (nothing written)")
    parser.add_argument(
        "--learning-curve", action="store_true", help="with --cv: macro-F1 by training fraction (module doc)"
    )
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    shared = Path(os.environ.get("RAPPORT_SHARED_DATA") or ROOT.parent / "shared" / "data")
    posts = training_posts(shared / "twcs_head" / "twcs_head5000.csv")
    features = design_matrix(posts)
    labels = np.array([CLASSES.index(post.label) for post in posts])
    print(
        f"{len(posts)} training posts: "
        + ", ".join(f"{c} {int((labels == i).sum())}" for i, c in enumerate(CLASSES))
    )
    if args.cv:
        folds = np.array([fold_of(post.tweet_id, args.cv) for post in posts])
        if args.learning_curve:
            learning_curve(posts, features, labels, folds, args.l2[0])
            return
        for l2 in args.l2:
            predicted = np.empty_like(labels)
            for fold in range(args.cv):
                test = folds == fold
                weights, bias = fit(features[~test], labels[~test], l2)
                predicted[test] = predict(features[test], weights, bias)
            result = evaluate([CLASSES[i] for i in labels], [CLASSES[i] for i in predicted])
            print(f"l2 {l2:g}: {args.cv}-fold accuracy {result.accuracy:.3f} macro-F1 {result.macro_f1:.3f}")
        return
    l2 = args.l2[0]
    weights, bias = fit(features, labels, l2)
    write_model(args.out, weights, bias, l2, len(posts))
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, l2 {l2:g})")


if __name__ == "__main__":
    main()
