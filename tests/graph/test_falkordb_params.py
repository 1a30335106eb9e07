"""Parameters of every JSON-like shape reach FalkorDB and come back unchanged (hostile text included).

Known engine limits, excluded here and guarded elsewhere: NUL characters cut the statement short
(ingest rejects control characters), and doubles come back with 15 significant digits.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
# FalkorDB replies with 15 significant digits and overflows near the float maximum: compare loosely.
floats = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300)
scalars = st.none() | st.booleans() | st.integers(-(2**62), 2**62) | text | floats
keys = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="`\x00"), min_size=1, max_size=12)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def probe_store(falkordb_server):
    from tests.conftest import new_falkordb_store

    store = new_falkordb_store(falkordb_server)
    store.engine.write("CREATE (:Probe {id: 'p'})")  # reads need the graph to exist
    yield store
    store.delete_all()
    store.close()


@settings(max_examples=150, deadline=None)
@given(value=values)
def test_values_round_trip_through_the_engine(probe_store, value) -> None:
    got = probe_store.engine.read("RETURN $v AS v", {"v": value})[0]["v"]
    assert _same(got, value), (got, value)


def _same(got, sent) -> bool:
    """Equal, floats to 14 significant digits (the engine replies with 15)."""
    if isinstance(sent, float) and isinstance(got, float | int):
        return math.isclose(got, sent, rel_tol=1e-14, abs_tol=1e-300)
    if isinstance(sent, list | tuple):
        return isinstance(got, list) and len(got) == len(sent) and all(map(_same, got, sent))
    if isinstance(sent, dict):
        return isinstance(got, dict) and set(got) == set(sent) and all(_same(got[k], sent[k]) for k in sent)
    return type(got) is type(sent) and got == sent


def test_control_characters_and_hostile_text_round_trip(falkordb_store) -> None:
    falkordb_store.engine.write("CREATE (:Probe {id: 'p'})")
    for value in ("a\x01b\x1f", "tab\tnl\ncr\r", 'q"b\\', "`x` $y {z}", "😀\u202e\u2028"):
        assert falkordb_store.engine.read("RETURN $v AS v", {"v": value})[0]["v"] == value
