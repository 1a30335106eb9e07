"""``rapport analyze --engine spark``: the analysis with its graph scores computed by Spark, published
through the same write-back contract as the in-process run (:mod:`graph.results`).

Stages (timed in the summary, each recorded on the run as it starts):

``input``            interactions, profiles, follows as Spark DataFrames (:mod:`scaleout.sources`)
``signals``          roles, screening on the driver (see below), from the store's posts
``communities``      label propagation on Spark (not Louvain), its modularity computed by Spark
``influence``        PageRank on Spark, each profile's top in-neighbour contributions (Spark)
``brand_influence``  personalized PageRank per brand on Spark (iterated with the global one), top N
``reach``            exact two-hop reach over follows ∪ engagement on Spark
``advocacy``         one stance per (profile, brand) on the driver, from Spark's influence
``write_back``       staged scores, run-stamped relationships, the one-statement switch, cleanup

What runs where, and why. Spark computes everything whose input grows with the interactions
(engagement weights, PageRank, personalized PageRank and their explanations, reach, communities,
modularity, and the reciprocal pairs screening needs). The signals stages reuse the in-process
functions on the driver (:func:`usecases.signals.account_roles`, :func:`usecases.signals.screening`,
:func:`usecases.signals.stance_rows`): their inputs are the store's authored and brand posts and a few
columns per profile, not the interactions, and reusing them keeps one definition of a role, a
screening flag and a stance. The driver holds O(profiles) (ids, influence, community) and the posts;
docs/scale-out.md gives the limits.

Not computed: **brokerage** (betweenness, exact or sampled) has no distributed counterpart here. It
is staged as null — never filled with another measure under its name — and the run records
``not_computed = "brokerage"`` so the API returns it as null for this run. Communities are label
propagation (``community_method``); Louvain's modularity is not computed by a Spark run.

Write-back: through :mod:`graph.results` only (``start_run`` -> ``stage_profile_scores`` ->
``write_result_relationships`` -> ``publish_run`` -> ``clean_up_published``), rows streamed from
Spark to the driver partition by partition and written in the store's batches. Not with the Neo4j
connector's writer: the staged properties and the switch are the store's contract (one statement
each in ``cypher/analysis/``, owned by :mod:`graph.results`); a second writer would duplicate them
outside it, and FalkorDB has no connector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from algorithms.communities import stable_community_ids
from algorithms.screening import ScreeningResult
from graph import errors, projection, results
from graph.config import Neo4jSettings, Settings, SparkSettings, StoreKind
from graph.model import ADVOCATES, DETRACTS, INFLUENCES, MIXED, RelRow
from graph.store import CypherGraphStore
from scaleout import scores
from scaleout.session import spark_session
from scaleout.sources import SparkInput, from_neo4j, from_parquet, stage_scores_with_connector
from usecases import signals
from usecases.analysis import (
    AnalysisParams,
    AnalysisSummary,
    Stages,
    brand_stance_rows,
    guarded_run,
    record_lists,
    signal_props,
    unranked_profile,
)
from usecases.community_labels import label_communities

Progress = Callable[[str, float], None]
STAGES: tuple[str, ...] = (
    "input",
    "signals",
    "communities",
    "influence",
    "brand_influence",
    "reach",
    "advocacy",
    "write_back",
)
ENGINE = "spark"
SPARK_COMPUTED = (
    "engagement_weights",
    "influence",
    "influence_rank",
    "influence_explanation",
    "brand_influence",
    "reach",
    "community",
    "modularity",
    "reciprocal_pairs",
)
"""What a Spark run computes on Spark (recorded on its AnalysisRun as ``spark_computed``)."""
DRIVER_COMPUTED = ("role", "screening", "stance")
"""What it computes on the driver with the in-process functions (``driver_computed``)."""
NOT_COMPUTED = ("brokerage",)
"""In-process scores a Spark run does not compute (``not_computed``; null, never a stand-in)."""
COMMUNITY_METHOD = "label_propagation"


@dataclass(frozen=True)
class SparkAnalysisSummary:
    """A Spark run's :class:`~usecases.analysis.AnalysisSummary` and what differs from an in-process run."""

    summary: AnalysisSummary
    master: str
    origin: str
    community_method: str = COMMUNITY_METHOD
    spark_computed: tuple[str, ...] = SPARK_COMPUTED
    driver_computed: tuple[str, ...] = DRIVER_COMPUTED
    not_computed: tuple[str, ...] = NOT_COMPUTED
    pagerank_iterations: int = 0
    label_propagation_passes: int = 0


