import itertools
import math
from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import numpy as np
import pytest

from algorithms.trust import TrustEdge, TrustPathSearch, _HopLimitedSearch, trust_graph, trust_paths
from tests.data import SHARED_DATA

BITCOIN_OTC = str(SHARED_DATA / "bitcoin_trust" / "soc-sign-bitcoinotc.csv.gz")


def summary(paths):
    return [(path.nodes, round(path.trust, 12), path.hops) for path in paths]


def test_hand_solved_top_three_paths():
    graph = trust_graph(
        ["s", "s", "a", "s", "b", "a"],
        ["a", "t", "t", "b", "t", "b"],
        [9, 5, 8, 6, 6, 10],
    )
    paths = trust_paths(graph, "s", "t", k=3)
    # s-a-b-t = .9*1*.6 = .54 is not better than s-a-t = .72; s-b-t = .36; s-t = .5
    assert summary(paths) == [
        (("s", "a", "t"), 0.72, 2),
        (("s", "a", "b", "t"), 0.54, 3),
        (("s", "t"), 0.5, 1),
    ]
    assert paths[0].edges == (TrustEdge("s", "a", 0.9), TrustEdge("a", "t", 0.8))
    assert summary(trust_paths(graph, "s", "t", k=10))[3:] == [(("s", "b", "t"), 0.36, 2)]


def test_best_path_longer_than_hop_limit_is_skipped():
    # s-a-b-c-t has full trust but 4 hops; within 3 hops: s-x-t (.25) then s-t (.2)
    graph = trust_graph(
        ["s", "a", "b", "c", "s", "x", "s"], ["a", "b", "c", "t", "x", "t", "t"], [10, 10, 10, 10, 5, 5, 2]
    )
    assert summary(trust_paths(graph, "s", "t", k=2, max_hops=3)) == [
        (("s", "x", "t"), 0.25, 2),
        (("s", "t"), 0.2, 1),
    ]
    assert trust_paths(graph, "s", "t", k=1, max_hops=4)[0].nodes == ("s", "a", "b", "c", "t")
    assert summary(trust_paths(graph, "s", "t", k=1, max_hops=1)) == [(("s", "t"), 0.2, 1)]


def test_hop_limit_needs_a_worse_prefix_that_plain_dijkstra_would_discard():
    # the most trusted way to m takes 3 hops (s-a-b-m); with max_hops 3 only s-m (.5) leaves room for m-t
    graph = trust_graph(["s", "a", "b", "s", "m"], ["a", "b", "m", "m", "t"], [10, 10, 10, 5, 9])
    assert summary(trust_paths(graph, "s", "t", k=3, max_hops=3)) == [(("s", "m", "t"), 0.45, 2)]
    assert summary(trust_paths(graph, "s", "t", k=3, max_hops=4)) == [
        (("s", "a", "b", "m", "t"), 0.9, 4),
        (("s", "m", "t"), 0.45, 2),
    ]


def test_distrust_and_zero_edges_are_never_crossed():
    graph = trust_graph(
        ["s", "d", "s", "z", "s", "y"], ["d", "t", "z", "t", "y", "t"], [-10, 10, 0, 10, 3, 3]
    )
    assert graph.weight.min() == -1.0  # distrust is kept in the graph
    assert summary(trust_paths(graph, "s", "t", k=5)) == [(("s", "y", "t"), 0.09, 2)]
    assert trust_paths(graph, "t", "s") == []


def test_a_path_never_passes_through_someone_the_source_distrusts():
    """s distrusts x, the hop of its best chain s -> b -> x -> t (trust 1.0): no warm introduction
    goes through x. Distrust of the target itself does not hide the paths to it."""
    graph = trust_graph(["s", "b", "x", "s", "b"], ["b", "x", "t", "x", "t"], [10, 10, 10, -5, 3])
    assert summary(trust_paths(graph, "s", "t", k=5)) == [(("s", "b", "t"), 0.3, 2)]
    assert [p.nodes for p in trust_paths(graph, "b", "t", k=5)] == [("b", "x", "t"), ("b", "t")]  # b trusts x
    to_distrusted = trust_graph(["s", "b", "s"], ["b", "t", "t"], [10, 10, -10])
    assert summary(trust_paths(to_distrusted, "s", "t")) == [(("s", "b", "t"), 1.0, 2)]


def test_paths_are_simple_despite_full_trust_cycles():
    graph = trust_graph(["s", "a", "b", "a", "s"], ["a", "b", "a", "t", "b"], [10, 10, 10, 5, 1])
    paths = trust_paths(graph, "s", "t", k=5, max_hops=6)
    assert summary(paths) == [(("s", "a", "t"), 0.5, 2), (("s", "b", "a", "t"), 0.05, 3)]


def test_invalid_input():
    with pytest.raises(ValueError):
        trust_graph(["a", "a"], ["b", "b"], [1, 2])  # one rating per pair
    with pytest.raises(ValueError):
        trust_graph(["a"], ["b"], [11])
    graph = trust_graph(["a"], ["b"], [1])
    with pytest.raises(ValueError):
        trust_paths(graph, "a", "a")
    with pytest.raises(KeyError):
        trust_paths(graph, "a", "nobody")


