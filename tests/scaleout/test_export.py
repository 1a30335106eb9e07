"""`rapport export --format parquet` from either store, read back by Spark, scored as in-process."""

from collections import Counter

from algorithms.influence import pagerank as in_process_pagerank
from algorithms.projection import engagement_graph
from graph import projection
from scaleout import scores
from scaleout.export import export_parquet
from scaleout.snapshot import read_snapshot
from tests.analysis.helpers import DAY, T0, interactions_writes, profile_id, random_interactions


def test_the_parquet_export_holds_every_interaction_and_gives_the_same_pagerank(store, spark, tmp_path):
    interactions = random_interactions(300, nodes=20, seed=5)
    store.apply(interactions_writes(range(22), interactions))  # k:20, k:21 never interact
    summary = export_parquet(store, tmp_path, max_rows_per_file=50)
    kept = [(profile_id(u), profile_id(v), kind, at) for u, v, kind, at in interactions if u != v]
    assert summary.profiles == 22
    assert summary.interactions == {k: n for k, n in Counter(k for _, _, k, _ in kept).items()}
    assert len(list((tmp_path / "interactions" / "kind=like").glob("*.parquet"))) >= 2  # split by row cap

    frame, profiles = read_snapshot(spark, tmp_path)
    assert Counter(tuple(r) for r in frame.collect()) == Counter(kept)
    assert {r.id for r in profiles.collect()} == {profile_id(n) for n in range(22)}

    # scored from the snapshot, PageRank equals the in-process PageRank of the store's own projection
    engagement = projection.read_engagement(
        store, projection.read_profiles(store), as_of_ms=T0, half_life_ms=30 * DAY
    )
    local = engagement_graph(
        *zip(*[(s, t, k, at) for s, t, k, at in kept], strict=True),
        as_of_ms=T0,
        nodes=[r.id for r in profiles.collect()],
    )
    assert engagement.interactions.sum() == len(kept)
    edges = scores.engagement_edges(frame, T0, 30.0)
    vertices = scores.graph_vertices(edges, profiles)
    # Spark stops at an L1 change of 1e-7: within 0.85 / 0.15 * 1e-7 = 5.7e-7 of the fixed point
    ranked = {r.id: r["global"] for r in scores.pagerank(vertices, edges, tol=1e-7).scores.collect()}
    expected = in_process_pagerank(local, tol=1e-10).scores
    assert ranked.keys() == expected.keys()
    assert max(abs(ranked[k] - expected[k]) for k in expected) < 1e-6
