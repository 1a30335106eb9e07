"""One local SparkSession for the whole test session (local[2], few partitions, UI off)."""

import pytest

from graph.config import SparkSettings
from scaleout.session import spark_session


@pytest.fixture(scope="session")
def spark():
    session = spark_session(SparkSettings(master="local[2]", shuffle_partitions=2, driver_memory="1g"))
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
