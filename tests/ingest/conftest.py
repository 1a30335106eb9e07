"""Shared helpers for the store-free ingest tests (real sample files from /work/shared/data)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from graph.writes import GraphWrites  # noqa: E402
from ingest.pipeline import batches  # noqa: E402
from ingest.records import SourceItem  # noqa: E402

DATA = Path("/work/shared/data")
TWCS = DATA / "twcs_head" / "twcs_head5000.csv"
OTC = DATA / "bitcoin_trust" / "soc-sign-bitcoinotc.csv.gz"
ALPHA = DATA / "bitcoin_trust" / "soc-sign-bitcoinalpha.csv.gz"
HIGGS = DATA / "higgs_twitter" / "higgs-activity_time.txt.gz"


class ConstantSentiment:
    """A deterministic, instant stand-in model where sentiment values do not matter."""

    def score(self, text: str) -> float:
        return 0.5 if text else 0.0


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


@pytest.fixture
def write_lines(tmp_path: Path) -> Callable[..., Path]:
    def write(lines: Iterable[str | bytes], name: str = "input.jsonl") -> Path:
        path = tmp_path / name
        with open(path, "wb") as stream:
            for line in lines:
                stream.write(line if isinstance(line, bytes) else line.encode("utf-8"))
                stream.write(b"\n")
        return path

    return write
