"""A real Neo4j 5 server for the tests (placeholder until the Maven launcher lands)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from graph.store import CypherGraphStore


@dataclass(frozen=True)
class Neo4jServer:
    uri: str
    user: str
    password: str


def _unavailable(reason: str) -> None:
    if os.environ.get("RAPPORT_REQUIRE_NEO4J") == "1":
        pytest.fail(f"Neo4j is required here (RAPPORT_REQUIRE_NEO4J=1) but {reason}", pytrace=False)
    pytest.skip(reason)


@contextmanager
def start_test_neo4j() -> Iterator[Neo4jServer]:
    uri = os.environ.get("RAPPORT_TEST_NEO4J_URI")
    if not uri:
        _unavailable("no test Neo4j (RAPPORT_TEST_NEO4J_URI unset)")
    yield Neo4jServer(uri, "neo4j", os.environ.get("RAPPORT_TEST_NEO4J_PASSWORD", "rapport-test"))


@contextmanager
def neo4j_test_store(server: Neo4jServer) -> Iterator[CypherGraphStore]:
    from graph.engines.neo4j import Neo4jEngine

    store = CypherGraphStore(Neo4jEngine(uri=server.uri, user=server.user, password=server.password))
    store.engine.connect()
    store.delete_all()
    store.ensure_schema()
    try:
        yield store
    finally:
        store.close()