def check_spark_input(settings: Settings, parquet: str | None) -> None:
    """:class:`~graph.errors.InvalidInput` unless there is something for Spark to read: a Parquet
    snapshot (``parquet``), or Neo4j through its connector (the configured store is Neo4j)."""
    if parquet is None and settings.store != StoreKind.NEO4J:
        raise errors.InvalidInput(
            "--engine spark reads Neo4j through its connector or a Parquet snapshot: on FalkorDB "
            "run `rapport export --format parquet --out DIR`, then pass --from-parquet DIR"
        )
    if parquet is not None and "://" not in parquet and not (Path(parquet) / "interactions").is_dir():
        raise errors.InvalidInput(f"--from-parquet: {parquet} holds no snapshot (run `rapport export` first)")


def analyze_on_spark(
    store: CypherGraphStore,
    settings: Settings,
    params: AnalysisParams,
    *,
    master: str | None = None,
    parquet: str | None = None,
    progress: Progress | None = None,
) -> SparkAnalysisSummary:
    """``rapport analyze --engine spark``: read the input on Spark (the snapshot at ``parquet``, else
    Neo4j through the connector), run :func:`run_spark_analysis`, publish into ``store``.

    The process's SparkSession is used when one is active (and left running); otherwise one is
    created on ``master`` (default: the settings') and stopped afterwards.
    """
    check_spark_input(settings, parquet)
    owned = SparkSession.getActiveSession() is None
    spark = spark_session(settings.spark, master)
    try:
        source = (
            from_parquet(spark, parquet)
            if parquet is not None
            else from_neo4j(spark, settings.neo4j, settings.spark.neo4j_read_partitions)
        )
        return run_spark_analysis(
            store,
            source,
            params,
            progress,
            spark_settings=settings.spark,
            neo4j=settings.neo4j if settings.store == StoreKind.NEO4J else None,
        )
    finally:
        if owned:
            spark.stop()


def run_spark_analysis(
    store: CypherGraphStore,
    source: SparkInput,
    params: AnalysisParams,
    progress: Progress | None = None,
    *,
    run_id: str | None = None,
    spark_settings: SparkSettings | None = None,
    neo4j: Neo4jSettings | None = None,
) -> SparkAnalysisSummary:
    """Run the analysis on Spark over ``source`` and make its results current in ``store``.

    ``neo4j``: the connection of ``store`` when it is Neo4j; its staged scores are then written by the
    Neo4j connector's writer in parallel Spark tasks (``spark.neo4j_write_partitions``), else by the
    store in batches. Either way the publish is :func:`graph.results.publish_run`'s one statement.

    The same contract as :func:`usecases.analysis.run_analysis`: :class:`~graph.errors.Conflict` when
    another run is in progress; on any failure after the run started it is marked ``failed`` and
    what it wrote is removed, so the previous run stays current.
    """
    settings = spark_settings or SparkSettings()
    spark = source.interactions.sparkSession
    master = str(spark.sparkContext.master)
    return guarded_run(
        store,
        params,
        lambda run: _run(store, source, run, params, progress, master, settings, neo4j),
        run_id=run_id,
        run_props={
            "engine": ENGINE,
            "spark_master": master,
            "spark_input": source.origin,
            "spark_computed": ",".join(SPARK_COMPUTED),
            "driver_computed": ",".join(DRIVER_COMPUTED),
            "not_computed": ",".join(NOT_COMPUTED),
            "community_method": COMMUNITY_METHOD,
            "brokerage_method": "not_computed",
            "pagerank_tol": float(settings.pagerank_tol),
            "staged_by": "neo4j_connector" if neo4j is not None else "store_batches",
        },
        invalid_input=(ValueError, FileNotFoundError),
    )


