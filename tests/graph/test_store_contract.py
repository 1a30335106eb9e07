"""The store contract, run against every engine (the `store` fixture: embedded FalkorDB and Neo4j)."""

from __future__ import annotations

import pytest

from graph.errors import ConstraintViolation, QueryError, ReadOnlyViolation
from graph.model import FOLLOWS, POSTED, PURCHASED, RATED, REPLY_TO, Brand, Customer, Label, Post, Profile
from graph.results import staged_row
from graph.store import CypherGraphStore
from graph.writes import GraphWrites

HOSTILE = "Ro'b\"ert'); MATCH (n) DETACH DELETE n; //\\n \u202e 🎉 {x: $y} `id`"


def sample_writes() -> GraphWrites:
    writes = GraphWrites()
    writes.add_node(Customer(id="c1", name="Ada", email="ada@example.com", attributes={"tier": "gold"}))
    writes.add_node(Profile(id="tw:ada", platform="twitter", handle="ada", followers=12))
    writes.add_node(Profile(id="tw:bob", platform="twitter", handle="bob"))
    writes.add_node(Brand(id="acme", name="Acme"))
    writes.add_node(Post(id="p1", text="Love @acme", created_at=1_700_000_000_000, sentiment=0.6))
    writes.add_relationship(POSTED, "tw:ada", "p1")
    writes.add_relationship(FOLLOWS, "tw:bob", "tw:ada", at=1_700_000_000_000)
    writes.add_relationship(RATED, "tw:bob", "tw:ada", rating=8, at=1_700_000_000_000)
    writes.add_relationship(PURCHASED, "c1", "acme", at=1_700_000_000_000, amount=10.5)
    writes.add_relationship(PURCHASED, "c1", "acme", at=1_700_000_100_000, amount=3.0)
    return writes


def test_upsert_then_read_returns_the_properties(store: CypherGraphStore) -> None:
    store.apply(sample_writes())
    assert store.get_node(Label.CUSTOMER, "c1") == {
        "id": "c1",
        "name": "Ada",
        "email": "ada@example.com",
        "attr_tier": "gold",
    }
    assert store.get_node(Label.POST, "p1")["created_at"] == 1_700_000_000_000
    assert store.get_node(Label.PROFILE, "missing") is None


def test_counts_reflect_nodes_and_keyed_relationships(store: CypherGraphStore) -> None:
    store.apply(sample_writes())
    counts = store.counts()
    assert counts.nodes == {"Brand": 1, "Customer": 1, "Post": 1, "Profile": 2}
    # two purchases at different times are two relationships (PURCHASED is keyed on `at`)
    assert counts.relationships == {"FOLLOWS": 1, "POSTED": 1, "PURCHASED": 2, "RATED": 1}


DATA_NODES = "MATCH (n) WHERE NOT n:DataVersion RETURN n.id AS id, properties(n) AS p ORDER BY id"
"""Every node but the change mark (whose token each write renews, graph.store), by id."""


def test_applying_the_same_writes_twice_changes_nothing(store: CypherGraphStore) -> None:
    store.apply(sample_writes())
    first = store.counts()
    rows_before = store.execute_text(DATA_NODES, write=False)
    summary = store.apply(sample_writes())
    assert summary.nodes_created == 0 and summary.relationships_created == 0
    assert store.counts() == first
    assert store.execute_text(DATA_NODES, write=False) == (rows_before)


def test_relationship_before_its_nodes_ends_like_nodes_first(store: CypherGraphStore) -> None:
    rel_first = GraphWrites()
    rel_first.add_relationship(POSTED, "tw:z", "pz")
    store.apply(rel_first)
    assert store.get_node(Label.PROFILE, "tw:z") == {"id": "tw:z"}  # placeholder
    nodes = GraphWrites()
    nodes.add_node(Profile(id="tw:z", platform="twitter", handle="z"))
    nodes.add_node(Post(id="pz", text="hello", created_at=1))
    store.apply(nodes)
    assert store.get_node(Label.PROFILE, "tw:z") == {"id": "tw:z", "platform": "twitter", "handle": "z"}
    assert store.counts().relationships == {"POSTED": 1}


