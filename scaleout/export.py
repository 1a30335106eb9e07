"""``rapport export --format parquet``: the store's profiles and interactions as a Parquet snapshot.

Written with pyarrow straight from the store's paged read (:func:`graph.projection.read_interactions`),
in the layout :mod:`scaleout.snapshot` reads: ``interactions/kind=<kind>/`` (``source``, ``target``,
``time_ms``; a null time where the store has none), ``profiles/`` (``id``) and ``follows/``
(``source``, ``target``: :func:`graph.projection.read_follows`). Spark then reads the
files in parallel, one task per file split.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from graph import projection
from graph.store import CypherGraphStore


@dataclass(frozen=True)
class ExportSummary:
    """What one export wrote: profile and interaction counts, per kind, and where."""

    path: Path
    profiles: int
    interactions: dict[str, int]
    follows: int = 0


def export_parquet(store: CypherGraphStore, path: Path, max_rows_per_file: int = 1_000_000) -> ExportSummary:
    """Write the snapshot under ``path`` (its ``interactions``/``profiles`` are replaced)."""
    rows = projection.read_interactions(store)
    ids = np.asarray(rows.profiles.ids, dtype=object)
    kinds = np.asarray(projection.ENGAGEMENT_KINDS, dtype=object)
    timed = rows.time_ms != projection.NULL_INTEGER
    table = pa.table(
        {
            "source": pa.array(ids[rows.source], pa.string()),
            "target": pa.array(ids[rows.target], pa.string()),
            "kind": pa.array(kinds[rows.kind.astype(np.int64)], pa.string()),
            "time_ms": pa.array(rows.time_ms, pa.int64(), mask=~timed),
        }
    )
    ds.write_dataset(
        table,
        str(path / "interactions"),
        format="parquet",
        partitioning=ds.partitioning(pa.schema([("kind", pa.string())]), flavor="hive"),
        existing_data_behavior="delete_matching",
        max_rows_per_file=max_rows_per_file,
        max_rows_per_group=min(max_rows_per_file, 1 << 20),
    )
    (path / "profiles").mkdir(parents=True, exist_ok=True)
    pq.write_table(
        pa.table({"id": pa.array(list(rows.profiles.ids), pa.string())}), path / "profiles" / "part-0.parquet"
    )
    follows = projection.read_follows(store, rows.profiles)
    (path / "follows").mkdir(parents=True, exist_ok=True)
    pq.write_table(
        pa.table(
            {
                "source": pa.array(ids[follows.source], pa.string()),
                "target": pa.array(ids[follows.target], pa.string()),
            }
        ),
        path / "follows" / "part-0.parquet",
    )
    counts = np.bincount(rows.kind.astype(np.int64), minlength=len(kinds))
    return ExportSummary(
        path,
        len(rows.profiles.ids),
        {k: int(c) for k, c in zip(projection.ENGAGEMENT_KINDS, counts, strict=True)},
        int(follows.source.size),
    )
