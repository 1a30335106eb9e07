"""End to end: a real ``rapport serve`` process on loopback with the embedded store.

Starts the CLI with an admin key in ``RAPPORT_API_KEYS``, polls ``/health``, uses the API over
HTTP (auth, problem+json, a hostile segment name through real percent-decoding), stops it with
SIGTERM, and checks it exits and releases the data directory's lock; a second start finds the
segment again.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

NAME = "e2e 'seg' %2F \\ 🦄 ?#"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(data_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "RAPPORT_API_KEYS": json.dumps([{"key": "k", "role": "admin", "name": "e2e"}])}
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--data-dir", str(data_dir), "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def wait_healthy(base: str, process: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited early: {process.stdout.read().decode(errors='replace')}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("serve did not become healthy in time")


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        raise


def lock_is_free(data_dir: Path) -> bool:
    fd = os.open(data_dir / "falkordb" / "rapport.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_serve_answers_over_http_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    key = {"Authorization": "Bearer k"}
    process = start(tmp_path, port)
    try:
        wait_healthy(base, process)
        assert not lock_is_free(tmp_path)
        unauthorized = httpx.get(f"{base}/v1/influencers")
        assert unauthorized.status_code == 401
        assert unauthorized.headers["content-type"] == "application/problem+json"
        no_run = httpx.get(f"{base}/v1/influencers", headers={"X-API-Key": "k"})
        assert no_run.status_code == 409 and no_run.json()["code"] == "no_analysis_run"
        brand = httpx.post(
            f"{base}/v1/events", json=[{"kind": "brand", "id": NAME, "name": NAME}], headers=key
        )
        assert brand.status_code in (200, 202), brand.text  # a segment's brand must exist
        created = httpx.post(
            f"{base}/v1/segments", json={"name": NAME, "filter": {"brand": NAME}}, headers=key
        )
        assert created.status_code == 201, created.text
        fetched = httpx.get(f"{base}/v1/segments/{quote(NAME, safe='')}", headers=key)
        assert fetched.status_code == 200 and fetched.json()["name"] == NAME
        too_big = httpx.post(f"{base}/v1/segments", content=b"x" * (11 * 1024 * 1024), headers=key)
        assert too_big.status_code == 413
    finally:
        code = stop(process)
    # uvicorn re-raises SIGTERM after its graceful shutdown; `serve` turns it into SystemExit(143), so
    # the store closes in its `with` block (stopping the embedded server) rather than dying by signal.
    assert code == 128 + signal.SIGTERM, process.stdout.read().decode(errors="replace")
    assert lock_is_free(tmp_path)

    process = start(tmp_path, port)
    try:
        wait_healthy(base, process)
        names = [s["name"] for s in httpx.get(f"{base}/v1/segments", headers=key).json()["items"]]
        assert names == [NAME]
    finally:
        stop(process)
    assert lock_is_free(tmp_path)
