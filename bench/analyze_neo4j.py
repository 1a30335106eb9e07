"""``bench/analyze.py --store neo4j``: Rapport's analysis and GDS's algorithms on one graph in one Neo4j.

A local Neo4j 5.26 with GDS 2.13 (:class:`graph.engines.local_neo4j.LocalNeo4j`: heap 4g, page cache
1g) in a temporary directory; the generated graph (``bench/analyze.py``'s :func:`generate_interactions`)
bulk-loaded with ``UNWIND`` batches (setup, timed but not compared); then, on that graph:

1. Rapport: :func:`usecases.analysis.run_analysis` (its projection over Bolt, the algorithms in this
   process, the write-back), seconds per stage.
2. GDS (:mod:`graph.gds_reference`), each call timed from this process, results streamed into it:
   the Cypher projection of the engagement graph with Rapport's weights; Louvain (mutate, then the
   community property streamed); PageRank (tolerance 1e-10, up to 1000 iterations, as Rapport's);
   personalized PageRank per brand (top ``top_per_brand``, as Rapport keeps); betweenness from the
   same number of sampled sources as Rapport (GDS picks them by degree, Rapport uniformly). GDS runs at
   its default concurrency (4, Community edition's maximum; the machine has 2 cores); Rapport's
   algorithms run single-threaded. GDS runs twice, on two fresh projections: its first calls include
   the JVM's warm-up (class loading, JIT); both are printed.

Both run on a warm page cache (the load has just written the whole store through it). Memory:
Rapport's process peak RSS over its run, and the JVM's peak RSS over each side's run (Linux VmHWM,
reset through ``/proc/<pid>/clear_refs`` before each), plus the heap GDS reports for its projection.
The agreement of the two sides' PageRank and modularity on this graph is printed too.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from algorithms.projection import MILLIS_PER_DAY
from graph import gds_reference as gds
from graph import projection
from graph.engines.local_neo4j import LocalNeo4j
from graph.engines.neo4j import Neo4jEngine
from graph.store import CypherGraphStore
from usecases.analysis import AnalysisParams, AnalysisSummary, run_analysis

PASSWORD = "rapport-bench"
T = TypeVar("T")
SAME_ALGORITHMS = ("projection", "communities", "influence", "brand_influence", "brokerage")


def reset_peak(pid: int | str) -> bool:
    """Reset the process's peak RSS (VmHWM) to its current RSS; False where the kernel refuses."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_mib(pid: int | str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class GdsRun:
    seconds: dict[str, float]
    ranks: dict[str, float]
    communities: gds.GdsCommunities


