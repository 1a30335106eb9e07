"""The /v1 endpoints the console needed, checked by hand: ``/v1/me``, ``/v1/brands`` (share of voice),
``/v1/brands/{id}/sentiment``, ``/v1/segments/preview`` and ``/v1/community-map``.

Brand numbers are recounted from the formulas that build the base graph (api_testdata.py); the
community map runs the real analysis on two planted cliques whose cross-community engagement is
known interaction by interaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from api_testdata import AS_OF, DAY, N_PROFILES, auth, make_app
from fastapi.testclient import TestClient

from graph.store import CypherGraphStore
from tests.analysis.helpers import T0, interactions_writes, profile_id
from usecases.analysis import AnalysisParams, run_analysis

WEEK = 7 * DAY
MONDAY_SHIFT = 3 * DAY


@pytest.mark.parametrize(
    ("role", "can_write", "can_admin"),
    [("read", False, False), ("write", True, False), ("admin", True, True)],
)
def test_me_names_the_keys_role_and_what_it_may_do(client, role, can_write, can_admin):
    answer = client.get("/v1/me", headers=auth(role))
    assert answer.status_code == 200
    assert answer.json() == {
        "name": f"{role}-key",
        "role": role,
        "can_write": can_write,
        "can_admin": can_admin,
    }


def test_me_without_a_key_is_401(client):
    assert client.get("/v1/me").status_code == 401


def _base_posts() -> list[tuple[str, int, float]]:
    """(brand, created_at, sentiment) of every customer post of the base graph, from its building
    formulas: profile 0 is acme's own account, whose posts are the brand talking, not its voice."""
    posts = []
    for i in range(1, N_PROFILES):
        for k in range(3):
            posts.append(
                ("acme" if k < 2 else "globex", AS_OF - (i * 3 + k) * DAY, round(((i + k) % 7 - 3) / 3.5, 3))
            )
    return posts


def test_brands_share_of_voice_counts_the_posts_about_each_brand(client):
    answer = client.get("/v1/brands", headers=auth())
    assert answer.status_code == 200
    body = answer.json()
    assert body["items"] == [
        {"id": "acme", "name": "Acme", "posts": 58, "share_of_voice": 58 / 87},  # not acme's account's 2 + 1
        {"id": "globex", "name": "Globex", "posts": 29, "share_of_voice": 29 / 87},
    ]
    assert (body["from_ms"], body["to_ms"]) == (0, None)


def test_brands_share_of_voice_in_a_window_before_the_runs_as_of(client):
    body = client.get("/v1/brands", params={"days": 10}, headers=auth()).json()
    start = AS_OF + 1 - 10 * DAY
    counts = defaultdict(int)
    for brand, created, _ in _base_posts():
        if start <= created <= AS_OF:
            counts[brand] += 1
    total = sum(counts.values())
    assert {item["id"]: item["posts"] for item in body["items"]} == dict(counts)
    assert {item["id"]: item["share_of_voice"] for item in body["items"]} == {
        brand: n / total for brand, n in counts.items()
    }
    assert (body["from_ms"], body["to_ms"]) == (start, AS_OF + 1)


