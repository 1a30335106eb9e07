"""API keys and roles, problem+json errors (401, 403, 404, 409, 413, 422, 503) and limits."""

from __future__ import annotations

import json

import pytest
from api_testdata import KEYS, auth, make_app, write_analysis
from fastapi.testclient import TestClient

from api.auth import Principal, authenticate
from graph.config import ApiKey
from graph.engines.falkordb import FalkorDBEngine
from graph.errors import AuthError
from graph.store import CypherGraphStore

PROTECTED_GETS = [
    "/v1/influencers",
    "/v1/brands/acme/advocates",
    "/v1/brands/acme/detractors",
    "/v1/communities",
    "/v1/communities/0",
    "/v1/profiles/tw:user01",
    "/v1/customers/c1",
    "/v1/segments",
    "/v1/segments/x",
    "/v1/segments/x/members",
]


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["code"] == code
    assert {"type", "title", "detail", "instance"} <= set(body)
    assert "Traceback" not in response.text
    return body


def test_the_routes_covered_here_exist(client) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {p for p in paths if p.startswith("/v1")} >= {
        "/v1/influencers",
        "/v1/brands/{brand_id}/advocates",
        "/v1/brands/{brand_id}/detractors",
        "/v1/communities",
        "/v1/communities/{community_id}",
        "/v1/profiles/{profile_id}",
        "/v1/customers/{customer_id}",
        "/v1/segments",
        "/v1/segments/{name}",
        "/v1/segments/{name}/members",
    }


@pytest.mark.parametrize("path", PROTECTED_GETS)
def test_no_key_is_401_with_www_authenticate(client, path: str) -> None:
    response = client.get(path)
    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"
    assert_problem(client.get(path, headers={"Authorization": "Bearer wrong"}), 401, "unauthorized")
    assert_problem(client.get(path, headers={"X-API-Key": KEYS["read"] + "x"}), 401, "unauthorized")
    assert_problem(client.get(path, headers={"Authorization": f"Basic {KEYS['read']}"}), 401, "unauthorized")


def test_both_key_headers_work_and_health_and_docs_stay_open(client) -> None:
    assert client.get("/v1/influencers", headers={"X-API-Key": KEYS["read"]}).status_code == 200
    assert (
        client.get("/v1/influencers", headers={"Authorization": f"bearer {KEYS['admin']}"}).status_code == 200
    )
    assert client.get("/health").status_code == 200
    assert client.get("/docs").status_code == 200
    schemes = client.get("/openapi.json").json()["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} == {"http", "apiKey"}


def test_roles_nest_read_write_admin(client) -> None:
    body = {"name": "roles", "filter": {}}
    assert_problem(client.post("/v1/segments", json=body, headers=auth("read")), 403, "forbidden")
    assert_problem(client.delete("/v1/segments/roles", headers=auth("read")), 403, "forbidden")
    assert client.post("/v1/segments", json=body, headers=auth("write")).status_code == 201
    assert (
        client.post("/v1/segments", json={**body, "name": "roles2"}, headers=auth("admin")).status_code == 201
    )
    assert client.get("/v1/segments/roles", headers=auth("read")).status_code == 200


def test_no_configured_keys_means_closed(scored_store) -> None:
    app = make_app(scored_store)
    app.state.settings = app.state.settings.model_copy(update={"api_keys": []})
    with TestClient(app) as closed:
        assert_problem(closed.get("/v1/influencers", headers=auth("admin")), 401, "unauthorized")
        assert closed.get("/health").status_code == 200


def test_authenticate_compares_all_keys_and_never_exposes_them() -> None:
    keys = [ApiKey(key="a" * 20, role="read", name="r"), ApiKey(key="b" * 20, role="admin", name="adm")]
    assert authenticate(keys, "b" * 20) == Principal(name="adm", role="admin")
    with pytest.raises(AuthError) as raised:
        authenticate(keys, "a" * 19)
    assert "a" * 19 not in str(raised.value)
    assert "b" * 20 not in repr(keys)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/influencers", {"limit": 0}),
        ("/v1/influencers", {"limit": 101}),  # over max_page_size
        ("/v1/influencers", {"limit": "ten"}),
        ("/v1/influencers", {"community": -1}),
        ("/v1/influencers", {"explain": "perhaps"}),
        ("/v1/influencers", {"brand": ""}),
        ("/v1/influencers", {"cursor": "not-a-cursor"}),
        ("/v1/influencers", {"cursor": "e30"}),  # {} base64
        ("/v1/communities", {"top": 1000}),
        ("/v1/communities/abc", {}),
        ("/v1/profiles/tw:user01", {"weeks": 0}),
        ("/v1/segments/x/members", {"format": "xml"}),
    ],
)
def test_bad_parameters_are_422(client, path: str, params: dict) -> None:
    body = assert_problem(client.get(path, params=params, headers=auth()), 422, body_code(params))
    assert body["detail"]


def body_code(params: dict) -> str:
    return "invalid_cursor" if "cursor" in params else "invalid_input"


