"""A load run drops node writes that repeat an earlier batch's, and ends in the same graph."""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path

from graph.model import Label
from graph.writes import GraphWrites
from ingest.pipeline import NodeWriteMemory, batches, load_batches, read_source
from tests.conftest import new_falkordb_store
from tests.data import SHARED_DATA
from tests.ingest.test_loader import snapshot

HIGGS = SHARED_DATA / "higgs_twitter" / "higgs-activity_time.txt.gz"


def profile_writes(*rows: dict) -> GraphWrites:
    writes = GraphWrites()
    for row in rows:
        writes.add_node_properties(Label.PROFILE, row)
    return writes


def kept(memory: NodeWriteMemory, *rows: dict) -> list[dict]:
    writes = profile_writes(*rows)
    memory.drop_repeats(writes)
    return list(writes.nodes[Label.PROFILE].values())


def test_a_node_write_repeated_unchanged_by_a_later_batch_is_dropped() -> None:
    memory = NodeWriteMemory()
    ada = {"id": "tw:ada", "platform": "twitter", "handle": "ada"}
    assert kept(memory, ada, {"id": "tw:bob", "handle": "bob"}) == [ada, {"id": "tw:bob", "handle": "bob"}]
    assert kept(memory, dict(ada), {"id": "tw:cy", "handle": "cy"}) == [{"id": "tw:cy", "handle": "cy"}]
    assert memory.dropped == 1


def test_a_changed_write_is_kept_and_becomes_the_one_remembered() -> None:
    memory = NodeWriteMemory()
    first = {"id": "tw:ada", "followers": 1}
    second = {"id": "tw:ada", "followers": 2}
    assert kept(memory, first) == [first]
    assert kept(memory, second) == [second]
    # the store now holds the second write, so the first one again is a change, not a repeat
    assert kept(memory, first) == [first]
    assert kept(memory, first) == []


def test_values_equal_in_python_but_of_another_type_are_not_repeats() -> None:
    memory = NodeWriteMemory()
    assert kept(memory, {"id": "n", "v": True}) == [{"id": "n", "v": True}]
    assert kept(memory, {"id": "n", "v": 1}) == [{"id": "n", "v": 1}]
    assert kept(memory, {"id": "n", "v": 1.0}) == [{"id": "n", "v": 1.0}]


def test_unhashable_values_are_always_written() -> None:
    memory = NodeWriteMemory()
    row = {"id": "n", "tags": ["a", "b"]}
    assert kept(memory, row) == [row]
    assert kept(memory, row) == [row]
    assert memory.dropped == 0


def test_each_label_forgets_its_least_recently_written_ids_beyond_its_bound() -> None:
    memory = NodeWriteMemory(per_label=2)
    a, b, c = ({"id": name} for name in "abc")
    kept(memory, a, b)
    assert kept(memory, a) == []  # a is now the most recent
    kept(memory, c)  # forgets b, the least recent
    assert kept(memory, b) == [b]  # and b's write forgets a: c and b are remembered
    assert kept(memory, c) == []
    assert kept(memory, a) == [a]
    writes = GraphWrites()
    writes.add_node_properties(Label.POST, {"id": "a"})
    memory.drop_repeats(writes)  # the same id under another label is another node
    assert list(writes.nodes[Label.POST]) == ["a"]


def test_a_load_with_the_memory_ends_in_the_graph_a_load_without_it_gives(
    falkordb_server, falkordb_store, tmp_path: Path
) -> None:
    path = tmp_path / "higgs.txt"
    with gzip.open(HIGGS, "rt") as source:
        path.write_text("".join(itertools.islice(source, 20_000)))
    memory = NodeWriteMemory()
    for batch in load_batches(read_source(path, "higgs"), 500, memory=memory):
        falkordb_store.apply(batch.writes)
    without = new_falkordb_store(falkordb_server)
    try:
        for batch in batches(read_source(path, "higgs"), 500):
            without.apply(batch.writes)
        assert memory.dropped > 1000  # Higgs names the same profiles on many lines
        assert snapshot(falkordb_store) == snapshot(without)
    finally:
        without.engine.connection.execute_command("GRAPH.DELETE", without.engine.graph_name)
        without.close()


def test_a_label_whose_writes_rarely_repeat_is_no_longer_remembered() -> None:
    memory = NodeWriteMemory(trial_rows=100, min_repeat_ratio=10)
    posts = GraphWrites()
    for number in range(100):  # no repeats: posts are no longer remembered after this batch
        posts.add_node_properties(Label.POST, {"id": f"p{number}"})
    posts.add_node_properties(Label.PROFILE, {"id": "tw:ada"})
    memory.drop_repeats(posts)
    again = GraphWrites()
    again.add_node_properties(Label.POST, {"id": "p1"})
    again.add_node_properties(Label.PROFILE, {"id": "tw:ada"})
    memory.drop_repeats(again)
    assert list(again.nodes[Label.POST]) == ["p1"]  # written again: cheaper than remembering
    assert list(again.nodes[Label.PROFILE]) == []  # profiles are still on trial, and repeat


def test_a_value_changed_to_one_with_the_same_python_hash_is_written() -> None:
    """hash(-1) == hash(-2) in CPython: a fingerprint by hash() took -1 -> -2 for a repeat."""
    memory = NodeWriteMemory()
    assert kept(memory, {"id": "n", "score": -1}) == [{"id": "n", "score": -1}]
    assert kept(memory, {"id": "n", "score": -2}) == [{"id": "n", "score": -2}]
    assert kept(memory, {"id": "n", "score": -2}) == []