def test_brand_sentiment_is_the_weekly_mean_of_the_posts_about_the_brand(client):
    answer = client.get("/v1/brands/acme/sentiment", params={"weeks": 5}, headers=auth())
    assert answer.status_code == 200
    start = AS_OF + 1 - 5 * WEEK
    weeks: dict[int, list[float]] = defaultdict(list)
    for brand, created, sentiment in _base_posts():
        if brand == "acme" and start <= created <= AS_OF:
            weeks[(created + MONDAY_SHIFT) // WEEK * WEEK - MONDAY_SHIFT].append(sentiment)
    got = answer.json()["weeks"]
    assert [w["week_start"] for w in got] == sorted(weeks)
    for week in got:
        values = weeks[week["week_start"]]
        assert week["posts"] == len(values)
        assert week["mean_sentiment"] == pytest.approx(sum(values) / len(values), abs=1e-12)
        assert week["positive"] == sum(v > 0.05 for v in values)
        assert week["negative"] == sum(v < -0.05 for v in values)
        assert (week["week_start"] + MONDAY_SHIFT) % WEEK == 0  # a Monday, 00:00 UTC


def test_the_brands_own_replies_count_neither_in_its_voice_nor_in_its_sentiment(client, scored_store):
    """A support account's "sorry to hear that" replies are the brand talking, not its customers:
    the share of voice and the weekly sentiment stay as they were without them."""
    before = client.get("/v1/brands", headers=auth()).json()["items"]
    weekly = client.get("/v1/brands/acme/sentiment", params={"weeks": 5}, headers=auth()).json()["weeks"]
    scored_store.execute_text(
        "MATCH (b:Brand {id: 'acme'}) "
        "CREATE (b)-[:HAS_PROFILE]->(a:Profile {id: 'tw:acme-help', platform: 'twitter', role: 'brand_owned'}), "
        "(s:Profile {id: 'tw:acme-staff', platform: 'twitter', role: 'staff'}), "
        "(b)-[:HAS_PROFILE]->(c:Profile {id: 'tw:acme-care', platform: 'twitter'}) "  # no analysed role yet
        "WITH a, s, c, b UNWIND range(1, 4) AS i "
        "CREATE (a)-[:POSTED]->(:Post {id: 'reply-' + toString(i), sentiment: -0.25, created_at: $at})-[:ABOUT]->(b), "
        "(s)-[:POSTED]->(:Post {id: 'staff-' + toString(i), sentiment: 0.9, created_at: $at})-[:ABOUT]->(b), "
        "(c)-[:POSTED]->(:Post {id: 'care-' + toString(i), sentiment: -0.6, created_at: $at})-[:ABOUT]->(b)",
        {"at": AS_OF - DAY},
        write=True,
    )
    assert client.get("/v1/brands", headers=auth()).json()["items"] == before
    assert (
        client.get("/v1/brands/acme/sentiment", params={"weeks": 5}, headers=auth()).json()["weeks"] == weekly
    )


def test_brand_sentiment_of_an_unknown_brand_is_404(client):
    answer = client.get("/v1/brands/nobody/sentiment", headers=auth())
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "flt",
    [
        {"brand": "acme", "role": "advocate"},
        {"brand": "acme"},
        {"community": 1, "platform": "twitter"},
        {"sentiment_min": 0.0, "brand": "acme", "role": "advocate"},
    ],
)
def test_segment_preview_holds_what_the_saved_segment_would(client, flt):
    preview = client.post("/v1/segments/preview", params={"limit": 5}, json=flt, headers=auth("read"))
    assert preview.status_code == 200, preview.text
    name = "preview-" + "-".join(f"{k}={v}" for k, v in sorted(flt.items()))
    saved = client.post("/v1/segments", json={"name": name, "filter": flt}, headers=auth("write"))
    assert saved.status_code == 201
    members = client.get(f"/v1/segments/{quote(name)}/members", params={"limit": 5}, headers=auth())

    def without_cursor(
        items: list[dict],
    ) -> list[dict]:  # a preview's cursors resume the preview, not the segment
        return [{k: v for k, v in item.items() if k != "cursor"} for item in items]

    assert without_cursor(preview.json()["items"]) == without_cursor(members.json()["items"])
    assert preview.json()["more"] == (members.json()["next_cursor"] is not None)


def test_segment_preview_names_a_bad_field_and_an_unknown_brand(client):
    bad = client.post("/v1/segments/preview", json={"role": "advocate"}, headers=auth())
    assert bad.status_code == 422
    unknown = client.post("/v1/segments/preview", json={"brand": "nobody"}, headers=auth())
    assert unknown.status_code == 404


# -------------------------------------------------------------------------------------- community map
CLIQUE_A, CLIQUE_B = ["a0", "a1", "a2", "a3"], ["b0", "b1", "b2", "b3"]


