"""Post sentiment: a compound polarity score in [-1, 1] (negative … positive, 0 = neutral or unknown words).

The default model is VADER (Hutto & Gilbert, "VADER: A Parsimonious Rule-based Model for Sentiment
Analysis of Social Media Text", ICWSM 2014) from the ``vaderSentiment`` package: a lexicon of ~7,500
rated words and emoticons plus rules for intensifiers, capitals, ``!``, "but" and short-range negation.
Its *compound* score is the normalised sum of word valences. It is fast (tens of µs per tweet), needs no
model download, and does reasonably on short English social-media text. What it gets wrong:

* **Negation scope** — only the three words before a sentiment word are checked for negators, so
  "not at all what I would call a great service" still scores positive;
* **sarcasm and irony** — "great, my flight is cancelled again, thanks a lot" scores positive;
* **domain terms** — support vocabulary such as "refund", "outage", "delayed", "bricked" or "DM us" is
  missing or neutral in the lexicon, while "please", "help" and "thanks" (polite requests in complaints)
  push complaints towards positive;
* **non-English text** — words outside the English lexicon score 0, so other languages come out neutral
  (only emoji and a few emoticons are language independent).

Anything better (a fine-tuned transformer, a domain lexicon) can be plugged in through
:class:`SentimentModel`. The VADER analyser is created lazily on first use, once per process: importing
this module does no I/O.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class SentimentModel(Protocol):
    """Anything that scores a text in [-1, 1]; must be deterministic (reloads must give the same graph)."""

    def score(self, text: str) -> float: ...


class VaderSentiment:
    """VADER compound score, rounded to 4 decimals, clamped to [-1, 1]. Empty text scores 0.0."""

    def __init__(self) -> None:
        self._analyzer: Any = None

    def score(self, text: str) -> float:
        if not text:
            return 0.0
        if self._analyzer is None:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            self._analyzer = SentimentIntensityAnalyzer()
        compound = float(self._analyzer.polarity_scores(text)["compound"])
        return max(-1.0, min(1.0, round(compound, 4)))


@cache
def default_sentiment_model() -> SentimentModel:
    """The process-wide VADER model (its lexicon is loaded on the first :meth:`score` call)."""
    return VaderSentiment()
