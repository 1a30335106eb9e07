"""Neo4j reports deprecated forms: the catalogue keeps two on purpose (docs/neo4j.md), whose notice
must not be logged on every run; a deprecated form outside them still is."""

from __future__ import annotations

import logging

import pytest

from graph.store import CypherGraphStore


def deprecation_notices(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name.startswith("neo4j") and "deprecat" in r.getMessage()
    ]


def test_the_portable_subquery_form_is_not_logged_as_deprecated(
    neo4j_store: CypherGraphStore, caplog
) -> None:
    caplog.set_level(logging.WARNING, logger="neo4j")
    rows = neo4j_store.run(
        "api.profiles_activity", {"ids": ["tw:none"], "run_id": None, "limit": 10, "since": 0}
    )
    assert rows == [{"brand_posts": [], "brand_roles": [], "conversations": [], "weekly": []}]
    assert deprecation_notices(caplog) == []


def test_other_deprecated_forms_are_still_reported(neo4j_store: CypherGraphStore, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="neo4j")
    neo4j_store.execute_text("MATCH (n) RETURN id(n) AS old LIMIT 1", write=False)
    assert deprecation_notices(caplog)  # id() outside the projection: the notice goes to the log
