"""``rapport analyze --engine spark``: the command's one call into the Spark engine.

Opens the store and the SparkSession (stopped afterwards only if this call created it), picks the
input (a Parquet snapshot, or Neo4j through the connector), runs :func:`scaleout.analysis.run_spark_analysis`.
"""

from __future__ import annotations

from pathlib import Path

from pyspark.sql import SparkSession

from api.analysis import AnalysisParams
from graph.config import Settings, StoreKind
from graph.errors import InvalidInput
from graph.store import open_store
from scaleout.analysis import Progress, SparkAnalysisSummary, run_spark_analysis
from scaleout.session import spark_session
from scaleout.sources import from_neo4j, from_parquet


def analyze_on_spark(
    settings: Settings,
    params: AnalysisParams,
    master: str | None,
    parquet: str | None,
    progress: Progress | None = None,
) -> SparkAnalysisSummary:
    """Analyse on Spark and publish into the configured store; see docs/scale-out.md."""
    if parquet is None and settings.store != StoreKind.NEO4J:
        raise InvalidInput(
            "--engine spark reads Neo4j through its connector or a Parquet snapshot: on FalkorDB "
            "run `rapport export --format parquet --out DIR`, then pass --from-parquet DIR"
        )
    if parquet is not None and "://" not in parquet and not (Path(parquet) / "interactions").is_dir():
        raise InvalidInput(f"--from-parquet: {parquet} holds no snapshot (run `rapport export` first)")
    owned = SparkSession.getActiveSession() is None
    spark = spark_session(settings.spark, master)
    try:
        source = (
            from_parquet(spark, parquet)
            if parquet is not None
            else from_neo4j(spark, settings.neo4j, settings.spark.neo4j_read_partitions)
        )
        with open_store(settings) as store:
            return run_spark_analysis(
                store, source, params, progress, pagerank_check_every=settings.spark.pagerank_check_every
            )
    finally:
        if owned:
            spark.stop()
