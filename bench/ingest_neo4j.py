"""``bench/ingest.py --store neo4j``: Rapport's loader into Neo4j next to a bare ``UNWIND $rows … MERGE``.

Each measurement gets a fresh local Neo4j 5.26 (:class:`graph.engines.local_neo4j.LocalNeo4j`, heap 2g,
page cache 512 MiB) in its own directory, with Rapport's schema (uniqueness constraints on every id):

- ``bare``: the rows the loader would write, merged in memory beforehand (parsing not timed), sent as
  plain ``UNWIND $rows AS row MERGE (n:Label {id: row.id}) SET n += row`` per label, then per
  relationship type ``MATCH`` both ends by id and ``MERGE`` the relationship on its key properties,
  ``SET r += row.p`` — the same batch size as the loader (5000), one transaction per batch, as any
  client of the Neo4j driver would send them. As in the FalkorDB bench, an endpoint that is only
  referenced becomes a bare node first.
- ``write path``: the loader's batches, parsed beforehand, turned into its statements
  (``prepare_writes``) and applied through the store (Rapport's upserts over Bolt);
- ``loader``: ``load_file`` end to end (read, validate, sentiment, batch, upsert, checkpoint) in a
  fresh process, as ``rapport ingest`` runs it.

Peak memory: the loader process (+ its parse worker) and the Neo4j JVM (VmHWM of each).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from loader_rows import chunked, event_count, loader_rows  # bench/ is this script's directory

from graph.engines.local_neo4j import LocalNeo4j
from graph.engines.neo4j import Neo4jEngine
from graph.store import CypherGraphStore, prepare_writes
from ingest.loader import load_file
from ingest.pipeline import load_batches, rare_cycle_collection, read_source

PASSWORD = "rapport-bench"
BATCH_SIZE = 5000  # input lines per loader batch and rows per bare statement: rapport ingest's default


def peak_mib(pid: int | str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def fresh_neo4j(home: Path) -> Iterator[tuple[LocalNeo4j, str]]:
    """A new Neo4j in ``home`` with Rapport's schema applied: ``(server, bolt uri)``."""
    with LocalNeo4j(home, password=PASSWORD, heap="2g", pagecache_mb=512) as server:
        assert server.uri is not None
        with open_store(server.uri) as store:
            store.ensure_schema()
        yield server, server.uri


@contextmanager
def open_store(uri: str) -> Iterator[CypherGraphStore]:
    store = CypherGraphStore(Neo4jEngine(uri=uri, user="neo4j", password=PASSWORD))
    store.engine.connect()
    try:
        yield store
    finally:
        store.close()


def _jvm_peak(server: LocalNeo4j) -> float:
    return peak_mib(server.process.pid) if server.process else float("nan")


def bare_statements(path: Path, fmt: str) -> tuple[list[tuple[str, list]], int]:
    """The loader's rows for ``path`` as plain ``UNWIND … MERGE`` statements with their row batches."""
    everything = loader_rows(path, fmt)
    statements: list[tuple[str, list]] = []
    for label, rows in everything.node_rows():
        text = f"UNWIND $rows AS row MERGE (n:{label.value} {{id: row.id}}) SET n += row"
        statements += [(text, chunk) for chunk in chunked(rows, BATCH_SIZE)]
    for spec, rels in everything.relationship_rows():
        key = ", ".join(f"{name}: row.p.{name}" for name in spec.key)
        text = (
            f"UNWIND $rows AS row MATCH (a:{spec.source.value} {{id: row.s}}) "
            f"MATCH (b:{spec.target.value} {{id: row.t}}) "
            f"MERGE (a)-[r:{spec.type.value}{' {' + key + '}' if key else ''}]->(b) SET r += row.p"
        )
        payload = [{"s": r.source, "t": r.target, "p": dict(r.properties)} for r in rels]
        statements += [(text, chunk) for chunk in chunked(payload, BATCH_SIZE)]
    return statements, event_count(path, fmt)


def measure_bare(path: Path, fmt: str, home: Path) -> dict:
    statements, events = bare_statements(path, fmt)
    with fresh_neo4j(home) as (server, uri), open_store(uri) as store:
        started = time.perf_counter()
        for text, rows in statements:
            store.engine.write(text, {"rows": rows})
        seconds = time.perf_counter() - started
        return {
            "events": events,
            "seconds": seconds,
            "rows": sum(len(rows) for _, rows in statements),
            "server_mib": _jvm_peak(server),
        }


