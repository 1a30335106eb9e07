"""The projection's read paths on the embedded store: the FalkorDB fast decoders equal the client's
generic decoding, and paging, slicing, concurrency and fallbacks never change what is read."""

from __future__ import annotations

import numpy as np
import pytest

from graph import projection
from graph.errors import QueryError, ReadOnlyViolation
from graph.model import LIKED, MENTIONS, REPLY_TO, SHARED
from graph.writes import GraphWrites
from tests.analysis.helpers import DAY, T0, add_post, add_profile, interactions_writes, random_interactions

NULL = projection.NULL_INTEGER


def _generic(engine, statement: str) -> tuple[list[str], np.ndarray]:
    header, rows = engine.read_columns(statement)
    values = [[NULL if v is None else v for v in row] for row in rows]
    return header, np.array(values, dtype=np.int64).reshape(len(rows), len(header))


@pytest.mark.parametrize(
    "statement",
    [
        "RETURN null AS a, 1 AS b, -5 AS c",
        "UNWIND range(0, 20000) AS i RETURN i, -3 * i AS j, CASE WHEN i % 7 = 0 THEN null ELSE i * 1000000000000 END AS k",
        "UNWIND [] AS x RETURN x",
        "RETURN 9223372036854775807 AS big, -9223372036854775807 AS small",
    ],
)
def test_integer_columns_equal_the_clients_decoding(store, statement: str) -> None:
    engine = store.engine
    engine.write("CREATE (:Probe {id: 'probe'})")
    header, matrix = engine.read_integer_matrix(statement, null=NULL)
    expected_header, expected = _generic(engine, statement)
    assert header == expected_header
    assert matrix.dtype == np.int64 and np.array_equal(matrix, expected)


def test_integer_columns_of_an_aggregate_and_of_a_write(store) -> None:
    engine = store.engine
    engine.write("CREATE (:Probe {id: 'probe'})")
    header, matrix = engine.read_integer_matrix("MATCH (n:Nothing) RETURN count(n) AS n", null=NULL)
    assert header == ["n"] and matrix.tolist() == [[0]]
    with pytest.raises(ReadOnlyViolation):
        engine.read_integer_matrix("CREATE (:Probe {id: 'other'})", null=NULL)


@pytest.mark.parametrize(
    "statement",
    [
        "RETURN 'a\r\nb' AS text, 1 AS i",
        "RETURN 1.5 AS d",
        "RETURN true AS b",
        "UNWIND range(0, 5000) AS i RETURN i, toString(i) AS s",
        "RETURN [1, 2] AS list",
    ],
)
def test_integer_columns_refuse_other_values_and_the_connection_recovers(store, statement) -> None:
    engine = store.engine
    engine.write("CREATE (:Probe {id: 'probe'})")
    with pytest.raises(QueryError):
        engine.read_integer_matrix(statement, null=NULL)
    assert engine.read_integer_matrix("RETURN 7 AS seven", null=NULL)[1].tolist() == [[7]]
    assert engine.read("RETURN 8 AS eight") == [{"eight": 8}]


def test_integer_columns_report_query_errors(store) -> None:
    engine = store.engine
    engine.write("CREATE (:Probe {id: 'probe'})")
    with pytest.raises(QueryError):
        engine.read_integer_matrix("RETURN $missing AS x", null=NULL)
    with pytest.raises(QueryError):
        engine.read_integer_matrix("MATCH (n RETURN n", null=NULL)
    assert engine.read_integer_matrix("RETURN $x AS x", {"x": 3}, null=NULL)[1].tolist() == [[3]]


def test_untyped_columns_decode_integers_strings_and_nulls(store) -> None:
    engine = store.engine
    engine.write("CREATE (:Probe {id: 'probe'})")
    statement = "UNWIND range(0, 999) AS i RETURN i AS n, 'é\"' + toString(i) AS s, CASE WHEN i % 2 = 0 THEN i END AS c"
    header, columns = engine.read_column_major(statement, typed=False)
    assert (header, columns) == engine.read_column_major(statement)
    assert columns[1][3] == 'é"3' and columns[2][:3] == [0, None, 2]
    with pytest.raises(QueryError):
        engine.read_column_major("RETURN $missing AS x", typed=False)


def _same(a: projection.EngagementColumns, b: projection.EngagementColumns) -> bool:
    fields = ("source", "target", "kind", "interactions", "decayed")
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in fields) and (
        (a.as_of_ms, a.latest_ms, a.dropped_rows) == (b.as_of_ms, b.latest_ms, b.dropped_rows)
    )


def test_pages_slices_and_threads_do_not_change_the_engagement_read(store) -> None:
    store.apply(interactions_writes(range(15), random_interactions(400, nodes=15, seed=3, self_loops=False)))
    bound = projection.max_node_id(store)
    profiles, one_pass = projection.read_profiles_and_engagement(
        store, as_of_ms=None, half_life_ms=30 * DAY, page_rows=10**9, workers=1
    )
    assert profiles.ids == projection.read_profiles(store, page_rows=3).ids
    assert one_pass.interactions.sum() == len(random_interactions(400, nodes=15, seed=3, self_loops=False))
    for page_rows, workers in ((1, 4), (5, 2), (50, 3)):
        paged = projection.read_engagement(
            store,
            profiles,
            as_of_ms=None,
            half_life_ms=30 * DAY,
            page_rows=page_rows,
            workers=workers,
        )
        assert _same(paged, one_pass)
        _, both = projection.read_profiles_and_engagement(
            store,
            as_of_ms=None,
            half_life_ms=30 * DAY,
            bound=bound,
            page_rows=page_rows,
            workers=workers,
        )
        assert _same(both, one_pass)


