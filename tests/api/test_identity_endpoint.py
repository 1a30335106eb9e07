"""``/v1/customers/{id}/identity``: links, held links and history; unlink and relink over HTTP (both engines)."""

from __future__ import annotations

import pytest
from api_testdata import auth, make_app
from fastapi.testclient import TestClient

from tests.ingest.test_identity_ledger import EVENTS, load


@pytest.fixture
def client(store, tmp_path):
    load(store, tmp_path, EVENTS)
    with TestClient(make_app(store), raise_server_exceptions=False) as test_client:
        yield test_client


def identity(client: TestClient, customer_id: str) -> dict:
    response = client.get(f"/v1/customers/{customer_id}/identity", headers=auth())
    assert response.status_code == 200, response.text
    return response.json()


def test_a_customer_whose_consent_forbids_joining_shows_a_held_link_and_why(client) -> None:
    body = identity(client, "no")
    assert body["contact_allowed"] is False and body["links"] == []
    assert [(h["profile_id"], h["evidence"], h["source"]) for h in body["held"]] == [
        ("tw:no", "customer_id", "events")
    ]
    assert [(e["action"], e["actor"]) for e in body["history"]] == [("held", "consent-policy")]
    assert "contact_allowed is false" in body["history"][0]["reason"]
    assert client.get("/v1/customers/nobody/identity", headers=auth()).status_code == 404


def test_relink_against_consent_is_refused_unless_approved_and_every_change_is_logged(client) -> None:
    path = "/v1/customers/no/identity/relink"
    refused = client.post(path, json={"profile_id": "tw:no"}, headers=auth("write"))
    assert refused.status_code == 409 and refused.json()["code"] == "consent_refused"
    assert client.post(path, json={"profile_id": "tw:no"}, headers=auth()).status_code == 403
    body = {"profile_id": "tw:no", "reason": "customer asked", "override_consent": True}
    approved = client.post(path, json=body, headers=auth("write")).json()
    assert [link["profile_id"] for link in approved["links"]] == ["tw:no"] and approved["held"] == []
    assert approved["links"][0]["consent_override"] is True
    unlinked = client.post(
        "/v1/customers/no/identity/unlink", json={"profile_id": "tw:no"}, headers=auth("write")
    ).json()
    assert unlinked["links"] == []
    assert [(e["action"], e["actor"]) for e in unlinked["history"]] == [
        ("held", "consent-policy"),
        ("approved", "api:write-key"),
        ("unlinked", "api:write-key"),
    ]
