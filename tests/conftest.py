"""Shared fixtures: one real server per engine per test session, a clean graph per test.

``store`` is parametrised over both engines (``falkordb``, ``neo4j``): every test that touches a
store takes it and runs on each. ``falkordb_store`` is for what only FalkorDB has.
Neo4j comes from :mod:`tests.neo4j_server`; where none can run the Neo4j half skips with the
reason, unless ``RAPPORT_REQUIRE_NEO4J=1`` (CI), which turns that into a failure.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.engines.embedded_falkordb import EmbeddedFalkorDB  # noqa: E402
from graph.engines.falkordb import FalkorDBEngine  # noqa: E402
from graph.store import CypherGraphStore  # noqa: E402
from tests.data import SHARED_DATA  # noqa: E402
from tests.neo4j_server import neo4j_test_store, start_test_neo4j  # noqa: E402

ENGINES = ("falkordb", "neo4j")


def shared_data(*parts: str) -> Path:
    """A file under ../shared/data; the test is skipped with a reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data set not found: {path}")
    return path


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedFalkorDB]:
    server = EmbeddedFalkorDB(tmp_path_factory.mktemp("falkordb"))
    with server:
        yield server


def new_falkordb_store(server: EmbeddedFalkorDB) -> CypherGraphStore:
    engine = FalkorDBEngine(graph_name=f"t_{uuid.uuid4().hex[:12]}", url=f"unix://{server.socket_path}")
    store = CypherGraphStore(engine)
    engine.connect()
    store.ensure_schema()
    return store


@pytest.fixture
def falkordb_store(falkordb_server: EmbeddedFalkorDB) -> Iterator[CypherGraphStore]:
    store = new_falkordb_store(falkordb_server)
    try:
        yield store
    finally:
        store.engine.connection.execute_command("GRAPH.DELETE", store.engine.graph_name)
        store.close()


@pytest.fixture(scope="session")
def neo4j_server():
    """One real Neo4j 5 server for the whole run (see :mod:`tests.neo4j_server`)."""
    with start_test_neo4j() as server:
        yield server


@pytest.fixture
def neo4j_store(neo4j_server) -> Iterator[CypherGraphStore]:
    """The test Neo4j's database, emptied before the test, schema applied."""
    with neo4j_test_store(neo4j_server) as store:
        yield store


@pytest.fixture(params=ENGINES)
def store(request: pytest.FixtureRequest) -> Iterator[CypherGraphStore]:
    """A clean graph on each engine in turn."""
    yield request.getfixturevalue(f"{request.param}_store")