def test_a_share_or_like_without_its_own_time_takes_the_posts_time(store) -> None:
    writes = GraphWrites()
    for node in ("a", "b", "c"):
        add_profile(writes, node)
    add_post(writes, "b", "post:b", T0 - 10 * DAY)
    add_post(writes, "c", "post:c", T0 - 20 * DAY)
    writes.add_relationship(SHARED, "a", "post:b")  # no `at`: the post's time counts
    writes.add_relationship(LIKED, "a", "post:c")  # no `at`
    writes.add_relationship(LIKED, "b", "post:c", at=T0 - 5 * DAY)
    store.apply(writes)
    profiles = projection.read_profiles(store)
    columns = projection.read_engagement(store, profiles, as_of_ms=T0, half_life_ms=10 * DAY)
    got = {
        (profiles.ids[s], profiles.ids[t], projection.ENGAGEMENT_KINDS[k]): d
        for s, t, k, d in zip(columns.source, columns.target, columns.kind, columns.decayed, strict=True)
    }
    assert got == pytest.approx(
        {("a", "b", "share"): 0.5, ("a", "c", "like"): 0.25, ("b", "c", "like"): 2**-0.5}
    )
    assert columns.latest_ms == T0 - 5 * DAY


def test_post_activity_and_texted_posts_hold_what_the_full_authored_read_holds(store) -> None:
    writes = GraphWrites()
    for node in ("a", "b", "c"):
        add_profile(writes, node)
    add_post(writes, "a", "p1", T0, text="first post")
    add_post(writes, "a", "p2", T0 + DAY)  # no text
    add_post(writes, "b", "p3", T0 + 2 * DAY, text="a reply @c", sentiment=0.5)
    writes.add_relationship(REPLY_TO, "p3", "p1")
    writes.add_relationship(MENTIONS, "p3", "c", at=T0 + 2 * DAY)
    add_post(writes, "c", "p4", T0 + 3 * DAY, text="made up", synthetic=True)  # left out of both reads
    add_post(writes, "c", "p5", T0 - DAY, text="")
    store.apply(writes)
    full = projection.read_authored_posts(store)
    assert sorted(full.post) == ["p1", "p2", "p3", "p5"]
    profiles = projection.read_profiles(store)
    one_page = projection.read_post_activity(store, profiles, page_rows=10**9, workers=1)
    for page_rows, workers in ((1, 3), (2, 2)):
        paged = projection.read_post_activity(store, profiles, page_rows=page_rows, workers=workers)
        assert all(
            np.array_equal(getattr(paged, f), getattr(one_page, f)) for f in ("post", "author", "created_at")
        )
    assert one_page.post.tolist() == sorted(one_page.post.tolist())
    names = projection.read_post_ids(store, one_page.post.tolist())
    activity = {
        (names[int(q)], profiles.ids[a], int(t))
        for q, a, t in zip(one_page.post, one_page.author, one_page.created_at, strict=True)
    }
    assert activity == set(zip(full.post, full.author, full.created_at, strict=True))
    texted = projection.read_authored_posts(store, texted_only=True, page_rows=1)
    # in node-id order, which on Neo4j need not be creation order (it reuses deleted nodes' ids)
    rows = sorted(
        zip(
            texted.post,
            texted.author,
            texted.text,
            texted.reply_to_author,
            texted.mentions,
            texted.sentiment,
            strict=True,
        )
    )
    assert rows == [
        ("p1", "a", "first post", None, [], None),
        ("p3", "b", "a reply @c", "a", ["c"], 0.5),
    ]
    assert projection.read_post_ids(store, []) == {}


def test_absent_relationship_types_are_not_read(store) -> None:
    store.apply(interactions_writes(range(4), [(0, 1, "like", T0), (1, 2, "like", T0)]))
    types = projection.relationship_types(store)
    assert {"POSTED", "LIKED"} <= types and not {"FOLLOWS", "RATED", "SHARED"} & types
    profiles = projection.read_profiles(store)
    assert projection.read_follows(store, profiles).source.size == 0
    assert projection.read_trust_ratings(store, profiles).source.size == 0
    assert projection.read_brand_posts(store).post == []
    columns = projection.read_engagement(store, profiles, as_of_ms=None, half_life_ms=None)
    assert columns.interactions.tolist() == [1, 1] and set(columns.kind.tolist()) == {3}


def test_projection_reads_leave_the_process_wide_garbage_collector_alone(falkordb_store, monkeypatch) -> None:
    """The API runs an analysis in a worker thread: a read there must not switch the collector off
    (or retune it) for every other thread of the process. Only the program's entry point may."""
    import gc
    import threading

    calls: list[str] = []
    for name in ("disable", "enable", "set_threshold", "freeze"):
        real = getattr(gc, name)
        monkeypatch.setattr(gc, name, lambda *a, _n=name, _r=real: (calls.append(_n), _r(*a))[1])
    falkordb_store.apply(
        interactions_writes(range(6), random_interactions(50, nodes=15, seed=3, self_loops=False))
    )

    def analyse_in_a_thread() -> None:
        projection.read_profiles_and_engagement(
            falkordb_store, as_of_ms=None, half_life_ms=30 * DAY, page_rows=7, workers=2
        )

    worker = threading.Thread(target=analyse_in_a_thread)
    worker.start()
    worker.join()
    assert calls == [] and gc.isenabled()