def measure_write_path(path: Path, fmt: str, home: Path) -> dict:
    prepared = list(load_batches(read_source(path, fmt), BATCH_SIZE))
    events = sum(batch.events for batch in prepared)
    with fresh_neo4j(home) as (server, uri), open_store(uri) as store:
        started = time.perf_counter()
        with rare_cycle_collection():
            statements = [prepare_writes(b.writes, kind=store.kind, batch_size=BATCH_SIZE) for b in prepared]
        for batch_statements in statements:
            store.apply(batch_statements)
        return {"events": events, "seconds": time.perf_counter() - started, "server_mib": _jvm_peak(server)}


def measure_loader(path: Path, fmt: str, home: Path) -> dict:
    """``load_file`` in a fresh process, so its peak memory is the loader's own."""
    with fresh_neo4j(home) as (server, uri), mp.get_context("spawn").Pool(1) as pool:
        result = pool.apply(_loader_in_child, (path, fmt, uri, home))
        result["server_mib"] = _jvm_peak(server)
        return result


def _loader_in_child(path: Path, fmt: str, uri: str, home: Path) -> dict:
    with open_store(uri) as store:
        summary = load_file(store, path, fmt, rejects_path=home / "rejects.jsonl", batch_size=BATCH_SIZE)
    return {
        "loader_mib": peak_mib("self"),
        "worker_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "events": summary.events,
        "seconds": summary.elapsed_s,
    }


def bench_neo4j_ingest(datasets: list[tuple[str, Path, str]], repeat: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="rapport-bench-ingest-neo4j-"))
    print(
        f"machine: {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, shared with other jobs; "
        f"Neo4j 5.26 (local launcher, heap 2g, page cache 512 MiB, one fresh server per row); batch {BATCH_SIZE}; "
        f"1-min load average at start {os.getloadavg()[0]:.2f}"
    )
    print(
        "| data set | method | events | seconds | events/s | loader / bare | loader (+ worker) peak MiB | JVM peak MiB |"
    )
    print("|---|---|---|---|---|---|---|---|")
    notes = []
    for name, path, fmt in datasets:
        bares, loaders = [], []
        for attempt in range(repeat):  # bare and loader alternate, best of each kept
            bares.append(measure_bare(path, fmt, tmp / f"{name}-bare-{attempt}"))
            loaders.append(measure_loader(path, fmt, tmp / f"{name}-loader-{attempt}"))
        bare = min(bares, key=lambda run: run["seconds"])
        loader = min(loaders, key=lambda run: run["seconds"])
        writes = measure_write_path(path, fmt, tmp / f"{name}-writes")
        bare_rate = bare["events"] / bare["seconds"]
        write_rate = writes["events"] / writes["seconds"]
        rate = loader["events"] / loader["seconds"]
        best = f"best of {repeat}" if repeat > 1 else "one run"
        print(
            f"| {name} | bare UNWIND MERGE ({bare['rows']:,} rows, {best}) | {bare['events']:,} "
            f"| {bare['seconds']:.1f} | {bare_rate:,.0f} | 1.00 | – | {bare['server_mib']:,.0f} |"
        )
        print(
            f"| {name} | rapport write path only (pre-parsed batches, upserts) | {writes['events']:,} "
            f"| {writes['seconds']:.1f} | {write_rate:,.0f} | {write_rate / bare_rate:.2f} | – "
            f"| {writes['server_mib']:,.0f} |"
        )
        print(
            f"| {name} | rapport loader (load_file end to end, {best}) | {loader['events']:,} "
            f"| {loader['seconds']:.1f} | {rate:,.0f} | {rate / bare_rate:.2f} "
            f"| {loader['loader_mib']:.0f} + {loader['worker_mib']:.0f} | {loader['server_mib']:,.0f} |"
        )
        bare_runs = ", ".join(f"{run['seconds']:.1f}" for run in bares)
        loader_runs = ", ".join(f"{run['seconds']:.1f}" for run in loaders)
        notes.append(f"{name}: all runs (s): bare {bare_runs}; loader {loader_runs}")
    for line in notes:
        print(line)
    print(f"1-min load average at end {os.getloadavg()[0]:.2f}")
