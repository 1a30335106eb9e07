"""The embedded FalkorDB server: stopped cleanly, no orphans, data kept across restarts, one owner."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from graph.engines.embedded_falkordb import COMPACT_ON_STOP_SHARE, EmbeddedFalkorDB
from graph.engines.falkordb import RETIRED_INDEXES, FalkorDBEngine
from graph.errors import DataDirLocked, StoreUnavailable
from graph.model import Label, Profile
from graph.store import CypherGraphStore
from graph.writes import GraphWrites

ROOT = Path(__file__).resolve().parents[2]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0); read its state
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def wait_until(condition, timeout_s: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_stop_ends_the_server_process_and_removes_the_socket(tmp_path: Path) -> None:
    server = EmbeddedFalkorDB(tmp_path)
    server.start()
    pid = server.pid
    assert pid is not None and alive(pid)
    server.stop()
    assert not alive(pid)
    assert not server.socket_path.exists()


@pytest.mark.parametrize("threads", [1, 3])
def test_the_server_runs_the_configured_number_of_query_threads(tmp_path: Path, threads: int) -> None:
    """One by default (FalkorDB 4.16 crashed under parallel reads, docs/stores.md); more when asked."""
    from graph.config import Settings
    from graph.store import build_engine

    settings = Settings(data_dir=tmp_path, falkordb={"query_threads": threads})
    engine = build_engine(settings) if threads != 1 else FalkorDBEngine(data_dir=tmp_path / "falkordb")
    engine.connect()
    try:
        reply = engine.connection.execute_command("GRAPH.CONFIG", "GET", "THREAD_COUNT")
        assert [item.decode() if isinstance(item, bytes) else item for item in reply] == [
            "THREAD_COUNT",
            threads,
        ]
    finally:
        engine.close()


def test_data_survives_a_restart(tmp_path: Path) -> None:
    writes = GraphWrites()
    writes.add_node(Profile(id="tw:kept", platform="twitter", handle="kept"))
    with CypherGraphStore(FalkorDBEngine(data_dir=tmp_path)) as store:
        store.ensure_schema()
        store.apply(writes)
    with CypherGraphStore(FalkorDBEngine(data_dir=tmp_path)) as store:
        assert store.get_node(Label.PROFILE, "tw:kept") == {
            "id": "tw:kept",
            "platform": "twitter",
            "handle": "kept",
        }
        assert store.ensure_schema() == []  # indexes and constraints came back too


ZEROS = "UNWIND range(0, 9) AS i CREATE (:Profile {id: 'tw:' + toString(i), community: i % 3, influence: toFloat(i % 2)})"
BY_VALUE = "MATCH (p:Profile) WHERE p.{prop} = $value RETURN p.id AS id ORDER BY id"


def test_an_index_loaded_from_disk_loses_its_zeros(tmp_path: Path) -> None:
    """The engine's bug that RETIRED_INDEXES avoids: once the server reloads the graph, a lookup of 0
    through an index finds nothing (other values are found). If this fails, FalkorDB has fixed it."""
    with EmbeddedFalkorDB(tmp_path) as server:
        engine = FalkorDBEngine(url=f"unix://{server.socket_path}")
        engine.write("CREATE INDEX FOR (n:Profile) ON (n.community)")
        engine.write(ZEROS)
        assert len(engine.read(BY_VALUE.format(prop="community"), {"value": 0})) == 4
        engine.close()
    with EmbeddedFalkorDB(tmp_path) as server:
        engine = FalkorDBEngine(url=f"unix://{server.socket_path}")
        assert engine.read(BY_VALUE.format(prop="community"), {"value": 0}) == []
        assert len(engine.read(BY_VALUE.format(prop="community"), {"value": 1})) == 3
        engine.close()


def test_the_largest_community_and_unscored_profiles_are_found_after_a_restart(tmp_path: Path) -> None:
    """A store made with the retired indexes (as earlier versions made it) loses them at ensure_schema,
    and ``community = 0`` / ``influence = 0.0`` find their profiles across restarts."""
    with CypherGraphStore(FalkorDBEngine(data_dir=tmp_path)) as store:
        store.ensure_schema()
        for label, prop in RETIRED_INDEXES:
            store.engine.write(f"CREATE INDEX FOR (n:{label}) ON (n.{prop})")
        store.engine.write(ZEROS)
    for restart in range(2):
        with CypherGraphStore(FalkorDBEngine(data_dir=tmp_path)) as store:
            changed = store.ensure_schema()
            assert changed == (
                [f"DROP INDEX FOR (n:{label}) ON (n.{prop})" for label, prop in RETIRED_INDEXES]
                if restart == 0
                else []
            )
            read = store.engine.read
            assert [r["id"] for r in read(BY_VALUE.format(prop="community"), {"value": 0})] == [
                "tw:0",
                "tw:3",
                "tw:6",
                "tw:9",
            ]
            assert len(read(BY_VALUE.format(prop="influence"), {"value": 0.0})) == 5


def test_a_second_owner_of_the_data_dir_gets_a_clear_error(tmp_path: Path) -> None:
    with EmbeddedFalkorDB(tmp_path):
        second = EmbeddedFalkorDB(tmp_path)
        with pytest.raises(DataDirLocked, match=str(os.getpid())):
            second.start()
    with EmbeddedFalkorDB(tmp_path) as third:  # the lock is released on stop
        assert third.pid is not None


OWNER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from graph.engines.embedded_falkordb import COMPACT_ON_STOP_SHARE, EmbeddedFalkorDB
    server = EmbeddedFalkorDB({data!r})
    server.start()
    print(server.pid, flush=True)
    sys.stdin.read()  # wait to be killed
    """
)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_owner_leaves_no_orphan_server(tmp_path: Path, how: signal.Signals) -> None:
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER.format(root=str(ROOT), data=str(tmp_path))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    server_pid = int(owner.stdout.readline())
    assert alive(server_pid)
    owner.send_signal(how)
    owner.wait(timeout=10)
    assert wait_until(lambda: not alive(server_pid)), "the server outlived its owner"
    owner.stdin.close()
    owner.stdout.close()


