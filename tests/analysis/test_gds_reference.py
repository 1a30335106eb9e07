"""Rapport's analysis against Neo4j Graph Data Science on the same stored graph.

Each test stores a graph in the test Neo4j, runs Rapport's whole analysis (``run_analysis``: its own
projection, its algorithms, the write-back), reads the scores Rapport wrote, then projects the same
engagement graph into GDS straight from the stored interactions (``neo4j/gds/project_engagement.cypher``
re-states Rapport's weighting in Cypher: kind weights, half-life decay from the run's ``as_of``, self-
interactions left out) and compares with GDS's own algorithms. GDS is an independent implementation
of both the projection and the algorithms, so a wrong weight, direction, decay, damping or
normalisation on either side shows up as a difference.

Graphs: Zachary's karate club (34 members, each friendship stored as likes both ways, 1-4 per
direction, all at one time: no decay) and a generated engagement graph (300 profiles, ~3,000 replies,
mentions, shares and likes spread over 180 days, so the 30-day half-life matters; 3 brands with two
own profiles each).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from algorithms.projection import EngagementWeights
from graph import gds_reference as gds
from graph.model import BRAND_HAS_PROFILE, Label
from tests.analysis.helpers import DAY, T0, interactions_writes, profile_id
from tests.conftest import shared_data
from usecases.analysis import AnalysisParams, AnalysisSummary, run_analysis

HALF_LIFE_DAYS = 30.0
BRANDS = {"acme": (0, 7), "globex": (3, 150), "initech": (42, 299)}  # brand -> its own profiles (nodes)


def _load_karate(store) -> None:
    karate = nx.read_gml(shared_data("community_gt", "karate_club.gml"), label="id")
    interactions = [
        (a, b, "like", T0)
        for u, v in karate.edges()
        for a, b in ((u, v), (v, u))
        for _ in range(1 + (3 * int(a) + int(b)) % 4)
    ]
    store.apply(interactions_writes(karate.nodes(), interactions))


def _load_generated(store, profiles: int = 300, interactions: int = 3000, seed: int = 11) -> None:
    """Power-law targets (weight ``(i + 1) ** -0.8``), uniform sources, all four kinds, ages 0-180 days."""
    rng = np.random.default_rng(seed)
    weight = (np.arange(profiles) + 1.0) ** -0.8
    target = rng.choice(profiles, interactions, p=weight / weight.sum())
    source = rng.integers(0, profiles, interactions)
    kinds = rng.choice(["reply", "mention", "share", "like"], interactions, p=[0.2, 0.15, 0.15, 0.5])
    age = rng.integers(0, 180 * DAY, interactions)
    rows = [
        (int(s), int(t), str(k), T0 - int(a))
        for s, t, k, a in zip(source, target, kinds, age, strict=True)
        if s != t
    ]
    writes = interactions_writes(range(profiles), rows)
    for brand, own in BRANDS.items():
        writes.add_node_properties(Label.BRAND, {"id": brand, "name": brand.title()})
        for node in own:
            writes.add_relationship(BRAND_HAS_PROFILE, brand, profile_id(node))
    store.apply(writes)


LOADERS = {"karate": _load_karate, "generated": _load_generated}


def _analyse_and_project(store, name: str, *, half_life_days: float | None = HALF_LIFE_DAYS):
    """Rapport's run, then the GDS projection of the same graph at the run's ``as_of``."""
    LOADERS[name](store)
    summary = run_analysis(store, AnalysisParams(seed=0, half_life_days=HALF_LIFE_DAYS))
    projected = _project(store, summary, half_life_days)
    assert projected.nodes == summary.profiles  # the same nodes: every profile with an engagement edge
    assert projected.relationships == 3 * summary.engagement_edges  # ENGAGED once, its undirected copy twice
    return summary, projected


def _project(store, summary: AnalysisSummary, half_life_days: float | None) -> gds.GdsProjection:
    name = f"engagement-{half_life_days}"
    return gds.project_engagement(
        store,
        name,
        as_of_ms=summary.as_of_ms,
        half_life_ms=None if half_life_days is None else half_life_days * DAY,
        kind_weights=EngagementWeights().as_mapping(),
    )


def _written(store, prop: str) -> dict[str, float]:
    rows = store.execute_text(
        f"MATCH (p:Profile) WHERE p.{prop} IS NOT NULL RETURN p.id AS id, p.{prop} AS value", write=False
    )
    return {row["id"]: row["value"] for row in rows}


def _normalised(scores: dict[str, float]) -> dict[str, float]:
    total = sum(scores.values())
    return {key: value / total for key, value in scores.items()}


def _max_difference(ours: dict[str, float], theirs: dict[str, float]) -> float:
    assert ours.keys() == theirs.keys()
    return max(abs(ours[key] - theirs[key]) for key in ours)


PAGERANK_TOLERANCE = 1e-9


@pytest.mark.parametrize("graph", ["karate", "generated"])
def test_pagerank_equals_gds_pagerank_after_normalising(neo4j_store, graph: str) -> None:
    """Rapport's ``influence`` equals GDS PageRank (damping 0.85, weighted) divided by its sum, within 1e-9.

    GDS leaves a dangling node's mass out and does not normalise; Rapport hands that mass to the
    uniform teleport vector. Both are then ``c * (I - d P^T)^-1 1`` for different constants ``c``, so
    they agree after each is divided by its sum. Tolerance: Rapport stops when the L1 change of an
    iteration is below 1e-10, which bounds its L1 error by ``1e-10 * d / (1 - d)`` ~ 6e-10; GDS is run
    with tolerance 1e-10 per node and up to 1000 iterations, and after dividing by its sum (~n) its
    error is smaller still. 1e-9 per node leaves room for both and is 1e-6 of a typical score here
    (1/300), far below what a wrong weight, decay or damping moves (the test below shows one).
    """
    summary, projected = _analyse_and_project(neo4j_store, graph)
    ours = _written(neo4j_store, "influence")
    theirs = _normalised(gds.pagerank(neo4j_store, projected.name, damping=0.85, tolerance=1e-10))
    assert sum(ours.values()) == pytest.approx(1.0, abs=1e-9)
    assert _max_difference(ours, theirs) <= PAGERANK_TOLERANCE
    assert summary.profiles == len(ours)


def test_the_pagerank_comparison_sees_the_time_decay(neo4j_store) -> None:
    """The same comparison against a GDS projection *without* decay fails by far: the check above can fail.

    On the generated graph, interactions are up to six half-lives old; dropping the decay moves
    PageRank by orders of magnitude more than the tolerance used above.
    """
    summary, _ = _analyse_and_project(neo4j_store, "generated")
    undecayed = _project(neo4j_store, summary, None)
    ours = _written(neo4j_store, "influence")
    theirs = _normalised(gds.pagerank(neo4j_store, undecayed.name))
    assert _max_difference(ours, theirs) > 1000 * PAGERANK_TOLERANCE


@pytest.mark.parametrize("graph", ["karate", "generated"])
def test_brokerage_equals_gds_exact_betweenness(neo4j_store, graph: str) -> None:
    """Rapport's ``brokerage`` times ``(n - 1)(n - 2)`` equals GDS betweenness over all sources.

    Both are unweighted and directed on the engagement edges (Rapport: exact Brandes by networkit on
    graphs up to 5,000 nodes; GDS: ``samplingSize`` = node count, i.e. every node a source). GDS
    reports raw sums over ordered pairs; Rapport divides by the ``(n - 1)(n - 2)`` ordered pairs not
    containing the node (networkx's scale). Relative tolerance 1e-9: the sums are exact rationals
    computed in doubles in a different order.
    """
    summary, projected = _analyse_and_project(neo4j_store, graph)
    assert summary.brokerage_method == "exact"
    n = summary.profiles
    ours = {key: value * (n - 1) * (n - 2) for key, value in _written(neo4j_store, "brokerage").items()}
    theirs = gds.betweenness(neo4j_store, projected.name, sampling_size=projected.nodes)
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        assert ours[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key
    assert max(theirs.values()) > 0


def _modularity_networkx(graph: gds.GdsProjection, store, membership: dict[str, int]) -> float:
    """networkx modularity of ``membership`` on the undirected weighted graph ``w(a, b) + w(b, a)``.

    The weights are read back from GDS's own projection (``gds.graph.relationshipProperty.stream``),
    so this is the graph GDS's Louvain ran on.
    """
    rows = store.execute_text(
        "CALL gds.graph.relationshipProperty.stream($name, 'weight', ['ENGAGED']) "
        "YIELD sourceNodeId, targetNodeId, propertyValue "
        "RETURN gds.util.asNode(sourceNodeId).id AS a, gds.util.asNode(targetNodeId).id AS b, "
        "propertyValue AS w",
        {"name": graph.name},
        write=True,
    )
    undirected = nx.Graph()
    undirected.add_nodes_from(membership)
    for row in rows:
        a, b, w = row["a"], row["b"], row["w"]
        previous = undirected.get_edge_data(a, b, {"weight": 0.0})["weight"]
        undirected.add_edge(a, b, weight=previous + w)
    groups: dict[int, set[str]] = {}
    for node, community in membership.items():
        groups.setdefault(community, set()).add(node)
    return nx.community.modularity(undirected, groups.values(), weight="weight")


@pytest.mark.parametrize("graph", ["karate", "generated"])
def test_louvain_modularity_is_within_001_of_gds_or_better(neo4j_store, graph: str) -> None:
    """Rapport's communities reach GDS Louvain's modularity minus 0.01, or more; one formula for both.

    Both partitions are scored with ``networkx.community.modularity`` on the same undirected weighted
    graph (``w(a, b) + w(b, a)``, read back from GDS's projection); Rapport's own reported modularity
    and GDS's reported one must each equal that networkx value for their partition (1e-9), which
    shows the three use the same formula, resolution 1. GDS runs single-threaded (deterministic).
    """
    summary, projected = _analyse_and_project(neo4j_store, graph)
    ours = {key: int(value) for key, value in _written(neo4j_store, "community").items()}
    theirs = gds.louvain(neo4j_store, projected.name, concurrency=1)
    assert ours.keys() == theirs.membership.keys()
    ours_q = _modularity_networkx(projected, neo4j_store, ours)
    theirs_q = _modularity_networkx(projected, neo4j_store, theirs.membership)
    assert summary.modularity == pytest.approx(ours_q, abs=1e-9)
    assert theirs.modularity == pytest.approx(theirs_q, abs=1e-9)
    assert ours_q >= theirs_q - 0.01, (ours_q, theirs_q)
    assert theirs_q > 0.3  # a partition with real structure, not a trivial one both could match


def _influences(store) -> dict[str, dict[str, float]]:
    rows = store.execute_text(
        "MATCH (p:Profile)-[r:INFLUENCES]->(b:Brand) RETURN b.id AS brand, p.id AS id, r.score AS score",
        write=False,
    )
    scores: dict[str, dict[str, float]] = {}
    for row in rows:
        scores.setdefault(row["brand"], {})[row["id"]] = row["score"]
    return scores


def test_brand_influence_equals_gds_personalized_pagerank(neo4j_store) -> None:
    """Each brand's INFLUENCES scores equal GDS PageRank with ``sourceNodes`` = the brand's own profiles.

    Rapport teleports (and hands dangling mass) uniformly to the brand's profiles; GDS restarts at
    the source nodes and lets dangling mass leak, so again the two agree after dividing GDS's scores
    by their sum. Rapport writes every profile with a positive score (top 500 per brand, more than
    the graph has); a profile it did not write must have GDS score 0 (not reachable from the seeds).

    GDS's ``tolerance`` is per node and absolute, on its unnormalised scores: a node whose change
    falls below it stops passing change on, so up to ``n * tolerance`` of mass can be held back in
    all. Global scores sum to ~n, so 1e-10 is ample there; personalized ones sum to ~|seeds| (2 here),
    so the same 1e-10 left errors of 2e-8 after normalising (seen). GDS runs with 1e-13 here (``n *
    1e-13 / |seeds|`` ~ 1.5e-11), and the comparison uses the PageRank tolerance, 1e-9.
    """
    _, projected = _analyse_and_project(neo4j_store, "generated")
    written = _influences(neo4j_store)
    assert written.keys() == BRANDS.keys()
    for brand, own in BRANDS.items():
        seeds = [profile_id(node) for node in own]
        theirs = _normalised(gds.pagerank(neo4j_store, projected.name, seed_ids=seeds, tolerance=1e-13))
        ours = {key: written[brand].get(key, 0.0) for key in theirs}
        assert written[brand].keys() <= theirs.keys()
        assert _max_difference(ours, theirs) <= PAGERANK_TOLERANCE, brand
        assert max(theirs, key=theirs.__getitem__) in seeds  # the restart set leads, as it should
