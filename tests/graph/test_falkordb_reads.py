"""FalkorDB reads decode replies on the fast path (hiredis, a pass per column) and give what the
``falkordb`` client's own parser gives; a statement returning a node falls back to the client."""

from __future__ import annotations

from graph.store import CypherGraphStore

HOSTILE = 'Zoë\'s "quote" \\ back\nslash 😀'


def test_fast_reads_equal_the_client_parser_on_every_primitive_and_nulls(
    falkordb_store: CypherGraphStore,
) -> None:
    engine = falkordb_store.engine
    engine.write_rows(
        "UNWIND range(0, 5) AS i CREATE (:P {i: i, x: toFloat(i) / 3, s: $text + toString(i), "
        "b: i % 2 = 0, l: [i, i * 2], ls: ['a' + toString(i)], "
        "maybe: CASE WHEN i % 2 = 0 THEN i END, f: CASE WHEN i % 3 = 0 THEN 1.5 END, "
        "t: CASE WHEN i % 2 = 1 THEN 'odd' END})",
        {"text": HOSTILE},
    )
    query = (
        "MATCH (p:P) RETURN p.i AS i, p.x AS x, p.s AS s, p.b AS b, p.l AS l, p.ls AS ls, "
        "p.maybe AS maybe, p.f AS f, p.t AS t, null AS nothing ORDER BY i"
    )
    fast = engine.read(query)
    header, rows = engine.read_columns(query)  # the client's parser
    assert fast == [dict(zip(header, row, strict=True)) for row in rows]
    assert fast[1]["s"] == HOSTILE + "1" and fast[1]["maybe"] is None and fast[0]["f"] == 1.5
    assert fast[0]["b"] is True and fast[1]["l"] == [1, 2]
    assert engine.read("MATCH (p:P) WHERE p.i > 99 RETURN p.i AS i") == []


def test_a_statement_returning_a_node_is_read_by_the_client_every_time(
    falkordb_store: CypherGraphStore,
) -> None:
    engine = falkordb_store.engine
    engine.write_rows("CREATE (:P {id: 'a', n: 1})")
    for _ in range(2):  # the first read falls back, the second goes to the client directly
        rows = engine.read("MATCH (p:P) RETURN p AS node, p.id AS id")
        assert rows[0]["id"] == "a"
        assert rows[0]["node"].properties == {"id": "a", "n": 1}
    rows = engine.read("MATCH (p:P) RETURN {id: p.id, n: p.n} AS map")
    assert rows == [{"map": {"id": "a", "n": 1}}]


def test_the_remembered_client_parsed_statements_stay_bounded(
    falkordb_store: CypherGraphStore, monkeypatch
) -> None:
    """Ad-hoc texts (``rapport cypher``) each add one; past the bound the memory starts over, and
    every read still answers right."""
    import graph.engines.falkordb as falkordb

    monkeypatch.setattr(falkordb, "_MAX_CLIENT_PARSED", 3)
    engine = falkordb_store.engine
    engine.write_rows("CREATE (:P {id: 'a', n: 1})")
    for k in range(10):
        rows = engine.read(f"MATCH (p:P) RETURN p AS node, {k} AS k")
        assert rows[0]["k"] == k and rows[0]["node"].properties == {"id": "a", "n": 1}
        assert len(engine._client_parsed) <= 3
