"""One SparkSession built from :class:`graph.config.SparkSettings`, with GraphFrames on its classpath."""

from __future__ import annotations

from collections.abc import Mapping

from pyspark import SparkConf
from pyspark.sql import SparkSession

from graph.config import SparkSettings
from graph.errors import ConfigError


def spark_jars(settings: SparkSettings) -> list[str]:
    """The jars `mvn -f spark/pom.xml package` listed (GraphFrames 0.10.0, the Neo4j connector)."""
    path = settings.classpath_file
    if not path.is_file():
        raise ConfigError(f"{path} is missing: run `mvn -q -B -f spark/pom.xml package` (make test does)")
    return [jar for jar in path.read_text().strip().split(":") if jar]


def spark_session(
    settings: SparkSettings,
    master: str | None = None,
    app_name: str = "rapport",
    conf: Mapping[str, str] | None = None,
) -> SparkSession:
    """Get (or create) the process's SparkSession on ``master`` (default: the settings' master).

    Launched by ``spark-submit`` (its ``--master`` is in the JVM's configuration), the master and the
    jars are spark-submit's unless ``master`` is given. The UI is off unless the settings turn it on;
    shuffle partitions come from the settings (a local run wants few; a cluster 2-4 per executor
    core, docs/scale-out.md). ``conf`` adds Spark settings of the caller's own (the tests turn the
    event log off whatever spark-defaults.conf says).
    """
    submitted = SparkConf().contains("spark.master")
    builder = SparkSession.builder.appName(app_name)
    if master or not submitted:
        builder = builder.master(master or settings.master)
    if not submitted:
        builder = builder.config("spark.jars", ",".join(spark_jars(settings))).config(
            "spark.driver.memory", settings.driver_memory
        )
    builder = (
        builder.config("spark.sql.shuffle.partitions", str(settings.shuffle_partitions))
        .config("spark.default.parallelism", str(settings.shuffle_partitions))
        .config("spark.ui.enabled", "true" if settings.ui_enabled else "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.showConsoleProgress", "false")
    )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