@pytest.mark.parametrize("seed", range(25))
def test_top_k_equals_brute_force_enumeration_of_simple_paths(seed):
    rng = np.random.default_rng(seed)
    n = 9
    pairs = [(u, v) for u in range(n) for v in range(n) if u != v and rng.random() < 0.3]
    ratings = rng.choice([-10, -3, 1, 2, 3, 5, 7, 8, 9, 10], len(pairs))
    graph = trust_graph([f"n{u}" for u, _ in pairs], [f"n{v}" for _, v in pairs], ratings)
    positive = nx.DiGraph()
    positive.add_edges_from(
        (f"n{u}", f"n{v}", {"trust": r / 10}) for (u, v), r in zip(pairs, ratings, strict=True) if r > 0
    )
    distrusted = {(f"n{u}", f"n{v}") for (u, v), r in zip(pairs, ratings, strict=True) if r < 0}
    for max_hops in (2, 4, None):
        for source, target in itertools.islice(itertools.permutations(graph.node_ids, 2), 0, None, 7):
            expected = []
            if source in positive and target in positive:
                for path in nx.all_simple_paths(positive, source, target, cutoff=max_hops):
                    if any((source, hop) in distrusted for hop in path[1:-1]):
                        continue  # through someone the source distrusts
                    expected.append(math.prod(positive[u][v]["trust"] for u, v in itertools.pairwise(path)))
            expected.sort(reverse=True)
            found = trust_paths(graph, source, target, k=4, max_hops=max_hops)
            assert [p.trust for p in found] == pytest.approx(expected[:4], rel=1e-12)
            for path in found:
                assert len(set(path.nodes)) == len(path.nodes)
                assert path.hops == len(path.edges) <= (max_hops or n)
                assert all(edge.trust > 0 for edge in path.edges)


@pytest.fixture(scope="module")
def bitcoin():
    data = np.loadtxt(BITCOIN_OTC, delimiter=",")
    sources = data[:, 0].astype(np.int64).astype(str)
    targets = data[:, 1].astype(np.int64).astype(str)
    graph = trust_graph(sources, targets, data[:, 2])
    reference = nx.DiGraph()
    distrusts: dict[str, set[str]] = {}
    for s, t, r in zip(sources.tolist(), targets.tolist(), data[:, 2].tolist(), strict=True):
        if r > 0:
            reference.add_edge(s, t, cost=-math.log(r / 10))
        elif r < 0:
            distrusts.setdefault(s, set()).add(t)
    return graph, Reference(reference, distrusts)


class Reference:
    """The positive ratings (networkx), and per source the graph without the profiles it distrusts."""

    def __init__(self, graph: nx.DiGraph, distrusts: dict[str, set[str]]) -> None:
        self.graph, self.distrusts = graph, distrusts

    def seen_from(self, source: str) -> nx.DiGraph:
        return nx.restricted_view(self.graph, sorted(self.distrusts.get(source, set()) - {source}), [])

    def edges(self, data: str):
        return self.graph.edges(data=data)

    def has_edge(self, u: str, v: str) -> bool:
        return self.graph.has_edge(u, v)

    def __iter__(self):
        return iter(self.graph)


def reachable_pairs(reference, count, seed):
    rng = np.random.default_rng(seed)
    nodes = sorted(reference)
    pairs = []
    while len(pairs) < count:
        source = nodes[rng.integers(len(nodes))]
        distances = nx.single_source_dijkstra_path_length(reference.seen_from(source), source, weight="cost")
        targets = sorted(set(distances) - {source})
        if targets:
            target = targets[rng.integers(len(targets))]
            pairs.append((source, target, distances[target]))
    return pairs


def test_bitcoin_otc_best_path_matches_independent_dijkstra(bitcoin):
    graph, reference = bitcoin
    assert graph.n == 5881 and graph.m == 35592
    for source, target, distance in reachable_pairs(reference, 20, seed=0):
        best = trust_paths(graph, source, target, k=1, max_hops=None)[0]
        assert best.trust == pytest.approx(math.exp(-distance), rel=1e-9, abs=1e-12)
        assert all(reference.has_edge(e.source, e.target) for e in best.edges)


def test_bitcoin_otc_hop_limited_best_path_matches_layered_dijkstra(bitcoin):
    graph, reference = bitcoin
    max_hops = 3
    layered = nx.DiGraph()  # state (node, hops used): a walk of <= max_hops hops
    for u, v, cost in reference.edges(data="cost"):
        for hops in range(max_hops):
            layered.add_edge((u, hops), (v, hops + 1), cost=cost)
    checked = 0
    for source, target, _ in reachable_pairs(reference, 40, seed=1):
        avoided = reference.distrusts.get(source, set()) - {source, target}
        seen = nx.restricted_view(layered, [(node, h) for node in avoided for h in range(max_hops + 1)], [])
        distances = nx.single_source_dijkstra_path_length(seen, (source, 0), weight="cost")
        best_within = min(distances.get((target, h), math.inf) for h in range(1, max_hops + 1))
        found = trust_paths(graph, source, target, k=2, max_hops=max_hops)
        if math.isinf(best_within):
            assert found == []
        else:
            checked += 1
            assert found[0].trust == pytest.approx(math.exp(-best_within), rel=1e-9, abs=1e-12)
            assert found[0].hops <= max_hops
            assert len(found) < 2 or found[1].trust <= found[0].trust
    assert checked >= 5