def test_a_cursor_of_another_query_is_422_and_of_an_older_run_is_409(client, scored_store) -> None:
    first = client.get("/v1/influencers", params={"limit": 2}, headers=auth()).json()
    other = client.get(
        "/v1/influencers",
        params={"limit": 2, "platform": "twitter", "cursor": first["next_cursor"]},
        headers=auth(),
    )
    assert_problem(other, 422, "invalid_cursor")
    advocates = client.get("/v1/brands/acme/advocates", params={"limit": 2}, headers=auth()).json()
    write_analysis(scored_store, run_id="run-2")
    stale = client.get("/v1/influencers", params={"limit": 2, "cursor": first["next_cursor"]}, headers=auth())
    assert_problem(stale, 409, "stale_cursor")
    stale = client.get(
        "/v1/brands/acme/advocates", params={"cursor": advocates["next_cursor"]}, headers=auth()
    )
    assert_problem(stale, 409, "stale_cursor")
    fresh = client.get("/v1/influencers", params={"limit": 2}, headers=auth()).json()
    assert fresh["run"]["id"] == "run-2" and fresh["items"] == first["items"]


def test_request_body_over_the_limit_is_413(client) -> None:
    big = {"name": "big", "description": "x" * 5000}
    assert_problem(client.post("/v1/segments", json=big, headers=auth("write")), 413, "payload_too_large")

    def chunked():  # no Content-Length: counted as it streams
        for _ in range(10):
            yield b" " * 1000

    response = client.post(
        "/v1/segments", content=chunked(), headers={**auth("write"), "Content-Type": "application/json"}
    )
    assert_problem(response, 413, "payload_too_large")
    assert client.get("/v1/segments/big", headers=auth()).status_code == 404


def test_malformed_json_body_is_422(client) -> None:
    response = client.post(
        "/v1/segments", content=b'{"name": ', headers={**auth("write"), "Content-Type": "application/json"}
    )
    assert_problem(response, 422, "invalid_input")


def test_unreachable_store_is_503(tmp_path) -> None:
    dead = CypherGraphStore(FalkorDBEngine(url=f"unix://{tmp_path}/nobody-listens.sock"))
    with TestClient(make_app(dead), raise_server_exceptions=False) as client:
        for path in PROTECTED_GETS:
            assert_problem(client.get(path, headers=auth()), 503, "store_unavailable")
        response = client.post("/v1/segments", json={"name": "s"}, headers=auth("write"))
        assert_problem(response, 503, "store_unavailable")
        assert client.get("/health").status_code == 503
        assert_problem(client.get("/v1/influencers"), 401, "unauthorized")  # auth comes first


INVALID_UTF8_BODIES = [b'[{"kind": "profile", "id": "\xff\xfe"}]', b"\xff\xfe[\x00]\x00", b'{"name": "\xc3"}']


@pytest.mark.parametrize("path", ["/v1/events", "/v1/segments", "/v1/outreach/plan", "/v1/analysis/runs"])
@pytest.mark.parametrize("body", INVALID_UTF8_BODIES)
def test_invalid_utf8_in_a_body_is_a_clear_problem(client, path: str, body: bytes) -> None:
    response = client.post(path, content=body, headers={**auth("admin"), "Content-Type": "application/json"})
    assert response.status_code in (400, 422), response.text
    problem = assert_problem(response, response.status_code, "invalid_input")
    assert "UTF-8" in problem["detail"] and "codec" not in response.text, response.text


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/outreach/plan", {"brand": "acme\u0000", "k": 2}, "brand"),
        ("/v1/outreach/simulate", {"brand": "acme", "seeds": ["tw:user01\u001b"]}, "seeds"),
        ("/v1/outreach/plan", {"brand": "acme", "k": 2, "candidates": {"segment": "s\u0007"}}, "segment"),
        ("/v1/segments", {"name": "s", "filter": {"brand": "acme\u0000"}}, "brand"),
        ("/v1/segments/preview", {"platform": "x\u0085"}, "platform"),
    ],
)
def test_a_control_character_in_a_body_field_is_422_naming_the_field(client, path, body, field) -> None:
    """As in a path or query parameter: refused before any query, the field and the character named."""
    problem = assert_problem(client.post(path, json=body, headers=auth("admin")), 422, "invalid_input")
    assert field in json.dumps(problem) and "control character" in json.dumps(problem), problem


@pytest.mark.parametrize(
    "path",
    [
        "/v1/profiles/a%00b",
        "/v1/customers/%00",
        "/v1/brands/x%00y/advocates",
        "/v1/segments/%00",
        "/v1/segments/a%00/members",
        "/v1/communities/1%00",
        "/v1/analysis/runs/%00",
        "/v1/profiles/%ff%fe",
        "/v1/profiles/%0a%0d",
    ],
)
def test_hostile_characters_in_a_path_parameter_never_reach_the_engine(client, path: str) -> None:
    response = client.get(path, headers=auth("admin"))
    assert response.status_code in (404, 422), response.text
    assert response.headers["content-type"] == "application/problem+json"
    text = response.text.lower()
    for engine_words in ("errmsg", "syntax", "parser", "query", "cypher", "redis", "falkordb"):
        assert engine_words not in text, response.text


def test_a_503_never_names_the_socket_or_any_internal_path(tmp_path) -> None:
    hidden = tmp_path / "very-private-dir"
    dead = CypherGraphStore(FalkorDBEngine(url=f"unix://{hidden}/nobody-listens.sock"))
    with TestClient(make_app(dead), raise_server_exceptions=False) as client:
        for response in (
            client.get("/v1/influencers", headers=auth()),
            client.post("/v1/segments", json={"name": "s"}, headers=auth("write")),
            client.get("/health"),
        ):
            assert response.status_code == 503
            assert "very-private-dir" not in response.text and ".sock" not in response.text, response.text
            assert str(tmp_path) not in response.text
