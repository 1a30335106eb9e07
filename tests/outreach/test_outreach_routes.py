"""POST /v1/outreach/plan and /simulate over HTTP (TestClient) on the star graph."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from outreach_data import STARS, auth, leaves, make_app, star_spread, write_run

from graph.store import CypherGraphStore


@pytest.fixture
def client(stars: CypherGraphStore) -> Iterator[TestClient]:
    with TestClient(make_app(stars), raise_server_exceptions=False) as test_client:
        yield test_client


def test_plan_returns_seeds_in_order_with_why(client: TestClient) -> None:
    response = client.post("/v1/outreach/plan", json={"brand": "globex", "k": 2, "seed": 3}, headers=auth())
    assert response.status_code == 200, response.text
    body = response.json()
    assert [c["profile"]["id"] for c in body["contacts"]] == ["tw:ada", "tw:hub"]
    first = body["contacts"][0]
    assert first["order"] == 1 and first["marginal_gain"] > 0
    assert {r["id"] for r in first["reached"]} <= set(leaves("tw:ada"))
    assert all(r["handle"] for r in first["reached"])
    estimate = body["expected_spread"]
    assert estimate["ci_low"] <= star_spread("tw:ada") + star_spread("tw:hub") <= estimate["ci_high"]
    assert body["contacts"][-1]["cumulative_estimate"] == estimate
    assert body["method"] == "celf" and body["model"] == "ic" and body["run_id"] is None
    again = client.post("/v1/outreach/plan", json={"brand": "globex", "k": 2, "seed": 3}, headers=auth())
    assert again.json() == body


def test_plan_with_candidates_and_exclusions(client: TestClient, stars: CypherGraphStore) -> None:
    write_run(stars, detractors=("tw:hub",))
    response = client.post(
        "/v1/outreach/plan",
        json={"brand": "acme", "k": 1, "candidates": {"profile_ids": ["tw:hub", "tw:hub2", "tw:ada"]}},
        headers=auth(),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [c["profile"]["id"] for c in body["contacts"]] == ["tw:ada"]
    # counted among the candidates: the brand account is not one of the listed ids
    assert body["excluded"] == {"brand_profiles": 0, "detractors": 1, "listed": 0}
    assert body["run_id"] == "run-1" and body["contacts"][0]["profile"]["community"] == 2


def test_community_candidates_before_any_run_is_409(client: TestClient) -> None:
    response = client.post(
        "/v1/outreach/plan", json={"brand": "globex", "k": 1, "candidates": {"community": 0}}, headers=auth()
    )
    assert response.status_code == 409
    assert response.json()["code"] == "no_analysis_run"


def test_simulate_compares_the_list_with_the_plan(client: TestClient) -> None:
    response = client.post(
        "/v1/outreach/simulate",
        json={"brand": "globex", "seeds": ["tw:hub2"], "simulations": 2000},
        headers=auth(),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [c["profile"]["id"] for c in body["own"]] == ["tw:hub2"]
    assert body["own_spread"]["ci_low"] <= star_spread("tw:hub2") <= body["own_spread"]["ci_high"]
    assert [c["profile"]["id"] for c in body["plan"]["contacts"]] == ["tw:ada"]
    expected_gap = (STARS["tw:ada"] - STARS["tw:hub2"]) * (1 - 0.9**6)
    assert body["difference"]["ci_low"] <= expected_gap <= body["difference"]["ci_high"]


def test_a_key_is_required(client: TestClient) -> None:
    for path, body in (
        ("plan", {"brand": "globex", "k": 1}),
        ("simulate", {"brand": "globex", "seeds": ["tw:hub"]}),
    ):
        response = client.post(f"/v1/outreach/{path}", json=body)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("plan", {"brand": "initech", "k": 1}),
        ("simulate", {"brand": "initech", "seeds": ["tw:hub"]}),
        ("simulate", {"brand": "globex", "seeds": ["tw:ghost"]}),
        ("plan", {"brand": "globex", "k": 1, "candidates": {"profile_ids": ["tw:ghost"]}}),
    ],
)
def test_unknown_brand_or_profile_is_404(client: TestClient, path: str, body: dict) -> None:
    response = client.post(f"/v1/outreach/{path}", json=body, headers=auth())
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "body",
    [
        {"brand": "globex", "k": 0},
        {"brand": "globex", "k": 101},
        {"brand": "globex"},
        {"brand": "globex", "k": 1, "simulations": 100_000},
        {"brand": "globex", "k": 1, "model": "sir"},
        {"brand": "globex", "k": 1, "candidates": {"community": 1, "segment": "x"}},
        {"brand": "globex", "k": 1, "candidates": {}},
    ],
)
def test_invalid_plan_requests_are_422(client: TestClient, body: dict) -> None:
    response = client.post("/v1/outreach/plan", json=body, headers=auth())
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_duplicate_seeds_are_422(client: TestClient) -> None:
    response = client.post(
        "/v1/outreach/simulate", json={"brand": "globex", "seeds": ["tw:hub", "tw:hub"]}, headers=auth()
    )
    assert response.status_code == 422
