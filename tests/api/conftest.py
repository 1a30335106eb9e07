"""Fixtures of the API tests: a scored graph and TestClients (see api_testdata.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_testdata import build_base_graph, make_app, write_analysis
from fastapi.testclient import TestClient

from graph.store import CypherGraphStore


@pytest.fixture
def scored_store(falkordb_store: CypherGraphStore) -> CypherGraphStore:
    build_base_graph(falkordb_store)
    write_analysis(falkordb_store)
    return falkordb_store


@pytest.fixture
def client(scored_store: CypherGraphStore) -> Iterator[TestClient]:
    with TestClient(make_app(scored_store), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def empty_client(falkordb_store: CypherGraphStore) -> Iterator[TestClient]:
    with TestClient(make_app(falkordb_store), raise_server_exceptions=False) as test_client:
        yield test_client
