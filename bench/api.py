"""Benchmark the query API: requests/s and p50/p99 latency at 1, 8 and 32 concurrent clients.

Builds a graph of ``--profiles`` (default 100k) scored profiles in a fresh embedded FalkorDB (bulk
``GraphWrites`` for the base graph, the analysis write-back contract written directly: a current
AnalysisRun, profile scores, INFLUENCES/ADVOCATES per brand, RATED trust edges), serves it with a
real ``uvicorn api.main:app`` process on loopback, and drives it from a separate load-generator
process (``wrk`` when installed, else httpx with one client per thread). Prints one table row
per endpoint, concurrency and response-cache setting, with the CPU time the API process and the
store's server spent per request meanwhile (what a request costs, whatever else the machine runs;
its latency is not). The run-scoped pages (influencers, advocates) are measured twice in the same
run, with the API's default 2 s response cache and with it off (``RAPPORT_RESPONSE_CACHE_SECONDS=0``),
so both the cached and the computed path are shown.

    .venv/bin/python bench/api.py                 # ~5 min on 2 cores
    .venv/bin/python bench/api.py --profiles 20000 --seconds 3
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KEY = "bench-key"
AS_OF = 1_767_225_600_000
DAY = 86_400_000
BRANDS = ["acme", "globex", "initech", "umbrella", "hooli"]
SEGMENT = "acme-advocates"


def profile_id(i: int) -> str:
    return f"tw:u{i:07d}"


def build_graph(store, n: int, advocates: int) -> None:
    from graph.model import (
        ABOUT,
        ADVOCATES,
        CUSTOMER_HAS_PROFILE,
        INFLUENCES,
        POSTED,
        RATED,
        Brand,
        Customer,
        Label,
        Post,
        Profile,
        RelRow,
    )
    from graph.writes import GraphWrites

    rng = random.Random(7)
    run_id = "bench-run"
    writes = GraphWrites()
    for brand in BRANDS:
        writes.add_node(Brand(id=brand, name=brand.title()))
    for i in range(n):
        writes.add_node(
            Profile(id=profile_id(i), platform="twitter" if i % 5 else "mastodon", handle=f"u{i}")
        )
    for i in range(advocates):
        post = f"post-{i}"
        writes.add_node(
            Post(id=post, text=f"I like acme #{i}", created_at=AS_OF - (i % 60) * DAY, sentiment=0.6)
        )
        writes.add_relationship(POSTED, profile_id(i), post)
        writes.add_relationship(ABOUT, post, "acme", sentiment=0.6)
    for i in range(0, n, 10):
        writes.add_node(Customer(id=f"c{i}", email=f"c{i}@example.com", email_verified=i % 20 == 0))
        writes.add_relationship(CUSTOMER_HAS_PROFILE, f"c{i}", profile_id(i))
    for i in range(n):
        for step in (1, 7, 31):
            writes.add_relationship(
                RATED, profile_id(i), profile_id((i + step) % n), rating=rng.randint(1, 10), at=AS_OF
            )
    store.apply(writes, batch_size=10_000)

    influence = sorted(((1.0 / (i + 1) ** 0.8, profile_id(i)) for i in range(n)), key=lambda t: (-t[0], t[1]))
    rows = [
        {
            "id": pid,
            "influence": score,
            "influence_rank": rank,
            "community": rank % 100,
            "reach": n - rank,
            "brokerage": 0.0,
            "run_id": run_id,
            "influence_top_sources": [profile_id(rank % n), profile_id((rank + 1) % n)],
            "influence_top_shares": [0.5, 0.25],
        }
        for rank, (score, pid) in enumerate(influence, start=1)
    ]
    for start in range(0, n, 10_000):
        store.upsert_nodes(Label.PROFILE, rows[start : start + 10_000])
    for brand in BRANDS:
        store.upsert_relationships(
            INFLUENCES,
            [
                RelRow(profile_id(i), brand, {"run_id": run_id, "score": 1.0 / (i + 1), "rank": i + 1})
                for i in range(1000)
            ],
        )
    store.upsert_relationships(
        ADVOCATES,
        [
            RelRow(
                profile_id(i),
                "acme",
                {
                    "run_id": run_id,
                    "score": 1.0 / (i + 1),
                    "rank": i + 1,
                    "posts": 1,
                    "mean_sentiment": 0.6,
                    "influence_factor": 1.0,
                    "evidence_post_ids": [f"post-{i}"],
                    "evidence_contributions": [1.0],
                },
            )
            for i in range(advocates)
        ],
    )
    store.engine.write(
        "CREATE (:AnalysisRun {id: $id, state: 'succeeded', current: true, started_at: $t, finished_at: $t, "
        "param_as_of: $t, profiles: $n, modularity: 0.5})",
        {"id": run_id, "t": AS_OF, "n": n},
    )
    store.run_write(
        "api.segment_create",
        {
            "id": SEGMENT,
            "filter_json": json.dumps({"brand": "acme", "role": "advocate"}),
            "description": "",
            "created_at": AS_OF,
        },
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load(url_maker_seed: tuple[str, int], paths: list[str], clients: int, seconds: float, queue) -> None:
    """Child process: ``clients`` threads request ``paths`` round-robin for ``seconds``."""
    import httpx

    base, seed = url_maker_seed
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(index: int) -> None:
        rng = random.Random(seed + index)
        local: list[float] = []
        bad = 0
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {KEY}"}, timeout=60) as client:
            while time.perf_counter() < deadline:
                path = paths[rng.randrange(len(paths))]
                started = time.perf_counter()
                response = client.get(path)
                _ = response.content
                local.append(time.perf_counter() - started)
                bad += response.status_code != 200
        with lock:
            latencies.extend(local)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, errors[0], time.perf_counter() - started))


def measure(
    base: str, paths: list[str], clients: int, seconds: float
) -> tuple[float, float, float, int, int]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=load, args=((base, clients), paths, clients, seconds, queue))
    child.start()
    latencies, errors, elapsed = queue.get()
    child.join()
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    return len(latencies) / elapsed, p50, p99, len(latencies), errors


def measure_wrk(
    base: str, paths: list[str], clients: int, seconds: float
) -> tuple[float, float, float, int, int]:
    """The same closed-loop load from ``wrk`` (C, one thread, ``clients`` connections): no Python
    client competing with the server for the GIL and the two cores."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    quoted = ", ".join(json.dumps(path) for path in paths)
    script.write_text(
        f"local paths = {{{quoted}}}\n"
        "math.randomseed(1)\n"
        "request = function() return wrk.format('GET', paths[math.random(#paths)]) end\n"
    )
    result = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{clients}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "--timeout",
            "60s",
            "-H",
            f"Authorization: Bearer {KEY}",
            "-s",
            str(script),
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    script.unlink()
    out = result.stdout

    def millis(label: str) -> float:
        for line in out.splitlines():
            parts = line.split()
            if parts and parts[0] == label:
                value = parts[1]
                for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
                    if value.endswith(unit):
                        return float(value[: -len(unit)]) * factor
        return float("nan")

    total = next(int(line.split()[0]) for line in out.splitlines() if "requests in" in line)
    rps = next(float(line.split()[1]) for line in out.splitlines() if line.startswith("Requests/sec"))
    bad = next((int(line.split()[-1]) for line in out.splitlines() if "Non-2xx" in line), 0)
    bad += sum(int(n) for n in __import__("re").findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return rps, millis("50%"), millis("99%"), total, bad


def cpu_seconds(pid: int | None) -> float:
    """CPU time (user + system) used so far by process ``pid`` and its live descendants (Linux /proc).

    Per request, this is the cost the server pays whatever else the machine runs; latency under a
    shared machine's load is not."""
    if pid is None:
        return float("nan")
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(stat[11]) + int(stat[12])  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue  # the process ended meanwhile
    return total / os.sysconf("SC_CLK_TCK")


def settle_log(server) -> None:
    """Rewrite the store's append-only file once after the build and wait for the rewrite to end, as
    ``rapport ingest`` starts one after a load (``compact_log``): redis starts its own at the build's
    end (the file has doubled), a forked process that must not overlap a measured window. It took
    0.4 s on 2026-12-07; the longer store CPU seen in windows that read nothing from the store came
    from another forked child of the server (docs/benchmarks.md), which this does not prevent."""
    import redis

    client = redis.Redis(unix_socket_path=str(server.socket_path), password=server.password)
    try:
        try:
            client.bgrewriteaof()
        except redis.ResponseError as exc:  # one is running already: wait for it
            if "in progress" not in str(exc).lower():
                raise
        while True:
            info = client.info("persistence")
            if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                return
            time.sleep(0.05)  # polling the server's own state, not waiting for a guess
    finally:
        client.close()


@contextmanager
def serve(socket_path: Path, workers: int, *, cache_seconds: float) -> Iterator[tuple[str, int]]:
    """A real ``uvicorn api.main:app`` on a free loopback port over the bench graph; yields its URL
    and the uvicorn process id."""
    import httpx

    port = free_port()
    env = {
        **os.environ,
        "RAPPORT_FALKORDB__URL": f"unix://{socket_path}",
        "RAPPORT_FALKORDB__GRAPH": "bench",
        "RAPPORT_API_KEYS": json.dumps([{"key": KEY, "role": "read"}]),
        "RAPPORT_MAX_PAGE_SIZE": "10000",
        "RAPPORT_RESPONSE_CACHE_SECONDS": str(cache_seconds),
    }
    command = [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    uvicorn = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)  # the server is still starting
        yield base, uvicorn.pid
    finally:
        uvicorn.terminate()
        uvicorn.wait(timeout=30)


def warm_up(base: str, workloads: dict[str, list[str]], connections: int = 8) -> None:
    """Each workload's first request on ``connections`` connections at once, so that every uvicorn
    worker answers some (each builds its read model at start and its trust network in the background:
    a request waits for those builds, which must not fall in a measured window); reports a non-200."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    def first_requests(_: int) -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {KEY}"}, timeout=300) as client:
            for paths in workloads.values():
                status = client.get(paths[0]).status_code
                if status != 200:
                    print(f"warning: {paths[0]} answered {status}")

    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(first_requests, range(connections)))


def export_rates(base: str, repeats: int = 3) -> list[str]:
    """Table rows: the whole segment export streamed by one client, best of ``repeats``, in rows/s."""
    import httpx

    lines = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {KEY}"}, timeout=300) as client:
        for fmt in ("csv", "ndjson"):
            best, rows = float("inf"), 0
            for _ in range(repeats):
                started = time.perf_counter()
                with client.stream("GET", f"/v1/segments/{SEGMENT}/members?format={fmt}") as response:
                    newlines = sum(chunk.count(b"\n") for chunk in response.iter_bytes())
                if response.status_code != 200:
                    print(f"warning: the {fmt} export answered {response.status_code}")
                    continue
                best = min(best, time.perf_counter() - started)
                rows = newlines - (fmt == "csv")  # the CSV header line
            rate = f"{rows / best:,.0f}" if rows else "failed"
            lines.append(f"| {fmt} | {rows:,} | {best:.3f} | {rate} |")
    return lines


def _sleep_overshoots(seconds: float, queue) -> None:
    """Anchor for :func:`lone_reads` (run in its own process): how late a 2 ms sleep wakes up."""
    gaps, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        time.sleep(0.002)
        gaps.append(time.perf_counter() - started - 0.002)
    queue.put(gaps)


def lone_reads(socket_path: Path, base: str, seconds: float) -> list[str]:
    """Table rows: a one-row store read (``api.read_view``, what each API process's refresher runs)
    every 50 ms, idle and while wrk drives ``/docs`` (no store read) at 32 clients, next to a Python
    process's 2 ms sleep in the same window: whether the store, not the machine, makes a lone
    query wait when the cores are saturated."""
    import threading

    from graph.engines.falkordb import FalkorDBEngine
    from graph.store import CypherGraphStore

    probe = CypherGraphStore(FalkorDBEngine(graph_name="bench", url=f"unix://{socket_path}"))
    probe.engine.connect()

    def reads(window: float) -> list[float]:
        took, end = [], time.monotonic() + window
        while time.monotonic() < end:
            started = time.perf_counter()
            probe.run("api.read_view")
            took.append(time.perf_counter() - started)
            time.sleep(0.05)
        return took

    def row(label: str, samples: list[float]) -> str:
        ordered = sorted(samples)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return (
            f"| {label} | {len(ordered):,} | {statistics.median(ordered) * 1000:.1f} | {p99 * 1000:.1f} "
            f"| {ordered[-1] * 1000:.1f} |"
        )

    lines = [row("one-row store read, idle machine", reads(seconds))]
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    anchor = ctx.Process(target=_sleep_overshoots, args=(seconds, queue))
    load = threading.Thread(target=measure_wrk, args=(base, ["/docs"], 32, seconds))
    load.start()
    anchor.start()
    loaded = reads(seconds)
    gaps = queue.get()
    anchor.join()
    load.join()
    probe.close()
    lines.append(row("one-row store read, while the API serves /docs at 32 clients", loaded))
    lines.append(row("anchor: a Python process's 2 ms sleep, how late it wakes (same window)", gaps))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--advocates", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument(
        "--cache", choices=("both", "on", "off"), default="both", help="response cache of the server(s)"
    )
    parser.add_argument(
        "--loadgen", choices=("auto", "wrk", "httpx"), default="auto", help="auto: wrk when installed"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help='measure only the workloads whose name contains TEXT (repeatable; "lone": the lone store read); the floors always run',
    )
    args = parser.parse_args()
    import shutil

    loadgen = ("wrk" if shutil.which("wrk") else "httpx") if args.loadgen == "auto" else args.loadgen
    run_load = measure_wrk if loadgen == "wrk" else measure

    from graph.engines.embedded_falkordb import EmbeddedFalkorDB
    from graph.engines.falkordb import FalkorDBEngine
    from graph.store import CypherGraphStore

    data_dir = Path(tempfile.mkdtemp(prefix="rapport-bench-api-"))
    with EmbeddedFalkorDB(data_dir / "falkordb") as server:
        engine = FalkorDBEngine(graph_name="bench", url=f"unix://{server.socket_path}")
        store = CypherGraphStore(engine)
        engine.connect()
        store.ensure_schema()
        started = time.perf_counter()
        build_graph(store, args.profiles, args.advocates)
        built = time.perf_counter()
        settle_log(server)
        settled = time.perf_counter()
        counts = store.counts()
        print(
            f"graph: {counts.nodes.get('Profile', 0):,} profiles, {sum(counts.relationships.values()):,} "
            f"relationships, built in {built - started:.0f} s, the store's log rewritten in {settled - built:.1f} s"
        )
        rng = random.Random(1)
        pages = [f"/v1/influencers?limit=50&community={c}" for c in range(0, 100, 7)]
        cached_workloads = {
            "influencers (top 50)": ["/v1/influencers?limit=50"],
            "influencers (community, 50)": pages,
            "influencers (brand, 50)": [f"/v1/influencers?brand={b}&limit=50" for b in BRANDS],
            "advocates (50, evidence)": ["/v1/brands/acme/advocates?limit=50"],
        }
        floor = "health (framework floor, one store ping)"
        static = "static page /docs (framework floor, no store)"
        uncached_workloads = {
            static: ["/docs"],
            floor: ["/health"],
            "segment members (json, 100)": [f"/v1/segments/{SEGMENT}/members?limit=100"],
            "trust paths (k=3, 4 hops)": [
                f"/v1/trust-paths?source={profile_id(i)}&target={profile_id(i + rng.randint(3, 40))}"
                for i in (rng.randrange(args.profiles - 50) for _ in range(200))
            ],
            f"segment export csv ({args.advocates // 1000}k)": [f"/v1/segments/{SEGMENT}/members?format=csv"],
            "communities (list, 20)": ["/v1/communities?limit=20"],
            "community (detail, 20)": [f"/v1/communities/{c}?limit=20" for c in range(0, 100, 7)],
            "community map": ["/v1/community-map"],
            "brands (share of voice)": ["/v1/brands"],
            "brand sentiment (12 weeks)": [f"/v1/brands/{b}/sentiment" for b in BRANDS],
            "brand alerts (hourly)": [f"/v1/brands/{b}/alerts" for b in BRANDS],
            "bridges": ["/v1/bridges?limit=50"],
            "analysis runs": ["/v1/analysis/runs"],
            "profile 360 (200 profiles, looked at again)": [
                f"/v1/profiles/{profile_id(i)}" for i in range(0, 2000, 10)
            ],
            # each request most likely a profile not looked at before in this run: the views' held copy
            # rarely helps, so this is what a first look costs
            "profile 360 (first looks, 60k profiles)": [
                f"/v1/profiles/{profile_id(i)}" for i in range(max(0, args.profiles - 60_000), args.profiles)
            ],
            "customer 360 (200 customers, looked at again)": [
                f"/v1/customers/c{i}" for i in range(0, 20000, 100)
            ],
        }
        modes = {"both": ("2 s", "off"), "on": ("2 s",), "off": ("off",)}[args.cache]
        if args.only:
            wanted = [
                name
                for name in {**cached_workloads, **uncached_workloads}
                if name in (floor, static) or any(text in name for text in args.only)
            ]
            cached_workloads = {k: v for k, v in cached_workloads.items() if k in wanted}
            uncached_workloads = {k: v for k, v in uncached_workloads.items() if k in wanted}
        exports: list[str] = []
        lone: list[str] = []
        print()
        print(
            "| endpoint | response cache | clients | requests/s | p50 ms | p99 ms | API CPU ms/req "
            "| store CPU ms/req | requests | non-200 |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for mode in modes:
            workloads = dict(cached_workloads)
            if mode == modes[0]:
                workloads.update(uncached_workloads)  # not cached: measured once
            with serve(server.socket_path, args.workers, cache_seconds=0 if mode == "off" else 2) as (
                base,
                api_pid,
            ):
                warm_up(base, workloads)
                for name, paths in workloads.items():
                    label = mode if name in cached_workloads else "n/a"
                    for clients in (1, 8, 32):
                        api_cpu, store_cpu = cpu_seconds(api_pid), cpu_seconds(server.pid)
                        rps, p50, p99, total, errors = run_load(base, paths, clients, args.seconds)
                        per_request = 1000 / max(total, 1)
                        api_ms = (cpu_seconds(api_pid) - api_cpu) * per_request
                        store_ms = (cpu_seconds(server.pid) - store_cpu) * per_request
                        print(
                            f"| {name} | {label} | {clients} | {rps:,.1f} | {p50:.1f} | {p99:.1f} "
                            f"| {api_ms:.2f} | {store_ms:.2f} | {total:,} | {errors} |",
                            flush=True,
                        )
                if mode == modes[0] and (not args.only or any(t in "segment export" for t in args.only)):
                    exports.extend(export_rates(base))
                if mode == modes[0] and loadgen == "wrk" and (not args.only or "lone" in args.only):
                    lone.extend(lone_reads(server.socket_path, base, args.seconds))
        store.close()
    if lone:
        print("\n| a lone store read every 50 ms | samples | p50 ms | p99 ms | max ms |")
        print("|---|---:|---:|---:|---:|")
        print("\n".join(lone))
    if exports:
        print("\n| segment export (one client, whole stream) | rows | seconds | rows/s |")
        print("|---|---:|---:|---:|")
        print("\n".join(exports))
    print(
        f"\nmachine: {os.cpu_count()} cores; server = {args.workers} uvicorn worker(s) + embedded FalkorDB; "
        f"load generator: {loadgen} in a separate process on the same machine (loopback); "
        f"load average at the end: {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
