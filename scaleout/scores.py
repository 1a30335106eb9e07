"""The analysis's scores as Spark jobs: engagement weights (Spark SQL), PageRank and per-brand
personalized PageRank (GraphFrames' message pass, in Spark SQL), two-hop reach and advocacy (aggregations).

Each function computes the same quantity as its in-process counterpart in :mod:`algorithms`, on
DataFrames, so it runs wherever Spark does:

* :func:`engagement_edges` = :func:`algorithms.projection.engagement_graph`'s edge weights.
* :func:`pagerank` = :func:`algorithms.influence.pagerank` / ``personalized_pagerank``: the same
  power iteration (dangling mass to the teleport vector, L1 stopping rule), with every teleport
  vector of a run iterated together, one message pass per iteration for all brands.
* :func:`two_hop_reach` = :func:`algorithms.influence.reach` with ``hops=2``.
* :func:`brand_advocacy` = :func:`algorithms.advocacy.brand_advocacy`'s scores.

GraphFrames 0.10.0 (the version Maven Central serves for Spark 3.5) links its own copy of GraphX,
``io.graphframes:graphframes-graphx-spark3_2.12``, which Maven Central does not serve; ``spark/pom.xml``
rebuilds it from Apache Spark's GraphX (the package renamed, as the copy names it), so GraphFrames runs.
Its ``pageRank``, ``parallelPersonalizedPageRank`` and ``labelPropagation`` are GraphX's and read no edge
weights, so they would not compute Rapport's scores (engagement-weighted PageRank, label propagation on
the engagement weights); the tests use its PageRank as a reference where the definitions agree. The
scores are message passes with GraphFrames' ``aggregateMessages`` semantics written as one Spark SQL
join and group-by (:func:`aggregate_messages`: the same sums, faster than GraphFrames' own here), and
communities are :func:`label_propagation` (the method GraphFrames offers, weighted), with
:func:`modularity` to compare with Louvain's.

Betweenness (exact or sampled) has no distributed counterpart here and is not computed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from algorithms.projection import MILLIS_PER_DAY, EngagementWeights

INTERACTION_COLUMNS = ("source", "target", "kind", "time_ms")
"""The interactions a Spark run reads: who engaged (source) with whom (target), how, when (epoch ms)."""
POST_COLUMNS = ("profile_id", "brand_id", "post_id", "sentiment", "created_at_ms", "engagement")
"""Brand posts for advocacy, as :class:`algorithms.advocacy.BrandPost`."""


def engagement_edges(
    interactions: DataFrame,
    as_of_ms: int,
    half_life_days: float | None = 30.0,
    kind_weights: EngagementWeights = EngagementWeights(),
) -> DataFrame:
    """``(src, dst, weight)``: per pair, the sum of ``kind_weight * 0.5 ** (age_days / half_life)``.

    Age is ``max(as_of - time, 0)`` in days (an interaction after ``as_of`` counts in full), as in
    :func:`algorithms.projection.decayed_weights`; ``half_life_days=None`` disables the decay.
    """
    mapping = kind_weights.as_mapping()
    kind_weight = F.create_map(
        *[item for kind, w in mapping.items() for item in (F.lit(kind), F.lit(float(w)))]
    )
    base = kind_weight[F.col("kind")]
    if half_life_days is None:
        weight = base
    else:
        if not half_life_days > 0:
            raise ValueError("half_life_days must be > 0 or None")
        age_days = (
            F.greatest(F.lit(float(as_of_ms)) - F.col("time_ms").cast("double"), F.lit(0.0)) / MILLIS_PER_DAY
        )
        weight = base * F.pow(F.lit(2.0), -age_days / float(half_life_days))
    return (
        interactions.select(
            F.col("source").alias("src"), F.col("target").alias("dst"), weight.alias("weight")
        )
        .groupBy("src", "dst")
        .agg(F.sum("weight").alias("weight"))
    )


def graph_vertices(edges: DataFrame, nodes: DataFrame | None = None) -> DataFrame:
    """``(id)``: every edge end, plus ``nodes`` (a DataFrame with an ``id`` column) if given."""
    ends = edges.select(F.col("src").alias("id")).union(edges.select(F.col("dst").alias("id")))
    if nodes is not None:
        ends = ends.union(nodes.select("id"))
    return ends.distinct()


@dataclass(frozen=True)
class SparkPageRank:
    """PageRank vectors of one run: ``scores`` has ``id`` and one column per teleport vector.

    Each column sums to 1 and is the stationary distribution of the surfer described in
    :func:`algorithms.influence.pagerank` (the column named ``"global"`` teleports uniformly; the
    others to the seeds they were given). ``iterations`` is how many passes the slowest needed.
    """

    scores: DataFrame
    columns: tuple[str, ...]
    iterations: int


def pagerank(
    vertices: DataFrame,
    edges: DataFrame,
    seeds: Mapping[str, Sequence[str]] | None = None,
    include_global: bool = True,
    damping: float = 0.85,
    tol: float = 1e-10,
    max_iter: int = 200,
    check_every: int = 5,
) -> SparkPageRank:
    """Weighted PageRank (``"global"``) and personalized PageRank per seed set, iterated together.

    ``seeds`` maps a column name (e.g. a brand id) to the node ids its surfer teleports to
    uniformly. Iteration stops when every column's L1 change in one pass is below ``tol`` (as
    in-process), looked at every ``check_every`` passes (so up to ``check_every - 1`` passes more
    than in-process: a closer fixed point, never a looser one); :class:`ValueError` if ``max_iter``
    passes do not get there. Each pass is one ``aggregateMessages`` over the edges, with the dangling
    mass summed in the same plan, materialised with ``localCheckpoint`` (one Spark job a pass), so
    the plan does not grow with the passes.
    """
    if not 0.0 < damping < 1.0:
        raise ValueError("damping must be in (0, 1)")
    if check_every < 1:
        raise ValueError("check_every must be >= 1")
    seeds = dict(seeds or {})
    names = (["global"] if include_global else []) + list(seeds)
    if not names:
        raise ValueError("nothing to rank: no global column and no seeds")
    if len(set(names)) != len(names):
        raise ValueError("a seed set may not be called 'global'")
    columns = [f"r{i}" for i in range(len(names))]
    teleports = [f"t{i}" for i in range(len(names))]

    out = edges.groupBy("src").agg(F.sum("weight").alias("out_weight"))
    n = vertices.count()
    if n == 0:
        raise ValueError("the graph has no vertices")
    base = vertices.select("id").join(out.withColumnRenamed("src", "id"), "id", "left")
    base = base.withColumn("dangling", F.col("out_weight").isNull() | (F.col("out_weight") <= 0))
    for i, name in enumerate(names):
        if name == "global" and include_global:
            teleport = F.lit(1.0 / n)
        else:
            members = sorted(set(seeds[name]))
            if not members:
                raise ValueError(f"seed set {name!r} is empty")
            teleport = F.when(F.col("id").isin(members), F.lit(1.0 / len(members))).otherwise(F.lit(0.0))
        base = base.withColumn(teleports[i], teleport)
    state = base.select("id", "dangling", *teleports, *[F.lit(1.0 / n).alias(c) for c in columns])
    state = state.localCheckpoint(eager=True)
    normalized = (
        edges.join(out, "src").select("src", "dst", (F.col("weight") / F.col("out_weight")).alias("p"))
    ).localCheckpoint(eager=True)

    for iteration in range(1, max_iter + 1):
        # the dangling mass of the (materialised) previous state, as one row joined to every vertex
        mass = state.agg(
            *[
                F.coalesce(F.sum(F.when(F.col("dangling"), F.col(c))), F.lit(0.0)).alias(f"m_{c}")
                for c in columns
            ]
        )
        messages = aggregate_messages(
            state.select("id", *columns),
            normalized,
            F.struct(*[(F.col(f"src.{c}") * F.col("edge.p")).alias(c) for c in columns]),
            [F.sum(F.col("MSG").getField(c)).alias(f"in_{c}") for c in columns],
        )
        joined = state.join(messages, "id", "left").crossJoin(F.broadcast(mass))
        updated = [
            (
                damping * (F.coalesce(F.col(f"in_{c}"), F.lit(0.0)) + F.col(f"m_{c}") * F.col(t))
                + (1.0 - damping) * F.col(t)
            ).alias(c)
            for c, t in zip(columns, teleports, strict=True)
        ]
        change = [F.abs(u - F.col(c)).alias(f"d_{c}") for u, c in zip(updated, columns, strict=True)]
        step = joined.select("id", "dangling", *teleports, *updated, *change).localCheckpoint(eager=True)
        state = step.select("id", "dangling", *teleports, *columns)
        if iteration % check_every and iteration < max_iter:
            continue
        totals = step.agg(
            *[F.sum(f"d_{c}").alias(f"d_{c}") for c in columns], *[F.sum(c).alias(f"s_{c}") for c in columns]
        ).first()
        assert totals is not None
        if all(float(totals[f"d_{c}"]) < tol for c in columns):
            sums = [float(totals[f"s_{c}"]) for c in columns]
            scores = state.select(
                "id",
                *[
                    (F.col(c) / sums[i]).alias(name)
                    for i, (c, name) in enumerate(zip(columns, names, strict=True))
                ],
            )
            return SparkPageRank(scores, tuple(names), iteration)
    raise ValueError(f"pagerank did not converge to tol={tol} in {max_iter} iterations")


def aggregate_messages(
    vertices: DataFrame, edges: DataFrame, send_to_dst: Column, aggregates: list[Column]
) -> DataFrame:
    """GraphFrames' ``aggregateMessages`` semantics as one Spark SQL join and group-by: ``(id, ...)``.

    ``send_to_dst`` is evaluated per edge over the columns ``src.<vertex column>`` and
    ``edge.<edge column>`` (GraphFrames' names), and ``aggregates`` (each with an alias) over ``MSG``
    per target vertex; vertices that receive no message have no row. Not GraphFrames' own
    ``aggregateMessages``, which gives the same sums but also joins each edge's target vertex and
    persists its result: ``bench/spark.py`` printed 161.9 s for the Spark side at 1M interactions
    with it against 96.4 s with this join (docs/scale-out.md).
    """
    source = vertices.select(F.struct(*vertices.columns).alias("src"))
    edge = edges.select(F.col("dst").alias("_dst"), F.struct(*edges.columns).alias("edge"))
    sent = edge.join(source, F.col("edge.src") == F.col("src.id")).select(
        F.col("_dst").alias("id"), send_to_dst.alias("MSG")
    )
    return sent.groupBy("id").agg(*aggregates)


def two_hop_reach(vertices: DataFrame, edges: DataFrame) -> DataFrame:
    """``(id, reach)``: distinct other nodes within two directed steps (every edge counts)."""
    one = edges.select("src", "dst").distinct()
    first = one.alias("a")
    second = one.alias("b")
    two = first.join(second, F.col("a.dst") == F.col("b.src")).select(
        F.col("a.src").alias("src"), F.col("b.dst").alias("dst")
    )
    reached = one.union(two).distinct().where(F.col("src") != F.col("dst"))
    counts = reached.groupBy("src").agg(F.count(F.lit(1)).alias("reach")).withColumnRenamed("src", "id")
    return (
        vertices.select("id")
        .join(counts, "id", "left")
        .select("id", F.coalesce("reach", F.lit(0)).alias("reach"))
    )


def influence_percentiles(influence: DataFrame, score: str) -> DataFrame:
    """``(id, percentile)``: fraction of the other profiles with strictly lower ``score`` (ties share).

    The window is global (one partition): fine up to hundreds of millions of profiles, see
    docs/scale-out.md.
    """
    n = influence.count()
    if n < 2:
        return influence.select("id", F.lit(0.0).alias("percentile"))
    lower = F.rank().over(Window.orderBy(F.col(score))) - 1
    return influence.select("id", (lower / F.lit(float(n - 1))).alias("percentile"))


def brand_advocacy(
    posts: DataFrame,
    influence: DataFrame,
    score: str,
    as_of_ms: int,
    half_life_days: float = 30.0,
    neutral_band: float = 0.05,
) -> DataFrame:
    """``(brand_id, profile_id, kind, score, influence_factor)``: advocates and detractors per brand.

    ``score = (1 + influence percentile) * sum(|sentiment| * (1 + ln(1 + engagement)) * recency)``
    over the profile's posts of that sign about the brand, ``|sentiment| >= neutral_band``, recency
    ``0.5 ** (age_days / half_life_days)``: :func:`algorithms.advocacy.brand_advocacy`'s score.
    """
    if not half_life_days > 0:
        raise ValueError("half_life_days must be > 0")
    age_days = (
        F.greatest(F.lit(float(as_of_ms)) - F.col("created_at_ms").cast("double"), F.lit(0.0))
        / MILLIS_PER_DAY
    )
    contribution: Column = (
        F.abs(F.col("sentiment"))
        * (F.lit(1.0) + F.log1p(F.col("engagement").cast("double")))
        * F.pow(F.lit(0.5), age_days / float(half_life_days))
    )
    grouped = (
        posts.where(F.abs(F.col("sentiment")) >= neutral_band)
        .select(
            "brand_id",
            "profile_id",
            F.when(F.col("sentiment") > 0, "advocate").otherwise("detractor").alias("kind"),
            contribution.alias("contribution"),
        )
        .groupBy("brand_id", "profile_id", "kind")
        .agg(F.sum("contribution").alias("total"))
    )
    percentile = influence_percentiles(influence, score).withColumnRenamed("id", "profile_id")
    factor = F.lit(1.0) + F.coalesce(F.col("percentile"), F.lit(0.0))
    return grouped.join(percentile, "profile_id", "left").select(
        "brand_id",
        "profile_id",
        "kind",
        (factor * F.col("total")).alias("score"),
        factor.alias("influence_factor"),
    )


def label_propagation(vertices: DataFrame, edges: DataFrame, max_iter: int = 20) -> tuple[DataFrame, int]:
    """``(id, label)``: communities by synchronous weighted label propagation; and the passes run.

    The method GraphX and GraphFrames offer as their distributed community detection (Raghavan,
    Albert & Kumara, Phys. Rev. E 76, 036106, 2007), here on the symmetrised weights ``w(u, v) +
    w(v, u)`` (as Louvain sees the graph; self-loops ignored): every node starts in its own label
    and each pass adopts the label of largest summed neighbour weight, ties to the smallest label,
    until no label changes or ``max_iter`` passes. It optimises no objective; compare its
    modularity (:func:`modularity`) with Louvain's. Isolated nodes keep their own label.
    """
    pairs = edges.where(F.col("src") != F.col("dst")).select("src", "dst", "weight")
    symmetric = (
        pairs.union(pairs.select(F.col("dst").alias("src"), F.col("src").alias("dst"), "weight"))
        .groupBy("src", "dst")
        .agg(F.sum("weight").alias("weight"))
        .localCheckpoint(eager=True)
    )
    labels = vertices.select("id", F.col("id").alias("label")).localCheckpoint(eager=True)
    # nodes without a neighbour get no vote: they keep their own label
    isolated = labels.join(
        symmetric.select(F.col("dst").alias("id")).distinct(), "id", "left_anti"
    ).localCheckpoint(eager=True)
    for iteration in range(1, max_iter + 1):
        votes = (
            symmetric.join(labels.withColumnRenamed("id", "src"), "src")
            .groupBy(F.col("dst").alias("id"), "label")
            .agg(F.sum("weight").alias("votes"))
        )
        # the label of most votes, ties to the smallest: the least (-votes, label), one aggregation
        chosen = (
            votes.groupBy("id")
            .agg(F.min(F.struct((-F.col("votes")).alias("v"), F.col("label").alias("label"))).alias("best"))
            .select("id", F.col("best.label").alias("label"))
        )
        # The new labels read the previous ones once. Joined twice (votes, and the previous label of
        # each node), Spark's size estimate of the checkpointed labels, which a checkpoint keeps,
        # was squared every pass: its digits doubled until planning ran out of memory (reading Neo4j
        # through the connector, whose size is unknown, within 12 passes). The checkpoint is
        # written by the job that counts the changed labels: one Spark job a pass.
        updated = chosen.unionByName(isolated).localCheckpoint(eager=False)
        changed = (
            updated.join(labels.withColumnRenamed("label", "previous"), "id")
            .where(F.col("label") != F.col("previous"))
            .count()
        )
        labels = updated
        if changed == 0:
            return labels, iteration
    return labels, max_iter


def modularity(edges: DataFrame, labels: DataFrame, resolution: float = 1.0) -> float:
    """Newman-Girvan modularity of ``labels`` on the symmetrised weights, as
    :func:`algorithms.communities.modularity` defines it (self-loops included), as Spark aggregations."""
    both = edges.select("src", "dst", "weight").union(
        edges.select(F.col("dst").alias("src"), F.col("src").alias("dst"), "weight")
    )
    left = labels.select(F.col("id").alias("src"), F.col("label").alias("ls"))
    right = labels.select(F.col("id").alias("dst"), F.col("label").alias("ld"))
    tagged = both.join(left, "src").join(right, "dst")
    total_row = tagged.agg(F.sum("weight").alias("total")).first()
    total = float(total_row["total"] or 0.0) if total_row else 0.0
    if total <= 0:
        return 0.0
    inside_row = tagged.where(F.col("ls") == F.col("ld")).agg(F.sum("weight").alias("inside")).first()
    inside = float(inside_row["inside"] or 0.0) if inside_row else 0.0
    degree = tagged.groupBy("ls").agg(F.sum("weight").alias("d"))
    spread_row = degree.agg(F.sum(F.pow(F.col("d") / total, 2)).alias("s")).first()
    spread = float(spread_row["s"] or 0.0) if spread_row else 0.0
    return inside / total - resolution * spread


def score_parts(
    vertices: DataFrame,
    edges: DataFrame,
    ranked: SparkPageRank,
    seeds: Mapping[str, Sequence[str]],
    damping: float,
    top: int,
) -> DataFrame:
    """``(column, id, score, top_sources, top_contributions, other_sources, teleport)`` of every vertex.

    :mod:`algorithms.explain`'s split of a PageRank score, per column of ``ranked`` (``"global"``
    teleports uniformly, the others to ``seeds[column]``): the ``top`` largest in-neighbour
    contributions ``damping * score[u] * w(u, v) / out_weight(u)`` (ties by source id), the sum of
    the other in-neighbours' (``other_sources``) and the restart term ``(damping * dangling_mass +
    1 - damping) * teleport[v]``, all scaled by ``score / (their sum)`` so they add up to the score.

    Every column at once: the scores in long form (one row per column and vertex) are joined with the
    edges once, so the edge table is read once whatever the number of brands.
    """
    n = vertices.count()
    out = edges.groupBy("src").agg(F.sum("weight").alias("out_weight"))
    normalized = edges.join(out, "src").select(
        "src", "dst", (F.col("weight") / F.col("out_weight")).alias("p")
    )
    dangling = vertices.select("id").join(out.withColumnRenamed("src", "id"), "id", "left_anti")
    long = ranked.scores.select(
        "id",
        F.explode(
            F.array(*[F.struct(F.lit(c).alias("column"), F.col(c).alias("score")) for c in ranked.columns])
        ).alias("s"),
    ).select(F.col("s.column").alias("column"), "id", F.col("s.score").alias("score"))
    masses = {
        r["column"]: float(r["m"] or 0.0)
        for r in long.join(dangling, "id").groupBy("column").agg(F.sum("score").alias("m")).collect()
    }
    mass = F.create_map(*[item for c in ranked.columns for item in (F.lit(c), F.lit(masses.get(c, 0.0)))])
    seeded = long.sparkSession.createDataFrame(
        [
            (column, member, 1.0 / len(set(seeds[column])))
            for column in ranked.columns
            if column != "global"
            for member in sorted(set(seeds[column]))
        ],
        "column string, id string, seed_teleport double",
    )
    teleport = F.when(F.col("column") == "global", F.lit(1.0 / n)).otherwise(
        F.coalesce(F.col("seed_teleport"), F.lit(0.0))
    )
    contribution = normalized.join(long.withColumnRenamed("id", "src"), "src").select(
        "column", "src", "dst", (F.lit(damping) * F.col("score") * F.col("p")).alias("c")
    )
    order = Window.partitionBy("column", "dst").orderBy(F.col("c").desc(), F.col("src"))
    incoming = (
        contribution.withColumn("n", F.row_number().over(order))
        .groupBy("column", F.col("dst").alias("id"))
        .agg(
            F.sum("c").alias("links"),
            # collect_list skips the nulls: only the top contributions, in rank order
            F.sort_array(F.collect_list(F.when(F.col("n") <= top, F.struct("n", "src", "c")))).alias("best"),
        )
    )
    restart = (F.lit(damping) * mass[F.col("column")] + F.lit(1.0 - damping)) * teleport
    parts = (
        long.join(incoming, ["column", "id"], "left")
        .join(seeded, ["column", "id"], "left")
        .select(
            "column",
            "id",
            "score",
            F.coalesce("links", F.lit(0.0)).alias("links"),
            "best",
            restart.alias("restart"),
        )
    )
    total = F.col("links") + F.col("restart")
    scaled = parts.withColumn("scale", F.when(total > 0, F.col("score") / total).otherwise(F.lit(1.0)))
    top_values = F.coalesce(
        F.transform("best", lambda item: item["c"] * F.col("scale")), F.array().cast("array<double>")
    )
    return scaled.select(
        "column",
        "id",
        "score",
        F.coalesce(F.transform("best", lambda item: item["src"]), F.array().cast("array<string>")).alias(
            "top_sources"
        ),
        top_values.alias("top_contributions"),
        (
            F.col("links") * F.col("scale")
            - F.aggregate(top_values, F.lit(0.0), lambda acc, value: acc + value)
        ).alias("other_sources"),
        (F.col("restart") * F.col("scale")).alias("teleport"),
    )


def reciprocal_pairs(edges: DataFrame) -> DataFrame:
    """``(a, b)`` with ``a < b`` for every pair with engagement in both directions (screening's input)."""
    forward = edges.where(F.col("src") < F.col("dst")).select(
        F.col("src").alias("a"), F.col("dst").alias("b")
    )
    backward = edges.where(F.col("src") > F.col("dst")).select(
        F.col("dst").alias("a"), F.col("src").alias("b")
    )
    return forward.join(backward, ["a", "b"]).distinct()
