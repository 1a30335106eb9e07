"""Fixtures of the API tests: a scored graph and TestClients (see api_testdata.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_testdata import build_base_graph, make_app, write_analysis
from fastapi.testclient import TestClient

from graph.store import CypherGraphStore


@pytest.fixture
def scored_store(store: CypherGraphStore) -> CypherGraphStore:
    build_base_graph(store)
    write_analysis(store)
    return store


@pytest.fixture
def client(scored_store: CypherGraphStore) -> Iterator[TestClient]:
    with TestClient(make_app(scored_store), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def empty_client(store: CypherGraphStore) -> Iterator[TestClient]:
    with TestClient(make_app(store), raise_server_exceptions=False) as test_client:
        yield test_client
