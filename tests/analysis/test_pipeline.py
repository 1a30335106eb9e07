"""The analysis pipeline on the embedded store: known answers from networkx and Zachary's karate club."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import numpy as np
import pytest

from algorithms.projection import engagement_graph
from graph import projection, results
from tests.analysis.helpers import DAY, T0, interactions_writes, profile_id
from tests.conftest import new_falkordb_store, shared_data
from usecases.analysis import AnalysisParams, canonical_graph, engagement_weights, run_analysis


def _karate() -> nx.Graph:
    return nx.read_gml(shared_data("community_gt", "karate_club.gml"), label="id")


def _profiles(store) -> dict[str, dict]:
    rows = store.execute_text("MATCH (p:Profile) RETURN p.id AS id, properties(p) AS props", write=False)
    return {row["id"]: dict(row["props"]) for row in rows}


def _load_karate(store, counts=lambda u, v: 1) -> nx.MultiDiGraph:
    """Karate edges as likes both ways, ``counts(u, v)`` likes per direction, all at the same time."""
    karate = _karate()
    multi = nx.MultiDiGraph()
    interactions = []
    for u, v in karate.edges():
        for a, b in ((u, v), (v, u)):
            for _ in range(counts(a, b)):
                interactions.append((a, b, "like", T0))
                multi.add_edge(profile_id(a), profile_id(b))
    store.apply(interactions_writes(karate.nodes(), interactions))
    return multi


def test_karate_communities_reach_the_published_modularity(store) -> None:
    _load_karate(store)
    summary = run_analysis(store, AnalysisParams(seed=1))
    assert summary.profiles == 34 and summary.engagement_edges == 156
    assert summary.modularity >= 0.41
    run = results.current_run(store)
    assert run["id"] == summary.run_id and run["state"] == "succeeded" and run["current"] is True
    assert run["communities"] == summary.communities and run["modularity"] == pytest.approx(
        summary.modularity
    )
    profiles = _profiles(store)
    assert {p["run_id"] for p in profiles.values()} == {summary.run_id}
    assert all(p["community"] >= 0 for p in profiles.values())


def test_reach_is_the_two_hop_audience_not_whom_a_profile_engages_with(store) -> None:
    """k:1 and k:2 like k:0's posts, k:3 follows k:1, k:4 likes k:2's: k:0 reaches its engagers and
    theirs (k:1, k:2, k:3, k:4); k:1 its follower k:3; k:2 its engager k:4; k:3 and k:4, whom nobody
    follows or engages with, reach nobody (the old direction gave k:3 two: k:1 and k:0, whom it
    listens to)."""
    from graph.model import FOLLOWS

    writes = interactions_writes(range(5), [(1, 0, "like", T0), (2, 0, "like", T0), (4, 2, "like", T0)])
    writes.add_relationship(FOLLOWS, profile_id(3), profile_id(1))
    store.apply(writes)
    run_analysis(store, AnalysisParams(seed=0))
    reach = {pid: props["reach"] for pid, props in _profiles(store).items()}
    assert reach == {"k:0": 4, "k:1": 1, "k:2": 1, "k:3": 0, "k:4": 0}


def test_influence_equals_networkx_pagerank_of_the_multigraph_counts(store) -> None:
    multi = _load_karate(store, counts=lambda u, v: 1 + (3 * u + v) % 4)
    run_analysis(store, AnalysisParams(seed=0))
    weighted = nx.DiGraph()
    for u, v in multi.edges():
        weight = weighted.get_edge_data(u, v, {"weight": 0})["weight"]
        weighted.add_edge(u, v, weight=weight + 1)
    expected = nx.pagerank(weighted, alpha=0.85, tol=1e-13, max_iter=1000)
    profiles = _profiles(store)
    for node_id, score in expected.items():
        assert profiles[node_id]["influence"] == pytest.approx(score, abs=1e-6)
    assert sum(p["influence"] for p in profiles.values()) == pytest.approx(1.0, abs=1e-9)
    ranks = sorted(profiles.values(), key=lambda p: p["influence_rank"])
    assert [p["influence_rank"] for p in ranks] == list(range(1, 35))
    assert all(a["influence"] >= b["influence"] for a, b in zip(ranks, ranks[1:], strict=False))
    top = ranks[0]
    assert top["influence_top_sources"] and len(top["influence_top_sources"]) == len(
        top["influence_top_shares"]
    )
    assert top["influence_top_shares"] == sorted(top["influence_top_shares"], reverse=True)


def test_server_side_decay_equals_the_algorithms_engagement_weights(store) -> None:
    rng = np.random.default_rng(7)
    kinds = ("reply", "mention", "share", "like")
    interactions = [
        (int(u), int(v), kinds[int(k)], T0 - int(age) * DAY // 4)
        for u, v, k, age in zip(
            rng.integers(0, 12, 300),
            rng.integers(0, 12, 300),
            rng.integers(0, 4, 300),
            rng.integers(0, 400, 300),
            strict=True,
        )
        if u != v
    ]
    store.apply(interactions_writes(range(12), interactions))
    profiles = projection.read_profiles(store)
    assert projection.latest_interaction_ms(store) == max(t for *_, t in interactions)
    columns = projection.read_engagement(store, profiles, as_of_ms=T0, half_life_ms=30 * DAY, page_rows=7)
    ours = canonical_graph(
        profiles.ids, columns.source, columns.target, engagement_weights(columns, _weights())
    )
    reference = engagement_graph(
        [profile_id(u) for u, *_ in interactions],
        [profile_id(v) for _, v, *_ in interactions],
        [k for _, _, k, _ in interactions],
        [t for *_, t in interactions],
        as_of_ms=T0,
        half_life_days=30.0,
    )
    assert ours.node_ids == reference.node_ids
    assert np.array_equal(ours.src, reference.src) and np.array_equal(ours.dst, reference.dst)
    np.testing.assert_allclose(ours.weight, reference.weight, rtol=1e-9)
    assert columns.interactions.sum() == len(interactions)
    assert columns.latest_ms == max(t for *_, t in interactions)
    default = projection.read_engagement(store, profiles, as_of_ms=None, half_life_ms=30 * DAY)
    assert default.as_of_ms == columns.latest_ms  # as_of None: the newest interaction, same pass


def _weights():
    from algorithms.projection import EngagementWeights

    return EngagementWeights()


def _membership(store) -> dict[str, int]:
    return {k: p["community"] for k, p in _profiles(store).items()}


def test_community_ids_are_stable_across_runs(store, falkordb_server) -> None:
    _load_karate(store)
    run_analysis(store, AnalysisParams(seed=1))
    first = _membership(store)
    assert len(first) == 34 and len(set(first.values())) >= 2

    # Same data, same seed, no previous run (a fresh graph): the identical membership, ids included.
    other = new_falkordb_store(falkordb_server)
    try:
        _load_karate(other)
        run_analysis(other, AnalysisParams(seed=1))
        assert _membership(other) == first
    finally:
        other.engine.connection.execute_command("GRAPH.DELETE", other.engine.graph_name)
        other.close()

    # Same data and seed with the first run as the previous one: nothing moves, nothing is renamed.
    run_analysis(store, AnalysisParams(seed=1))
    assert _membership(store) == first

    # The previous run's ids are kept by overlap, whatever they are: stamp renamed ids (not the
    # canonical 0..k-1 a run without a previous run would give) and the same partition must take them.
    k = max(first.values()) + 1
    renamed = {node_id: 100 + (k - 1 - c) for node_id, c in first.items()}
    store.execute_text(
        "UNWIND $rows AS row MATCH (p:Profile {id: row.id}) SET p.community = row.community",
        {"rows": [{"id": node_id, "community": c} for node_id, c in renamed.items()]},
        write=True,
    )
    run_analysis(store, AnalysisParams(seed=1))
    assert _membership(store) == renamed

    # A different seed may move a few boundary members, but every community keeps the id of the
    # previous community it overlaps most.
    run_analysis(store, AnalysisParams(seed=5))
    second = _membership(store)
    for c in set(second.values()):
        members = [node_id for node_id, cid in second.items() if cid == c]
        overlap = Counter(renamed[node_id] for node_id in members)
        assert overlap[c] == max(overlap.values()), (c, overlap)
    assert sum(second[node] == renamed[node] for node in renamed) / len(renamed) >= 0.85
