"""The read endpoints on a small scored graph: influencers, advocates/detractors, communities, 360 views."""

from __future__ import annotations

import pytest
from api_testdata import AS_OF, N_PROFILES, RUN_ID, auth, influence_of, profile_id


def test_influencers_are_ordered_by_influence_with_the_fields_marketers_need(client) -> None:
    response = client.get("/v1/influencers", params={"limit": 5}, headers=auth())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["run"]["id"] == "run-1" and body["run"]["as_of"] == AS_OF
    items = body["items"]
    assert [item["id"] for item in items] == [profile_id(i) for i in range(5)]
    assert [item["rank"] for item in items] == [1, 2, 3, 4, 5]
    first = items[0]
    assert first["handle"] == "user00" and first["platform"] == "mastodon"
    assert first["influence"] == influence_of(0) and first["reach"] == 100 and first["community"] == 0
    assert "explanation" not in first
    assert body["next_cursor"]


@pytest.mark.parametrize(
    "params",
    [{"limit": 4}, {"limit": 4, "explain": "true"}, {"limit": 4, "brand": "acme", "explain": "true"}],
    ids=["overall", "explained", "brand"],
)
def test_an_influencer_page_is_the_page_model_s_json_held_until_a_write(client, scored_store, params) -> None:
    """Influencers are encoded one by one and held while the data stands (``_held_influencers``): the
    page is byte for byte what its model writes (nulls left out), the same when asked again, and a
    handle renamed through this process shows on the next ask."""
    from api.schemas import InfluencerPage

    first = client.get("/v1/influencers", params=params, headers=auth())
    assert first.status_code == 200, first.text
    dumped = InfluencerPage.model_validate_json(first.content).model_dump_json(exclude_none=True)
    assert first.content == dumped.encode()
    assert client.get("/v1/influencers", params=params, headers=auth()).content == first.content
    items = first.json()["items"]
    scored_store.execute_text(
        "MATCH (p:Profile {id: $id}) SET p.handle = 'renamed'", {"id": items[1]["id"]}, write=True
    )
    again = client.get("/v1/influencers", params=params, headers=auth()).json()["items"]
    assert again[1]["handle"] == "renamed"
    assert again[0]["id"] == items[0]["id"] and again[2:] == items[2:]


def test_influencers_explain_lists_top_sources_with_shares(client) -> None:
    body = client.get("/v1/influencers", params={"limit": 2, "explain": "true"}, headers=auth()).json()
    explanation = body["items"][0]["explanation"]
    assert explanation["kind"] == "pagerank"
    assert [(s["id"], s["handle"], s["share"]) for s in explanation["top_sources"]] == [
        (profile_id(1), "user01", 0.6),
        (profile_id(2), "user02", 0.3),
    ]


def test_influencers_of_a_community_the_run_does_not_have_is_404_not_an_empty_page(client) -> None:
    """A mistyped community id says so, as an unknown brand does (and as the community's own page and
    outreach planning answer), instead of an empty list a marketer reads as "no influencers"."""
    for params in (
        {"community": 999},
        {"community": 999, "brand": "acme"},
        {"community": 1, "platform": "none"},
    ):
        answer = client.get("/v1/influencers", params=params, headers=auth())
        if params.get("platform") == "none":  # a known community with no match: an empty page
            assert answer.status_code == 200 and answer.json()["items"] == []
        else:
            assert answer.status_code == 404 and answer.json()["code"] == "not_found", answer.text
            assert "no community 999" in answer.json()["detail"]


def test_influencers_filters_by_community_and_platform(client) -> None:
    body = client.get("/v1/influencers", params={"community": 1, "limit": 100}, headers=auth()).json()
    assert {item["community"] for item in body["items"]} == {1}
    assert len(body["items"]) == len([i for i in range(N_PROFILES) if i % 3 == 1])
    ranks = [item["rank"] for item in body["items"]]
    assert ranks == sorted(ranks)
    body = client.get("/v1/influencers", params={"platform": "mastodon", "limit": 3}, headers=auth()).json()
    assert [item["id"] for item in body["items"]] == [profile_id(0), profile_id(4), profile_id(8)]
    assert body["next_cursor"]
    rest = client.get(
        "/v1/influencers",
        params={"platform": "mastodon", "limit": 100, "cursor": body["next_cursor"]},
        headers=auth(),
    ).json()
    assert [item["id"] for item in rest["items"]] == [profile_id(i) for i in range(12, N_PROFILES, 4)]
    assert rest.get("next_cursor") is None


