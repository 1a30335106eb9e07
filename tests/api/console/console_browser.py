"""What the console's browser tests and ``bench/console.py`` share: a served app on loopback, a demo
world loaded and analysed into a store, and Debian's Chromium driven by Playwright.

Playwright drives ``/usr/bin/chromium`` through ``executable_path``; it never downloads a browser
(``PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1``; ``make test`` installs the Debian package when it is missing).
"""

from __future__ import annotations

import json
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import uvicorn

from graph.store import CypherGraphStore
from ingest.demo import DemoSize, demo_events
from ingest.loader import load_file
from usecases.analysis import AnalysisParams, run_analysis

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_demo_world(store: CypherGraphStore, *, size: DemoSize = DemoSize(), seed: int = 7) -> None:
    """Generate the demo world of ``size``, load it through the real loader and analyse it."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-events.jsonl"
        with open(path, "w", encoding="utf-8") as stream:
            for event in demo_events(seed, size):
                stream.write(json.dumps(event, ensure_ascii=False) + "\n")
        load_file(store, path, "events", parse_in_worker=False)
    run_analysis(store, AnalysisParams(seed=seed))


@contextmanager
def served(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread on a free loopback port; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="console-uvicorn", daemon=True)
    thread.start()
    started = threading.Event()

    def wait() -> None:
        while not server.started and thread.is_alive():
            started.wait(0.02)

    wait()
    if not server.started:
        raise RuntimeError("uvicorn did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextmanager
def chromium(user_data_dir: Path, *, viewport: dict[str, int] | None = None) -> Iterator[Any]:
    """A fresh Chromium profile in ``user_data_dir`` (a persistent context, so the profile is ours)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(user_data_dir),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport=viewport or {"width": 1400, "height": 900},
            accept_downloads=True,
        )
        try:
            yield context
        finally:
            context.close()


def off_machine(urls: list[str]) -> list[str]:
    """The requested URLs whose host is not this machine (data: and blob: URLs stay in the page)."""
    outside = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about", "chrome", "chrome-extension"}:
            continue
        if parts.hostname not in LOOPBACK_HOSTS:
            outside.append(url)
    return outside
