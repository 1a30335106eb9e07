"""Benchmark: the graph scores in-process vs on Spark (local mode), on the same generated interactions.

Data: :func:`bench.analyze.generate_interactions` (Chung-Lu power-law targets, seed 7) at each
``--sizes`` count, written once as the Parquet snapshot ``rapport export`` writes (setup, not timed).
Both sides start from that snapshot and compute the same scores: engagement weights with 30-day
decay, PageRank, one personalized PageRank (seeds: the 3 most-targeted profiles), two-hop reach.

* ``in-process``: pyarrow read, :func:`algorithms.projection.engagement_graph`,
  :func:`algorithms.influence.pagerank` / ``personalized_pagerank``, :func:`algorithms.influence.reach`.
* ``spark``: :mod:`scaleout` on a local SparkSession (``--master``, default ``local[2]``), the
  PageRank vectors iterated together. Peak memory is the driver Python's plus the JVM's (VmHWM).

Each side runs in its own process, so its peak RSS is its own. Usage:
``python bench/spark.py [--sizes 1000000 10000000] [--master local[2]]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402

DAY = 86_400_000


def write_snapshot(interactions: int, path: Path) -> tuple[int, list[str]]:
    """Generate, write the Parquet snapshot; returns (as_of_ms, brand seeds)."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq
    from analyze import GEN_KINDS, generate_interactions

    data = generate_interactions(interactions)
    profiles = int(data["profiles"])
    names = np.array([f"g:{i}" for i in range(profiles)], dtype=object)
    sources, targets, kinds, times = [], [], [], []
    for kind in GEN_KINDS:
        source, target = data[f"{kind}_source"], data[f"{kind}_target"]
        sources.append(source)
        targets.append(target if kind == "mention" else data["post_author"][target])
        kinds.append(np.full(source.size, kind, dtype=object))
        times.append(data[f"{kind}_at"])
    target_all = np.concatenate(targets)
    table = pa.table(
        {
            "source": pa.array(names[np.concatenate(sources)], pa.string()),
            "target": pa.array(names[target_all], pa.string()),
            "kind": pa.array(np.concatenate(kinds), pa.string()),
            "time_ms": pa.array(np.concatenate(times), pa.int64()),
        }
    )
    ds.write_dataset(
        table,
        str(path / "interactions"),
        format="parquet",
        partitioning=ds.partitioning(pa.schema([("kind", pa.string())]), flavor="hive"),
        max_rows_per_file=1_000_000,
        max_rows_per_group=1_000_000,
    )
    (path / "profiles").mkdir()
    pq.write_table(
        pa.table({"id": pa.array(names.tolist(), pa.string())}), path / "profiles" / "part-0.parquet"
    )
    seeds = [f"g:{i}" for i in np.argsort(-np.bincount(target_all, minlength=profiles))[:3].tolist()]
    return int(np.concatenate(times).max()), seeds


def run_in_process(path: Path, as_of: int, seeds: list[str]) -> dict[str, float]:
    import pyarrow.dataset as ds

    from algorithms.influence import pagerank, personalized_pagerank, reach
    from algorithms.projection import engagement_graph

    started = time.perf_counter()
    table = ds.dataset(str(path / "interactions"), format="parquet", partitioning="hive").to_table()
    graph = engagement_graph(
        table["source"].to_numpy(zero_copy_only=False),
        table["target"].to_numpy(zero_copy_only=False),
        table["kind"].to_numpy(zero_copy_only=False).astype(str),
        table["time_ms"].to_numpy(),
        as_of_ms=as_of,
    )
    pagerank(graph)
    personalized_pagerank(graph, seeds)
    reach(graph, hops=2)
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_spark(path: Path, as_of: int, seeds: list[str], master: str) -> dict[str, float]:
    from graph.config import load_settings
    from scaleout import scores
    from scaleout.session import spark_session
    from scaleout.snapshot import read_snapshot

    settings = load_settings().spark.model_copy(update={"master": master, "driver_memory": "6g"})
    spark = spark_session(settings)
    spark.sparkContext.setLogLevel("ERROR")
    started = time.perf_counter()
    interactions, profiles = read_snapshot(spark, path)
    edges = scores.engagement_edges(interactions, as_of, 30.0).localCheckpoint(eager=True)
    vertices = scores.graph_vertices(edges).localCheckpoint(eager=True)
    ranked = scores.pagerank(vertices, edges, seeds={"brand": seeds})
    ranked.scores.agg({"global": "sum"}).collect()
    scores.two_hop_reach(vertices, edges).agg({"reach": "sum"}).collect()
    seconds = time.perf_counter() - started
    jvm = spark.sparkContext._jvm
    assert jvm is not None
    pid = int(jvm.java.lang.ProcessHandle.current().pid())
    jvm_hwm_kb = next(
        int(line.split()[1])
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if line.startswith("VmHWM")
    )
    driver = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    spark.stop()
    return {"seconds": seconds, "peak_mb": driver + jvm_hwm_kb / 1024, "iterations": ranked.iterations}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--worker", choices=["in-process", "spark"])
    parser.add_argument("--snapshot", type=Path)
    parser.add_argument("--as-of", type=int)
    parser.add_argument("--seeds")
    args = parser.parse_args()
    if args.worker:
        seeds = args.seeds.split(",")
        if args.worker == "in-process":
            result = run_in_process(args.snapshot, args.as_of, seeds)
        else:
            result = run_spark(args.snapshot, args.as_of, seeds, args.master)
        print(json.dumps(result))
        return
    cores, memory = os.cpu_count(), os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(
        f"{cores} cores, {memory:.0f} GiB; master {args.master}; 1-min load average at start {os.getloadavg()[0]:.2f}"
    )
    print(f"{'interactions':>13} {'side':>10} {'seconds':>9} {'peak MiB':>9} {'us/interaction':>15}")
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="rapport-spark-bench-") as directory:
            path = Path(directory)
            as_of, seeds = write_snapshot(size, path)
            for side in ("in-process", "spark"):
                command = [sys.executable, __file__, "--worker", side, "--snapshot", str(path)]
                command += ["--as-of", str(as_of), "--seeds", ",".join(seeds), "--master", args.master]
                done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
                if done.returncode != 0:
                    print(
                        f"{size:>13,} {side:>10} failed: {done.stderr.strip().splitlines()[-1:]}", flush=True
                    )
                    continue
                result = json.loads(done.stdout.strip().splitlines()[-1])
                micro = result["seconds"] / size * 1e6
                print(
                    f"{size:>13,} {side:>10} {result['seconds']:>9.1f} {result['peak_mb']:>9.0f} {micro:>15.2f}",
                    flush=True,
                )
    print(f"1-min load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
