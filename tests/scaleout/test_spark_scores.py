"""Spark's scores equal the in-process ones on the same generated graph.

Spark's PageRank here stops at an L1 change of 1e-7, the in-process one at 1e-10: a damping-0.85
PageRank whose last pass changed it by less than ``tol`` (L1) is within 0.85 / 0.15 * tol of its
fixed point, 5.7e-7 here, so the 1e-6 comparisons hold by that bound, in 30 % fewer passes.
"""

import numpy as np
import pytest

from algorithms.advocacy import BrandPost
from algorithms.advocacy import brand_advocacy as in_process_advocacy
from algorithms.communities import detect_communities, undirected_weights
from algorithms.communities import modularity as in_process_modularity
from algorithms.explain import pagerank_parts
from algorithms.influence import pagerank as in_process_pagerank
from algorithms.influence import personalized_pagerank, reach
from algorithms.projection import INTERACTION_KINDS, DirectedGraph, engagement_graph
from scaleout import scores
from scaleout.snapshot import read_snapshot, write_snapshot

DAY = 86_400_000
AS_OF = 400 * DAY
SPARK_TOL = 1e-7  # see the module docstring


@pytest.fixture(scope="module")
def interactions():
    rng = np.random.default_rng(7)
    count = 400
    # 60 profiles; p50..p59 never engage (dangling); a few self-loops from the draw
    sources = [f"p{i}" for i in rng.integers(0, 50, count)]
    targets = [f"p{i}" for i in rng.integers(0, 60, count)]
    kinds = [INTERACTION_KINDS[k] for k in rng.integers(0, 4, count)]
    times = (AS_OF - rng.integers(-5 * DAY, 200 * DAY, count)).tolist()  # a few after as_of
    return sources, targets, kinds, times


@pytest.fixture(scope="module")
def graphs(spark, interactions):
    local = engagement_graph(*interactions, as_of_ms=AS_OF, half_life_days=30.0)
    rows = list(zip(*interactions, strict=True))
    frame = spark.createDataFrame(rows, "source string, target string, kind string, time_ms long")
    edges = scores.engagement_edges(frame, AS_OF, 30.0).cache()
    return local, edges, scores.graph_vertices(edges).cache()


BRANDS = {"acme": ["p1", "p2"], "globex": ["p55"]}  # p55 is dangling: its surfer teleports back


@pytest.fixture(scope="module")
def ranked(graphs):
    """Spark's global and per-brand PageRank of the graph, computed once for the tests that read it."""
    _, edges, vertices = graphs
    result = scores.pagerank(vertices, edges, seeds=BRANDS, tol=SPARK_TOL)
    return scores.SparkPageRank(result.scores.localCheckpoint(eager=True), result.columns, result.iterations)


def test_engagement_weights_equal_in_process(graphs):
    local, edges, _ = graphs
    spark_weights = {(r.src, r.dst): r.weight for r in edges.collect()}
    expected = {
        (local.node_ids[s], local.node_ids[d]): w
        for s, d, w in zip(local.src.tolist(), local.dst.tolist(), local.weight.tolist(), strict=True)
    }
    assert spark_weights.keys() == expected.keys()
    for pair, weight in expected.items():
        assert spark_weights[pair] == pytest.approx(weight, rel=1e-12)


def test_pagerank_and_personalized_pagerank_equal_in_process(graphs, ranked):
    local, _, _ = graphs
    assert ranked.columns == ("global", "acme", "globex")
    rows = {r.id: r for r in ranked.scores.collect()}
    expected = {"global": in_process_pagerank(local, tol=1e-10).scores}
    for brand, seeds in BRANDS.items():
        expected[brand] = personalized_pagerank(local, seeds, tol=1e-10).scores
    for column, values in expected.items():
        assert rows.keys() == values.keys()
        got = np.array([rows[node][column] for node in sorted(values)])
        want = np.array([values[node] for node in sorted(values)])
        assert got.sum() == pytest.approx(1.0, abs=1e-12)
        assert np.max(np.abs(got - want)) < 1e-6
    # the personalized vectors differ from the global one: the seeds matter
    assert rows["p55"]["globex"] > rows["p55"]["global"]


