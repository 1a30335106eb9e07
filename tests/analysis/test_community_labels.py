"""Community labels: known answers of the labelling, and labels written by the analysis, stable across runs."""

from __future__ import annotations

from algorithms.community_labels import CommunityLabel, community_labels, top_terms
from graph.model import POSTED, Label
from graph.writes import GraphWrites
from tests.analysis.helpers import T0, interactions_writes, profile_id
from usecases.analysis import AnalysisParams, run_analysis


def test_terms_count_each_post_once_and_skip_stop_words_handles_links_and_numbers() -> None:
    texts = [
        "Boots boots BOOTS! https://shop.example/boots-123 @carol",
        "the boots and the laces, 2024",
        "laces outside via @carol",
        "carol says hi",
    ]
    # boots: 2 posts (a link and three mentions in one post count once); laces: 2; outside, says: 1 (ties by name)
    assert top_terms(texts, 2, exclude=frozenset({"carol"})) == ("boots", "laces")
    assert top_terms(texts, 4, exclude=frozenset({"carol"})) == ("boots", "laces", "outside", "says")


def test_a_label_is_kept_while_its_lead_stays_near_the_top() -> None:
    previous = {1: CommunityLabel("@ada, @bob · boots, laces", ("ada", "bob"), ("boots", "laces"))}
    handles = {1: ["bob", "cy", "ada"], 2: ["dee"]}
    texts = {1: ["shipping shipping"], 2: ["rain and more rain", "rain boots"]}
    labels = community_labels(handles, texts, previous)
    assert labels[1] == previous[1]  # ada is still among the top members: same name as before
    assert labels[2].label == "@dee · rain, boots"
    moved = community_labels({1: ["bob", "cy"]}, texts, previous)  # ada left the community
    assert moved[1].label == "@bob, @cy · shipping"


def _two_groups(store) -> None:
    """Two triangles of likes joined by one edge; group A posts about boots, group B about rain."""
    likes = [(0, 1), (1, 2), (2, 0), (1, 0), (3, 4), (4, 5), (5, 3), (4, 3), (2, 3)]
    store.apply(interactions_writes(range(6), [(a, b, "like", T0) for a, b in likes]))
    writes = GraphWrites()
    for node in range(6):
        topic = "boots laces" if node < 3 else "rain umbrella"
        post = f"topic:{node}"
        writes.add_node_properties(Label.POST, {"id": post, "text": topic, "created_at": T0})
        writes.add_relationship(POSTED, profile_id(node), post)
    store.apply(writes)


def test_the_analysis_writes_labels_the_api_returns_and_keeps_them_across_runs(store) -> None:
    from fastapi.testclient import TestClient

    from tests.api.api_testdata import auth, make_app

    _two_groups(store)
    run_analysis(store, AnalysisParams(seed=0))
    with TestClient(make_app(store), raise_server_exceptions=False) as client:
        listed = client.get("/v1/communities", headers=auth()).json()["items"]
        labels = {c["id"]: c["label"] for c in listed}
        assert len(labels) == 2
        assert sorted(label.split(" · ")[1] for label in labels.values()) == [
            "boots, laces",
            "rain, umbrella",
        ]
        for community in listed:
            detail = client.get(f"/v1/communities/{community['id']}", headers=auth()).json()
            assert detail["label"] == community["label"]
            members = {f"@{m['handle']}" for m in detail["members"]}
            assert all(lead in members for lead in community["label"].split(" · ")[0].split(", "))
        run_analysis(store, AnalysisParams(seed=0))
        again = {c["id"]: c["label"] for c in client.get("/v1/communities", headers=auth()).json()["items"]}
    assert again == labels


