"""The write-back's staged rows built from columns equal the per-profile rows, value for value.

``usecases.analysis.StagedProfileRows`` builds the stage's rows a slice at a time from the run's
per-node arrays instead of a dict per profile; the server must receive the same text either way, so
each row is compared as ``cypher_literal`` writes it (an int and a float of equal value differ there).
"""

from __future__ import annotations

import random

import numpy as np

from graph.engines.falkordb import cypher_literal
from graph.results import staged_row
from usecases.analysis import StagedProfileRows, unranked_profile


def _reference_row(key: str, index: dict[str, int], columns, sources, shares, reach) -> list:
    """The row as the per-profile path built it: a dict per profile, then ``staged_row``."""
    i = index.get(key)
    if i is None:
        return staged_row(unranked_profile(key, {}, {}, reach=int(reach.get(key, 0))))
    return staged_row(
        {
            "id": key,
            "influence": float(columns["influence"][i]),
            "influence_rank": int(columns["influence_rank"][i]),
            "community": int(columns["community"][i]),
            "reach": int(reach.get(key, 0)),
            "brokerage": float(columns["brokerage"][i]),
            "influence_top_sources": sources[i],
            "influence_top_shares": shares[i],
            "influence_other": float(columns["influence_other"][i]),
            "influence_teleport": float(columns["influence_teleport"][i]),
            "role": "customer",
            "role_reason": "",
            "screening_flags": [],
            "screening_evidence": [],
            "screening_weight": 1.0,
        }
    )


def test_rows_from_columns_equal_the_per_profile_rows_in_every_slice() -> None:
    rng = random.Random(7)
    n = 40
    node_ids = [f"k:{i}" for i in range(n)]
    index = {node_id: i for i, node_id in enumerate(node_ids)}
    columns = {
        "influence": np.array([rng.random() for _ in range(n)]),
        "influence_rank": np.arange(1, n + 1, dtype=np.int64)[::-1].copy(),
        "community": np.array([rng.randrange(5) for _ in range(n)], dtype=np.int64),
        "brokerage": np.array([rng.choice([0.0, rng.random()]) for _ in range(n)]),
        "influence_other": np.array([rng.random() for _ in range(n)]),
        "influence_teleport": np.array([rng.random() for _ in range(n)]),
    }
    sources = [[f"k:{rng.randrange(n)}" for _ in range(rng.randrange(3))] for _ in range(n)]
    shares = [[rng.random() for _ in top] for top in sources]
    outside = ["f:only-follows", "f:also", "z:role-only"]  # in the union or ranked by a role only
    reach = {key: rng.randrange(1, 9) for key in rng.sample(node_ids + outside, 20)}
    signalled = {"k:3": ["k:3", "role row"], "z:role-only": ["z:role-only", "role row"]}
    keys = node_ids[:25] + outside[:2] + node_ids[25:] + outside[2:]
    rows = StagedProfileRows(
        keys, index, columns, sources, shares, reach, lambda key: signalled[key], set(signalled)
    )

    def reference(key: str) -> list:
        return (
            signalled[key]
            if key in signalled
            else _reference_row(key, index, columns, sources, shares, reach)
        )

    assert len(rows) == len(keys)
    for start, stop in ((0, 5000), (0, 7), (7, 30), (30, len(keys)), (len(keys), len(keys) + 3)):
        got = rows[start:stop]
        assert [cypher_literal(row) for row in got] == [
            cypher_literal(reference(key)) for key in keys[start:stop]
        ]
    assert cypher_literal(rows[26]) == cypher_literal(reference(keys[26]))