def _two_cliques() -> tuple[list[tuple[str, str, str, int]], dict[tuple[str, str], float]]:
    """Likes inside two 4-cliques (both directions), one reply a0 -> b0 and one like b1 -> a1 across."""
    interactions = []
    for clique in (CLIQUE_A, CLIQUE_B):
        for u in clique:
            for v in clique:
                if u != v:
                    interactions += [(u, v, "like", T0), (u, v, "like", T0 + DAY)]
    interactions += [("a0", "b0", "reply", T0), ("b1", "a1", "like", T0)]
    weights: dict[tuple[str, str], float] = defaultdict(float)
    for u, v, kind, _ in interactions:
        weights[(profile_id(u), profile_id(v))] += {"like": 1.0, "reply": 3.0}[kind]
    return interactions, weights


@pytest.fixture
def map_client(store: CypherGraphStore) -> Iterator[TestClient]:
    interactions, _ = _two_cliques()
    store.apply(interactions_writes(CLIQUE_A + CLIQUE_B, interactions))
    run_analysis(store, AnalysisParams(seed=1))
    with TestClient(make_app(store), raise_server_exceptions=False) as test_client:
        yield test_client


def test_community_map_has_one_node_per_community_and_the_cross_engagement_between_them(map_client):
    answer = map_client.get("/v1/community-map", headers=auth())
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["communities_total"] == 2
    members = {}
    for node in body["nodes"]:
        detail = map_client.get(f"/v1/community-map/{node['id']}", headers=auth()).json()
        members[node["id"]] = {profile["id"] for profile in detail["nodes"]}
        assert node["size"] == 4
        assert -1 <= node["x"] <= 1 and -1 <= node["y"] <= 1
        assert len(node["top_members"]) == 3
        assert {member["role"] for member in node["top_members"]} == {"customer"}  # as the community lists
    assert sorted(members.values(), key=sorted) == [
        {profile_id(n) for n in CLIQUE_A},
        {profile_id(n) for n in CLIQUE_B},
    ]
    # inside each clique: 12 ordered pairs x 2 likes; across: the reply (3) and the like (1)
    assert [node["internal_engagement"] for node in body["nodes"]] == [24.0, 24.0]
    ids = sorted(node["id"] for node in body["nodes"])
    assert body["edges"] == [{"source": ids[0], "target": ids[1], "weight": 4.0}]
    assert sum(node["influence"] for node in body["nodes"]) == pytest.approx(1.0)


def test_community_view_draws_the_top_members_and_the_engagement_among_them(map_client):
    _, weights = _two_cliques()
    overview = map_client.get("/v1/community-map", headers=auth()).json()
    for node in overview["nodes"]:
        view = map_client.get(f"/v1/community-map/{node['id']}", params={"limit": 3}, headers=auth()).json()
        everyone = map_client.get(f"/v1/communities/{node['id']}", headers=auth()).json()["members"]
        assert [p["id"] for p in view["nodes"]] == [m["id"] for m in everyone[:3]]  # by influence rank
        shown = {p["id"] for p in view["nodes"]}
        expected = {(u, v): w for (u, v), w in weights.items() if u in shown and v in shown}
        assert {(e["source"], e["target"]): e["weight"] for e in view["edges"]} == expected
        assert view["size"] == 4


def test_community_map_unknown_community_is_404_and_limits_are_checked(map_client):
    assert map_client.get("/v1/community-map/99", headers=auth()).status_code == 404
    assert map_client.get("/v1/community-map", params={"limit": 0}, headers=auth()).status_code == 422
    assert map_client.get("/v1/community-map/0", params={"limit": 5000}, headers=auth()).status_code == 422


def test_community_map_before_any_analysis_run_is_409(empty_client):
    answer = empty_client.get("/v1/community-map", headers=auth())
    assert answer.status_code == 409
    assert answer.json()["code"] == "no_analysis_run"
