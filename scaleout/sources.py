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
    "profile_id string, run_id string, influence double, influence_rank long, community long, reach long, "
    "brokerage double, influence_top_sources array<string>, influence_top_shares array<double>, "
    "influence_other double, influence_teleport double, role string, role_reason string, "
    "screening_flags array<string>, screening_evidence array<string>, screening_weight double"
)
"""The properties of a ``StagedScores`` node (``cypher/analysis/stage_profile_scores.cypher``)."""


def stage_scores_with_connector(
    spark: SparkSession,
    settings: Neo4jSettings,
    run_id: str,
    rows: list[dict],
    partitions: int,
    batch_size: int = 5000,
) -> int:
    """Create run ``run_id``'s ``StagedScores`` nodes in Neo4j with the connector's writer: ``partitions``
    Spark tasks in parallel, each in transactions of ``batch_size`` rows; returns the rows written.

    The same nodes and properties as :func:`graph.results.stage_profile_scores` (rows keyed ``id``,
    written as ``profile_id``), so :func:`graph.results.publish_run` and the cleanup treat them alike.
    A null is no property, as the statement writes it.
    """
    names = [field.split()[0] for field in STAGED_SCORES_SCHEMA.split(", ")]
    values = [
        tuple(run_id if name == "run_id" else row["id" if name == "profile_id" else name] for name in names)
        for row in rows
    ]
    frame = spark.createDataFrame(values, STAGED_SCORES_SCHEMA).repartition(partitions)
    (
        frame.write.format(NEO4J_FORMAT)
        .mode("Append")
        .options(**_connection(settings))
        .option("labels", ":StagedScores")
        .option("batch.size", str(batch_size))
        .save()
    )
    return len(values)
