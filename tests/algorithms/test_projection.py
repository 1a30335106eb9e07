import numpy as np
import pytest

from algorithms.projection import (
    MILLIS_PER_DAY,
    DirectedGraph,
    EngagementWeights,
    decayed_weights,
    engagement_graph,
)


def test_from_edges_merges_parallel_edges_sorts_and_keeps_self_loops_and_isolated_nodes():
    graph = DirectedGraph.from_edges(
        ["b", "a", "a", "c", "c"], ["a", "b", "b", "c", "a"], [1.0, 2.0, 0.5, 4.0, 1.5], nodes=["z", "a"]
    )
    assert graph.node_ids == ("a", "b", "c", "z")
    assert (graph.n, graph.m) == (4, 4)
    edges = [
        (graph.node_ids[s], graph.node_ids[t], w)
        for s, t, w in zip(graph.src.tolist(), graph.dst.tolist(), graph.weight.tolist(), strict=True)
    ]
    assert edges == [("a", "b", 2.5), ("b", "a", 1.0), ("c", "a", 1.5), ("c", "c", 4.0)]
    assert graph.index_of("z") == 3
    with pytest.raises(KeyError):
        graph.index_of("missing")
    dense = graph.adjacency().toarray()
    assert dense[0, 1] == 2.5 and dense[2, 2] == 4.0 and dense.sum() == 9.0
    assert graph.out_weight().tolist() == [2.5, 1.0, 5.5, 0.0]


def test_from_edges_default_weights_count_interactions():
    graph = DirectedGraph.from_edges(["a", "a", "a", "b"], ["b", "b", "b", "a"])
    assert graph.weight.tolist() == [3.0, 1.0]


def test_edge_order_does_not_change_the_projection():
    rng = np.random.default_rng(0)
    sources = [f"n{i}" for i in rng.integers(0, 50, 300)]
    targets = [f"n{i}" for i in rng.integers(0, 50, 300)]
    weights = rng.random(300)
    order = rng.permutation(300)
    one = DirectedGraph.from_edges(sources, targets, weights)
    two = DirectedGraph.from_edges([sources[i] for i in order], [targets[i] for i in order], weights[order])
    assert one.node_ids == two.node_ids
    assert np.array_equal(one.src, two.src) and np.array_equal(one.dst, two.dst)
    np.testing.assert_allclose(one.weight, two.weight, rtol=1e-12)


def test_arrays_are_read_only_and_validated():
    graph = DirectedGraph.from_edges(["a"], ["b"])
    with pytest.raises(ValueError):
        graph.weight[0] = 2.0
    with pytest.raises(ValueError):
        DirectedGraph(("a",), np.array([0]), np.array([1]), np.array([1.0]))
    with pytest.raises(ValueError):
        DirectedGraph.from_edges(["a"], ["b"], [float("nan")])


def test_to_networkx_round_trip():
    graph = DirectedGraph.from_edges(["a", "b", "b"], ["b", "c", "c"], [1.0, 2.0, 3.0], nodes=["d"])
    nx_graph = graph.to_networkx()
    assert sorted(nx_graph.nodes) == ["a", "b", "c", "d"]
    assert nx_graph["b"]["c"]["weight"] == 5.0


def test_decayed_weights_kind_weights_and_half_life():
    as_of = 100 * MILLIS_PER_DAY
    kinds = ["reply", "mention", "share", "like", "reply", "like"]
    times = [as_of, as_of, as_of, as_of, as_of - 30 * MILLIS_PER_DAY, as_of - 60 * MILLIS_PER_DAY]
    weights = decayed_weights(kinds, times, as_of, half_life_days=30)
    np.testing.assert_allclose(weights, [3.0, 2.0, 2.0, 1.0, 1.5, 0.25], rtol=1e-12)
    # no decay; integer kind codes (0 = reply ... 3 = like); future times clamp to age 0
    np.testing.assert_allclose(decayed_weights(np.array([0, 3]), [0, 0], as_of, None), [3.0, 1.0])
    np.testing.assert_allclose(decayed_weights(["like"], [as_of + MILLIS_PER_DAY], as_of, 30), [1.0])
    custom = EngagementWeights(reply=5.0, like=0.0)
    np.testing.assert_allclose(decayed_weights(["reply", "like"], [as_of, as_of], as_of, 7, custom), [5.0, 0])
    with pytest.raises(ValueError):
        decayed_weights(["poke"], [0], as_of, 30)
    with pytest.raises(ValueError):
        decayed_weights(["like"], [0], as_of, 0)


def test_equal_kinds_at_equal_times_give_equal_weights():
    rng = np.random.default_rng(1)
    kinds = rng.choice(["reply", "mention", "share", "like"], 1000)
    times = rng.integers(0, 5, 1000) * MILLIS_PER_DAY
    weights = decayed_weights(kinds, times, 10 * MILLIS_PER_DAY, 3.0)
    for kind in ("reply", "like"):
        for t in range(5):
            selected = weights[(kinds == kind) & (times == t * MILLIS_PER_DAY)]
            assert selected.size and np.all(selected == selected[0])


def test_engagement_graph_sums_decayed_interactions_per_pair():
    day = MILLIS_PER_DAY
    graph = engagement_graph(
        ["a", "a", "b"], ["b", "b", "a"], ["reply", "like", "share"], [10 * day, 0, 10 * day], 10 * day, 10
    )
    np.testing.assert_allclose(graph.weight, [3.5, 2.0])