def test_influencers_for_a_brand_use_the_personalized_score(client) -> None:
    body = client.get(
        "/v1/influencers", params={"brand": "acme", "limit": 3, "explain": True}, headers=auth()
    ).json()
    items = body["items"]
    assert [item["id"] for item in items] == [profile_id(0), profile_id(1), profile_id(2)]
    assert items[0]["brand_score"] == 0.5
    explanation = items[1]["explanation"]
    assert explanation["kind"] == "personalized_pagerank"
    assert explanation["brand_rank"] == 2 and explanation["brand_score"] == pytest.approx(1 / 3)
    assert explanation["global_rank"] == 2 and explanation["global_influence"] == influence_of(1)


def test_unknown_brand_is_404_problem(client) -> None:
    response = client.get("/v1/influencers", params={"brand": "nope"}, headers=auth())
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"
    for path in ("/v1/brands/nope/advocates", "/v1/brands/nope/detractors"):
        assert client.get(path, headers=auth()).json()["code"] == "not_found"


def test_advocates_carry_score_evidence_sentiment_and_influence(client) -> None:
    body = client.get("/v1/brands/acme/advocates", params={"limit": 5}, headers=auth()).json()
    assert body["brand"] == "acme" and body["role"] == "advocate"
    first = body["items"][0]
    assert first["id"] == profile_id(1) and first["rank"] == 1 and first["score"] == 0.95
    assert first["mean_sentiment"] == 0.5 and first["influence"] == influence_of(1)
    assert [(e["id"], e["contribution"]) for e in first["evidence"]] == [
        ("post-01-0", 0.7),
        ("post-01-1", 0.3),
    ]
    evidence = first["evidence"][0]
    assert evidence["text"] == "post 0 by user01 about acme"
    assert evidence["created_at"] == AS_OF - 3 * 86_400_000 and isinstance(evidence["sentiment"], float)
    walked = [item["id"] for item in body["items"]]
    cursor = body["next_cursor"]
    while cursor:
        page = client.get(
            "/v1/brands/acme/advocates", params={"limit": 5, "cursor": cursor}, headers=auth()
        ).json()
        walked += [item["id"] for item in page["items"]]
        cursor = page.get("next_cursor")
    assert walked == [profile_id(i) for i in range(1, 13)]


@pytest.mark.parametrize("role", ["advocates", "detractors", "mixed"])
def test_a_stance_page_is_the_page_model_s_json_held_until_a_write(client, scored_store, role: str) -> None:
    """Stances are encoded one by one and held while the data stands (``_held_stances``): the page is
    byte for byte what its model writes, the same when asked again, and an evidence post edited
    through this process shows on the next ask."""
    from api.schemas import BrandStancePage

    first = client.get(f"/v1/brands/acme/{role}", params={"limit": 3}, headers=auth())
    assert first.status_code == 200, first.text
    assert first.content == BrandStancePage.model_validate_json(first.content).model_dump_json().encode()
    assert client.get(f"/v1/brands/acme/{role}", params={"limit": 3}, headers=auth()).content == first.content
    items = first.json()["items"]
    if not items:
        return
    post = items[0]["evidence"][0]["id"]
    scored_store.execute_text("MATCH (p:Post {id: $id}) SET p.text = 'edited'", {"id": post}, write=True)
    again = client.get(f"/v1/brands/acme/{role}", params={"limit": 3}, headers=auth()).json()["items"]
    assert again[0]["evidence"][0]["text"] == "edited"
    assert again[1:] == items[1:]


def test_detractors(client) -> None:
    body = client.get("/v1/brands/acme/detractors", headers=auth()).json()
    assert [item["id"] for item in body["items"]] == [profile_id(i) for i in range(20, 25)]
    assert body["items"][0]["mean_sentiment"] == -0.6
    assert body["next_cursor"] is None
    assert client.get("/v1/brands/globex/detractors", headers=auth()).json()["items"] == []


