"""Helpers for the store-free ingest tests: the real sample files (``../shared/data``) and views of writes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph.writes import GraphWrites
from ingest.pipeline import batches
from ingest.records import SourceItem
from ingest.sentiment import SentimentResult
from tests.data import SHARED_DATA

DATA = SHARED_DATA
TWCS = DATA / "twcs_head" / "twcs_head5000.csv"
OTC = DATA / "bitcoin_trust" / "soc-sign-bitcoinotc.csv.gz"
ALPHA = DATA / "bitcoin_trust" / "soc-sign-bitcoinalpha.csv.gz"
HIGGS = DATA / "higgs_twitter" / "higgs-activity_time.txt.gz"


class ConstantSentiment:
    """A deterministic, instant stand-in scorer where sentiment values do not matter."""

    def score(self, text: str, lang: str) -> SentimentResult:
        return SentimentResult.scored(0.5 if text else 0.0, lang, "constant")


def snapshot(writes: GraphWrites) -> dict[str, Any]:
    """A plain comparable view: nodes per label by id, relationships per spec by key."""
    return {
        "nodes": {str(label): dict(rows) for label, rows in writes.nodes.items() if rows},
        "relationships": {
            spec.name: {key: (row.source, row.target, row.properties) for key, row in rows.items()}
            for spec, rows in writes.relationships.items()
            if rows
        },
    }


def merged(items: Iterable[SourceItem], batch_size: int = 1_000, sentiment: Any = None) -> GraphWrites:
    total = GraphWrites()
    for batch in batches(items, batch_size, sentiment=sentiment or ConstantSentiment()):
        total.extend(batch.writes)
    return total