def test_a_relative_data_dir_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`make demo` uses ./.rapport-data: redis changes into --dir, so every path must be absolute."""
    monkeypatch.chdir(tmp_path)
    with EmbeddedFalkorDB(Path(".rapport-data") / "falkordb") as server:
        assert server.pid is not None and (tmp_path / ".rapport-data" / "falkordb" / "falkordb.log").exists()


def _freeze_first_start(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the first server started hang as the pinned FalkorDB sometimes does: a real process
    that answers nothing (SIGSTOP right after it became ready). Returns the pids started."""
    started: list[int] = []
    real_start = EmbeddedFalkorDB.start

    def start(self: EmbeddedFalkorDB) -> None:
        real_start(self)
        if self.pid is not None and self.pid not in started:
            started.append(self.pid)
            if len(started) == 1:
                os.kill(self.pid, signal.SIGSTOP)

    monkeypatch.setattr(EmbeddedFalkorDB, "start", start)
    return started


def test_a_server_that_hangs_on_its_first_graph_command_is_restarted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = _freeze_first_start(monkeypatch)
    engine = FalkorDBEngine(data_dir=tmp_path / "db", first_command_timeout_s=1.0)
    store = CypherGraphStore(engine)
    try:
        engine.connect()
        assert len(started) == 2 and engine.server.pid == started[1]
        with pytest.raises(ProcessLookupError):
            os.kill(started[0], 0)  # the hung server was killed and reaped
        store.ensure_schema()
        store.upsert_nodes(Label.PROFILE, [{"id": "tw:a", "platform": "twitter"}])
        assert store.get_node(Label.PROFILE, "tw:a")["platform"] == "twitter"
    finally:
        store.close()


def test_a_server_that_keeps_hanging_is_reported_not_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_start = EmbeddedFalkorDB.start

    def always_hangs(self: EmbeddedFalkorDB) -> None:
        real_start(self)
        os.kill(self.pid, signal.SIGSTOP)

    monkeypatch.setattr(EmbeddedFalkorDB, "start", always_hangs)
    engine = FalkorDBEngine(data_dir=tmp_path / "db", first_command_timeout_s=0.5)
    with pytest.raises(StoreUnavailable, match="hung on its first graph command 3 times"):
        engine.connect()
    assert engine.server.process is None  # nothing left running


def test_a_second_opener_uses_the_owners_running_server_and_leaves_it_running(tmp_path: Path) -> None:
    """`rapport cypher --data-dir D` while `rapport serve` holds D uses the serving process's server
    (no second server, no refusal) and must leave it, socket included, running on its way out."""
    import redis

    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER.format(root=str(ROOT), data=str(tmp_path))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        server_pid = int(owner.stdout.readline())  # the owner prints this once its server is ready
        socket_path = EmbeddedFalkorDB(tmp_path).socket_path
        engine = FalkorDBEngine(data_dir=tmp_path, graph_name="shared")
        engine.connect()
        assert engine.server.process is None  # it started nothing
        engine.write("CREATE (:Marker {id: 'from-the-second-opener'})")
        assert engine.read("MATCH (m:Marker) RETURN m.id AS id") == [{"id": "from-the-second-opener"}]
        engine.close()
        assert socket_path.exists()
        client = redis.Redis(unix_socket_path=str(socket_path))
        try:
            assert client.info("server")["process_id"] == server_pid
            rows = client.execute_command("GRAPH.RO_QUERY", "shared", "MATCH (m:Marker) RETURN count(m)")
            assert rows[1] == [[1]]  # written through the owner's server, seen by it
        finally:
            client.close()
    finally:
        owner.stdin.close()
        owner.wait(timeout=30)
        owner.stdout.close()


