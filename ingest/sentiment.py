"""Post sentiment: one interface, :class:`SentimentScorer`, and the scorers that implement it.

A scorer maps a post's text and language to a :class:`SentimentResult`: a polarity ``score`` in [-1, 1]
(negative … positive; ``None`` when the scorer does not score that language), its ``label``, the
language and a short ``reason``. Labels follow the score with the thresholds VADER's authors recommend:
``positive`` at ``score >= 0.05``, ``negative`` at ``score <= -0.05``, ``neutral`` between, and
``unscored`` for ``None`` — so a post's stored ``sentiment`` and its label never disagree.

Scorers (chosen by the ``sentiment_scorer`` setting, ``RAPPORT_SENTIMENT_SCORER``, in
:mod:`ingest.sentiment_scorers`):

``support`` (default)
    :class:`~ingest.support_sentiment.SupportSentimentScorer`: VADER with customer-support rules
    (complaint and churn cues, thanks after a complaint, emoji, neutral questions); English only.
``model``
    :class:`~ingest.support_model.SupportModelScorer`: a logistic regression over hashed n-grams and the
    support rules' cues, learned from labelled customer tweets; English only.
``vader``
    :class:`VaderScorer`: plain VADER compound on English (and undetermined) text.
``package.module:factory``
    any callable that returns a :class:`SentimentScorer` — a user's stronger model (a fine-tuned
    transformer, a multilingual classifier). It must be deterministic: reloads must give the same graph.

Non-English posts are not scored with an English lexicon: the built-in scorers return ``score=None``
for them (no multilingual sentiment library that ships its model inside a PyPI wheel was found; see
docs/sentiment.md), and the post keeps its ``lang`` so a user's scorer can take them on.

VADER: Hutto & Gilbert, "VADER: A Parsimonious Rule-based Model for Sentiment Analysis of Social Media
Text", ICWSM 2014 (``vaderSentiment`` package: a lexicon of ~7,500 rated words and emoticons with rules
for intensifiers, capitals, ``!``, "but" and short-range negation). Scorers load their lexicons lazily,
on first use: importing this module does no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable

POSITIVE = "positive"
NEGATIVE = "negative"
NEUTRAL = "neutral"
UNSCORED = "unscored"

LABEL_THRESHOLD = 0.05
"""``|score|`` at which a post stops being neutral (Hutto & Gilbert's compound thresholds ±0.05)."""

SCORED_LANGUAGES = frozenset({"en", "und"})
"""Languages the built-in (English) scorers score: English, and text with no language content to tell
(emoji, emoticons and ``!`` carry sentiment in any language)."""


def label_of(score: float | None) -> str:
    """The label a score stands for (see the module doc)."""
    if score is None:
        return UNSCORED
    if score >= LABEL_THRESHOLD:
        return POSITIVE
    if score <= -LABEL_THRESHOLD:
        return NEGATIVE
    return NEUTRAL


@dataclass(frozen=True, slots=True)
class SentimentResult:
    """A scored text: ``score`` in [-1, 1] or ``None`` (not scored), its ``label``, ``lang``, ``reason``."""

    score: float | None
    label: str
    lang: str
    reason: str

    @classmethod
    def scored(cls, score: float, lang: str, reason: str) -> SentimentResult:
        """A result for ``score`` clamped to [-1, 1] and rounded to 4 decimals, labelled by :func:`label_of`."""
        value = max(-1.0, min(1.0, round(score, 4)))
        return cls(value, label_of(value), lang, reason)

    @classmethod
    def unscored(cls, lang: str, reason: str) -> SentimentResult:
        return cls(None, UNSCORED, lang, reason)


_MOVE_TO = (
    r"(?:switch\w*|mov(?:e|ed|es|ing)|port\w*|gone|went\s+back|going\s+back|come\s+back|came\s+back|"
    r"coming\s+back)\s+(?:over\s+|back\s+)?to"
)


@lru_cache(maxsize=4096)
def _move_to(handle: str) -> re.Pattern[str]:
    return re.compile(rf"\b({_MOVE_TO})\s+@{re.escape(handle)}(?![\w-])", re.IGNORECASE)


def as_read_by_brand(text: str, handle: str) -> str | None:
    """``text`` as the brand whose handle is ``handle`` reads it, or None when that changes nothing.

    A post's sentiment is the author's tone in the post as a whole; toward a brand it mentions, one
    phrase turns around: a move *to* the brand ("switched to @northwind, best decision ever",
    "going back to @delta") is the brand winning a customer, where a move to anyone else is churn
    (the support scorer's churn cue, :data:`ingest.support_sentiment.COMPLAINT_CUES`). So, for that
    brand, "to @handle" after a verb of moving reads "to you", which is how customers address the
    brand they write to ("switched to you guys") and which no scorer takes for churn. Scorer-agnostic:
    the same scorer then scores the rewritten text (:func:`ingest.mapping.add_event` stores it as the
    post's ``ABOUT`` sentiment for that brand).
    """
    if "@" not in text:
        return None
    rewritten, moves = _move_to(handle).subn(r"\1 you", text)
    return rewritten if moves else None


@runtime_checkable
class SentimentScorer(Protocol):
    """Scores a post's text in its language (an ISO 639-1 code or ``"und"``, see :mod:`ingest.language`).

    Must be deterministic and must not raise on any text: a language it cannot score gives
    ``SentimentResult.unscored``.
    """

    def score(self, text: str, lang: str) -> SentimentResult: ...


def vader_analyzer() -> Any:
    """A new VADER analyser (its lexicon is read from the package, so this does I/O: call it lazily)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


class VaderScorer:
    """Plain VADER compound score. Empty text scores 0.0.

    ``languages`` are the languages it scores (default :data:`SCORED_LANGUAGES`); ``None`` scores every
    text whatever its language — plain VADER as it was before language detection, the baseline that
    ``bench/sentiment.py`` compares against.
    """

    def __init__(self, languages: frozenset[str] | None = SCORED_LANGUAGES) -> None:
        self.languages = languages
        self._analyzer: Any = None

    def score(self, text: str, lang: str) -> SentimentResult:
        if self.languages is not None and lang not in self.languages:
            return SentimentResult.unscored(lang, f"no English lexicon for lang {lang!r}")
        if not text:
            return SentimentResult.scored(0.0, lang, "empty text")
        if self._analyzer is None:
            self._analyzer = vader_analyzer()
        return SentimentResult.scored(
            self._analyzer.polarity_scores(text)["compound"], lang, "vader compound"
        )