def test_bitcoin_otc_python_and_vectorised_rounds_find_the_same_paths(bitcoin):
    # Bitcoin OTC has hubs, so a search's frontier grows past the Python rounds' limit and back.
    graph, reference = bitcoin
    in_python = TrustPathSearch(graph, python_edges=10**9)
    vectorised = TrustPathSearch(graph, python_edges=0)
    mixed = TrustPathSearch(graph)
    found = 0
    for source, target, _ in reachable_pairs(reference, 30, seed=2):
        expected = in_python.paths(source, target, k=3, max_hops=4)
        assert vectorised.paths(source, target, k=3, max_hops=4) == expected
        assert mixed.paths(source, target, k=3, max_hops=4) == expected
        found += len(expected)
    assert found >= 30


def test_searches_sharing_one_search_object_across_threads_find_what_they_find_alone(bitcoin):
    # The search keeps scratch arrays between calls (a pool); concurrent callers must never share one.
    graph, reference = bitcoin
    pairs = [(source, target) for source, target, _ in reachable_pairs(reference, 24, seed=3)]
    alone = [TrustPathSearch(graph).paths(source, target, k=3, max_hops=4) for source, target in pairs]
    shared = TrustPathSearch(graph, python_edges=8)  # both round kinds within one search
    expected = [TrustPathSearch(graph, python_edges=8).paths(s, t, k=3, max_hops=4) for s, t in pairs]
    assert expected == alone
    with ThreadPoolExecutor(max_workers=6) as pool:
        for _ in range(3):
            found = list(pool.map(lambda pair: shared.paths(pair[0], pair[1], k=3, max_hops=4), pairs))
            assert found == expected


def full_relaxation_cheapest(search, source, target, max_hops, blocked_nodes, blocked_edges):
    """Reference: the layered Bellman-Ford relaxing every edge each round (lowest edge index wins ties)."""
    active = np.ones(search.src.shape[0], dtype=bool)
    active[list(blocked_edges)] = False
    for node in blocked_nodes:
        active &= (search.src != node) & (search.dst != node)
    distance = np.full(search.n, np.inf)
    distance[source] = 0.0
    layers = []
    for _ in range(max_hops):
        updated, last_edge = distance.copy(), np.full(search.n, -1)
        for edge in np.flatnonzero(active):
            candidate = distance[search.src[edge]] + search.cost[edge]
            if candidate < updated[search.dst[edge]]:
                updated[search.dst[edge]] = candidate
        for edge in np.flatnonzero(active):
            v = search.dst[edge]
            if (
                updated[v] < distance[v]
                and last_edge[v] < 0
                and distance[search.src[edge]] + search.cost[edge] == updated[v]
            ):
                last_edge[v] = edge
        if not (updated < distance).any():
            break
        layers.append(last_edge)
        distance = updated
    if not np.isfinite(distance[target]):
        return None
    path, node, layer = [], target, len(layers) - 1
    while node != source:
        while layers[layer][node] < 0:
            layer -= 1
        path.append(int(layers[layer][node]))
        node, layer = int(search.src[layers[layer][node]]), layer - 1
    return path[::-1]


@pytest.mark.parametrize("python_edges", [0, 10**9], ids=["vectorised rounds", "python rounds"])
@pytest.mark.parametrize("seed", range(10))
def test_frontier_search_picks_the_same_edges_as_relaxing_every_edge(seed, python_edges):
    # Ratings from a small set make equal-cost walks common, so the tie-break (lowest edge index) is exercised.
    rng = np.random.default_rng(seed)
    n = 12
    pairs = [(u, v) for u in range(n) for v in range(n) if u != v and rng.random() < 0.35]
    ratings = rng.choice([-5, 5, 10], len(pairs))
    graph = trust_graph([f"n{u:02}" for u, _ in pairs], [f"n{v:02}" for _, v in pairs], ratings)
    search = _HopLimitedSearch(graph, python_edges=python_edges)
    checked = 0
    for source, target in itertools.permutations(range(graph.n), 2):
        blocked_nodes = {int(x) for x in rng.choice(graph.n, 2)} - {source}
        blocked_edges = {int(x) for x in rng.choice(search.src.shape[0], 3)} if search.src.shape[0] else set()
        for max_hops in (1, 3, 5):
            for nodes, edges in ((set(), set()), (blocked_nodes, blocked_edges)):
                expected = full_relaxation_cheapest(search, source, target, max_hops, nodes, edges)
                assert search.cheapest(source, target, max_hops, nodes, edges) == expected
                checked += expected is not None
    assert checked > 0
