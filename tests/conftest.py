"""Shared fixtures: one real embedded FalkorDB server per test session, a fresh graph per test."""

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
