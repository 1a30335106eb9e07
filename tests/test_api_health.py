"""/health and the docs are served without a key; the store's reachability is reported."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.main import create_app
from graph.config import load_settings


def test_health_docs_and_openapi(store) -> None:
    app = create_app(load_settings(), store=store)
    with TestClient(app) as client:
        health = client.get("/health")
        assert health.status_code == 200
        assert health.json() == {"status": "ok", "store": store.kind, "store_reachable": True}
        assert client.get("/docs").status_code == 200
        assert client.get("/openapi.json").json()["info"]["title"] == "Rapport"
        missing = client.get("/no-such-path")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
        assert missing.json()["code"] == "not_found"
