"""The write path's own statement encoder sends exactly what the falkordb client would send."""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pytest
from falkordb.graph import Graph
from falkordb.helpers import stringify_param_value
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.engines.falkordb import cypher_literal, encode_query, encode_rows_query

text = st.text(max_size=30) | st.sampled_from(['"', "\\", '\\"', "a\\\\b", "`x`", "😀", "\n\t", ""])
scalars = st.none() | st.booleans() | st.integers() | st.floats() | text
keys = st.text(min_size=1, max_size=10).filter(lambda key: "`" not in key) | st.integers()
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(keys, inner, max_size=4)
    ),
    max_leaves=15,
)


@settings(max_examples=400, deadline=None)
@given(value=values)
def test_literals_equal_the_clients(value) -> None:
    assert cypher_literal(value) == stringify_param_value(value)


@settings(max_examples=200, deadline=None)
@given(
    params=st.dictionaries(st.text(min_size=1, max_size=8).filter(lambda k: "`" not in k), values, max_size=3)
)
def test_statements_equal_the_clients(params) -> None:
    query = "UNWIND $rows AS row RETURN row"
    assert encode_query(query, params) == Graph._build_params_header(None, params) + query  # type: ignore[arg-type]


def test_store_rows_equal_the_clients() -> None:
    rows = [
        {
            "id": 'q"b\\',
            "props": {"id": 'q"b\\', "text": "MATCH (n) //", "created_at": 5, "sentiment": -0.25},
        },
        {"source": "a", "target": "b", "props": {}},
        {"id": "x", "props": {"synthetic": True, "attr_tier": None, "nested": [1, 2.5, "z"]}},
    ]
    assert cypher_literal(rows) == stringify_param_value(rows)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(text, st.dictionaries(keys, values, max_size=4)), max_size=5),
    relationship_rows=st.lists(st.tuples(text, text, st.dictionaries(keys, values, max_size=4)), max_size=5),
)
def test_rows_encoded_in_place_equal_the_clients(rows, relationship_rows) -> None:
    query = "UNWIND $rows AS row RETURN row"
    for fields, shaped in ((("id", "props"), rows), (("source", "target", "props"), relationship_rows)):
        params = {"rows": [dict(zip(fields, row, strict=True)) for row in shaped]}
        client = Graph._build_params_header(None, params) + query  # type: ignore[arg-type]
        assert encode_rows_query(query, fields, shaped) == client


class Colour(StrEnum):
    RED = "red"


@pytest.mark.parametrize("value", [Colour.RED, np.float64(0.5), np.int64(3), b"bytes", {"k": Colour.RED}])
def test_other_types_are_written_as_the_client_writes_them(value) -> None:
    assert cypher_literal(value) == stringify_param_value(value)


@pytest.mark.parametrize("bad", [{"": 1}, {"a`b": 1}, [{"ok": {"": 2}}]])
def test_keys_the_header_cannot_carry_are_refused_like_the_client(bad) -> None:
    with pytest.raises(ValueError):
        stringify_param_value(bad)
    with pytest.raises(ValueError):
        cypher_literal(bad)


def test_parameter_names_are_checked_and_no_params_sends_the_query_alone() -> None:
    assert encode_query("RETURN 1", None) == "RETURN 1"
    assert encode_query("RETURN 1", {}) == "CYPHER RETURN 1"
    with pytest.raises(ValueError):
        encode_query("RETURN $x", {"a`b": 1})
