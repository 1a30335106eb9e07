"""Engine behaviour both adapters owe the store: schema reports, concurrent creation, credentials."""

from __future__ import annotations

import threading

import pytest

from graph.engines.neo4j import Neo4jEngine
from graph.errors import ConfigError
from graph.model import Label
from graph.store import CypherGraphStore

_DROP_HANDLE_INDEX = {
    "neo4j": "DROP INDEX profile_handle IF EXISTS",
    "falkordb": "DROP INDEX ON :Profile(handle)",
}


def test_schema_apply_reports_exactly_what_it_created(store: CypherGraphStore) -> None:
    store.ensure_schema()
    assert store.ensure_schema() == []  # everything exists: nothing to report
    store.engine.write(_DROP_HANDLE_INDEX[store.kind])
    changed = store.ensure_schema()
    assert len(changed) == 1 and "handle" in changed[0]
    assert store.ensure_schema() == []


def test_concurrent_loads_that_create_the_same_new_ids_both_succeed(store: CypherGraphStore) -> None:
    rows = [{"id": f"tw:new{i}", "handle": f"new{i}"} for i in range(500)]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def load() -> None:
        try:
            start.wait()
            for _ in range(3):
                store.upsert_nodes(Label.PROFILE, rows)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=load) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.counts().nodes.get("Profile") == 500


def test_wrong_neo4j_credentials_are_a_configuration_error_naming_the_settings(neo4j_server) -> None:
    engine = Neo4jEngine(uri=neo4j_server.uri, user="neo4j", password="not-the-password")
    with pytest.raises(ConfigError, match="RAPPORT_NEO4J__PASSWORD"):
        engine.connect()
