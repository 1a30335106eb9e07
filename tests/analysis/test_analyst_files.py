"""The analysts' Cypher files run as pasted into the Neo4j Browser, on both engines, and return rows on the demo.

Each ``cypher/analyst/*.cypher`` file's ``:param name => value`` lines set its parameters (as the
Browser does); those example values name ids of the generated demo world, so a file pasted into
the Browser after ``make demo`` (or against the demo loaded into Neo4j) returns rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.catalogue import cypher_root, read_cypher_file
from graph.errors import InvalidInput
from graph.store import CypherGraphStore
from ingest.demo import demo_events
from ingest.mapping import graph_writes
from ingest.sources.canonical import read_event_objects
from usecases.analysis import AnalysisParams, run_analysis

ANALYST_FILES = sorted((cypher_root() / "analyst").glob("*.cypher"))


@pytest.fixture
def demo_store(store: CypherGraphStore) -> CypherGraphStore:
    events = [item.events[0] for item in read_event_objects(demo_events(7))]
    store.apply(graph_writes(events))
    run_analysis(store, AnalysisParams(seed=7))
    return store


def test_every_analyst_file_returns_rows_on_the_demo_with_its_own_params(
    demo_store: CypherGraphStore,
) -> None:
    assert len(ANALYST_FILES) >= 8
    empty = []
    for path in ANALYST_FILES:
        statement = read_cypher_file(path)
        assert statement.example_params, f"{path.name} has no :param lines"
        if not demo_store.run_file(statement):
            empty.append(path.name)
    assert not empty, f"analyst files that return no rows on the demo with their :param values: {empty}"


def test_overrides_take_precedence_and_a_missing_parameter_is_named(demo_store, tmp_path: Path) -> None:
    statement = read_cypher_file(cypher_root() / "analyst" / "brand_advocates.cypher")
    northwind = demo_store.run_file(statement, {"limit": 3})
    assert len(northwind) == 3
    assert demo_store.run_file(statement, {"brand": "no-such-brand"}) == []

    bare = tmp_path / "bare.cypher"
    bare.write_text(":param a => 1\nRETURN $a + $b AS total\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"\$b"):
        demo_store.run_file(read_cypher_file(bare))
    assert demo_store.run_file(read_cypher_file(bare), {"b": 2}) == [{"total": 3}]
