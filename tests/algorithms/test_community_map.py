"""Community graph and layout: known answers by hand, cross-checked with networkx's quotient graph."""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from algorithms.community_map import community_edges, spring_positions


def test_cross_edges_sum_both_directions_and_internal_weight_is_kept_apart():
    # nodes 0,1 in community 0; 2,3 in 1; 4 in 2; 5 unassigned (-1)
    community = np.array([0, 0, 1, 1, 2, -1])
    source = np.array([0, 1, 2, 0, 3, 4, 5, 2])
    target = np.array([1, 0, 3, 2, 1, 2, 0, 2])
    weight = np.array([1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0])
    edges, internal = community_edges(community, source, target, weight)
    # 0->2 (8) and 3->1 (16) join communities 0 and 1; 4->2 (32) joins 1 and 2; node 5's edge is left out
    assert [(e.a, e.b, e.weight) for e in edges] == [(0, 1, 24.0), (1, 2, 32.0)]
    assert internal == {0: 3.0, 1: 132.0}  # 1+2 inside 0; 4 and the self-loop 128 inside 1


def test_no_edges_gives_no_community_edges():
    edges, internal = community_edges(np.array([0, 1]), np.array([], int), np.array([], int), np.array([]))
    assert (edges, internal) == ([], {})


def test_community_edges_equal_networkx_quotient_graph_on_a_random_graph():
    rng = random.Random(3)
    n, m = 60, 400
    community = np.array([rng.randrange(5) for _ in range(n)])
    source = np.array([rng.randrange(n) for _ in range(m)])
    target = np.array([rng.randrange(n) for _ in range(m)])
    weight = np.array([rng.uniform(0.1, 3) for _ in range(m)])
    edges, _ = community_edges(community, source, target, weight)

    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    for s, t, w in zip(source.tolist(), target.tolist(), weight.tolist(), strict=True):
        if community[s] != community[t]:
            previous = graph.get_edge_data(s, t, {"weight": 0.0})["weight"]
            graph.add_edge(s, t, weight=previous + w)
    blocks = [{v for v in range(n) if community[v] == c} for c in range(5)]
    quotient = nx.quotient_graph(graph, blocks, relabel=True)
    expected = {tuple(sorted((a, b))): d["weight"] for a, b, d in quotient.edges(data=True)}
    assert {(e.a, e.b): e.weight for e in edges} == pytest.approx(expected)


def test_spring_positions_are_seeded_bounded_and_pull_tied_nodes_together():
    nodes = list(range(8))
    # two tight triangles joined by one light edge, plus an isolated pair
    edges = [
        (0, 1, 5.0),
        (1, 2, 5.0),
        (0, 2, 5.0),
        (3, 4, 5.0),
        (4, 5, 5.0),
        (3, 5, 5.0),
        (2, 3, 0.2),
        (6, 7, 1.0),
    ]
    first = spring_positions(nodes, edges, seed=4)
    assert first == spring_positions(nodes, edges, seed=4)
    coords = np.array(list(first.values()))
    assert np.abs(coords).max() == pytest.approx(1.0)
    assert set(first) == set(nodes)

    def distance(u: int, v: int) -> float:
        return float(np.hypot(first[u][0] - first[v][0], first[u][1] - first[v][1]))

    inside = max(distance(0, 1), distance(1, 2), distance(3, 4), distance(4, 5))
    assert inside < distance(0, 5)  # a triangle's members sit closer than the two far ends


def test_spring_positions_of_zero_and_one_node():
    assert spring_positions([], []) == {}
    assert spring_positions(["only"], [("only", "only", 1.0)]) == {"only": (0.0, 0.0)}
