"""The Parquet snapshot a Spark run reads: interactions partitioned by kind, and the profiles.

Layout under one directory: ``interactions/kind=<kind>/*.parquet`` with columns ``source``,
``target``, ``time_ms`` (epoch ms), ``profiles/*.parquet`` with ``id``, and ``follows/*.parquet``
with ``source``, ``target`` (follower, followed; reach counts them). Partitioning by kind lets a run
that weights only some kinds skip the others' files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession

from scaleout.scores import INTERACTION_COLUMNS

INTERACTION_SCHEMA = "source string, target string, kind string, time_ms long"
FOLLOW_SCHEMA = "source string, target string"


def write_snapshot(
    spark: SparkSession,
    path: Path,
    interactions: Iterable[tuple[str, str, str, int]],
    profiles: Iterable[str],
    follows: Iterable[tuple[str, str]] = (),
) -> None:
    """Write ``(source, target, kind, time_ms)`` rows, profile ids and follows under ``path`` (overwrites)."""
    frame = spark.createDataFrame(list(interactions), INTERACTION_SCHEMA)
    frame.write.mode("overwrite").partitionBy("kind").parquet(str(path / "interactions"))
    spark.createDataFrame([(p,) for p in profiles], "id string").write.mode("overwrite").parquet(
        str(path / "profiles")
    )
    spark.createDataFrame(list(follows), FOLLOW_SCHEMA).write.mode("overwrite").parquet(str(path / "follows"))


def read_snapshot(spark: SparkSession, path: Path) -> tuple[DataFrame, DataFrame]:
    """``(interactions, profiles)`` as written by :func:`write_snapshot`, in parallel from the files."""
    interactions = spark.read.parquet(str(path / "interactions")).select(*INTERACTION_COLUMNS)
    return interactions, spark.read.parquet(str(path / "profiles"))


def read_follows(spark: SparkSession, path: Path) -> DataFrame:
    """``(source, target)`` follows of the snapshot; none when it has no ``follows/`` (an older export)."""
    if not (path / "follows").is_dir():
        return spark.createDataFrame([], FOLLOW_SCHEMA)
    return spark.read.parquet(str(path / "follows")).select("source", "target")
