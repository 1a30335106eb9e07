"""POST /v1/events: valid events are written, invalid ones reported by index, nothing doubled."""

from __future__ import annotations

import json

from api_testdata import KEYS, make_app
from fastapi.testclient import TestClient

from graph.model import Label
from graph.store import CypherGraphStore

WRITE = {"Authorization": f"Bearer {KEYS['write']}"}
HOSTILE = 'x\'}) DETACH DELETE n // "quoted" \\ 🎉'

EVENTS = [
    {"kind": "profile", "id": "twitter:ada", "platform": "twitter", "handle": HOSTILE},
    {"kind": "rating", "source": "twitter:ada", "target": "twitter:bob", "rating": 11, "at": 5},
    {
        "kind": "post",
        "id": "p-1",
        "author": "twitter:ada",
        "text": "Love it",
        "created_at": "2026-10-01T09:30:00Z",
    },
    {"kind": "teleport"},
    {"kind": "follow", "source": "twitter:ada", "target": "twitter:bob"},
]


def post(client: TestClient, body: object, headers: dict[str, str] = WRITE):
    return client.post(
        "/v1/events", content=json.dumps(body), headers={**headers, "content-type": "application/json"}
    )


def test_valid_events_are_written_and_invalid_ones_reported(store: CypherGraphStore) -> None:
    with TestClient(make_app(store)) as client:
        response = post(client, EVENTS)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["accepted"] == 3
        assert [r["index"] for r in body["rejected"]] == [1, 3]
        assert body["rejected"][0]["reason"].startswith("rating")
        assert store.get_node(Label.PROFILE, "twitter:ada")["handle"] == HOSTILE
        counts = store.counts()
        assert post(client, EVENTS).status_code == 200  # the same body again changes nothing
        assert store.counts() == counts
        assert counts.relationships == {"FOLLOWS": 1, "IN_CONVERSATION": 1, "POSTED": 1}


def test_events_need_a_write_key_and_an_array(store: CypherGraphStore) -> None:
    with TestClient(make_app(store)) as client:
        assert post(client, EVENTS, headers={}).status_code == 401
        assert post(client, EVENTS, headers={"X-API-Key": KEYS["read"]}).status_code == 403
        not_array = post(client, {"kind": "profile"})
        assert not_array.status_code == 422 and not_array.json()["code"] == "invalid_input"
        malformed = client.post("/v1/events", content=b"[{", headers=WRITE)
        assert malformed.status_code == 422
    assert store.counts().nodes == {}


def test_a_body_over_the_limit_is_refused_with_413(store: CypherGraphStore) -> None:
    with TestClient(make_app(store)) as client:  # the test app's limit is 4096 bytes
        big = [{"kind": "post", "id": "p", "author": "a", "text": "x" * 5000, "created_at": 1}]
        response = post(client, big)
        assert response.status_code == 413
        assert response.json()["code"] == "payload_too_large"
    assert store.counts().nodes == {}
