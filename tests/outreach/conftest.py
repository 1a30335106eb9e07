"""Fixtures of the outreach tests: the star graph of outreach_data.py on a fresh embedded graph."""

from __future__ import annotations

import pytest
from outreach_data import build_stars

from graph.store import CypherGraphStore


@pytest.fixture
def stars(store: CypherGraphStore) -> CypherGraphStore:
    build_stars(store)
    return store
