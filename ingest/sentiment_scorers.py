"""Which sentiment scorer a ``sentiment_scorer`` setting names (``RAPPORT_SENTIMENT_SCORER``).

Kept apart from :mod:`ingest.sentiment` (the scorer protocol, the result type and plain VADER),
which the scorers themselves import: choosing among them imports all of them.
"""

from __future__ import annotations

import importlib
from functools import cache

from graph.config import load_settings
from graph.errors import ConfigError
from ingest.sentiment import SentimentScorer, VaderScorer
from ingest.support_model import SupportModelScorer
from ingest.support_sentiment import SupportSentimentScorer


def sentiment_scorer(name: str) -> SentimentScorer:
    """The scorer a ``sentiment_scorer`` setting names: ``model``, ``support``, ``vader`` or ``module:factory``."""
    if name == "support":
        return SupportSentimentScorer()
    if name == "model":
        return SupportModelScorer()
    if name == "vader":
        return VaderScorer()
    module_name, _, attribute = name.partition(":")
    if not module_name or not attribute:
        raise ConfigError(
            f"sentiment_scorer {name!r}: expected 'model', 'support', 'vader' or 'package.module:factory'"
        )
    try:
        factory = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"sentiment_scorer {name!r}: cannot load it ({exc})") from exc
    try:
        scorer = factory()
    except Exception as exc:  # a user's factory may fail in any way; name the setting, keep the cause
        raise ConfigError(f"sentiment_scorer {name!r}: its factory failed ({exc})") from exc
    if not isinstance(scorer, SentimentScorer):
        raise ConfigError(f"sentiment_scorer {name!r}: {type(scorer).__name__} has no score(text, lang)")
    return scorer


@cache
def default_sentiment_scorer() -> SentimentScorer:
    """The process-wide scorer chosen by the ``sentiment_scorer`` setting (read once, on first call)."""
    return sentiment_scorer(load_settings().sentiment_scorer)
