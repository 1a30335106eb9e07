"""The Parquet snapshot a Spark run reads: interactions partitioned by kind, and the profiles.

Layout under one directory: ``interactions/kind=<kind>/*.parquet`` with columns ``source``,
``target``, ``time_ms`` (epoch ms), and ``profiles/*.parquet`` with ``id``. Partitioning by kind lets
a run that weights only some kinds skip the others' files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession

from scaleout.scores import INTERACTION_COLUMNS

INTERACTION_SCHEMA = "source string, target string, kind string, time_ms long"


def write_snapshot(
    spark: SparkSession,
    path: Path,
    interactions: Iterable[tuple[str, str, str, int]],
    profiles: Iterable[str],
) -> None:
    """Write ``(source, target, kind, time_ms)`` rows and profile ids under ``path`` (overwrites)."""
    frame = spark.createDataFrame(list(interactions), INTERACTION_SCHEMA)
    frame.write.mode("overwrite").partitionBy("kind").parquet(str(path / "interactions"))
    spark.createDataFrame([(p,) for p in profiles], "id string").write.mode("overwrite").parquet(
        str(path / "profiles")
    )


def read_snapshot(spark: SparkSession, path: Path) -> tuple[DataFrame, DataFrame]:
    """``(interactions, profiles)`` as written by :func:`write_snapshot`, in parallel from the files."""
    interactions = spark.read.parquet(str(path / "interactions")).select(*INTERACTION_COLUMNS)
    return interactions, spark.read.parquet(str(path / "profiles"))