def test_a_community_around_a_brand_account_is_named_by_its_customers(store) -> None:
    """k:0 is the brand's own account and the most influential profile of its star; the rankings
    leave it out, so the community's leads are the customers around it."""
    from graph.model import BRAND_HAS_PROFILE

    interactions = [(i, 0, "reply", T0) for i in range(1, 5)] + [(1, 2, "like", T0), (3, 1, "like", T0)]
    writes = interactions_writes(range(5), interactions)
    writes.add_node_properties(Label.BRAND, {"id": "acme", "name": "Acme"})
    writes.add_relationship(BRAND_HAS_PROFILE, "acme", profile_id(0))
    store.apply(writes)
    run_analysis(store, AnalysisParams(seed=0))
    (brand_account,) = store.execute_text(
        "MATCH (p:Profile {id: 'k:0'}) RETURN p.role AS role, p.influence_rank AS rank, p.community AS community",
        write=False,
    )
    assert brand_account["role"] == "brand_owned" and brand_account["rank"] == 1
    (community,) = store.execute_text(
        "MATCH (c:Community {community: $community}) RETURN c.lead_handles AS leads",
        {"community": brand_account["community"]},
        write=False,
    )
    assert community["leads"] and "k:0" not in community["leads"]


def test_a_handle_on_two_platforms_is_named_with_its_platform() -> None:
    """Two people: @niak4 on mastodon and @niak4 on twitter lead two communities, and a label never
    reads "@inest197, @inest197"."""
    from usecases.community_labels import lead_names

    rows = [
        {"id": "m:niak4", "handle": "niak4", "platform": "mastodon"},
        {"id": "t:niak4", "handle": "niak4", "platform": "twitter"},
        {"id": "t:ada", "handle": "ada", "platform": "twitter"},
        {"id": "t:nameless", "handle": None, "platform": "twitter"},
    ]
    names = lead_names(iter(rows))
    assert names == {
        "m:niak4": "niak4 (mastodon)",
        "t:niak4": "niak4 (twitter)",
        "t:ada": "ada",
        "t:nameless": "t:nameless",
    }
    labels = community_labels(
        {0: [names["m:niak4"], names["t:niak4"]]}, {0: ["niak4 loves coffee", "coffee"]}
    )
    assert labels[0].label == "@niak4 (mastodon), @niak4 (twitter) · coffee, loves"  # the handle is no term


def test_a_profile_known_only_by_its_id_does_not_lead_a_label() -> None:
    from usecases.community_labels import named_first

    found = {
        "t:1": {"handle": None},
        "t:2": {"handle": "bea"},
        "t:3": {"handle": "cy"},
        "t:4": {"handle": ""},
    }
    assert named_first(["t:1", "t:2", "t:gone", "t:4", "t:3"], found) == ["t:2", "t:3", "t:1", "t:4"]


def _top_members_by_sorting(membership, influence, not_customers, top) -> dict[int, list[str]]:
    """The rule written out: one sort of every profile by (not a customer, -influence, id)."""
    by_community: dict[int, list[str]] = {}
    for p in sorted(membership, key=lambda p: (p in not_customers, -influence.get(p, 0.0), p)):
        members = by_community.setdefault(membership[p], [])
        if len(members) < top:
            members.append(p)
    return by_community


def test_top_members_are_customers_first_then_by_influence_then_by_id() -> None:
    import random

    from usecases.community_labels import top_members

    rng = random.Random(11)
    ids = [f"{rng.choice('abz')}:{rng.randrange(10_000)}" for _ in range(3000)]
    membership = {p: rng.randrange(40) for p in ids}
    # few distinct scores, so ties are common; some profiles without one
    influence = {p: rng.choice([0.0, 0.1, 0.25, 0.5]) for p in ids if rng.random() < 0.9}
    not_customers = {p for p in ids if rng.random() < 0.1}
    for top in (1, 3, 10):
        assert top_members(membership, influence, not_customers, top) == _top_members_by_sorting(
            membership, influence, not_customers, top
        )
    assert top_members({"k:1": 0, "k:0": 0}, {}, set(), 10) == {0: ["k:0", "k:1"]}
    assert top_members({}, {}, set(), 10) == {}
