"""`rapport outreach plan|simulate` as a user runs them: a real process on a temporary data dir."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from outreach_data import build_stars

from graph.config import load_settings
from graph.store import open_store

ROOT = Path(__file__).resolve().parents[2]
RAPPORT = [sys.executable, "-m", "cli"]


def rapport(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RAPPORT, *args, "--data-dir", str(data_dir)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rapport-data")
    with open_store(load_settings(data_dir=path)) as store:
        build_stars(store)
    return path


def test_plan_prints_json(data_dir: Path) -> None:
    result = rapport(
        "outreach", "plan", "--brand", "acme", "--k", "2", "--exclude", "tw:hub", "--json", data_dir=data_dir
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert [c["profile"]["id"] for c in body["contacts"]] == ["tw:ada", "tw:hub2"]
    assert body["excluded"] == {"brand_profiles": 1, "detractors": 0, "listed": 1}


def test_plan_prints_a_table(data_dir: Path) -> None:
    result = rapport("outreach", "plan", "--brand", "globex", "--k", "1", "--seed", "4", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    words = " ".join(result.stdout.split())
    assert "tw:ada" in words and "the selection's own estimate" in words
    assert "an independent estimate of the same total" in words  # never mixed in with the selection's
    assert "expected spread" in result.stderr and "brand accounts, staff and placeholders" in result.stderr


def test_simulate_prints_json(data_dir: Path) -> None:
    result = rapport(
        "outreach", "simulate", "--brand", "globex", "--seeds", "tw:hub2", "--json", data_dir=data_dir
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert [c["profile"]["id"] for c in body["plan"]["contacts"]] == ["tw:ada"]
    assert body["difference"]["mean"] > 0


def test_errors_are_one_line_with_exit_codes(data_dir: Path) -> None:
    unknown = rapport("outreach", "plan", "--brand", "initech", data_dir=data_dir)
    assert unknown.returncode == 4 and "no brand" in unknown.stderr and "Traceback" not in unknown.stderr
    no_run = rapport("outreach", "plan", "--brand", "globex", "--community", "1", data_dir=data_dir)
    assert no_run.returncode == 5 and "rapport analyze" in no_run.stderr
    bad = rapport("outreach", "plan", "--brand", "globex", "--model", "sir", data_dir=data_dir)
    assert bad.returncode == 2


def test_the_json_body_is_the_apis(data_dir: Path) -> None:
    """`--json` serialises the use case's result itself; it must be byte-for-byte the API's body."""
    from pydantic import TypeAdapter

    from api.routes.outreach import OutreachPlan, OutreachSimulation
    from usecases.outreach import OutreachService, Plan, Simulation

    with open_store(load_settings(data_dir=data_dir)) as store:
        service = OutreachService()
        plan = service.plan(store, brand="acme", k=2, exclude=["tw:hub"])
        simulation = service.simulate(store, brand="acme", seeds=["tw:ada"])
    assert json.loads(TypeAdapter(Plan).dump_json(plan)) == OutreachPlan.model_validate(plan).model_dump(
        mode="json"
    )
    assert json.loads(TypeAdapter(Simulation).dump_json(simulation)) == OutreachSimulation.model_validate(
        simulation
    ).model_dump(mode="json")
