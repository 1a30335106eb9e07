"""A run left ``running`` by a process that died does not block analysis: one rule, CLI and API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from graph import errors, results
from graph.run_owner import Owner, owner_of
from tests.analysis.helpers import T0, interactions_writes
from usecases.analysis import AnalysisParams, run_analysis

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
from api_testdata import KEYS, make_app  # noqa: E402

ADMIN = {"Authorization": f"Bearer {KEYS['admin']}"}
HOUR_MS = 3600 * 1000


@pytest.fixture
def owner_process() -> Iterator[subprocess.Popen]:
    """A real process that owns a run until the test kills it."""
    process = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()
    process.stdin.close()


def killed(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def state_of(store, run_id: str) -> dict:
    rows = store.execute_text(
        "MATCH (r:AnalysisRun {id: $id}) RETURN r.state AS state, r.error AS error",
        {"id": run_id},
        write=False,
    )
    return rows[0]


def small_graph(store) -> None:
    store.apply(interactions_writes(range(5), [(0, 1, "reply", T0), (1, 2, "like", T0), (2, 0, "share", T0)]))


def test_a_run_whose_process_was_killed_is_failed_by_the_next_cli_run(store, owner_process) -> None:
    small_graph(store)
    results.start_run(store, "run-dead", {}, owner=owner_of(owner_process.pid))
    with pytest.raises(errors.Conflict):  # its owner still runs: a real conflict
        run_analysis(store, AnalysisParams())
    killed(owner_process)
    summary = run_analysis(store, AnalysisParams())
    assert results.current_run(store)["id"] == summary.run_id
    dead = state_of(store, "run-dead")
    assert (
        dead["state"] == "failed" and "abandoned" in dead["error"] and str(owner_process.pid) in dead["error"]
    )


def test_the_api_applies_the_same_rule(store, owner_process) -> None:
    small_graph(store)
    results.start_run(store, "run-dead", {}, owner=owner_of(owner_process.pid))
    with TestClient(make_app(store), raise_server_exceptions=False) as client:
        assert client.post("/v1/analysis/runs", headers=ADMIN).status_code == 409
        killed(owner_process)
        response = client.post("/v1/analysis/runs", headers=ADMIN)
        assert response.status_code == 202, response.text
    assert state_of(store, "run-dead")["state"] == "failed"


def test_a_reused_pid_is_not_taken_for_the_owner(store) -> None:
    me = owner_of(os.getpid())
    results.start_run(
        store, "run-old", {}, owner=replace(me, started=me.started + 1)
    )  # same pid, other process
    results.start_run(store, "run-new", {})
    assert state_of(store, "run-old")["state"] == "failed"
    assert state_of(store, "run-new")["state"] == "running"


def test_an_owner_on_another_host_is_waited_for_six_hours(store) -> None:
    elsewhere = Owner(host="another-host", boot="", pid=1, started=1)
    now = results.now_ms()
    results.start_run(store, "run-remote", {}, owner=elsewhere, started_at=now - HOUR_MS)
    with pytest.raises(errors.Conflict):
        results.start_run(store, "run-2", {})
    store.run_write("analysis.update_run", {"id": "run-remote", "props": {"started_at": now - 7 * HOUR_MS}})
    results.start_run(store, "run-2", {})
    assert state_of(store, "run-remote")["state"] == "failed"
