"""Fault injection with real processes: ``kill -9`` of the store, of the loader, and of ``rapport serve``
during an analysis run; afterwards the counts equal a clean run's, run states are sane, and the next
command works on the default settings.

Every process is a real ``rapport`` command (``subprocess`` + ``os.kill``), and every wait polls an
observable condition with a deadline (the store's log growing, the lock file freed, a run's state over
HTTP), never a fixed sleep. The engine is a parameter (:class:`Engine`): FalkorDB, embedded, whose
server is a child of each command and lives in ``--data-dir``; and Neo4j (:class:`Neo4jTarget`), a
dedicated server JVM for this module (:class:`~graph.engines.local_neo4j.LocalNeo4j`, its own home in
tmp, not the session's server, since a test kills it), which outlives the commands that use it and
is restarted on the same home after its ``kill -9`` (Neo4j recovers from its transaction log).
Data are small (a synthetic Higgs file of :data:`LINES` lines) so the whole suite stays well under
two minutes.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from graph.engines.local_neo4j import LocalNeo4j
from graph.engines.neo4j import Neo4jEngine
from graph.errors import RapportError
from graph.store import CypherGraphStore
from tests.neo4j_server import TEST_PASSWORD, _unavailable, reset_database

ROOT = Path(__file__).resolve().parents[2]
LINES = 15_000
pytestmark = pytest.mark.slow


def _size(path: Path) -> int:
    """The file's size, 0 once it is gone: redis removes a rewritten log's history files in the
    background, so a file listed a moment ago may be gone when it is looked at."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def wait_for(condition: Callable[[], object], what: str, timeout_s: float = 60.0) -> object:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


