"""The write-back's staged batches built from columns equal those built from a row per profile.

``usecases.analysis.StagedProfileBatches`` builds each StagedScores node's properties from the run's
per-node arrays instead of a dict per profile; the server must receive the same text either way, so
each property is compared as ``cypher_literal`` writes it (an int and a float of equal value differ).
"""

from __future__ import annotations

import random

import numpy as np

from graph import results
from graph.engines.falkordb import cypher_literal
from usecases.analysis import StagedProfileBatches

DEFAULT_SIGNALS = {
    "role": "customer",
    "role_reason": "",
    "screening_flags": [],
    "screening_evidence": [],
    "screening_weight": 1.0,
}


def _row(key, index, columns, sources, shares, reach, signals) -> dict:
    """A profile's row as the analysis built it per profile (``profile_row``, ``unranked_profile``)."""
    i = index.get(key)
    base = {
        "id": key,
        "influence": float(columns["influence"][i]) if i is not None else 0.0,
        "influence_rank": int(columns["influence_rank"][i]) if i is not None else -1,
        "community": int(columns["community"][i]) if i is not None else -1,
        "reach": int(reach.get(key, 0)),
        "brokerage": float(columns["brokerage"][i]) if i is not None else 0.0,
        "influence_top_sources": sources[i] if i is not None else [],
        "influence_top_shares": shares[i] if i is not None else [],
        "influence_other": float(columns["influence_other"][i]) if i is not None else 0.0,
        "influence_teleport": float(columns["influence_teleport"][i]) if i is not None else 0.0,
    }
    return {**base, **signals.get(key, DEFAULT_SIGNALS)}


def test_batches_from_columns_equal_batches_of_rows_as_the_server_reads_them(monkeypatch) -> None:
    monkeypatch.setattr(results, "STAGE_BATCH_ROWS", 16)
    rng = random.Random(7)
    n = 40
    node_ids = [f"k:{i}" for i in range(n)]
    index = {node_id: i for i, node_id in enumerate(node_ids)}
    columns = {
        "influence": np.array([rng.random() for _ in range(n)]),
        "influence_rank": np.arange(n, 0, -1, dtype=np.int64),
        "community": np.array([rng.randrange(5) for _ in range(n)], dtype=np.int64),
        "brokerage": np.array([rng.choice([0.0, rng.random()]) for _ in range(n)]),
        "influence_other": np.array([rng.random() for _ in range(n)]),
        "influence_teleport": np.array([rng.random() for _ in range(n)]),
    }
    sources = [[f"k:{rng.randrange(n)}" for _ in range(rng.randrange(4))] for _ in range(n)]
    shares = [[rng.random() for _ in top] for top in sources]
    outside = ["f:only-follows", "f:also", "z:role-only"]  # in the follows graph, or with a role only
    reach = {key: rng.randrange(1, 9) for key in rng.sample(node_ids + outside, 20)}
    signals = {
        "k:3": {**DEFAULT_SIGNALS, "role": "staff", "role_reason": "declared"},
        "k:20": {
            **DEFAULT_SIGNALS,
            "screening_flags": ["duplicate_text", "burst"],
            "screening_evidence": ["3 posts shared with k:4"],
            "screening_weight": 0.25,
        },
        "z:role-only": {**DEFAULT_SIGNALS, "role": "brand_owned", "role_reason": "answers for acme"},
    }
    keys = node_ids[:25] + outside[:2] + node_ids[25:] + outside[2:]
    built = StagedProfileBatches("run-x", keys, index, columns, sources, shares, reach, signals).batches()
    batches = [make() for make in built]
    assert [len(batch["profile_ids"]) for batch in batches] == [16, 16, 11]
    for number, batch in enumerate(batches):
        rows = [
            _row(key, index, columns, sources, shares, reach, signals)
            for key in keys[16 * number : 16 * (number + 1)]
        ]
        expected = results.staged_batch("run-x", rows)
        assert sorted(batch) == sorted(expected)
        for name, value in expected.items():
            assert cypher_literal(batch[name]) == cypher_literal(value), (number, name)
