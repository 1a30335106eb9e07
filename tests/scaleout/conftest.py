"""One local SparkSession for the whole test session: local[2], two shuffle partitions (each
partition is a task; the test graphs are tiny), no UI, no event log."""

import pytest

from graph.config import SparkSettings
from scaleout.session import spark_session

TEST_SPARK = SparkSettings(master="local[2]", shuffle_partitions=2, driver_memory="1g")


@pytest.fixture(scope="session")
def spark():
    session = spark_session(TEST_SPARK, conf={"spark.eventLog.enabled": "false"})
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
