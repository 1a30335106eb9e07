"""Loading into the real embedded store: idempotent, order-independent, resumable after a real kill."""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.engines.falkordb import FalkorDBEngine
from graph.model import Label
from graph.store import CypherGraphStore
from ingest.demo import DemoSize, demo_events
from ingest.loader import default_parse_workers, load_file
from ingest.rejects import read_rejects

ROOT = Path(__file__).resolve().parents[2]


def write_events(path: Path, events: list[dict], extra_lines: tuple[str, ...] = ()) -> Path:
    with open(path, "w", encoding="utf-8") as stream:
        for event in events:
            stream.write(json.dumps(event, ensure_ascii=False) + "\n")
        for line in extra_lines:
            stream.write(line + "\n")
    return path


AUDIT_TIMES = ("linked_at", "held_at")  # when an identity link was made: wall-clock time of the load


def snapshot(store: CypherGraphStore) -> tuple[list, list]:
    """Every data node and relationship with its properties, in a canonical order (the identity log and
    the wall-clock times of identity links left out: they say when a load ran, not what it loaded)."""
    nodes = store.execute_text(
        "MATCH (n) WHERE NOT n:IngestCheckpoint AND NOT n:IdentityEvent AND NOT n:DataVersion "
        "RETURN labels(n)[0] AS label, properties(n) AS props",
        write=False,
    )
    rels = store.execute_text(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props", write=False
    )
    for row in rels:
        row["props"] = {k: v for k, v in dict(row["props"]).items() if k not in AUDIT_TIMES}
    key = lambda row: json.dumps(row, sort_keys=True, default=str)  # noqa: E731
    return sorted(map(key, nodes)), sorted(map(key, rels))


BAD_LINES = (
    "{not json",
    json.dumps({"kind": "rating", "source": "a", "target": "b", "rating": 11, "at": 5}),
    json.dumps({"kind": "teleport", "id": "x"}),
    json.dumps(
        {"kind": "post", "id": "big", "author": "twitter:x", "text": "x" * 1_000_000, "created_at": 5}
    ),
)


def test_a_file_loads_with_rejects_and_loading_twice_changes_nothing(store, tmp_path: Path) -> None:
    source = write_events(tmp_path / "events.jsonl", list(demo_events(3, DemoSize(customers=60))), BAD_LINES)
    rejects = tmp_path / "rejects.jsonl"
    first = load_file(store, source, "events", rejects_path=rejects, batch_size=200)
    assert first.rejected == len(BAD_LINES)
    assert [r.line for r in read_rejects(rejects)] == [
        first.lines - 3,
        first.lines - 2,
        first.lines - 1,
        first.lines,
    ]
    once = snapshot(store)
    second = load_file(store, source, "events", rejects_path=rejects, batch_size=200)
    assert second.resumed_from_line == 0 and second.events == first.events
    assert snapshot(store) == once
    assert len(read_rejects(rejects)) == len(BAD_LINES)  # not appended twice


def test_the_graph_is_the_same_whatever_the_order_of_lines(falkordb_server, tmp_path: Path) -> None:
    from tests.conftest import new_falkordb_store

    events = list(demo_events(5, DemoSize(customers=40)))
    shuffled = events[:]
    random.Random(1).shuffle(shuffled)
    snapshots = []
    for name, ordered in (("in-order", events), ("shuffled", shuffled), ("reversed", events[::-1])):
        store = new_falkordb_store(falkordb_server)
        load_file(store, write_events(tmp_path / f"{name}.jsonl", ordered), "events", batch_size=97)
        snapshots.append(snapshot(store))
        store.delete_all()
        store.close()
    assert snapshots[0] == snapshots[1] == snapshots[2]


# The loader without the CLI, parsing in this process (the CLI parses a file this size in workers).
IN_PROCESS_LOADER = """
import sys
from pathlib import Path
from graph.config import load_settings
from graph.store import open_store
from ingest.loader import load_file
source, data_dir, rejects = sys.argv[1:]
with open_store(load_settings(data_dir=Path(data_dir))) as store:
    summary = load_file(store, source, "events", rejects_path=rejects, batch_size=300, parse_in_worker=False)
print(f"resumed after line {summary.resumed_from_line}" if summary.resumed_from_line else "", file=sys.stderr)
"""


