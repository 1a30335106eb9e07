"""Analysis runs over HTTP (background, one at a time) and trust paths, on the generated demo world."""

from __future__ import annotations

import time

import pytest
from api_testdata import KEYS, make_app
from fastapi.testclient import TestClient

from graph import results
from graph.store import CypherGraphStore
from ingest.demo import DemoSize, demo_events
from ingest.mapping import graph_writes
from ingest.sources.canonical import read_event_objects

READ = {"Authorization": f"Bearer {KEYS['read']}"}
WRITE = {"Authorization": f"Bearer {KEYS['write']}"}
ADMIN = {"Authorization": f"Bearer {KEYS['admin']}"}


@pytest.fixture
def demo_store(store: CypherGraphStore) -> CypherGraphStore:
    events = [item.events[0] for item in read_event_objects(demo_events(7, DemoSize(customers=120)))]
    store.apply(graph_writes(events))
    return store


def wait_for(client: TestClient, run_id: str, timeout_s: float = 60) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = client.get(f"/v1/analysis/runs/{run_id}", headers=READ).json()
        if status["state"] in ("succeeded", "failed"):
            return status
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} did not finish")


def test_an_analysis_run_started_over_http_finishes_and_its_results_are_served(demo_store) -> None:
    with TestClient(make_app(demo_store)) as client:
        assert client.post("/v1/analysis/runs", json={"seed": 3}, headers=READ).status_code == 403
        assert (
            client.post("/v1/analysis/runs", json={"seed": 3}, headers=WRITE).status_code == 403
        )  # admin only
        started = client.post("/v1/analysis/runs", json={"seed": 3}, headers=ADMIN)
        assert started.status_code == 202
        status = wait_for(client, started.json()["id"])
        assert status["state"] == "succeeded", status
        assert status["summary"]["communities"] >= 2 and status["summary"]["modularity"] > 0.2
        assert results.current_run(demo_store)["id"] == started.json()["id"]

        advocates = client.get("/v1/brands/northwind/advocates?limit=50", headers=READ).json()["items"]
        assert advocates, "the demo world has northwind advocates"
        assert "twitter:northwind" not in {a["id"] for a in advocates}  # a brand never advocates itself
        assert all(a["mean_sentiment"] > 0 for a in advocates)
        assert client.get("/v1/analysis/runs/run-nope", headers=READ).status_code == 404


def test_a_second_run_while_one_is_running_gets_409(demo_store) -> None:
    results.start_run(demo_store, "run-held", {})
    with TestClient(make_app(demo_store)) as client:
        response = client.post("/v1/analysis/runs", headers=ADMIN)
        assert response.status_code == 409 and response.json()["code"] == "conflict"


def test_shutting_the_api_down_waits_for_the_analysis_it_started(demo_store) -> None:
    """The store closes after the app's shutdown: a run still writing through it would fail half-way
    (and, on Neo4j, write on a closed driver)."""
    with TestClient(make_app(demo_store)) as client:
        started = client.post("/v1/analysis/runs", json={"seed": 3}, headers=ADMIN)
        assert started.status_code == 202
    run = results.current_run(demo_store)  # read straight after the shutdown, no wait
    assert run is not None and run["id"] == started.json()["id"] and run["state"] == "succeeded"


def test_trust_paths_need_a_key_and_never_cross_distrust(demo_store) -> None:
    rated = demo_store.execute_text(
        "MATCH (a:Profile)-[r:RATED]->(b:Profile)-[r2:RATED]->(c:Profile) "
        "WHERE r.rating > 0 AND r2.rating > 0 AND a.id <> c.id AND NOT (a)-[:RATED]->(c) "
        "RETURN a.id AS a, c.id AS c ORDER BY a, c LIMIT 1",
        write=False,
    )[0]
    with TestClient(make_app(demo_store)) as client:
        url = f"/v1/trust-paths?source={rated['a']}&target={rated['c']}&k=3&max_hops=4"
        assert client.get(url).status_code == 401
        body = client.get(url, headers=READ).json()
        assert body["paths"], body
        best = body["paths"][0]
        assert best["nodes"][0] == rated["a"] and best["nodes"][-1] == rated["c"]
        assert all(edge["trust"] > 0 for path in body["paths"] for edge in path["edges"])
        trusts = [path["trust"] for path in body["paths"]]
        assert trusts == sorted(trusts, reverse=True)
        assert client.get(url.replace("k=3", "k=50"), headers=READ).status_code == 422
        assert client.get("/v1/trust-paths?source=nobody&target=x", headers=READ).status_code == 404


def test_the_trust_network_is_built_at_start_up_in_the_background_once(demo_store, monkeypatch) -> None:
    """A worker's first trust-path request finds the network the start-up built, not a build of its own."""
    from api.main import warm_trust_network
    from usecases import trust_network

    builds: list[int] = []
    real = trust_network.load_trust_network
    monkeypatch.setattr(trust_network, "load_trust_network", lambda store: builds.append(1) or real(store))
    cache = trust_network.TrustNetworkCache()
    builder = warm_trust_network(cache, demo_store)
    builder.join(120)
    assert not builder.is_alive() and builds == [1]
    network, search = cache.get(demo_store)
    assert builds == [1] and network is not None and search is not None