class Engine:
    """What the fault tests need of one engine. FalkorDB: the embedded server under ``--data-dir``,
    started by each command as its child (so it stops with the command)."""

    name = "falkordb"
    store_stops_with_command = True  # the store is the command's child, not a server of its own

    def prepare(self) -> None:
        """Before a test: a running store with no data (FalkorDB: each test's new data dir is empty)."""

    def close(self) -> None:
        """After the module: stop what :meth:`prepare` started."""

    def env(self) -> dict[str, str]:
        """The environment of every command: the engine's own defaults, nothing tuned."""
        return {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}

    def store_pid(self, command_pid: int) -> int | None:
        """The store server a command uses (None until it runs)."""
        for child in children(command_pid):
            if "redis-server" in Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace"):
                return child
        return None

    def written(self, data_dir: Path) -> int:
        """How much the store holds so far (bytes logged, base snapshot and increment): grows with the
        acknowledged batches. A clean stop moves the increment into the base, which is smaller than the
        statements it replaces, so a third of a clean run's figure is reached by a third of the ingest."""
        log = data_dir / "falkordb" / "appendonlydir"
        return sum(_size(f) for pattern in ("*.aof", "*.rdb") for f in log.glob(pattern))

    def released(self, data_dir: Path) -> bool:
        """No process holds the store any more (so the next command may open it)."""
        lock = data_dir / "falkordb" / "rapport.lock"
        if not lock.exists():
            return True
        fd = os.open(lock, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
        finally:
            os.close(fd)

    def restart_after_kill(self) -> None:
        """After the store was killed: nothing to do, the next command starts its own server."""


class Neo4jTarget(Engine):
    """A Neo4j 5 server of the module's own (:class:`LocalNeo4j`, home in tmp), shared by its tests
    (the database emptied before each); commands reach it over Bolt (``RAPPORT_STORE=neo4j``)."""

    name = "neo4j"
    store_stops_with_command = False  # a server of its own: the commands are only its clients

    def __init__(self) -> None:
        self.server: LocalNeo4j | None = None
        self._home: tempfile.TemporaryDirectory[str] | None = None
        self._probe: CypherGraphStore | None = None

    def prepare(self) -> None:
        if self.server is None:
            self._home = tempfile.TemporaryDirectory(prefix="rapport-faults-neo4j-")
            self.server = LocalNeo4j(
                Path(self._home.name), password=TEST_PASSWORD, heap="1g", pagecache_mb=128
            )
        try:
            self.server.start()  # a no-op while it runs
        except RapportError as exc:
            _unavailable(f"no local Neo4j could start: {exc}")
        reset_database(self.probe())

    def close(self) -> None:
        self._close_probe()
        if self.server is not None:
            self.server.stop()
        if self._home is not None:
            self._home.cleanup()

    def probe(self) -> CypherGraphStore:
        """A connection of the test's own, beside the commands' (reopened after a restart)."""
        assert self.server is not None and self.server.uri is not None
        if self._probe is None or self._probe.engine.uri != self.server.uri:
            self._close_probe()
            self._probe = CypherGraphStore(
                Neo4jEngine(uri=self.server.uri, user="neo4j", password=TEST_PASSWORD)
            )
            self._probe.engine.connect()
        return self._probe

    def _close_probe(self) -> None:
        probe, self._probe = self._probe, None
        if probe is not None:
            with contextlib.suppress(RapportError):
                probe.close()

    def env(self) -> dict[str, str]:
        assert self.server is not None and self.server.uri is not None
        return super().env() | {
            "RAPPORT_STORE": "neo4j",
            "RAPPORT_NEO4J__URI": self.server.uri,
            "RAPPORT_NEO4J__PASSWORD": TEST_PASSWORD,
        }

    def store_pid(self, command_pid: int) -> int | None:
        assert self.server is not None and self.server.process is not None
        return self.server.process.pid  # the JVM

    def written(self, data_dir: Path) -> int:
        """Nodes and relationships committed so far, counted over a connection of our own."""
        counted = self.probe().counts()
        return sum(counted.nodes.values()) + sum(counted.relationships.values())

    def released(self, data_dir: Path) -> bool:
        """The server is down (killed) or answers: a killed client's open transaction is rolled back
        when its Bolt connection drops, so nothing holds the database."""
        assert self.server is not None and self.server.process is not None
        return self.server.process.poll() is not None or self.probe().ping()

    def restart_after_kill(self) -> None:
        """Start the JVM again on the same home: Neo4j replays its transaction log on start."""
        assert self.server is not None
        self.server.stop()  # the killed JVM: reaped, its stdin closed
        self._close_probe()
        self.server.start()


ENGINES = [pytest.param(Engine(), id="falkordb"), pytest.param(Neo4jTarget(), id="neo4j")]


@pytest.fixture(scope="module", autouse=True)
def engines_closed() -> Iterator[None]:
    yield
    for param in ENGINES:
        param.values[0].close()


def rapport(
    engine: Engine, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env=env or engine.env(),
        capture_output=True,
        text=True,
        timeout=180,
    )


def start(engine: Engine, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env=env or engine.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def counts(engine: Engine, data_dir: Path) -> dict[str, int]:
    result = rapport(engine, "status", "--json", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    return {f"{row['kind']}:{row['name']}": row["count"] for row in json.loads(result.stdout)}


def data_counts(all_counts: dict[str, int]) -> dict[str, int]:
    bookkeeping = ("IngestCheckpoint", "AnalysisRun", "INFLUENCES", "ADVOCATES", "DETRACTS", "MIXED_STANCE")
    bookkeeping += ("Community", "RunList")  # written per analysis run (labels, CRM delta records)
    return {k: v for k, v in all_counts.items() if not any(name in k for name in bookkeeping)}


@pytest.fixture(scope="module")
def higgs_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic Higgs activity file: ``LINES`` interactions among 3000 users, three communities."""
    rng = random.Random(11)
    path = tmp_path_factory.mktemp("fault-data") / "activity.txt"
    lines = []
    for i in range(LINES):
        group = rng.randrange(3)
        a, b = rng.randrange(1000) + 1000 * group, rng.randrange(1000) + 1000 * group
        if rng.random() < 0.05:
            b = rng.randrange(3000)
        if a != b:
            lines.append(f"{a} {b} {1_341_100_000 + i} {rng.choice(['RT', 'MT', 'RE'])}\n")
    path.write_text("".join(lines))
    return path


@pytest.fixture(scope="module")
def clean_run(higgs_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[Engine], dict]:
    """One uninterrupted ingest per engine, made when a test first asks: its counts and how much
    its store holds after it."""
    results: dict[str, dict] = {}

    def of(engine: Engine) -> dict:
        if engine.name not in results:
            engine.prepare()
            data_dir = tmp_path_factory.mktemp(f"clean-{engine.name}")
            loaded = rapport(engine, "ingest", str(higgs_file), "-f", "higgs", "--data-dir", str(data_dir))
            assert loaded.returncode == 0, loaded.stderr
            results[engine.name] = {
                "counts": data_counts(counts(engine, data_dir)),
                "written": engine.written(data_dir),
            }
        engine.prepare()  # and the test starts on an empty store
        return results[engine.name]

    return of


def interrupted_ingest(engine: Engine, higgs_file: Path, data_dir: Path, clean: dict, kill: Callable) -> None:
    """Start an ingest, let a third of its writes land, then ``kill(process)``; wait until all is down."""
    loader = start(
        engine, "ingest", str(higgs_file), "-f", "higgs", "--batch-size", "500", "--data-dir", str(data_dir)
    )
    try:
        wait_for(lambda: engine.written(data_dir) > clean["written"] // 3, "a third of the ingest")
        assert loader.poll() is None, "the ingest finished before the fault: make the data larger"
        kill(loader)
        # on Neo4j the write the loader was making is retried by the driver for up to 30 s
        # (max_retry_seconds) before it gives up; nothing else is tried after it (graph.store's
        # _changing), so the loader reports within one retry time, not two
        loader.wait(timeout=150)
        wait_for(lambda: engine.released(data_dir), "the store to be released")
    finally:
        if loader.poll() is None:
            loader.kill()
            loader.wait()
        loader.stdout.close()
        loader.stderr.close()
    assert loader.returncode != 0


@pytest.mark.parametrize("engine", ENGINES)
def test_kill_9_of_the_store_mid_ingest_then_a_rerun_equals_a_clean_run(
    engine: Engine, higgs_file: Path, clean_run: Callable[[Engine], dict], tmp_path: Path
) -> None:
    clean = clean_run(engine)
    killed: list[int] = []

    def kill_the_store(loader: subprocess.Popen) -> None:
        server = wait_for(lambda: engine.store_pid(loader.pid), "the store's process")
        os.kill(server, signal.SIGKILL)
        killed.append(server)

    interrupted_ingest(engine, higgs_file, tmp_path, clean, kill_the_store)
    assert not alive(killed[0])
    engine.restart_after_kill()
    rerun = rapport(engine, "ingest", str(higgs_file), "-f", "higgs", "--data-dir", str(tmp_path))
    assert rerun.returncode == 0, rerun.stderr
    assert "resumed after line" in rerun.stderr
    assert data_counts(counts(engine, tmp_path)) == clean["counts"]


@pytest.mark.parametrize("engine", ENGINES)
def test_kill_9_of_the_loader_mid_ingest_then_a_rerun_equals_a_clean_run(
    engine: Engine, higgs_file: Path, clean_run: Callable[[Engine], dict], tmp_path: Path
) -> None:
    clean = clean_run(engine)
    servers: list[int] = []

    def kill_the_loader(loader: subprocess.Popen) -> None:
        servers.append(wait_for(lambda: engine.store_pid(loader.pid), "the store's process"))
        loader.send_signal(signal.SIGKILL)

    interrupted_ingest(engine, higgs_file, tmp_path, clean, kill_the_loader)
    if engine.store_stops_with_command:
        wait_for(lambda: not alive(servers[0]), "the orphaned store to stop")
    else:
        assert alive(servers[0]), "the loader's death took the store server with it"
    rerun = rapport(engine, "ingest", str(higgs_file), "-f", "higgs", "--data-dir", str(tmp_path))
    assert rerun.returncode == 0, rerun.stderr
    assert data_counts(counts(engine, tmp_path)) == clean["counts"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(engine: Engine, data_dir: Path, port: int) -> subprocess.Popen[str]:
    """``rapport serve`` with a key made by ``rapport keys create`` (the key file in the data dir)."""
    return start(engine, "serve", "--data-dir", str(data_dir), "--port", str(port))


def healthy(base: str, process: subprocess.Popen) -> bool:
    assert process.poll() is None, process.stderr.read()
    try:
        return httpx.get(f"{base}/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def run_state(base: str, key: dict, run_id: str) -> dict:
    return httpx.get(f"{base}/v1/analysis/runs/{run_id}", headers=key, timeout=10).json()


@pytest.mark.parametrize("engine", ENGINES)
def test_kill_9_of_serve_during_an_api_analysis_run_blocks_nothing(
    engine: Engine, higgs_file: Path, clean_run: Callable[[Engine], dict], tmp_path: Path
) -> None:
    clean = clean_run(engine)
    assert (
        rapport(engine, "ingest", str(higgs_file), "-f", "higgs", "--data-dir", str(tmp_path)).returncode == 0
    )
    created = rapport(engine, "keys", "create", "ops", "--role", "admin", "--data-dir", str(tmp_path))
    key = {"Authorization": f"Bearer {created.stdout.strip()}"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"

    server = serve(engine, tmp_path, port)
    try:
        wait_for(lambda: healthy(base, server), "serve to be healthy")
        store_pid = engine.store_pid(server.pid)
        started = httpx.post(f"{base}/v1/analysis/runs", headers=key, timeout=10)
        assert started.status_code == 202, started.text
        dead_run = started.json()["id"]
        wait_for(lambda: run_state(base, key, dead_run)["state"] == "running", "the run to be running")
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        server.stdout.close()
        server.stderr.close()
    wait_for(lambda: engine.released(tmp_path), "the store to be released")
    if engine.store_stops_with_command and store_pid is not None:
        wait_for(lambda: not alive(store_pid), "the orphaned store to stop")

    server = serve(engine, tmp_path, port)  # the next start, on the default settings
    try:
        wait_for(lambda: healthy(base, server), "serve to be healthy again")
        again = httpx.post(f"{base}/v1/analysis/runs", headers=key, timeout=10)
        assert again.status_code == 202, again.text  # not 409: the dead run does not block
        new_run = again.json()["id"]
        assert wait_for(
            lambda: run_state(base, key, new_run)["state"] in ("succeeded", "failed"), "the new run", 120
        )
        assert run_state(base, key, new_run)["state"] == "succeeded"
        dead = run_state(base, key, dead_run)
        assert dead["state"] == "failed" and "abandoned" in dead["error"], dead
        assert httpx.get(f"{base}/v1/influencers?limit=3", headers=key, timeout=10).status_code == 200
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        server.stdout.close()
        server.stderr.close()

    analyzed = rapport(engine, "analyze", "--data-dir", str(tmp_path))  # and the CLI path after it
    assert analyzed.returncode == 0, analyzed.stderr
    states = rapport(
        engine,
        "cypher",
        "MATCH (r:AnalysisRun) RETURN r.state AS state, r.current AS current ORDER BY r.id",
        "--json",
        "--data-dir",
        str(tmp_path),
    )
    rows = json.loads(states.stdout)
    assert [r["state"] for r in rows] == ["failed", "succeeded", "succeeded"]
    assert [r["current"] for r in rows] == [False, False, True]
    assert data_counts(counts(engine, tmp_path)) == clean["counts"]