def _run(
    store: CypherGraphStore,
    source: SparkInput,
    run_id: str,
    params: AnalysisParams,
    progress: Progress | None,
    master: str,
    spark_settings: SparkSettings,
    neo4j: Neo4jSettings | None,
) -> SparkAnalysisSummary:
    stages = Stages(store, run_id, progress, STAGES)

    stages.begin("input")
    # read the input once (a Neo4j read through the connector is a query per kind): the default as_of
    # and the graph both come from this copy
    raw = source.interactions.localCheckpoint(eager=True)
    if params.as_of_ms is not None:
        as_of = int(params.as_of_ms)
    else:  # the newest interaction, self-interactions included (as the in-process projection)
        newest = raw.agg(F.max("time_ms").alias("t")).first()
        as_of = int(newest["t"]) if newest is not None and newest["t"] is not None else results.now_ms()
    interactions = raw.where(F.col("source") != F.col("target")).localCheckpoint(eager=True)
    edges = scores.engagement_edges(
        interactions, as_of, params.half_life_days, params.kind_weights
    ).localCheckpoint(eager=True)
    vertices = scores.graph_vertices(edges).localCheckpoint(eager=True)
    n_graph, m_graph = vertices.count(), edges.count()
    interaction_count = interactions.count()
    # driver-sized inputs from the store: the profile index (ids, last run's communities), brand accounts, posts
    profiles = projection.read_profiles(store, page_rows=params.page_rows)
    seeds = projection.read_brand_profiles(store)
    posts = projection.read_brand_posts(store, page_rows=params.page_rows)
    # as in-process: posts with a text for the text signals, every post's author and time as arrays
    authored = projection.read_authored_posts(store, page_rows=params.page_rows, texted_only=True)
    activity = projection.read_post_activity(store, profiles, page_rows=params.page_rows)
    trust_edges = projection.read_trust_ratings(store, profiles, page_rows=params.page_rows).source.size
    results.update_run(
        store,
        run_id,
        param_as_of=as_of,
        profiles=n_graph,
        engagement_edges=m_graph,
        trust_edges=int(trust_edges),
    )

    stages.begin("signals")
    roles = signals.account_roles(store, profiles.ids, seeds, authored)
    pairs = sorted((r.a, r.b) for r in scores.reciprocal_pairs(edges).collect())
    screened = signals.screening(store, authored, activity, pairs, roles)
    flagged = sorted(p for p, result in screened.items() if result.flagged)
    # flagged accounts' engagement casts no influence vote (as signals.without_votes_of in-process)
    vote_edges = edges.where(~F.col("src").isin(flagged)).localCheckpoint(eager=True) if flagged else edges

    stages.begin("communities")
    labels, passes = scores.label_propagation(vertices, edges)
    labels = labels.localCheckpoint(eager=True)
    lp_modularity = scores.modularity(edges, labels, params.resolution)
    labelled = sorted((r.id, r.label) for r in labels.collect())
    node_ids = tuple(node for node, _ in labelled)
    community_ids = stable_community_ids(
        node_ids, np.array([label for _, label in labelled], dtype=object), profiles.previous_membership()
    )
    membership = dict(zip(node_ids, community_ids.tolist(), strict=True))
    community_count = len(set(membership.values()))

    stages.begin("influence")
    present = {brand: sorted({s for s in ids if s in membership}) for brand, ids in seeds.items()}
    present = {brand: ids for brand, ids in present.items() if ids}
    ranked = scores.pagerank(
        vertices,
        vote_edges,
        seeds=present,
        damping=params.damping,
        tol=spark_settings.pagerank_tol,
        check_every=spark_settings.pagerank_check_every,
    )
    ranked_scores = ranked.scores.localCheckpoint(eager=True)
    ranked = scores.SparkPageRank(ranked_scores, ranked.columns, ranked.iterations)
    parts = scores.score_parts(
        vertices, vote_edges, ranked, present, params.damping, params.explain_top
    ).localCheckpoint(eager=True)
    order = Window.orderBy(F.col("score").desc(), F.col("id"))
    global_parts = (
        parts.where(F.col("column") == "global")
        .withColumn("influence_rank", F.row_number().over(order))
        .localCheckpoint(eager=True)
    )
    influence = {r.id: float(r.score) for r in global_parts.select("id", "score").collect()}

    stages.begin("brand_influence")
    influences = _brand_influence_rows(parts, params.top_per_brand, run_id)

    stages.begin("reach")
    follows = source.follows.where(F.col("source") != F.col("target"))
    union_edges = (  # a profile's audience: author -> engager, followee -> follower (as in-process)
        interactions.select(F.col("target").alias("src"), F.col("source").alias("dst"))
        .union(follows.select(F.col("target").alias("src"), F.col("source").alias("dst")))
        .distinct()
        .localCheckpoint(eager=True)
    )
    union_vertices = scores.graph_vertices(union_edges)
    reach = scores.two_hop_reach(union_vertices, union_edges.withColumn("weight", F.lit(1.0)))

    stages.begin("advocacy")
    stance_rows = brand_stance_rows(
        posts, seeds, influence, screened, as_of_ms=as_of, params=params, run_id=run_id
    )
    advocates, detractors, mixed = stance_rows[ADVOCATES], stance_rows[DETRACTS], stance_rows[MIXED]

    stages.begin("write_back")

    # the store stages rows in its batches as they stream from Spark; Neo4j's connector takes every
    # row at once and its tasks write their partitions in parallel
    def stage(rows: list[dict[str, Any]]) -> None:
        if neo4j is None:
            results.stage_profile_scores(store, run_id, rows)
        else:
            stage_scores_with_connector(
                raw.sparkSession, neo4j, run_id, rows, spark_settings.neo4j_write_partitions
            )

    chunk = 5000 if neo4j is None else None
    staged_ids: set[str] = set()
    batch: list[dict[str, Any]] = []
    for row in _profile_rows(union_vertices, reach, global_parts, membership, roles, screened):
        staged_ids.add(row["id"])
        batch.append(row)
        if chunk is not None and len(batch) >= chunk:
            stage(batch)
            batch = []
    not_customers = signals.non_customers(roles)
    others = (set(screened) | not_customers) - staged_ids
    batch.extend(unranked_profile(node_id, roles, screened, brokerage=None) for node_id in sorted(others))
    stage(batch)
    results.write_result_relationships(store, INFLUENCES, influences)
    results.write_result_relationships(store, ADVOCATES, advocates)
    results.write_result_relationships(store, DETRACTS, detractors)
    results.write_result_relationships(store, MIXED, mixed)
    results.update_run(
        store,
        run_id,
        communities=community_count,
        modularity=float(lp_modularity),
        pagerank_iterations=ranked.iterations,
        label_propagation_passes=passes,
    )
    label_communities(store, run_id, membership, influence, not_customers)
    results.publish_run(store, run_id)
    record_lists(store, run_id, params.runs_kept)
    results.clean_up_published(store, run_id)
    stages.end()
    results.update_run(store, run_id, stage="done")
    store.compact_log()
    if progress:
        progress("done", 1.0)
    summary = AnalysisSummary(
        run_id=run_id,
        as_of_ms=as_of,
        half_life_days=params.half_life_days,
        seed=params.seed,
        resolution=params.resolution,
        profiles=n_graph,
        engagement_edges=m_graph,
        interactions=interaction_count,
        trust_edges=int(trust_edges),
        communities=community_count,
        modularity=float(lp_modularity),
        brands=len(
            {r.target for rows in stance_rows.values() for r in rows} | {r.target for r in influences}
        ),
        influences=len(influences),
        advocates=len(advocates),
        detractors=len(detractors),
        reach_method="exact",
        brokerage_method="not_computed",
        stages=tuple(stages.timings),
        mixed=len(mixed),
        non_customers=len(not_customers),
        flagged=len(flagged),
    )
    return SparkAnalysisSummary(
        summary,
        master=master,
        origin=source.origin,
        pagerank_iterations=ranked.iterations,
        label_propagation_passes=passes,
    )