def run_gds(
    store: CypherGraphStore,
    name: str,
    summary: AnalysisSummary,
    params: AnalysisParams,
    seeds: dict[str, list[str]],
) -> GdsRun:
    """GDS's counterpart of Rapport's projection and four algorithms, each call timed (stream mode)."""
    seconds: dict[str, float] = {}

    def timed(label: str, work: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = work()
        seconds[label] = time.perf_counter() - started
        return result

    projected = timed(
        "gds projection (Cypher aggregation, Rapport's weights)",
        lambda: gds.project_engagement(
            store,
            name,
            as_of_ms=summary.as_of_ms,
            half_life_ms=params.half_life_days * MILLIS_PER_DAY,
            kind_weights=params.kind_weights.as_mapping(),
        ),
    )
    communities = timed(
        "gds louvain (mutate + stream communities)", lambda: gds.louvain(store, name, concurrency=4)
    )
    ranks = timed(
        "gds pageRank (tolerance 1e-10, max 1000 iterations)",
        lambda: gds.pagerank(store, name, damping=params.damping, tolerance=1e-10),
    )

    def brands() -> None:
        for brand_seeds in seeds.values():
            # per-node tolerance scaled to the personalized scores' total (see the GDS reference test)
            tolerance = 1e-10 * len(brand_seeds) / projected.nodes
            gds.pagerank(store, name, seed_ids=brand_seeds, tolerance=tolerance, limit=params.top_per_brand)

    timed(f"gds personalized pageRank x {len(seeds)} brands (top {params.top_per_brand})", brands)
    samples = params.brokerage_samples if summary.brokerage_method != "exact" else projected.nodes
    timed(
        f"gds betweenness ({samples} sampled sources)",
        lambda: gds.betweenness(store, name, sampling_size=samples, seed=params.seed),
    )
    return GdsRun(seconds, ranks, communities)


def bench_neo4j(interactions: int, loader: Callable[[CypherGraphStore, int], int]) -> None:
    load_at_start = os.getloadavg()[0]
    params = AnalysisParams(seed=0)
    rows: list[tuple[str, str]] = []
    with (
        tempfile.TemporaryDirectory(prefix="rapport-bench-neo4j-") as home,
        LocalNeo4j(Path(home), password=PASSWORD, heap="4g", pagecache_mb=1024) as server,
    ):
        assert server.uri is not None and server.process is not None
        jvm = server.process.pid
        store = CypherGraphStore(Neo4jEngine(uri=server.uri, user="neo4j", password=PASSWORD))
        store.engine.connect()
        store.ensure_schema()
        try:
            started = time.perf_counter()
            loader(store, interactions)
            rows.append(
                (
                    f"load ({interactions:,} generated interactions, UNWIND batches)",
                    f"{time.perf_counter() - started:.1f}",
                )
            )

            measured = reset_peak("self") and reset_peak(jvm)
            summary = run_analysis(store, params)
            ours_py, ours_jvm = peak_mib("self"), peak_mib(jvm)
            for stage in summary.stages:
                rows.append((f"rapport {stage.name}", f"{stage.seconds:.2f}"))
            same = sum(stage.seconds for stage in summary.stages if stage.name in SAME_ALGORITHMS)
            rows.append(("rapport: projection + the 4 algorithms GDS also runs", f"{same:.2f}"))
            rows.append(("rapport total (+ reach, advocacy, write-back)", f"{summary.seconds:.2f}"))
            rows.append(
                (
                    "  graph",
                    f"{summary.interactions:,} interactions, {summary.engagement_edges:,} edges, "
                    f"{summary.profiles:,} profiles; brokerage {summary.brokerage_method}",
                )
            )

            reset_peak(jvm)
            seeds = projection.read_brand_profiles(store)
            first = run_gds(store, "bench-engagement-1", summary, params, seeds)
            second = run_gds(store, "bench-engagement-2", summary, params, seeds)
            gds_jvm = peak_mib(jvm)
            graph_bytes = gds.size_bytes(store, "bench-engagement-2")
            for label, cold in first.seconds.items():
                rows.append((f"{label}: 1st / 2nd run", f"{cold:.2f} / {second.seconds[label]:.2f}"))
            cold_total, warm_total = sum(first.seconds.values()), sum(second.seconds.values())
            rows.append(
                (
                    "gds total (projection + the 4 algorithms): 1st / 2nd run",
                    f"{cold_total:.2f} / {warm_total:.2f}",
                )
            )
            rows.append(
                (
                    "time ratio rapport (same algorithms) / gds: 1st / 2nd run",
                    f"{same / cold_total:.2f}x / {same / warm_total:.2f}x",
                )
            )
            ranks, communities = second.ranks, second.communities

            ours_rank = {
                row["id"]: row["value"]
                for row in store.execute_text(
                    "MATCH (p:Profile) WHERE p.influence IS NOT NULL RETURN p.id AS id, p.influence AS value",
                    write=False,
                )
            }
            total = sum(ranks.values())
            difference = max(abs(ours_rank.get(key, 0.0) - value / total) for key, value in ranks.items())
            rows.append(("max |rapport - gds| PageRank (both normalised to sum 1)", f"{difference:.1e}"))
            rows.append(
                (
                    "modularity rapport / gds (communities)",
                    f"{summary.modularity:.4f} ({summary.communities}) / {communities.modularity:.4f} "
                    f"({len(set(communities.membership.values()))})",
                )
            )
            if measured:
                rows.append(("peak RSS rapport process during its analysis (MiB)", f"{ours_py:,.0f}"))
                rows.append(("peak RSS Neo4j JVM during rapport's analysis (MiB)", f"{ours_jvm:,.0f}"))
                rows.append(("peak RSS Neo4j JVM during the GDS steps (MiB)", f"{gds_jvm:,.0f}"))
            else:
                rows.append(("peak RSS", "not measurable here (/proc/<pid>/clear_refs refused)"))
            rows.append(
                ("GDS projection heap (gds.graph.list sizeInBytes, MiB)", f"{graph_bytes / 2**20:,.0f}")
            )
            gds.drop(store, "bench-engagement-1")
            gds.drop(store, "bench-engagement-2")
        finally:
            store.close()
    width = max(len(key) for key, _ in rows)
    print(f"{'measure (seconds unless stated)':<{width}}  value")
    print(f"{'-' * width}  -----")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print(
        f"machine: {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, shared with other jobs; "
        "Neo4j 5.26 + GDS 2.13 (local launcher, heap 4g, page cache 1g), GDS at default concurrency 4, "
        f"stream mode; 1-min load average at start {load_at_start:.2f}, at end {os.getloadavg()[0]:.2f}"
    )
