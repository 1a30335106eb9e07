"""A learned sentiment scorer for customer-support posts: logistic regression over hashed n-grams.

:class:`SupportModelScorer` reads a post as a bag of features and a multinomial logistic regression
(softmax over negative / neutral / positive; Bishop, *Pattern Recognition and Machine Learning*, 2006,
§4.3.4) turns them into class probabilities. The features, computed by :func:`post_features`, are

* word unigrams and bigrams of the cleaned, lower-cased text (links and @mentions removed, emoji kept as
  words), hashed into :data:`BUCKETS` buckets with CRC-32 (the "hashing trick": Weinberger et al.,
  "Feature Hashing for Large Scale Multitask Learning", ICML 2009) — so no vocabulary is stored;
* character 3- to 5-grams inside each word (robust to the misspellings of tweets: Bojanowski et al.,
  "Enriching Word Vectors with Subword Information", TACL 2017);
* the named cues of :mod:`ingest.support_sentiment` (gratitude, thanks in advance, a question mark, a
  problem reported as solved, praise and frustration emoji, shouting, and one indicator per complaint
  and churn cue family found), the sums of VADER's lexicon valences (Hutto & Gilbert, ICWSM 2014) of the
  post's positive and negative words (politeness words weighing nothing, a word after a negation
  flipped), and the rule-based :class:`~ingest.support_sentiment.SupportSentimentScorer`'s score and
  label (so the model learns how far to trust each rule: a stacked model).

The weights were learned from customer tweets labelled by reading them (``tests/data/sentiment_train.csv``
and the dev half of ``tests/data/sentiment_eval.csv``; never the held-out half) by
``scripts/train_support_sentiment_model.py``, which regenerates :data:`MODEL_PATH` exactly; see
docs/sentiment.md for the data, the method and the measured figures.

**Score.** ``P(positive) - P(negative)`` in [-1, 1]; the label is the most probable class. Where the
two would disagree under :func:`ingest.sentiment.label_of`'s ±0.05 band (a neutral argmax with a
difference beyond the band, or a positive or negative argmax inside it), the score is moved to the
nearest value that carries the argmax label, so a stored score and its label never disagree.

Non-English text is not scored (``score=None``), as with the other built-in scorers.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from ingest.sentiment import (
    LABEL_THRESHOLD,
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    SCORED_LANGUAGES,
    SentimentResult,
    vader_analyzer,
)
from ingest.support_sentiment import (
    COMPLAINT_CUES,
    GRATITUDE,
    IN_ADVANCE,
    POLITE_WORDS,
    PRAISE_EMOJI,
    RESOLUTION,
    SupportSentimentScorer,
    clean_text,
    complaint_cues,
    shouting,
)

MODEL_PATH = Path(__file__).resolve().parent / "models" / "support_sentiment.npz"
CLASSES = (NEGATIVE, NEUTRAL, POSITIVE)
BUCKETS = 1 << 20
"""Hash buckets of the feature space (CRC-32 of the feature's name, modulo this)."""
CHAR_NGRAMS = (3, 5)
"""Lengths of the character n-grams taken inside each word (with ``<`` and ``>`` marking its ends)."""

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[^\sa-z0-9'\"().,;:!?*&%$/\\_\-]")
_NEGATION = frozenset(  # noqa: SIM905 - a word list reads better as text
    [
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "none",
        "nor",
        "cannot",
        "can't",
        "don't",
        "doesn't",
        "didn't",
        "won't",
        "wouldn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "haven't",
        "hasn't",
        "hadn't",
        "couldn't",
        "shouldn't",
        "ain't",
        "without",
        "cant",
        "dont",
        "doesnt",
        "didnt",
        "wont",
        "isnt",
        "wasnt",
        "havent",
        "hasnt",
        "couldnt",
    ]
)
_FRUSTRATION = COMPLAINT_CUES["frustration emoji"]
_FRUSTRATION_EMOTICON = COMPLAINT_CUES["frustration emoticon"]
_LEXICON: dict[str, float] = {}
_RULES = SupportSentimentScorer()  # loads VADER on first use, not at import


def _lexicon() -> dict[str, float]:
    """VADER's word valences without the politeness words (loaded on first use: it reads a file)."""
    if not _LEXICON:
        lexicon = dict(vader_analyzer().lexicon)
        for word in POLITE_WORDS:
            lexicon.pop(word, None)
        _LEXICON.update(lexicon)
    return _LEXICON


def _bucket(name: str) -> int:
    return zlib.crc32(name.encode()) % BUCKETS


def post_features(text: str) -> dict[int, float]:
    """The post's features as ``{bucket: value}`` (see the module doc); n-gram features have value 1."""
    cleaned = clean_text(text)
    lowered = cleaned.lower()
    tokens = _TOKEN.findall(lowered)
    names = {f"w={token}" for token in tokens}
    names.update(f"b={first} {second}" for first, second in zip(tokens, tokens[1:], strict=False))
    low, high = CHAR_NGRAMS
    for token in tokens:
        if len(token) < 2:
            continue
        marked = f"<{token}>"
        for n in range(low, high + 1):
            names.update(f"c={marked[i : i + n]}" for i in range(len(marked) - n + 1))
    if not tokens:
        names.add("f=empty")
    if GRATITUDE.search(lowered):
        names.add("f=gratitude")
    if IN_ADVANCE.search(lowered):
        names.add("f=in advance")
    if "?" in cleaned:
        names.add("f=question")
    if "!" in cleaned:
        names.add("f=exclamation")
    if RESOLUTION.search(lowered):
        names.add("f=resolved")
    if PRAISE_EMOJI.search(cleaned):
        names.add("f=praise emoji")
    if _FRUSTRATION.search(cleaned) or _FRUSTRATION_EMOTICON.search(lowered):
        names.add("f=frustration emoji")
    if shouting(cleaned):
        names.add("f=shouting")
    names.update("k=" + cue.partition(":")[0] for cue in complaint_cues(lowered))
    rules = _RULES.score(text, "en")
    names.add("k=support " + rules.label)
    features = dict.fromkeys(map(_bucket, names), 1.0)
    lexicon = _lexicon()
    positive = negative = 0.0
    negated = False
    for token in tokens:
        valence = lexicon.get(token)
        if valence is not None:
            valence = -0.5 * valence if negated else valence
            if valence > 0:
                positive += valence
            else:
                negative -= valence
        negated = token in _NEGATION
    if positive:
        features[_bucket("f=lexicon positive")] = positive / 4.0
    if negative:
        features[_bucket("f=lexicon negative")] = negative / 4.0
    if rules.score:
        features[_bucket("k=support score")] = rules.score
    return features


def probabilities(weights: np.ndarray, bias: np.ndarray, features: dict[int, float]) -> np.ndarray:
    """Softmax class probabilities (in :data:`CLASSES` order) of a post's features under the model."""
    logits = bias.copy()
    if features:
        rows = np.fromiter(features.keys(), dtype=np.int64, count=len(features))
        values = np.fromiter(features.values(), dtype=np.float64, count=len(features))
        logits += values @ weights[rows]
    logits -= logits.max()
    exp = np.exp(logits)
    return exp / exp.sum()


def score_and_label(probs: np.ndarray) -> tuple[float, str]:
    """``P(pos) - P(neg)`` and the argmax label, the score moved into the label's band (module doc)."""
    score = float(probs[2] - probs[0])
    label = CLASSES[int(np.argmax(probs))]
    edge = LABEL_THRESHOLD
    if label == NEUTRAL:
        score = max(-edge + 1e-4, min(edge - 1e-4, score))
    elif label == POSITIVE:
        score = max(score, edge)
    else:
        score = min(score, -edge)
    return score, label


def load_model(path: Path = MODEL_PATH) -> tuple[np.ndarray, np.ndarray]:
    """The dense weight matrix (``BUCKETS`` x 3) and bias of a model file written by the training script."""
    with np.load(path) as stored:
        if int(stored["buckets"]) != BUCKETS:
            raise ValueError(f"{path}: model has {int(stored['buckets'])} buckets, this code {BUCKETS}")
        weights = np.zeros((BUCKETS, len(CLASSES)), dtype=np.float64)
        weights[stored["rows"]] = stored["weights"]
        return weights, stored["bias"].astype(np.float64)


class SupportModelScorer:
    """The learned support-language scorer (module doc): English and ``und`` posts only."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        self.path = path
        self._model: Any = None

    def probabilities(self, text: str) -> np.ndarray:
        if self._model is None:
            self._model = load_model(self.path)
        weights, bias = self._model
        return probabilities(weights, bias, post_features(text))

    def score(self, text: str, lang: str) -> SentimentResult:
        if lang not in SCORED_LANGUAGES:
            return SentimentResult.unscored(lang, f"not scored: no English-lexicon reading of lang {lang!r}")
        probs = self.probabilities(text)
        score, label = score_and_label(probs)
        reason = "support model: P(neg/neu/pos) = " + "/".join(f"{p:.2f}" for p in probs)
        return SentimentResult(round(score, 4), label, lang, reason)