def _brand_influence_rows(parts: DataFrame, top_per_brand: int, run_id: str) -> list[RelRow]:
    """INFLUENCES rows: each brand's top ``top_per_brand`` (score > 0, ties by id) with its score's parts."""
    order = Window.partitionBy("column").orderBy(F.col("score").desc(), F.col("id"))
    top = (
        parts.where((F.col("column") != "global") & (F.col("score") > 0))
        .withColumn("rank", F.row_number().over(order))
        .where(F.col("rank") <= top_per_brand)
    )
    return [
        RelRow(
            r.id,
            r.column,
            {
                "run_id": run_id,
                "score": float(r.score),
                "rank": int(r.rank),
                "top_sources": list(r.top_sources),
                "top_contributions": [float(c) for c in r.top_contributions],
                "other_sources": float(r.other_sources),
                "teleport": float(r.teleport),
            },
        )
        for r in top.orderBy("column", "rank").collect()
    ]


def _profile_rows(
    union_vertices: DataFrame,
    reach: DataFrame,
    global_parts: DataFrame,
    membership: Mapping[str, int],
    roles: Mapping[str, Any],
    screened: Mapping[str, ScreeningResult],
) -> Iterator[dict[str, Any]]:
    """Staged rows of every profile in follows ∪ engagement, streamed from Spark partition by partition."""
    joined = union_vertices.join(reach, "id", "left").join(global_parts.drop("column"), "id", "left")
    for r in joined.toLocalIterator():
        in_graph = r.score is not None
        yield {
            "id": r.id,
            "influence": float(r.score) if in_graph else 0.0,
            "influence_rank": int(r.influence_rank) if in_graph else -1,
            "community": membership.get(r.id, -1),
            "reach": int(r.reach or 0),
            "brokerage": None,  # not computed by a Spark run (NOT_COMPUTED), never a stand-in
            "influence_top_sources": list(r.top_sources) if in_graph else [],
            "influence_top_shares": [float(c) for c in r.top_contributions] if in_graph else [],
            "influence_other": float(r.other_sources) if in_graph else 0.0,
            "influence_teleport": float(r.teleport) if in_graph else 0.0,
            **signal_props(r.id, roles, screened),
        }