def test_score_parts_equal_in_process(graphs, ranked):
    """Each score's top in-neighbour contributions, the other in-neighbours' and the teleport part, as
    :func:`algorithms.explain.pagerank_parts` splits the in-process score (they add up to the score)."""
    local, edges, vertices = graphs
    parts = scores.score_parts(vertices, edges, ranked, BRANDS, damping=0.85, top=3)
    got = {(r.column, r.id): r for r in parts.collect()}
    expected = {"global": pagerank_parts(in_process_pagerank(local, tol=1e-10), top=3)}
    for brand, seeds in BRANDS.items():
        expected[brand] = pagerank_parts(personalized_pagerank(local, seeds, tol=1e-10), top=3, seeds=seeds)
    assert got.keys() == {(column, node) for column, values in expected.items() for node in values}
    for (column, node), row in got.items():
        want = expected[column][node]
        assert row.score == pytest.approx(want.score, abs=1e-6)
        assert list(row.top_sources) == list(want.top_sources), (column, node)
        assert list(row.top_contributions) == pytest.approx(list(want.top_contributions), abs=1e-6)
        assert row.other_sources == pytest.approx(want.other_sources, abs=1e-6)
        assert row.teleport == pytest.approx(want.teleport, abs=1e-6)
        assert sum(row.top_contributions) + row.other_sources + row.teleport == pytest.approx(
            row.score, abs=1e-15
        )


def test_two_hop_reach_equals_in_process(graphs):
    local, edges, vertices = graphs
    got = {r.id: r.reach for r in scores.two_hop_reach(vertices, edges).collect()}
    assert got == reach(local, hops=2).counts
    assert any(count > 0 for count in got.values())


def test_advocacy_equals_in_process(spark, graphs):
    local, edges, vertices = graphs
    rng = np.random.default_rng(11)
    posts = [
        BrandPost(
            f"p{rng.integers(0, 60)}",
            ["acme", "globex"][i % 2],
            f"post{i}",
            float(np.round(rng.uniform(-1, 1), 3)),
            int(AS_OF - rng.integers(0, 90 * DAY)),
            int(rng.integers(0, 50)),
        )
        for i in range(120)
    ]
    influence = in_process_pagerank(local).scores
    expected = in_process_advocacy(posts, influence, as_of_ms=AS_OF)
    frame = spark.createDataFrame(
        [(p.profile_id, p.brand_id, p.post_id, p.sentiment, p.created_at_ms, p.engagement) for p in posts],
        "profile_id string, brand_id string, post_id string, sentiment double, created_at_ms long, engagement long",
    )
    influence_frame = spark.createDataFrame(list(influence.items()), "id string, score double")
    got = {
        (r.brand_id, r.profile_id, r.kind): r.score
        for r in scores.brand_advocacy(frame, influence_frame, "score", AS_OF).collect()
    }
    want = {(s.brand_id, s.profile_id, s.kind): s.score for items in expected.values() for s in items}
    assert got.keys() == want.keys()
    assert {kind for _, _, kind in got} == {"advocate", "detractor"}
    for key, value in want.items():
        assert got[key] == pytest.approx(value, rel=1e-9)


def test_parquet_snapshot_round_trips_partitioned_by_kind(spark, interactions, graphs, tmp_path):
    local, edges, _ = graphs
    rows = list(zip(*interactions, strict=True))
    write_snapshot(spark, tmp_path, rows, ["p0", "lonely"])
    assert sorted(p.name for p in (tmp_path / "interactions").glob("kind=*")) == [
        f"kind={k}" for k in sorted(INTERACTION_KINDS)
    ]
    read_interactions, profiles = read_snapshot(spark, tmp_path)
    assert sorted(tuple(r) for r in read_interactions.collect()) == sorted(rows)
    assert sorted(r.id for r in profiles.collect()) == ["lonely", "p0"]
    again = scores.engagement_edges(read_interactions, AS_OF, 30.0)
    assert {(r.src, r.dst) for r in again.collect()} == {(r.src, r.dst) for r in edges.collect()}


