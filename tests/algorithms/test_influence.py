import networkx as nx
import numpy as np
import pytest

from algorithms.influence import (
    PageRankDidNotConverge,
    brokerage,
    pagerank,
    personalized_pagerank,
    personalized_pagerank_batch,
    reach,
)
from algorithms.projection import DirectedGraph
from tests.data import SHARED_DATA

KARATE = str(SHARED_DATA / "community_gt" / "karate_club.gml")


def random_weighted_graph(seed: int, n: int = 60, m: int = 240) -> DirectedGraph:
    rng = np.random.default_rng(seed)
    # targets skewed so some nodes have no out-edges (dangling) and some are isolated
    sources = [f"p{i:03d}" for i in rng.integers(0, n // 2, m)]
    targets = [f"p{i:03d}" for i in rng.integers(0, n, m)]
    sources += ["p000", "p001"]  # self-loops
    targets += ["p000", "p001"]
    weights = np.concatenate([rng.random(m) * 5, [2.0, 0.5]])
    return DirectedGraph.from_edges(sources, targets, weights, nodes=["isolated"])


def assert_matches_networkx(graph, scores, **kwargs):
    reference = nx.pagerank(graph.to_networkx(), tol=1e-12, max_iter=1000, **kwargs)
    assert set(reference) == set(scores.scores)
    for node_id, value in reference.items():
        assert scores.scores[node_id] == pytest.approx(value, abs=1e-6)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pagerank_equals_networkx_with_dangling_nodes_and_self_loops(seed):
    graph = random_weighted_graph(seed)
    dangling = graph.out_weight() == 0
    assert dangling.sum() > 5
    scores = pagerank(graph)
    assert sum(scores.scores.values()) == pytest.approx(1.0, abs=1e-12)
    assert_matches_networkx(graph, scores)
    assert_matches_networkx(graph, pagerank(graph, damping=0.6), alpha=0.6)


def test_personalized_pagerank_equals_networkx_including_dangling_redistribution():
    graph = random_weighted_graph(3)
    personalization = {"p001": 2.0, "p040": 1.0, "isolated": 1.0}
    scores = pagerank(graph, personalization=personalization)
    assert_matches_networkx(graph, scores, personalization=personalization)
    brand = personalized_pagerank(graph, ["p001", "p002"])
    assert_matches_networkx(graph, brand, personalization={"p001": 1, "p002": 1})


def brand_seed_sets(graph: DirectedGraph, count: int, seed: int) -> dict[str, list[str]]:
    rng = np.random.default_rng(seed)
    ids = graph.node_ids
    sets = {
        f"brand{j}": [ids[i] for i in rng.integers(0, graph.n, int(rng.integers(1, 4)))] for j in range(count)
    }
    sets["dangling-only"] = ["isolated"]  # all its mass comes back through the dangling redistribution
    return sets


@pytest.mark.parametrize("block", [1, 3, 64])
def test_batched_personalization_equals_one_solve_per_brand_and_networkx(block):
    graph = random_weighted_graph(4)
    seed_sets = brand_seed_sets(graph, 7, seed=5)
    batch = personalized_pagerank_batch(graph, seed_sets, block=block)
    assert batch.keys == tuple(seed_sets)
    assert batch.scores.shape == (graph.n, len(seed_sets))
    for brand, members in seed_sets.items():
        single = personalized_pagerank(graph, members)
        column = batch.column(brand)
        assert np.abs(column - np.array([single.scores[i] for i in graph.node_ids])).max() < 1e-9
        assert batch.iterations[batch.keys.index(brand)] == single.iterations
        assert [p for p, _ in batch.top(brand, 10)] == [p for p, _ in single.top(10)]
        assert batch.scores_of(brand).scores == pytest.approx(single.scores, abs=1e-9)
        assert_matches_networkx(graph, batch.scores_of(brand), personalization=dict.fromkeys(members, 1))


def test_batched_personalization_top_breaks_ties_by_id_and_rejects_bad_input():
    # a -> b, a -> c with equal weights: b and c tie, b first; d is isolated with score 0
    graph = DirectedGraph.from_edges(["a", "a"], ["b", "c"], nodes=["d"])
    batch = personalized_pagerank_batch(graph, {"x": ["a"]})
    top = batch.top("x", 4)
    assert [p for p, _ in top] == ["a", "b", "c", "d"]
    assert top[1][1] == top[2][1] and top[3][1] == 0.0
    assert batch.top("x", 2) == top[:2] and batch.top("x", 0) == []
    with pytest.raises(ValueError, match="seeds"):
        personalized_pagerank_batch(graph, {"x": []})
    with pytest.raises(KeyError):
        personalized_pagerank_batch(graph, {"x": ["nobody"]})
    with pytest.raises(PageRankDidNotConverge):
        personalized_pagerank_batch(random_weighted_graph(0), {"x": ["p001"]}, max_iter=3)
    empty = personalized_pagerank_batch(graph, {})
    assert empty.keys == () and empty.scores.shape == (4, 0)


def test_pagerank_on_interaction_counts_equals_networkx_multigraph():
    rng = np.random.default_rng(7)
    sources = [f"u{i}" for i in rng.integers(0, 25, 400)]
    targets = [f"u{i}" for i in rng.integers(0, 40, 400)]
    graph = DirectedGraph.from_edges(sources, targets)  # weight = number of parallel interactions
    assert graph.weight.max() > 1
    multigraph = nx.MultiDiGraph()
    multigraph.add_edges_from(zip(sources, targets, strict=True))
    reference = nx.pagerank(multigraph, tol=1e-12, max_iter=1000)
    scores = pagerank(graph)
    for node_id, value in reference.items():
        assert scores.scores[node_id] == pytest.approx(value, abs=1e-6)
    assert_matches_networkx(graph, scores)


def test_pagerank_tolerance_is_size_independent_and_nonconvergence_raises():
    graph = random_weighted_graph(0)
    loose = pagerank(graph, tol=1e-4)
    strict = pagerank(graph, tol=1e-12)
    assert strict.iterations > loose.iterations
    with pytest.raises(PageRankDidNotConverge):
        pagerank(graph, max_iter=2)
    with pytest.raises(ValueError):
        pagerank(DirectedGraph.from_edges(["a"], ["b"], [-1.0]))
    with pytest.raises(KeyError):
        pagerank(graph, personalization={"nobody": 1.0})


def test_explain_contributions_add_up_to_the_score():
    graph = random_weighted_graph(4)
    scores = pagerank(graph)
    v = scores.top(1)[0][0]
    contributions = scores.explain(v, top=1000)
    assert contributions == sorted(contributions, key=lambda c: -c.contribution)
    n, damping = graph.n, scores.damping
    values = np.array([scores.scores[i] for i in graph.node_ids])
    dangling_mass = values[graph.out_weight() == 0].sum()
    rest = damping * dangling_mass / n + (1 - damping) / n
    assert sum(c.contribution for c in contributions) + rest == pytest.approx(scores.scores[v], abs=1e-9)
    assert len(scores.explain(v, top=2)) == 2


def test_explain_hand_solved():
    # a -> b (w 3), a -> c (w 1), c -> b (w 1), b -> a (w 1)
    graph = DirectedGraph.from_edges(["a", "a", "c", "b"], ["b", "c", "b", "a"], [3, 1, 1, 1])
    scores = pagerank(graph)
    s = scores.scores
    explained = scores.explain("b")
    assert [c.source for c in explained] == ["a", "c"]
    assert explained[0].contribution == pytest.approx(0.85 * s["a"] * 3 / 4)
    assert explained[1].contribution == pytest.approx(0.85 * s["c"] * 1 / 1)


def test_reach_counts_distinct_nodes_within_two_hops():
    graph = random_weighted_graph(5)
    nx_graph = graph.to_networkx()
    for hops in (1, 2, 3):
        for block_rows in (1, 7, 16_384):  # blocks of source rows never change a count
            counts = reach(graph, hops=hops, block_rows=block_rows).counts
            for node_id in graph.node_ids:
                expected = len(nx.single_source_shortest_path_length(nx_graph, node_id, cutoff=hops)) - 1
                assert counts[node_id] == expected, (node_id, hops, block_rows)


def test_reach_hand_solved_excludes_self_through_cycles():
    graph = DirectedGraph.from_edges(["a", "b", "b", "a"], ["b", "a", "c", "a"], nodes=["d"])
    assert reach(graph).counts == {"a": 2, "b": 2, "c": 0, "d": 0}


def karate_graph() -> tuple[nx.Graph, DirectedGraph]:
    karate = nx.read_gml(KARATE, label="id")
    sources = [str(u) for u, _ in karate.edges()]
    targets = [str(v) for _, v in karate.edges()]
    return karate, DirectedGraph.from_edges(sources, targets)


def test_exact_brokerage_equals_networkx_on_karate_undirected():
    karate, graph = karate_graph()
    result = brokerage(graph, directed=False)
    assert result.method == "exact" and result.error_bound == 0.0
    reference = nx.betweenness_centrality(karate, normalized=True)
    for node, value in reference.items():
        assert result.scores[str(node)] == pytest.approx(value, abs=1e-12)
    assert max(result.scores, key=result.scores.get) == "0"  # Mr. Hi is the top broker


def test_exact_brokerage_equals_networkx_on_directed_graph_ignoring_weights_and_self_loops():
    graph = random_weighted_graph(6, n=40, m=120)
    result = brokerage(graph, directed=True)
    reference_graph = graph.to_networkx()
    reference_graph.remove_edges_from(list(nx.selfloop_edges(reference_graph)))
    reference = nx.betweenness_centrality(reference_graph, normalized=True)  # unweighted
    assert max(reference.values()) > 0
    for node, value in reference.items():
        assert result.scores[node] == pytest.approx(value, abs=1e-12)


def test_approximate_brokerage_within_its_error_bound():
    nx_graph = nx.barabasi_albert_graph(300, 3, seed=1)
    graph = DirectedGraph.from_edges(
        [str(u) for u, _ in nx_graph.edges()], [str(v) for _, v in nx_graph.edges()]
    )
    exact = brokerage(graph, directed=False)
    approx = brokerage(graph, directed=False, exact_max_nodes=100, epsilon=0.03, delta=0.1, seed=3)
    assert approx.method == "approx"
    assert approx.error_bound == pytest.approx(0.03 * 300 / 298)
    errors = [abs(approx.scores[k] - exact.scores[k]) for k in exact.scores]
    assert max(errors) <= approx.error_bound
    assert approx.scores == brokerage(graph, directed=False, exact_max_nodes=100, epsilon=0.03, seed=3).scores


def test_estimated_brokerage_ranks_top_brokers_and_is_seeded():
    nx_graph = nx.barabasi_albert_graph(400, 2, seed=2)
    graph = DirectedGraph.from_edges(
        [str(u) for u, _ in nx_graph.edges()], [str(v) for _, v in nx_graph.edges()]
    )
    exact = brokerage(graph, directed=False)
    estimate = brokerage(graph, samples=100, seed=5, directed=False)
    assert estimate.method == "estimate" and estimate.error_bound is None
    top_exact = set(sorted(exact.scores, key=exact.scores.get)[-10:])
    top_estimate = set(sorted(estimate.scores, key=estimate.scores.get)[-10:])
    assert len(top_exact & top_estimate) >= 7
    assert estimate.scores == brokerage(graph, samples=100, seed=5, directed=False).scores


def test_edgeless_and_empty_graphs():
    edgeless = DirectedGraph.from_edges([], [], nodes=["a", "b", "c"])
    assert pagerank(edgeless).scores == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})
    assert reach(edgeless).counts == {"a": 0, "b": 0, "c": 0}
    assert brokerage(edgeless).scores == {"a": 0.0, "b": 0.0, "c": 0.0}
    empty = DirectedGraph.from_edges([], [])
    assert pagerank(empty).scores == {} and reach(empty).counts == {} and brokerage(empty).scores == {}


def test_reach_is_exact_when_many_paths_lead_to_the_same_node():
    # 256 two-step paths from "src" to "sink": a path count must not wrap to 0 in a small integer type
    middles = [f"m{i:03d}" for i in range(256)]
    graph = DirectedGraph.from_edges(["src"] * 256 + middles, middles + ["sink"] * 256)
    counts = reach(graph, hops=2).counts
    assert counts["src"] == 257 and counts["m000"] == 1 and counts["sink"] == 0
