"""Fixtures of the console's browser tests: the demo world served on loopback, and Chromium.

One store, one server and one browser for the module (building them is most of the time); each test
opens its own page, whose ``sessionStorage`` starts empty, and signs in with the key it needs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from console_browser import chromium, load_demo_world, served

from api.main import create_app
from graph.config import ApiKey, Settings
from tests.conftest import new_falkordb_store

ADMIN_KEY = "console-admin-key"
READ_KEY = "console-read-key"
SAVED_SEGMENT = "northwind advocates"


@pytest.fixture(scope="module")
def demo_store(falkordb_server: Any) -> Iterator[Any]:
    store = new_falkordb_store(falkordb_server)
    try:
        load_demo_world(store)
        yield store
    finally:
        store.engine.connection.execute_command("GRAPH.DELETE", store.engine.graph_name)
        store.close()


@pytest.fixture(scope="module")
def base_url(demo_store: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(
        api_keys=[
            ApiKey(key=ADMIN_KEY, role="admin", name="console-admin"),
            ApiKey(key=READ_KEY, role="read", name="console-reader"),
        ],
        data_dir=tmp_path_factory.mktemp("console-data"),
    )
    with served(create_app(settings, store=demo_store)) as url:
        answer = httpx.post(
            f"{url}/v1/segments",
            headers={"Authorization": f"Bearer {ADMIN_KEY}"},
            json={"name": SAVED_SEGMENT, "filter": {"brand": "northwind", "role": "advocate"}},
        )
        assert answer.status_code == 201, answer.text
        yield url


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


@pytest.fixture
def requests_seen(browser_context: Any) -> Iterator[list[tuple[str, str]]]:
    """Every (method, URL) the browser requests during the test (asserted to stay on this machine)."""
    seen: list[tuple[str, str]] = []

    def record(request: Any) -> None:
        seen.append((request.method, request.url))

    browser_context.on("request", record)
    yield seen
    browser_context.remove_listener("request", record)


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    """A new tab; a script error or a console error in it fails the test."""
    page = browser_context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))

    def console_error(message: Any) -> None:
        # a refused request (the bad-key test's 401) is logged as "Failed to load resource": not a bug
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(f"console: {message.text}")

    page.on("console", console_error)
    try:
        yield page
    finally:
        page.close()
    assert errors == []


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/img when RAPPORT_SCREENSHOTS names it (``make console-screenshots``), else a temp dir."""
    chosen = os.environ.get("RAPPORT_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def api_get(base_url: str) -> Any:
    def get(path: str, **params: Any) -> Any:
        answer = httpx.get(
            f"{base_url}{path}", params=params, headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=60
        )
        answer.raise_for_status()
        return answer.json()

    return get
