"""Known answers for the signal algorithms: roles, stances, spike alerts, screening, score parts, implicit trust."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from algorithms.advocacy import BrandPost
from algorithms.alerts import DAY_MS, HOUR_MS, negative_spikes
from algorithms.explain import batched_pagerank_parts, link_and_teleport_parts, pagerank_parts
from algorithms.implicit_trust import beta_trust, trust_network
from algorithms.influence import pagerank, personalized_pagerank, personalized_pagerank_batch
from algorithms.projection import DirectedGraph
from algorithms.roles import AuthoredPost, assign_roles, detect_staff, parse_include
from algorithms.screening import ScreenedPost, burst_runs, near_duplicate_pairs, screen_accounts
from algorithms.stance import brand_stances, evidence_for_display
from algorithms.trust import trust_paths
from ingest.demo import RING_PREFIX, DemoSize, demo_events
from ingest.events import epoch_millis

DAY = 86_400_000


# ---------------------------------------------------------------------------------------------- roles
def test_staff_detection_reads_signatures_and_answers_for_a_brand_but_not_customers() -> None:
    brands = frozenset({"t:spotifycares", "t:delta"})
    posts = [
        AuthoredPost("t:agent", "p1", "@42 Do you have the return slip? ^NHP"),
        AuthoredPost(
            "t:helper",
            "p2",
            "Thanks for reaching out! @SpotifyCares, could you help?",
            "t:cust",
            ("t:cust", "t:spotifycares"),
        ),
        # a customer asking a brand for help: replying to the brand, not answering a customer
        AuthoredPost("t:cust", "p3", "@Delta could you help? I want a refund", "t:delta", ("t:delta",)),
        # a customer quoting prices in capitals is not a signature
        AuthoredPost("t:cust2", "p4", "That is 2x the price ^^ LOL"),
        AuthoredPost("t:spotifycares", "p5", "We're sorry! ^JK"),  # the brand itself: brand_owned, not staff
    ]
    staff = detect_staff(posts, brands)
    assert set(staff) == {"t:agent", "t:helper"}
    assert "^NHP" in staff["t:agent"] and "t:spotifycares" in staff["t:helper"] and "p2" in staff["t:helper"]


def test_declared_roles_win_then_brand_accounts_then_staff_then_placeholders() -> None:
    roles = assign_roles(
        ["a", "b", "c", "d", "e"],
        declared={"a": ("customer", "declared by crm"), "e": ("staff", "")},
        brand_accounts={"a": ["acme"], "b": ["acme", "zeta"]},
        placeholders=["c", "b"],
        staff={"d": "signs ^JK"},
    )
    assert [(r.role, r.reason) for r in roles.values()] == [
        ("customer", "declared by crm"),
        ("brand_owned", "account of brand acme, zeta"),
        ("placeholder", "known only from a reference: no handle, no posts"),
        ("staff", "signs ^JK"),
        ("staff", "declared staff at ingest"),
    ]
    assert parse_include("owned, placeholder") == ("customer", "brand_owned", "placeholder")
    with pytest.raises(ValueError, match="include: unknown role 'bots'"):
        parse_include("bots")


# -------------------------------------------------------------------------------------------- stances
def test_one_stance_per_profile_from_net_recency_weighted_evidence() -> None:
    """Hand-solved with half-life 10 days, no engagement, influence factor 1 (no influence map):

    ann: +0.8 today, -0.8 twenty days ago -> positive 0.8, negative 0.2, balance 0.6: advocate, 0.6
    bob: -0.6 today, +0.9 ten days ago    -> positive 0.45, negative 0.6, balance -1/7: mixed, 1.05
    cat: -0.9 today, +0.3 today            -> positive 0.3, negative 0.9, balance -0.5: detractor, 0.6
    """
    now = 40 * DAY
    posts = [
        BrandPost("ann", "acme", "a1", 0.8, now),
        BrandPost("ann", "acme", "a2", -0.8, now - 20 * DAY),
        BrandPost("bob", "acme", "b1", -0.6, now),
        BrandPost("bob", "acme", "b2", 0.9, now - 10 * DAY),
        BrandPost("cat", "acme", "c1", -0.9, now),
        BrandPost("cat", "acme", "c2", 0.3, now),
        BrandPost("dan", "acme", "d1", 0.01, now),  # neutral: no stance at all
    ]
    stances = {s.profile_id: s for s in brand_stances(posts, {}, as_of_ms=now, half_life_days=10)["acme"]}
    assert sorted(stances) == ["ann", "bob", "cat"]
    expected = {"ann": ("advocate", 0.6), "bob": ("mixed", 1.05), "cat": ("detractor", 0.6)}
    for profile, (kind, score) in expected.items():
        assert stances[profile].stance == kind and stances[profile].score == pytest.approx(score)
        # the explanation adds up: weight * influence factor * signed contributions == score
        s = stances[profile]
        assert s.weight * s.influence_factor * sum(e.contribution for e in s.evidence) == pytest.approx(
            s.score
        )
    assert [(e.post_id, e.tone, round(e.contribution, 9)) for e in stances["ann"].evidence] == [
        ("a1", "positive", 0.8),
        ("a2", "negative", -0.2),
    ]
    assert stances["bob"].balance == pytest.approx(-1 / 7)


def test_display_evidence_keeps_both_sides_and_screening_weight_scales_the_score() -> None:
    posts = [BrandPost("p", "acme", f"pos{i}", 0.9, 0) for i in range(8)] + [
        BrandPost("p", "acme", "neg", -0.5, 0)
    ]
    (full,) = brand_stances(posts, {}, as_of_ms=0)["acme"]
    (down,) = brand_stances(posts, {}, as_of_ms=0, weights={"p": 0.1})["acme"]
    assert full.stance == "advocate" and down.score == pytest.approx(0.1 * full.score)
    shown = evidence_for_display(full, per_side=3)
    assert [e.tone for e in shown].count("negative") == 1 and len(shown) == 4


# --------------------------------------------------------------------------------------------- alerts
def test_a_planted_spike_is_found_with_its_start_time() -> None:
    rng = np.random.default_rng(7)
    base = 1_700_000_000_000 // HOUR_MS * HOUR_MS
    times = [
        base + int(h * HOUR_MS + rng.integers(0, HOUR_MS))
        for h in range(24 * 14)
        for _ in range(rng.poisson(2))
    ]
    spike_start = base + (24 * 10 + 5) * HOUR_MS
    times += [spike_start + int(rng.integers(0, 2 * HOUR_MS)) for _ in range(40)]  # 40 more over two hours
    ids = [f"p{i}" for i in range(len(times))]
    alerts = negative_spikes(times, ids, granularity="hour")
    assert [(a.start_ms, a.buckets) for a in alerts] == [(spike_start, 2)]
    (alert,) = alerts
    assert alert.observed >= 40 and alert.expected < 6 and alert.p_value < 1e-6
    in_window = {i for i, t in zip(ids, times, strict=True) if spike_start <= t < spike_start + 2 * HOUR_MS}
    assert set(alert.post_ids) == in_window
    # a far-back start (the API's `since`) changes nothing: the series runs over the posts' own span
    assert negative_spikes(times, ids, granularity="hour", start_ms=12_892) == alerts


def test_a_quiet_series_gives_no_alert_hourly_or_daily() -> None:
    rng = np.random.default_rng(11)
    times = [
        int(h * HOUR_MS + rng.integers(0, HOUR_MS)) for h in range(24 * 60) for _ in range(rng.poisson(3))
    ]
    ids = [str(i) for i in range(len(times))]
    assert negative_spikes(times, ids, granularity="hour") == []
    assert negative_spikes(times, ids, granularity="day") == []
    with pytest.raises(ValueError, match="granularity"):
        negative_spikes(times, ids, granularity="week")


def test_a_daily_spike_after_a_quiet_month() -> None:
    times = [d * DAY_MS + 3_600_000 * (d % 5) for d in range(30)] + [
        30 * DAY_MS + i * 60_000 for i in range(9)
    ]
    (alert,) = negative_spikes(times, [str(t) for t in times], granularity="day")
    assert alert.start_ms == 30 * DAY_MS and alert.observed == 9 and alert.upper_control_limit <= 9


# ------------------------------------------------------------------------------------------ screening
def _demo_inputs() -> tuple[list[ScreenedPost], list[tuple[str, str]], set[str], set[str]]:
    events = list(demo_events(7, DemoSize(customers=200)))
    author = {e["id"]: e["author"] for e in events if e["kind"] == "post"}
    posts = [
        ScreenedPost(e["author"], e["id"], e["text"], epoch_millis(e["created_at"]))
        for e in events
        if e["kind"] == "post"
    ]
    edges = {(e["profile"], author[e["post"]]) for e in events if e["kind"] in ("like", "share")}
    edges |= {
        (e["author"], author[e["reply_to"]]) for e in events if e["kind"] == "post" and e.get("reply_to")
    }
    reciprocal = [(a, b) for a, b in edges if (b, a) in edges and a < b]
    brand_accounts = {p for e in events if e["kind"] == "brand" for p in e["profile_ids"]}
    profiles = {e["id"] for e in events if e["kind"] == "profile"} - brand_accounts
    ring = {p for p in profiles if p.startswith(RING_PREFIX)}
    return posts, reciprocal, profiles, ring


def _demo_screening() -> tuple[dict, set[str], set[str]]:
    posts, reciprocal, profiles, ring = _demo_inputs()
    return screen_accounts(posts, reciprocal, candidates=profiles), ring, profiles - ring


def test_the_demo_ring_is_found_with_precision_and_recall_at_least_0_9() -> None:
    results, ring, ordinary = _demo_screening()
    flagged = {p for p, r in results.items() if r.flagged}
    true_positives = len(flagged & ring)
    assert len(ring) == 12
    assert true_positives / len(flagged) >= 0.9 and true_positives / len(ring) >= 0.9
    assert not flagged & ordinary  # no ordinary customer is flagged
    assert all("coordinated_text" in results[p].evidence[0] for p in ring)
    assert all({"burst", "reciprocal_ring"} <= set(results[p].flags) for p in ring)


def test_bursts_need_the_posts_within_the_window_and_flag_nothing_alone() -> None:
    minute = 60_000
    quick = [ScreenedPost("fast", f"f{i}", f"post number {i}", 1000 + 12 * i * minute) for i in range(6)]
    slow = [ScreenedPost("slow", f"s{i}", f"post number {i}", 1000 + 16 * i * minute) for i in range(5)]
    results = screen_accounts(quick + slow, [])
    assert set(results) == {"fast"} and results["fast"].flags == ("burst",) and not results["fast"].flagged
    assert "6 posts within 60 minutes (f0 .. f5)" in results["fast"].evidence[0]


def test_burst_runs_match_a_search_over_every_window() -> None:
    rng = np.random.default_rng(3)
    authors = rng.integers(0, 6, 400)
    times = rng.integers(0, 3 * 24 * 60, 400) * 60_000  # minutes over three days
    expected: dict[int, tuple[int, int, int]] = {}
    for author in range(6):
        # the author's posts in time order (ties in array order), then the first run of 5 in an hour
        mine = sorted(np.flatnonzero(authors == author).tolist(), key=lambda i: (times[i], i))
        for start in range(len(mine) - 4):
            if times[mine[start + 4]] - times[mine[start]] <= 3_600_000:
                end = start + 4
                while end + 1 < len(mine) and times[mine[end + 1]] - times[mine[start]] <= 3_600_000:
                    end += 1
                expected[author] = (mine[start], mine[end], end - start + 1)
                break
    assert burst_runs(authors, times) == expected and expected


def test_bursts_found_beforehand_give_the_same_screening() -> None:
    posts, reciprocal, profiles, _ = _demo_inputs()
    results = screen_accounts(posts, reciprocal, candidates=profiles)
    texted = [p for p in posts if p.text]
    names = sorted({p.author for p in posts})
    codes = np.array([names.index(p.author) for p in posts])
    runs = burst_runs(codes, np.array([p.created_at_ms for p in posts]))
    bursts = {names[a]: (posts[f].post_id, posts[lst].post_id, n) for a, (f, lst, n) in runs.items()}
    assert bursts
    assert screen_accounts(texted, reciprocal, candidates=profiles, bursts=bursts) == results


def test_near_duplicates_need_similar_text_within_the_window_from_two_accounts() -> None:
    posts = [
        ScreenedPost("a", "1", "Best coffee in town, go buy it now!!!", 0),
        ScreenedPost("b", "2", "best coffee in town go buy it now 🔥", 10 * 60_000),
        ScreenedPost("c", "3", "Best coffee in town, go buy it now!!!", 3 * 3_600_000),  # outside the hour
        ScreenedPost("a", "4", "Best coffee in town, go buy it now!!!", 5 * 60_000),  # same author
        ScreenedPost("d", "5", "My order is late again, support please help", 0),
    ]
    assert [(i, j) for i, j, _ in near_duplicate_pairs(posts)] == [(0, 1), (1, 3)]


# ----------------------------------------------------------------------------------------- score parts
def test_score_parts_add_up_and_match_networkx_for_a_personalized_pagerank() -> None:
    graph = DirectedGraph.from_edges(
        ["a", "a", "b", "c", "c", "d", "e"],
        ["b", "c", "c", "a", "d", "a", "e"],
        [1, 2, 1, 1, 3, 1, 1],
        nodes=["f"],
    )
    scores = personalized_pagerank(graph, ["a", "f"])
    reference = nx.pagerank(graph.to_networkx(), personalization={"a": 1, "f": 1}, tol=1e-13, max_iter=1000)
    parts = pagerank_parts(scores, top=1, seeds=["a", "f"])
    for node, part in parts.items():
        assert part.score == pytest.approx(reference[node], abs=1e-9)
        assert sum(part.top_contributions) + part.other_sources + part.teleport == pytest.approx(
            part.score, rel=1e-12
        )
    # c receives from a (2/3 of a's out-weight) and b (all of b's): top-1 is the larger
    assert parts["c"].top_sources == ("a",) and parts["b"].teleport == 0.0
    # the batched solve's parts, for a subset of nodes, are the same parts
    batch = personalized_pagerank_batch(graph, {"brand": ["f", "a"], "other": ["e"]})
    subset = batched_pagerank_parts(batch, "brand", top=1, nodes=["c", "b"])
    assert list(subset) == ["c", "b"]
    for node, part in subset.items():
        assert part.top_sources == parts[node].top_sources
        assert part.score == pytest.approx(parts[node].score, abs=1e-12)
        assert part.top_contributions == pytest.approx(parts[node].top_contributions, abs=1e-12)
        assert part.other_sources == pytest.approx(parts[node].other_sources, abs=1e-12)
        assert part.teleport == pytest.approx(parts[node].teleport, abs=1e-12)
    links, teleport, scale = link_and_teleport_parts(pagerank(graph))
    assert np.allclose((links + teleport) * scale, [pagerank(graph).scores[n] for n in graph.node_ids])


# -------------------------------------------------------------------------------------- implicit trust
def test_implicit_trust_needs_repetition_distrust_blocks_and_ratings_take_precedence() -> None:
    network = trust_network(
        ratings=[("brand", "ann", 9.0), ("ann", "bob", -5.0)],
        positive={
            ("brand", "ann"): 1,
            ("brand", "cid"): 3,
            ("cid", "bob"): 2,
            ("ann", "bob"): 4,
            ("x", "y"): 1,
        },
        negative={("cid", "dee"): 2, ("brand", "cid"): 1},
    )
    origins = network.origins
    assert origins[("brand", "ann")].kind == "rating" and origins[("ann", "bob")].rating == -5.0
    assert origins[("brand", "cid")].kind == "implicit" and (
        origins[("brand", "cid")].positive,
        origins[("brand", "cid")].negative,
    ) == (3, 1)
    assert ("x", "y") not in origins  # one like is not repeated engagement
    assert beta_trust(3, 1) == pytest.approx(1 / 3) and origins[("cid", "dee")].kind == "implicit"
    (path,) = trust_paths(network.graph, "brand", "bob", k=3, max_hops=4)
    # brand -> ann -> bob is distrust (the explicit -5 wins over 4 likes); the path goes through cid
    assert path.nodes == ("brand", "cid", "bob") and path.trust == pytest.approx(
        beta_trust(3, 1) * beta_trust(2, 0)
    )
