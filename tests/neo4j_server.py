"""The test suite's real Neo4j 5.26 with GDS (see :mod:`graph.engines.local_neo4j`).

One server per test run: its JVM starts once (a few seconds; the first run also fetches the
jars from Maven Central), and each test gets the database emptied and the schema applied.
Set ``RAPPORT_TEST_NEO4J_URI`` (and ``RAPPORT_TEST_NEO4J_PASSWORD``) to use a server you run
instead. Where no Neo4j can run (no Java or Maven) the Neo4j half skips with the reason, unless
``RAPPORT_REQUIRE_NEO4J=1`` (CI), which makes that a failure.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.engines.local_neo4j import LocalNeo4j
from graph.engines.neo4j import Neo4jEngine
from graph.errors import RapportError
from graph.store import CypherGraphStore

TEST_PASSWORD = "rapport-test"


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
    if uri:
        yield Neo4jServer(uri, "neo4j", os.environ.get("RAPPORT_TEST_NEO4J_PASSWORD", TEST_PASSWORD))
        return
    with tempfile.TemporaryDirectory(prefix="rapport-neo4j-") as home:
        server = LocalNeo4j(Path(home), password=TEST_PASSWORD, heap="2g", pagecache_mb=256)
        try:
            server.start()
        except RapportError as exc:
            _unavailable(f"no local Neo4j could start: {exc}")
        try:
            assert server.uri is not None
            yield Neo4jServer(server.uri, "neo4j", TEST_PASSWORD)
        finally:
            server.stop()


def neo4j_engine(server: Neo4jServer) -> Neo4jEngine:
    return Neo4jEngine(uri=server.uri, user=server.user, password=server.password)


def reset_database(store: CypherGraphStore) -> None:
    """Empty the database and drop any GDS in-memory graph a test left behind."""
    store.delete_all()
    store.execute_text(
        "CALL gds.graph.list() YIELD graphName CALL gds.graph.drop(graphName) YIELD graphName AS dropped "
        "RETURN count(*) AS n",
        write=True,
    )


_schema_applied: set[str] = set()


@contextmanager
def neo4j_test_store(server: Neo4jServer) -> Iterator[CypherGraphStore]:
    """The database emptied; the schema applied once per server (a test that drops part of it
    applies it again itself)."""
    store = CypherGraphStore(neo4j_engine(server))
    store.engine.connect()
    reset_database(store)
    if server.uri not in _schema_applied:
        store.ensure_schema()
        _schema_applied.add(server.uri)
    try:
        yield store
    finally:
        store.close()