def test_a_locked_data_dir_without_a_server_answering_for_it_is_still_refused(tmp_path: Path) -> None:
    lock = os.open(tmp_path / "rapport.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.pwrite(lock, b"424242", 0)
        engine = FalkorDBEngine(data_dir=tmp_path)
        with pytest.raises(DataDirLocked, match="424242"):
            engine.connect()
        engine.close()
        assert not EmbeddedFalkorDB(tmp_path).serves_this_data_dir()
    finally:
        os.close(lock)


def _store_that_loads_slowly(data_dir: Path) -> None:
    """A data dir whose append-only file takes about a second to replay: 500k nodes made by 4000
    commands, so the server answers ``INFO`` (``loading:1``) between them while it replays."""
    import redis

    with EmbeddedFalkorDB(data_dir, compact_on_stop=False) as server:  # keep the commands to replay
        client = redis.Redis(unix_socket_path=str(server.socket_path))
        pipeline = client.pipeline(transaction=False)
        for k in range(4000):
            pipeline.execute_command(
                "GRAPH.QUERY", "g", f"UNWIND range(1, 125) AS i CREATE (:P {{id: i + {k * 125}}})"
            )
        pipeline.execute()
        client.close()


def test_startup_waits_as_long_as_the_replay_progresses(tmp_path: Path) -> None:
    """The timeout bounds time *without progress*, not the whole start: a replay longer than it succeeds."""
    import redis

    _store_that_loads_slowly(tmp_path)
    server = EmbeddedFalkorDB(tmp_path, startup_timeout_s=0.25)
    started = time.monotonic()
    with server:
        took = time.monotonic() - started
        client = redis.Redis(unix_socket_path=str(server.socket_path))
        count = client.execute_command("GRAPH.RO_QUERY", "g", "MATCH (p:P) RETURN count(p)")[1][0][0]
        client.close()
    assert count == 500_000
    assert took > 0.25, f"the replay took {took:.2f} s: too short to show anything; make the store larger"


def test_a_start_without_progress_fails_after_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_spawn = EmbeddedFalkorDB._spawn

    def spawn_frozen(self: EmbeddedFalkorDB) -> None:
        real_spawn(self)
        os.kill(self.process.pid, signal.SIGSTOP)  # a server that does nothing at all

    monkeypatch.setattr(EmbeddedFalkorDB, "_spawn", spawn_frozen)
    server = EmbeddedFalkorDB(tmp_path, startup_timeout_s=0.5)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="no progress for 0.5 s.*STARTUP_TIMEOUT_S"):
        server.start()
    assert time.monotonic() - started < 10
    assert server.process is None


def _aof(engine: FalkorDBEngine) -> dict:
    return engine.connection.info("persistence")


def test_a_large_load_rewrites_the_append_only_file(tmp_path: Path) -> None:
    """After an ingest whose log tail passed the threshold the log is compacted (BGREWRITEAOF);
    below it, it is not."""
    from ingest.loader import load_file

    source = tmp_path / "events.jsonl"
    source.write_text(
        "".join(
            f'{{"kind": "profile", "id": "tw:u{i}", "platform": "twitter", "handle": "u{i}"}}\n'
            for i in range(2000)
        )
    )
    engine = FalkorDBEngine(data_dir=tmp_path / "db", log_compaction_min_bytes=10**9)
    with CypherGraphStore(engine) as store:
        store.ensure_schema()
        assert wait_until(
            lambda: not _aof(engine)["aof_rewrite_in_progress"] and not _aof(engine)["aof_rewrite_scheduled"]
        )
        rewrites = _aof(engine)["aof_rewrites"]  # the schema's own rewrite, done
        load_file(store, source, "events", parse_in_worker=False)
        assert _aof(engine)["aof_rewrites"] == rewrites  # under the threshold: left as it is
        assert engine.server is not None
        grown = engine.server.log_sizes()[1]
        assert grown > 100_000
        engine.log_compaction_min_bytes = grown // 2
        load_file(store, source, "events", parse_in_worker=False)
        assert wait_until(
            lambda: (
                _aof(engine)["aof_rewrites"] == rewrites + 1 and not _aof(engine)["aof_rewrite_in_progress"]
            )
        )
        assert engine.server.log_sizes()[1] < grown
    with CypherGraphStore(FalkorDBEngine(data_dir=tmp_path / "db")) as reopened:
        assert reopened.counts().nodes["Profile"] == 2000


