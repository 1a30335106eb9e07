"""The micro-cache of run-scoped pages (api/cache.py): hits, bounded staleness, invalidation, limits."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from api_testdata import KEYS, auth, make_app, write_analysis
from fastapi.testclient import TestClient
from pydantic import BaseModel
from starlette.requests import Request

from api.cache import ResponseCache, cached_json
from api.main import create_app
from graph.config import load_settings
from graph.errors import NotFound
from graph.inline import may_wait
from graph.store import CypherGraphStore


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def cached_client(store: CypherGraphStore, clock: FakeClock, ttl: float = 5.0) -> TestClient:
    app = make_app(store, response_cache_seconds=ttl)
    app.state.response_cache = ResponseCache(ttl, 1 << 20, clock=clock)
    return TestClient(app, raise_server_exceptions=False)


# -- the cache on its own ------------------------------------------------------------------------


def test_an_entry_lives_for_the_ttl_and_no_longer() -> None:
    clock = FakeClock()
    cache = ResponseCache(2.0, 1000, clock=clock)
    key = ("/v1/influencers", ())
    cache.put(key, b"page", cache.generation)
    clock.now += 1.999
    assert cache.get(key) == b"page"
    clock.now += 0.001
    assert cache.get(key) is None
    assert len(cache) == 0  # an expired entry is dropped, not kept around


def test_least_recently_used_bodies_go_first_when_over_the_byte_limit() -> None:
    cache = ResponseCache(60.0, 10, clock=FakeClock())
    a, b, c = (("/a", ()), ("/b", ()), ("/c", ()))
    cache.put(a, b"aaaa", 0)
    cache.put(b, b"bbbb", 0)
    assert cache.get(a) == b"aaaa"  # a is now more recent than b
    cache.put(c, b"cccc", 0)  # 12 bytes > 10: the least recently used (b) goes
    assert cache.get(b) is None
    assert cache.get(a) == b"aaaa" and cache.get(c) == b"cccc"
    cache.put(("/big", ()), b"x" * 11, 0)  # bigger than the whole cache: never stored
    assert cache.get(("/big", ())) is None and len(cache) == 2


def test_a_body_computed_before_a_clear_is_not_stored() -> None:
    cache = ResponseCache(60.0, 1000, clock=FakeClock())
    generation = cache.generation
    cache.clear()  # e.g. an analysis run was published while the page was being computed
    cache.put(("/a", ()), b"old", generation)
    assert cache.get(("/a", ())) is None


def test_a_ttl_of_zero_turns_the_cache_off() -> None:
    cache = ResponseCache(0.0, 1000)
    cache.put(("/a", ()), b"x", cache.generation)
    assert not cache.enabled and cache.get(("/a", ())) is None


# -- through the API -----------------------------------------------------------------------------


def test_a_repeated_page_is_served_from_the_cache_until_the_ttl_ends(scored_store) -> None:
    clock = FakeClock()
    with cached_client(scored_store, clock) as client:
        first = client.get("/v1/influencers?limit=3&platform=twitter", headers=auth())
        again = client.get("/v1/influencers?platform=twitter&limit=3", headers=auth())  # order-insensitive
        assert first.headers["x-cache"] == "miss" and again.headers["x-cache"] == "hit"
        assert again.content == first.content
        assert first.json()["run"]["id"] == "run-1"

        write_analysis(scored_store, run_id="run-2")  # published behind the app's back (the CLI)
        clock.now += 4.9
        assert (
            client.get("/v1/influencers?limit=3&platform=twitter", headers=auth()).json()["run"]["id"]
            == "run-1"
        )
        clock.now += 0.1
        fresh = client.get("/v1/influencers?limit=3&platform=twitter", headers=auth())
        assert fresh.headers["x-cache"] == "miss" and fresh.json()["run"]["id"] == "run-2"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/influencers?limit=5",
        "/v1/influencers?brand=acme&limit=5",
        "/v1/brands/acme/advocates?limit=5",
        "/v1/brands/acme/detractors?limit=5",
        "/v1/communities?top=2",
        "/v1/communities/1?limit=5",
    ],
)
def test_each_cached_route_answers_the_same_body_as_without_the_cache(scored_store, path) -> None:
    with TestClient(make_app(scored_store), raise_server_exceptions=False) as plain:
        expected = plain.get(path, headers=auth())
    with cached_client(scored_store, FakeClock()) as client:
        miss, hit = (client.get(path, headers=auth()) for _ in range(2))
    assert expected.status_code == 200, expected.text
    assert (miss.headers["x-cache"], hit.headers["x-cache"]) == ("miss", "hit")
    assert miss.json() == expected.json() and hit.content == miss.content


def test_a_hit_still_needs_a_valid_key_and_errors_are_never_cached(scored_store) -> None:
    with cached_client(scored_store, FakeClock()) as client:
        assert client.get("/v1/influencers?limit=2", headers=auth()).status_code == 200
        assert client.get("/v1/influencers?limit=2").status_code == 401
        assert client.get("/v1/influencers?limit=2", headers={"X-API-Key": "wrong"}).status_code == 401
        for _ in range(2):
            missing = client.get("/v1/brands/nope/advocates", headers=auth())
            assert missing.status_code == 404 and "x-cache" not in missing.headers
        assert client.get("/v1/influencers?limit=9999", headers=auth()).status_code == 422


def test_events_posted_through_the_api_clear_the_cache(scored_store) -> None:
    with cached_client(scored_store, FakeClock(), ttl=3600) as client:
        top = client.get("/v1/influencers?limit=1", headers=auth()).json()["items"][0]
        renamed = {"kind": "profile", "id": top["id"], "platform": top["platform"], "handle": "renamed"}
        posted = client.post(
            "/v1/events",
            content=json.dumps([renamed]),
            headers={"Authorization": f"Bearer {KEYS['write']}", "content-type": "application/json"},
        )
        assert posted.status_code == 200 and posted.json()["accepted"] == 1
        after = client.get("/v1/influencers?limit=1", headers=auth())
        assert after.headers["x-cache"] == "miss" and after.json()["items"][0]["handle"] == "renamed"


def test_an_analysis_run_started_through_the_api_clears_the_cache(scored_store) -> None:
    with cached_client(scored_store, FakeClock(), ttl=3600) as client:
        assert client.get("/v1/influencers?limit=1", headers=auth()).json()["run"]["id"] == "run-1"
        started = client.post("/v1/analysis/runs", json={"seed": 1}, headers=auth("admin"))
        assert started.status_code == 202
        run_id = started.json()["id"]
        client.app.state.analysis_jobs.thread.join(timeout=120)  # the run's own thread, not a sleep
        assert client.get(f"/v1/analysis/runs/{run_id}", headers=auth()).json()["state"] == "succeeded"
        after = client.get("/v1/influencers?limit=1", headers=auth())
        assert after.headers["x-cache"] == "miss" and after.json()["run"]["id"] == run_id


def test_the_cache_is_on_by_default(scored_store) -> None:
    settings = load_settings()
    assert settings.response_cache_seconds == 2.0
    cache = create_app(settings, store=scored_store).state.response_cache
    assert cache.enabled and cache.ttl_seconds == 2.0


def _request(app, path: str):
    return Request(
        {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": [], "app": app}
    )


def test_concurrent_misses_of_one_page_compute_it_once_and_share_the_result(scored_store) -> None:

    class Page(BaseModel):
        value: int

    app = make_app(scored_store, response_cache_seconds=60)
    release = threading.Event()
    calls: list[int] = []

    def compute() -> Page:
        may_wait("a slow read")  # as a read of the store says it waits (graph.inline)
        calls.append(1)
        assert release.wait(timeout=60)
        return Page(value=len(calls))

    async def scenario() -> list[bytes]:
        cache = app.state.response_cache
        first = asyncio.create_task(cached_json(_request(app, "/p"), compute))
        while not cache.inflight:  # yields to the loop until the first request is computing
            await asyncio.sleep(0)
        others = [asyncio.create_task(cached_json(_request(app, "/p"), compute)) for _ in range(5)]
        for _ in range(10):
            await asyncio.sleep(0)  # let them reach the shared computation
        release.set()
        responses = await asyncio.gather(first, *others)
        return [response.body for response in responses]

    bodies = asyncio.run(scenario())
    assert calls == [1] and set(bodies) == {b'{"value":1}'}
    assert not app.state.response_cache.inflight


def test_a_failed_computation_fails_its_waiters_too_and_is_not_cached(scored_store) -> None:

    app = make_app(scored_store, response_cache_seconds=60)
    release = threading.Event()

    def compute():
        may_wait("a slow read")
        assert release.wait(timeout=60)
        raise NotFound("gone")

    async def scenario() -> list[object]:
        first = asyncio.create_task(cached_json(_request(app, "/p"), compute))
        while not app.state.response_cache.inflight:
            await asyncio.sleep(0)
        second = asyncio.create_task(cached_json(_request(app, "/p"), compute))
        for _ in range(10):
            await asyncio.sleep(0)
        release.set()
        return await asyncio.gather(first, second, return_exceptions=True)

    outcomes = asyncio.run(scenario())
    assert all(isinstance(outcome, NotFound) for outcome in outcomes)
    assert len(app.state.response_cache) == 0 and not app.state.response_cache.inflight