def test_label_propagation_finds_planted_communities_and_reports_modularity_next_to_louvain(spark):
    # three 6-cliques of replies, joined in a ring by one light edge each
    sources, targets, weights = [], [], []
    for block in range(3):
        members = [f"c{block}m{i}" for i in range(6)]
        for a in members:
            for b in members:
                if a != b:
                    sources.append(a), targets.append(b), weights.append(1.0)
        sources.append(members[0]), targets.append(f"c{(block + 1) % 3}m0"), weights.append(0.1)
    local = DirectedGraph.from_edges(sources, targets, weights)
    edges = spark.createDataFrame(
        list(zip(sources, targets, weights, strict=True)), "src string, dst string, weight double"
    )
    vertices = scores.graph_vertices(edges)
    labels, passes = scores.label_propagation(vertices, edges)
    found = {r.id: r.label for r in labels.collect()}
    groups = {frozenset(n for n in found if found[n] == label) for label in found.values()}
    assert groups == {frozenset(f"c{b}m{i}" for i in range(6)) for b in range(3)}
    assert passes < 20

    louvain = detect_communities(local)
    codes = {label: i for i, label in enumerate(sorted(set(found.values())))}
    expected = in_process_modularity(
        undirected_weights(local), np.array([codes[found[n]] for n in local.node_ids])
    )
    assert scores.modularity(edges, labels) == pytest.approx(expected, abs=1e-12)
    assert scores.modularity(edges, labels) == pytest.approx(louvain.modularity, abs=1e-9)


def test_graphframes_runs_on_the_rebuilt_graphx_and_its_pagerank_is_ours_where_they_agree(spark):
    # GraphFrames' pageRank is GraphX's: unweighted, and normalised to sum n after the passes, which
    # drops a sink's mass; with every node engaging someone (no sinks) it is the in-process PageRank of
    # unit weights. So GraphFrames and its GraphX (rebuilt by spark/pom.xml) load and compute here.
    from graphframes import GraphFrame

    rng = np.random.default_rng(11)
    n = 40
    pairs = {(u, int(v)) for u in range(n) for v in rng.choice(n, 3, replace=False) if v != u}
    pairs |= {(u, (u + 1) % n) for u in range(n)}  # a ring: no sinks
    sources, targets = [f"v{u}" for u, _ in sorted(pairs)], [f"v{v}" for _, v in sorted(pairs)]
    edges = spark.createDataFrame(list(zip(sources, targets, strict=True)), "src string, dst string")
    vertices = spark.createDataFrame([(f"v{u}",) for u in range(n)], "id string")
    ranked = GraphFrame(vertices, edges).pageRank(resetProbability=0.15, maxIter=120)
    found = {row.id: row.pagerank for row in ranked.vertices.collect()}
    total = sum(found.values())
    expected = in_process_pagerank(DirectedGraph.from_edges(sources, targets, np.ones(len(sources))))
    assert set(found) == set(expected.scores)
    for node, score in expected.scores.items():
        assert found[node] / total == pytest.approx(score, abs=1e-9)


def test_the_message_pass_gives_graphframes_aggregate_messages_sums(spark, graphs):
    # scores.aggregate_messages is GraphFrames' aggregateMessages semantics in one join and group-by
    from graphframes import GraphFrame
    from pyspark.sql import functions as F

    _, edges, vertices = graphs
    state = vertices.select("id", (F.length("id") * 0.25).alias("r"))
    message = F.struct((F.col("src.r") * F.col("edge.weight")).alias("m"))
    ours = scores.aggregate_messages(
        state, edges, message, [F.sum(F.col("MSG").getField("m")).alias("total")]
    )
    theirs = GraphFrame(state, edges).aggregateMessages(
        [F.sum(F.col("MSG").getField("m")).alias("total")], sendToDst=[message]
    )
    expected = {row.id: row.total for row in theirs.collect()}
    found = {row.id: row.total for row in ours.collect()}
    assert found.keys() == expected.keys() and len(found) > 40
    for node, total in expected.items():
        assert found[node] == pytest.approx(total, rel=1e-12)