def _loader(source: Path, data_dir: Path, rejects: Path, mode: str) -> subprocess.Popen[bytes]:
    if mode == "in-process":
        command = [sys.executable, "-c", IN_PROCESS_LOADER, str(source), str(data_dir), str(rejects)]
    else:
        command = [sys.executable, "-m", "cli", "ingest", str(source), "--data-dir", str(data_dir)]
        command += ["--rejects", str(rejects), "--batch-size", "300"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _children(pid: int) -> list[int]:
    listed = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(child) for child in listed.split()]


def _is_parse_worker(pid: int) -> bool:
    try:
        return b"ingest.parse_worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _exits_within(pid: int, timeout_s: float) -> bool:
    """Wait for any process (not only our children) to end, without polling: a pidfd turns readable."""
    try:
        descriptor = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([descriptor], [], [], timeout_s)[0])
    finally:
        os.close(descriptor)


def _wait_for_checkpoint(data_dir: Path, at_least: int, loader: subprocess.Popen[bytes]) -> None:
    """Poll the running loader's own store (through its unix socket) until it has checkpointed."""
    socket_path = data_dir / "falkordb" / "falkordb.sock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert loader.poll() is None, loader.stderr.read().decode()
        if socket_path.exists():
            engine = FalkorDBEngine(url=f"unix://{socket_path}")
            try:
                rows = engine.read("MATCH (c:IngestCheckpoint) RETURN c.last_line AS line")
                if rows and rows[0]["line"] >= at_least:
                    return
            except Exception:  # the server may be starting; poll again
                pass
            finally:
                engine.close()
        time.sleep(0.01)
    raise AssertionError("the loader never checkpointed")


@pytest.mark.slow
@pytest.mark.parametrize(("mode", "victim"), [("cli", "loader"), ("cli", "store"), ("in-process", "loader")])
def test_an_interrupted_load_resumed_equals_a_clean_load(tmp_path: Path, mode: str, victim: str) -> None:
    source = write_events(
        tmp_path / "events.jsonl", list(demo_events(11, DemoSize(customers=800))), BAD_LINES
    )
    clean_dir, resumed_dir = tmp_path / "clean", tmp_path / "resumed"

    interrupted = _loader(source, resumed_dir, tmp_path / "resumed.rejects.jsonl", mode)
    _wait_for_checkpoint(resumed_dir, 3000, interrupted)
    children = _children(interrupted.pid)
    workers = [pid for pid in children if _is_parse_worker(pid)]
    assert len(workers) == (default_parse_workers("events") if mode == "cli" else 0)
    if victim == "loader":
        interrupted.send_signal(signal.SIGKILL)
    else:  # kill -9 the store's server under the running loader
        server_pid = int((resumed_dir / "falkordb" / "rapport.lock").read_text() or 0)
        assert server_pid == interrupted.pid  # the lock names its owner: the loader
        for pid in set(children) - set(workers):
            os.kill(pid, signal.SIGKILL)
    interrupted.wait(timeout=60)
    assert interrupted.returncode != 0
    for worker in workers:  # killed with its loader, or stopped by the loader that failed
        assert _exits_within(worker, 30), "the parse worker outlived its loader"

    resumed = _loader(source, resumed_dir, tmp_path / "resumed.rejects.jsonl", mode)
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err.decode()
    assert b"resumed after line" in err

    clean = _loader(source, clean_dir, tmp_path / "clean.rejects.jsonl", mode)
    _, err = clean.communicate(timeout=300)
    assert clean.returncode == 0, err.decode()

    snapshots = []
    for data_dir in (clean_dir, resumed_dir):
        with CypherGraphStore(FalkorDBEngine(data_dir=data_dir / "falkordb")) as store:
            snapshots.append(snapshot(store))
            assert store.get_node(Label.INGEST_CHECKPOINT, next(iter(_checkpoint_ids(store))))["completed"]
    assert snapshots[0] == snapshots[1]
    assert read_rejects(tmp_path / "clean.rejects.jsonl") == read_rejects(tmp_path / "resumed.rejects.jsonl")


def _checkpoint_ids(store: CypherGraphStore) -> list[str]:
    return [
        row["id"] for row in store.execute_text("MATCH (c:IngestCheckpoint) RETURN c.id AS id", write=False)
    ]
