"""What a Spark run reads, in parallel: interactions, profiles and follows, from a Parquet snapshot or
from Neo4j through the Neo4j Connector for Apache Spark.

Both give the same three DataFrames as :class:`SparkInput`; the in-process analysis reads the same
rows with :mod:`graph.projection` (the connector's queries, ``cypher/scaleout/``, are the patterns of
``cypher/projection/`` without the id-range paging, which the connector does itself with
``SKIP``/``LIMIT`` when ``partitions`` > 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from graph.catalogue import query
from graph.config import Neo4jSettings
from graph.results import STAGE_BATCH_ROWS, staged_batch
from scaleout.scores import INTERACTION_COLUMNS
from scaleout.snapshot import read_follows, read_snapshot

NEO4J_FORMAT = "org.neo4j.spark.DataSource"
_INTERACTION_QUERIES = (
    "scaleout.interactions_replies",
    "scaleout.interactions_mentions",
    "scaleout.interactions_shares",
    "scaleout.interactions_likes",
)


@dataclass(frozen=True)
class SparkInput:
    """``interactions (source, target, kind, time_ms)``, ``profiles (id)``, ``follows (source, target)``.

    Self-interactions may be present (the newest one still sets the default ``as_of``, as in-process);
    the run leaves them out of the graph. ``origin`` says where they came from, for the run record.
    """

    interactions: DataFrame
    profiles: DataFrame
    follows: DataFrame
    origin: str


def from_parquet(spark: SparkSession, location: str) -> SparkInput:
    """The snapshot ``rapport export --format parquet`` wrote at ``location`` (:mod:`scaleout.snapshot`).

    A local directory, or any URI Spark reads (``hdfs://``, ``s3a://``, ...) on a cluster.
    """
    if "://" not in location:
        path = Path(location)
        if not (path / "interactions").is_dir() or not (path / "profiles").is_dir():
            raise FileNotFoundError(f"{path} holds no Parquet snapshot (interactions/, profiles/)")
        interactions, profiles = read_snapshot(spark, path)
        return SparkInput(interactions, profiles.select("id"), read_follows(spark, path), f"parquet:{path}")
    base = location.rstrip("/")
    interactions = spark.read.parquet(f"{base}/interactions").select(*INTERACTION_COLUMNS)
    profiles = spark.read.parquet(f"{base}/profiles").select("id")
    follows = spark.read.parquet(f"{base}/follows").select("source", "target")
    return SparkInput(interactions, profiles, follows, f"parquet:{location}")


def _connection(settings: Neo4jSettings) -> dict[str, str]:
    """The connector's options that reach the configured Neo4j database (its reads and its writes)."""
    return {
        "url": settings.uri,
        "authentication.type": "basic",
        "authentication.basic.username": settings.user,
        "authentication.basic.password": settings.password.get_secret_value(),
        "database": settings.database,
    }


def from_neo4j(spark: SparkSession, settings: Neo4jSettings, partitions: int = 1) -> SparkInput:
    """The store's rows read by the Neo4j connector, one read per query, ``partitions`` tasks each."""

    def read(name: str, schema: str) -> DataFrame:
        text = query(name)
        reader = spark.read.format(NEO4J_FORMAT).options(**_connection(settings)).option("query", text)
        if partitions > 1:  # the connector splits the rows by SKIP/LIMIT over this count
            reader = reader.option("partitions", str(partitions)).option(
                "query.count", f"CALL {{ {text} }} RETURN count(*) AS count"
            )
        frame = reader.load()
        # the connector infers the schema from sampled rows: none (an empty store) means no columns
        empty = spark.createDataFrame([], schema)
        if set(frame.columns) != set(empty.columns):
            return empty
        return frame.select(*[F.col(f.name).cast(f.dataType) for f in empty.schema.fields])

    interactions = read(_INTERACTION_QUERIES[0], "source string, target string, kind string, time_ms long")
    for name in _INTERACTION_QUERIES[1:]:
        interactions = interactions.unionByName(
            read(name, "source string, target string, kind string, time_ms long")
        )
    return SparkInput(
        interactions,
        read("scaleout.profiles", "id string"),
        read("scaleout.follows", "source string, target string"),
        f"neo4j:{settings.uri}",
    )


STAGED_SCORES_SCHEMA = (
    "run_id string, profile_ids array<string>, influence array<double>, influence_rank array<bigint>, "
    "community array<bigint>, reach array<bigint>, brokerage array<double>, "
    "influence_top_sources array<string>, influence_top_shares array<double>, "
    "influence_top_offsets array<bigint>, influence_other array<double>, influence_teleport array<double>, "
    "role array<string>, role_reason array<string>, screening_flags array<string>, "
    "screening_flag_offsets array<bigint>, screening_evidence array<string>, "
    "screening_evidence_offsets array<bigint>, screening_weight array<double>"
)
"""The properties of a ``StagedScores`` node (``cypher/analysis/stage_profile_scores.cypher``)."""


def stage_scores_with_connector(
    spark: SparkSession,
    settings: Neo4jSettings,
    run_id: str,
    rows: list[dict],
    partitions: int,
) -> int:
    """Create run ``run_id``'s ``StagedScores`` nodes in Neo4j with the connector's writer, up to
    ``partitions`` Spark tasks in parallel; returns the rows (profiles) written.

    The same nodes and properties as :func:`graph.results.stage_profile_scores`: one node per
    :data:`graph.results.STAGE_BATCH_ROWS` rows, its scores as columns (:func:`graph.results.staged_batch`),
    so :func:`graph.results.publish_run` and the cleanup treat them alike. A null column (a score the
    run did not compute) is no property, as the statement writes it.
    """
    names = [field.split()[0] for field in STAGED_SCORES_SCHEMA.split(", ")]
    batches = [
        staged_batch(run_id, rows[start : start + STAGE_BATCH_ROWS])
        for start in range(0, len(rows), STAGE_BATCH_ROWS)
    ]
    if not batches:
        return 0
    values = [tuple(batch[name] for name in names) for batch in batches]
    frame = spark.createDataFrame(values, STAGED_SCORES_SCHEMA).repartition(min(partitions, len(values)))
    (
        frame.write.format(NEO4J_FORMAT)
        .mode("Append")
        .options(**_connection(settings))
        .option("labels", ":StagedScores")
        .option("batch.size", "1")
        .save()
    )
    return len(rows)
