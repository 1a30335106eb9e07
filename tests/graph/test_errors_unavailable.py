"""A store that cannot be reached is reported as StoreUnavailable, never as a driver error."""

from __future__ import annotations

import pytest

from graph.engines.falkordb import FalkorDBEngine
from graph.engines.neo4j import Neo4jEngine
from graph.errors import StoreUnavailable


def test_unreachable_falkordb_url_is_store_unavailable(tmp_path) -> None:
    engine = FalkorDBEngine(url=f"unix://{tmp_path}/nobody-listens.sock")
    with pytest.raises(StoreUnavailable):
        engine.connect()


def test_unreachable_neo4j_is_store_unavailable() -> None:
    engine = Neo4jEngine(uri="bolt://127.0.0.1:9", user="neo4j", password="x")
    with pytest.raises(StoreUnavailable):
        engine.connect()
