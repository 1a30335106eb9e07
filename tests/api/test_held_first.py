"""Reads answered on the event loop when what they need is held (api.inline), on both engines."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from api_testdata import auth, build_base_graph, make_app, write_analysis
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

import api.inline
from api.inline import HeldFirstRoute
from graph.inline import may_wait
from graph.model import Label
from graph.store import CypherGraphStore


def _count_hand_overs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the handlers api.inline hands over to a worker thread, as they happen."""
    handed: list[str] = []
    real = api.inline.run_in_threadpool

    async def counted(handler: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        handed.append(handler.__name__)
        return await real(handler, *args, **kwargs)

    monkeypatch.setattr(api.inline, "run_in_threadpool", counted)
    return handed


def test_a_read_that_would_wait_runs_again_on_a_worker_thread(monkeypatch) -> None:
    handed = _count_hand_overs(monkeypatch)
    router = APIRouter(route_class=HeldFirstRoute)
    threads: dict[str, list[str]] = {"held": [], "cold": [], "loop": []}

    @router.get("/held")
    def held() -> dict[str, str]:
        threads["held"].append(threading.current_thread().name)
        return {"answer": "held"}

    @router.get("/cold")
    def cold(n: int) -> dict[str, int]:
        threads["cold"].append(threading.current_thread().name)
        may_wait("the store")
        return {"answer": n}

    @router.get("/loop")
    async def loop() -> dict[str, str]:
        threads["loop"].append(threading.current_thread().name)
        return {"answer": "loop"}

    app = FastAPI()
    app.include_router(router)
    with TestClient(app) as client:
        assert client.get("/loop").json() == {"answer": "loop"}
        assert client.get("/held").json() == {"answer": "held"}
        assert client.get("/cold", params={"n": 7}).json() == {"answer": 7}
        assert client.get("/cold", params={"n": "x"}).status_code == 422  # parameters still validated
    assert threads["held"] == threads["loop"]  # on the event loop's thread
    assert threads["cold"][0] == threads["loop"][0] and threads["cold"][1] != threads["loop"][0]
    assert handed == ["cold"]


@pytest.fixture
def scored(store: CypherGraphStore) -> CypherGraphStore:
    build_base_graph(store)
    write_analysis(store)
    return store


def test_held_pages_are_answered_on_the_event_loop_and_a_write_sends_them_back_once(
    scored: CypherGraphStore, monkeypatch
) -> None:
    handed = _count_hand_overs(monkeypatch)
    pages = ["/v1/influencers?limit=5", "/v1/brands/acme/advocates?limit=5", "/v1/communities?limit=5"]
    with TestClient(make_app(scored, read_view_seconds=60)) as client:
        first = [client.get(page, headers=auth()) for page in pages]
        assert all(response.status_code == 200 for response in first)
        cold = len(handed)
        assert cold >= 1  # the first look reads the store: on a worker thread
        again = [client.get(page, headers=auth()) for page in pages]
        assert [r.json() for r in again] == [r.json() for r in first]
        assert len(handed) == cold  # held: answered without a hand-over
        scored.upsert_nodes(Label.PROFILE, [{"id": "tw:new", "handle": "new"}])  # a write of this process
        assert [client.get(page, headers=auth()).json() for page in pages] == [r.json() for r in first]
        assert len(handed) > cold  # the view was read again, on a worker thread