def test_posts_written_with_their_author_end_as_separate_writes_would(store: CypherGraphStore) -> None:
    """A post and its one POSTED row share a statement (``write.upsert_post_with_author``)."""
    earlier = GraphWrites()
    earlier.add_relationship(REPLY_TO, "p-reply", "p-known")  # p-known exists only as a placeholder
    store.apply(earlier)
    store.execute_text("MATCH (p:Post {id: 'p-known'}) SET p.sentiment_model = 'kept'", write=True)
    writes = GraphWrites()
    writes.add_node(Profile(id="tw:ada", platform="twitter", handle="ada"))
    for post_id, author in [
        ("p-new", "tw:ada"),
        ("p-known", "tw:ada"),
        ("g1", "tw:ghost"),
        ("g2", "tw:ghost"),
    ]:
        writes.add_node(Post(id=post_id, text=post_id, created_at=7))
        writes.add_relationship(POSTED, author, post_id)
    summary = store.apply(writes)
    assert (summary.nodes_created, summary.relationships_created) == (5, 4)  # 3 posts, ada, ghost
    assert store.counts().nodes == {"Post": 5, "Profile": 2}
    assert store.counts().relationships == {"POSTED": 4, "REPLY_TO": 1}
    assert store.get_node(Label.PROFILE, "tw:ghost") == {"id": "tw:ghost"}  # one placeholder, two posts
    assert store.get_node(Label.POST, "p-known") == {
        "id": "p-known",
        "text": "p-known",
        "created_at": 7,
        "sentiment_model": "kept",
    }
    authored = store.execute_text(
        "MATCH (a:Profile)-[:POSTED]->(p:Post) RETURN a.id AS a, p.id AS p ORDER BY p", write=False
    )
    assert [(row["a"], row["p"]) for row in authored] == [
        ("tw:ghost", "g1"),
        ("tw:ghost", "g2"),
        ("tw:ada", "p-known"),
        ("tw:ada", "p-new"),
    ]
    again = store.apply(writes)
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    assert store.counts().relationships == {"POSTED": 4, "REPLY_TO": 1}


def test_an_upsert_of_an_existing_node_sets_its_properties_and_keeps_the_others(
    store: CypherGraphStore,
) -> None:
    store.upsert_nodes(Label.PROFILE, [{"id": "tw:ada", "handle": "ada", "followers": 12, "influence": 0.7}])
    summary = store.upsert_nodes(Label.PROFILE, [{"id": "tw:ada", "handle": "ada_", "followers": None}])
    assert summary.nodes_created == 0
    # a score written by analysis survives a re-load; a null removes the property, as SET += does
    assert store.get_node(Label.PROFILE, "tw:ada") == {"id": "tw:ada", "handle": "ada_", "influence": 0.7}
    mixed = store.upsert_nodes(
        Label.PROFILE, [{"id": "tw:ada", "handle": "ada"}, {"id": "tw:bob", "handle": "bob"}]
    )
    assert mixed.nodes_created == 1
    assert store.get_node(Label.PROFILE, "tw:bob") == {"id": "tw:bob", "handle": "bob"}
    assert store.counts().nodes == {"Profile": 2}


def test_hostile_strings_round_trip_byte_for_byte(store: CypherGraphStore) -> None:
    writes = GraphWrites()
    writes.add_node(Post(id=HOSTILE, text=HOSTILE + "\n\t\r", created_at=5))
    store.apply(writes)
    node = store.get_node(Label.POST, HOSTILE)
    assert node is not None and node["text"] == HOSTILE + "\n\t\r" and node["id"] == HOSTILE
    assert store.counts().nodes == {"Post": 1}


def test_duplicate_keys_in_one_batch_are_merged_not_doubled(store: CypherGraphStore) -> None:
    rows = [{"id": "b1", "name": "first"}, {"id": "b1", "name": "second"}]
    store.upsert_nodes(Label.BRAND, rows)
    assert store.get_node(Label.BRAND, "b1") == {"id": "b1", "name": "second"}
    assert store.counts().nodes == {"Brand": 1}


def test_ensure_schema_is_idempotent_and_enforces_unique_ids(store: CypherGraphStore) -> None:
    store.ensure_schema()
    store.ensure_schema()
    store.execute_text("CREATE (:Customer {id: 'dup'})", write=True)
    with pytest.raises(ConstraintViolation):
        store.execute_text("CREATE (:Customer {id: 'dup'})", write=True)
    assert store.counts().nodes == {"Customer": 1}