def test_communities_list_and_detail(client, scored_store) -> None:
    scored_store.execute_text(  # a profile the run placed in no community (-1): not a community
        "CREATE (:Profile {id: 'tw:unplaced', run_id: $run, community: -1, influence_rank: -1, influence: 0.0})",
        {"run": RUN_ID},
        write=True,
    )
    body = client.get("/v1/communities", params={"top": 2}, headers=auth()).json()
    assert body["modularity"] == 0.42
    assert [(c["id"], c["size"]) for c in body["items"]] == [(0, 10), (1, 10), (2, 10)]
    assert [m["id"] for m in body["items"][0]["top_members"]] == [profile_id(0), profile_id(3)]
    assert [m["id"] for m in body["items"][2]["top_members"]] == [profile_id(2), profile_id(5)]
    page = client.get("/v1/communities", params={"limit": 2}, headers=auth()).json()
    assert len(page["items"]) == 2
    rest = client.get(
        "/v1/communities", params={"limit": 2, "cursor": page["next_cursor"]}, headers=auth()
    ).json()
    assert [c["id"] for c in rest["items"]] == [2] and rest["next_cursor"] is None
    detail = client.get("/v1/communities/1", params={"limit": 4}, headers=auth()).json()
    assert detail["size"] == 10 and detail["modularity"] == 0.42
    assert [m["id"] for m in detail["members"]] == [profile_id(i) for i in (1, 4, 7, 10)]
    assert detail["next_cursor"]
    assert client.get("/v1/communities/99", headers=auth()).status_code == 404


def test_profile_360(client) -> None:
    body = client.get(f"/v1/profiles/{profile_id(1)}", params={"weeks": 52}, headers=auth()).json()
    assert body["handle"] == "user01" and body["customer_ids"] == ["c1"]
    assert body["scores"]["influence_rank"] == 2 and body["scores"]["community"] == 1
    acme = next(b for b in body["brands"] if b["brand"] == "acme")
    assert acme["posts_about"] == 2 and acme["advocate_rank"] == 1 and acme["influence_rank"] == 2
    assert any(b["brand"] == "globex" and b["posts_about"] == 1 for b in body["brands"])
    assert body["recent_conversations"] and body["recent_conversations"][0]["posts_by_subject"] >= 1
    for conversation in body["recent_conversations"]:  # what each is about: the text of its opening post
        root = conversation["root_post_id"]
        assert conversation["root_text"] == f"post {root[-1]} by user{root[5:7]} about acme"
    trend = body["sentiment_trend"]
    assert sum(week["posts"] for week in trend) == 3
    assert all(week["week_start"] % 86_400_000 == 0 for week in trend)
    owner = client.get(f"/v1/profiles/{profile_id(0)}", headers=auth()).json()
    assert owner["owner_brand_ids"] == ["acme"]
    assert client.get("/v1/profiles/tw:nobody", headers=auth()).status_code == 404


def test_customer_360_and_contact_rules(client) -> None:
    body = client.get("/v1/customers/c1", params={"weeks": 52}, headers=auth()).json()
    assert body["email"] == "ada@example.com" and body["contact_allowed"] is True
    assert [p["id"] for p in body["profiles"]] == sorted([profile_id(1), profile_id(5)])
    assert body["communities"] == [1, 2]
    acme = next(b for b in body["brands"] if b["brand"] == "acme")
    assert (
        acme["purchases"] == 2
        and acme["purchase_amount"] == 35.5
        and acme["last_purchase_at"] == AS_OF - 2 * 86_400_000
    )
    assert acme["posts_about"] == 4 and acme["advocate_rank"] == 1
    assert sum(week["posts"] for week in body["sentiment_trend"]) == 6
    unverified = client.get("/v1/customers/c2", headers=auth()).json()
    assert unverified["email"] is None
    refused = client.get("/v1/customers/c3", headers=auth()).json()
    assert refused["email"] is None and refused["contact_allowed"] is False
    assert refused["attributes"] == {"contact_allowed": False, "tier": "gold"}
    assert refused["profiles"] == []  # consent forbids joining: the stated profile link is held
    assert client.get("/v1/customers/c4", headers=auth()).json()["email"] == "di@example.com"
    assert client.get("/v1/customers/c404", headers=auth()).status_code == 404


def test_before_any_analysis_results_answer_409_no_analysis_run(empty_client) -> None:
    for path in ("/v1/influencers", "/v1/communities", "/v1/brands/acme/advocates"):
        response = empty_client.get(path, headers=auth())
        assert response.status_code in (404, 409), path
    response = empty_client.get("/v1/influencers", headers=auth())
    assert response.status_code == 409 and response.json()["code"] == "no_analysis_run"
