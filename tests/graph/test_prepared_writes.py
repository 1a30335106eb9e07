"""Writes prepared without a connection (in another process) write exactly what ``apply`` writes."""

from __future__ import annotations

import pickle
from types import MappingProxyType

import pytest

from graph.catalogue import query
from graph.engines import prepare_query
from graph.errors import InvalidInput, QueryError
from graph.model import FOLLOWS, POSTED, PURCHASED, Label, Post, Profile
from graph.store import CypherGraphStore, PreparedWrites, prepare_writes, write_statements
from graph.writes import GraphWrites
from tests.graph.test_store_contract import HOSTILE, sample_writes


def graph_rows(store: CypherGraphStore) -> tuple[list, list]:
    nodes = store.execute_text(
        "MATCH (n) WHERE NOT n:DataVersion RETURN labels(n)[0] AS l, properties(n) AS p ORDER BY l, n.id",
        write=False,
    )
    rels = store.execute_text(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS p "
        "ORDER BY a, t, b, r.at",
        write=False,
    )
    return nodes, rels


def hostile_writes() -> GraphWrites:
    writes = sample_writes()
    writes.add_node(Post(id=HOSTILE, text=HOSTILE + "\n\t\r", created_at=5))
    writes.add_relationship(POSTED, "tw:ada", HOSTILE)
    return writes


def test_prepared_writes_write_what_apply_writes(falkordb_server) -> None:
    from tests.conftest import new_falkordb_store

    direct, prepared = new_falkordb_store(falkordb_server), new_falkordb_store(falkordb_server)
    try:
        direct_summary = direct.apply(hostile_writes(), batch_size=2)
        shipped = pickle.loads(pickle.dumps(prepare_writes(hostile_writes(), kind="falkordb", batch_size=2)))
        assert all(isinstance(statement, str) for statement in shipped.statements)
        assert prepared.apply(shipped) == direct_summary
        assert graph_rows(prepared) == graph_rows(direct)
        assert prepared.apply(shipped).nodes_created == 0  # idempotent like any batch
    finally:
        for store in (direct, prepared):
            store.delete_all()
            store.close()


def test_writes_prepared_for_another_engine_are_refused(falkordb_store) -> None:
    neo4j_writes = prepare_writes(sample_writes(), kind="neo4j")
    assert all(isinstance(statement, tuple) for statement in neo4j_writes.statements)
    with pytest.raises(InvalidInput, match="prepared for neo4j"):
        falkordb_store.apply(neo4j_writes)
    assert falkordb_store.counts().nodes == {}


def test_invalid_ids_fail_when_preparing() -> None:
    writes = GraphWrites()
    writes.add_relationship(FOLLOWS, "tw:ok", " padded")
    with pytest.raises(InvalidInput):
        prepare_writes(writes, kind="falkordb")


def test_statements_come_nodes_first_merged_and_chunked() -> None:
    writes = GraphWrites()
    writes.add_relationship(FOLLOWS, "tw:a", "tw:b", at=1)
    for handle in "abc":
        writes.add_node(Profile(id=f"tw:{handle}", platform="twitter", handle=handle))
    writes.add_relationship(PURCHASED, "c1", "acme", at=1)
    writes.add_relationship(PURCHASED, "c1", "acme", at=2)  # PURCHASED is keyed on `at`: two rows
    statements = list(write_statements(writes, batch_size=2))
    assert [len(params["rows"]) for _, params in statements] == [2, 1, 1, 2]
    assert ["(n:Profile" in text for text, _ in statements] == [True, True, False, False]
    assert "[r:FOLLOWS]" in statements[2][0] and "[r:PURCHASED " in statements[3][0]


def test_duplicate_rows_merge_and_any_mapping_is_a_row(falkordb_store) -> None:
    rows = [MappingProxyType({"id": "b1", "name": "first"}), {"id": "b1", "name": "second", "extra": 1}]
    falkordb_store.upsert_nodes(Label.BRAND, rows)
    assert falkordb_store.get_node(Label.BRAND, "b1") == {"id": "b1", "name": "second", "extra": 1}
    falkordb_store.upsert_nodes(Label.BRAND, [MappingProxyType({"id": "b2", "name": "proxy"})])
    assert falkordb_store.get_node(Label.BRAND, "b2") == {"id": "b2", "name": "proxy"}


def test_prepared_writes_are_plain_data() -> None:
    prepared = prepare_writes(sample_writes(), kind="falkordb")
    assert isinstance(prepared, PreparedWrites) and prepared.kind == "falkordb"
    assert prepared.statements[0].startswith("CYPHER `rows`=[")


def test_a_post_pointed_at_by_one_plain_posted_row_is_written_with_its_author() -> None:
    writes = GraphWrites()
    writes.add_relationship(POSTED, "tw:a", "p-own")
    writes.add_node(Post(id="p-own", text="one author", created_at=1))
    writes.add_node(Profile(id="tw:a", platform="twitter", handle="a"))
    writes.add_node(Post(id="p-two", text="two authors", created_at=1))
    writes.add_relationship(POSTED, "tw:a", "p-two")
    writes.add_relationship(POSTED, "tw:b", "p-two")
    writes.add_relationship(POSTED, "tw:a", "p-elsewhere")  # its post is not in this batch
    statements = list(write_statements(writes))
    assert [text for text, _ in statements[:2]] == [query("write.upsert_post"), query("write.upsert_profile")]
    assert statements[0][1]["rows"] == [{"id": "p-two", "props": writes.nodes[Label.POST]["p-two"]}]
    assert statements[2] == (
        query("write.upsert_post_with_author"),
        {"rows": [{"source": "tw:a", "target": "p-own", "props": writes.nodes[Label.POST]["p-own"]}]},
    )
    assert statements[3][0] == query("write.link_posted")
    assert [(row["source"], row["target"]) for row in statements[3][1]["rows"]] == [
        ("tw:a", "p-two"),
        ("tw:b", "p-two"),
        ("tw:a", "p-elsewhere"),
    ]
    assert len(statements) == 4


def test_a_bad_author_id_fails_before_any_statement() -> None:
    writes = GraphWrites()
    writes.add_node(Post(id="p1", text="", created_at=1))
    writes.add_relationship(POSTED, "tw:bad\n", "p1")
    with pytest.raises(InvalidInput, match="Profile id"):
        next(write_statements(writes))


def test_a_batch_that_fails_part_way_still_renews_the_data_token(store) -> None:
    """What the batch wrote before its failing statement is data an API process must not keep
    serving from memory (:mod:`usecases.read_view`): the token moves on all the same."""
    token = "MATCH (v:DataVersion {id: 'data'}) RETURN v.token AS token"
    store.mark_changed()
    before = store.engine.read(token)
    writes = GraphWrites()
    writes.add_node_properties(Label.PROFILE, {"id": "tw:written", "platform": "twitter"})
    prepared = prepare_writes(writes, kind=store.kind)
    failing = prepare_query(store.kind, "UNWIND [1, 0] AS x CREATE (:Broken {ratio: 1 / x})", {})
    with pytest.raises(QueryError):
        store.apply(PreparedWrites(store.kind, (*prepared.statements, failing)))
    assert store.get_node(Label.PROFILE, "tw:written") is not None
    assert store.engine.read(token) != before