def test_engine_errors_are_mapped_to_the_error_tree(store: CypherGraphStore) -> None:
    with pytest.raises(QueryError):
        store.execute_text("MATCH (n RETURN n", write=False)
    with pytest.raises(ReadOnlyViolation):
        store.execute_text("CREATE (:Brand {id: 'x'})", write=False)
    assert store.counts().nodes == {}


def test_a_failing_batch_writes_nothing(store: CypherGraphStore) -> None:
    store.execute_text("CREATE (:Customer {id: 'taken'})", write=True)
    with pytest.raises(ConstraintViolation):
        store.execute_text("UNWIND ['new-1', 'taken'] AS id CREATE (:Customer {id: id})", write=True)
    assert store.counts().nodes == {"Customer": 1}


def test_delete_all_empties_the_graph(store: CypherGraphStore) -> None:
    store.apply(sample_writes())
    assert store.delete_all() == 5
    assert store.counts().nodes == {}


@pytest.mark.parametrize("bad_id", [" a", "a ", "a\t", "", "x" * 300])
def test_ids_the_engine_cannot_take_are_refused_before_reaching_it(
    store: CypherGraphStore, bad_id: str
) -> None:
    from graph.errors import InvalidInput
    from graph.model import RelRow

    with pytest.raises(InvalidInput):
        store.upsert_nodes(Label.BRAND, [{"id": bad_id, "name": "x"}])
    with pytest.raises(InvalidInput):
        store.upsert_relationships(FOLLOWS, [RelRow("tw:ok", bad_id, {})])
    assert store.ping() and store.counts().nodes == {}


def _staged_row(profile_id: str, reason: str = "") -> list:
    """A row as the stage statement takes it (a list; a default value such as reason ``""`` as null)."""
    return staged_row(
        {
            "id": profile_id,
            "influence": 0.5,
            "influence_rank": 1,
            "community": 0,
            "reach": 3,
            "brokerage": 0.25,
            "influence_top_sources": ["tw:bob"],
            "influence_top_shares": [0.2],
            "influence_other": 0.1,
            "influence_teleport": 0.2,
            "role": "customer",
            "role_reason": reason,
            "screening_flags": [],
            "screening_evidence": [],
            "screening_weight": 1.0,
        }
    )


def _staged(store: CypherGraphStore) -> dict[str, str]:
    rows = store.execute_text(
        "MATCH (s:StagedScores) RETURN s.profile_id AS id, s.role_reason AS reason",
        {},
        write=False,
    )
    return {row["id"]: row["reason"] for row in rows}


def test_batched_writes_run_in_order_with_their_rows_and_stop_at_the_first_error(
    store: CypherGraphStore,
) -> None:
    """``run_write_batches`` builds the next batch while the engine runs one; what reaches the engine
    and what comes back is what one ``run_write`` per batch gives, hostile text included."""
    store.ensure_schema()
    writes = GraphWrites()
    for name in ("ada", "bob", "cy"):
        writes.add_node(Profile(id=f"tw:{name}", platform="twitter", handle=name))
    store.apply(writes)
    batches = [
        lambda: {"run_id": "r1", "rows": [_staged_row("tw:ada", HOSTILE), _staged_row("tw:bob")]},
        lambda: {"run_id": "r1", "rows": [_staged_row("tw:cy"), _staged_row("tw:nobody")]},
    ]
    results = list(store.run_write_batches("analysis.stage_profile_scores", batches))
    # the stage does not look profiles up: a row of an unknown one is staged (the publish skips it)
    assert results == [[{"staged": 2}], [{"staged": 2}]]
    assert _staged(store) == {"tw:ada": HOSTILE, "tw:bob": None, "tw:cy": None, "tw:nobody": None}

    assert store.run_write("analysis.delete_staged_scores", {"run_id": "r1", "limit": 100}) == [
        {"deleted": 4}
    ]

    def broken() -> dict:
        raise ValueError("row 7: not a number")

    failing = [
        lambda: {"run_id": "r2", "rows": [_staged_row("tw:ada")]},
        broken,
        lambda: {"run_id": "r2", "rows": [_staged_row("tw:cy")]},
    ]
    with pytest.raises(ValueError, match="row 7"):
        list(store.run_write_batches("analysis.stage_profile_scores", failing))
    assert _staged(store) == {"tw:ada": None}  # the batch before the error, none after it