def _log_files(data_dir: Path) -> dict[str, list[tuple[str, int]]]:
    """The append-only manifest's files by type (``b`` base, ``i`` increment), with their sizes."""
    directory = data_dir / "appendonlydir"
    files: dict[str, list[tuple[str, int]]] = {"b": [], "i": []}
    for line in next(directory.glob("*.manifest")).read_text().splitlines():
        fields = line.split()
        name, kind = fields[1], fields[fields.index("type") + 1]
        files[kind].append((name, (directory / name).stat().st_size))
    return files


def _profiles(count: int, start: int = 0) -> GraphWrites:
    writes = GraphWrites()
    for i in range(start, start + count):
        writes.add_node(Profile(id=f"tw:u{i}", platform="twitter", handle=f"u{i}"))
    return writes


def test_writes_made_during_a_rewrite_are_compacted_at_stop(tmp_path: Path) -> None:
    """Writes that land while a rewrite runs go to the new increment; redis then reports them as
    base (``aof_base_size`` = size at the rewrite's end), but the next start would replay them, so
    the clean stop measures the files and rewrites once more."""
    engine = FalkorDBEngine(data_dir=tmp_path)
    with CypherGraphStore(engine) as store:
        store.ensure_schema()
        store.apply(_profiles(10))
        assert wait_until(lambda: not _aof(engine)["aof_rewrite_in_progress"])  # the schema's own rewrite
        connection = engine.connection
        connection.config_set("rdb-key-save-delay", 300_000)  # the rewrite's child sleeps 0.3 s per key
        connection.bgrewriteaof()
        connection.config_set("rdb-key-save-delay", 0)  # the child has its copy; the next rewrite is quick
        store.apply(_profiles(2000, start=10))
        assert _aof(engine)["aof_rewrite_in_progress"]  # the writes above landed during the rewrite
    files = _log_files(tmp_path)
    assert [size for _, size in files["i"]] in ([], [0])
    with CypherGraphStore(FalkorDBEngine(data_dir=tmp_path)) as store:
        assert store.counts().nodes["Profile"] == 2010


def test_a_clean_stop_leaves_one_snapshot_and_no_increment_to_replay(tmp_path: Path) -> None:
    """The writes of a session end up in the base file (an RDB snapshot), so the next start replays
    no statement; all of them, and the indexes, are there after the restart."""
    with CypherGraphStore(FalkorDBEngine(data_dir=tmp_path)) as store:
        store.ensure_schema()
        store.apply(_profiles(3000))
        assert sum(size for _, size in _log_files(tmp_path)["i"]) > 0  # written to the increment so far
    files = _log_files(tmp_path)
    assert len(files["b"]) == 1
    assert [size for _, size in files["i"]] in ([], [0])
    with CypherGraphStore(FalkorDBEngine(data_dir=tmp_path)) as store:
        assert store.counts().nodes["Profile"] == 3000
        assert store.get_node(Label.PROFILE, "tw:u2999") == {
            "id": "tw:u2999",
            "platform": "twitter",
            "handle": "u2999",
        }
        assert store.ensure_schema() == []


def test_a_small_increment_is_replayed_rather_than_the_graph_rewritten(tmp_path: Path) -> None:
    """Below COMPACT_ON_STOP_SHARE of the base, a stop leaves the increment (replaying a few writes
    costs less than rewriting the whole graph); the restart still finds them."""
    with CypherGraphStore(FalkorDBEngine(data_dir=tmp_path)) as store:
        store.ensure_schema()
        store.apply(_profiles(20_000))
    (base_before,) = _log_files(tmp_path)["b"]
    with CypherGraphStore(FalkorDBEngine(data_dir=tmp_path)) as store:
        store.apply(_profiles(1, start=20_000))
    files = _log_files(tmp_path)
    assert files["b"] == [base_before]
    increment = sum(size for _, size in files["i"])
    assert 0 < increment < COMPACT_ON_STOP_SHARE * base_before[1]
    with CypherGraphStore(FalkorDBEngine(data_dir=tmp_path)) as store:
        assert store.counts().nodes["Profile"] == 20_001
