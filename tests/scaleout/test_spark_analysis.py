"""`rapport analyze --engine spark` as a user runs it, on the demo world, after an in-process run.

FalkorDB: from the Parquet snapshot `rapport export` wrote; Neo4j: through the Neo4j connector. Each
test checks the switch (the Spark run becomes the one current run), that the published scores equal
the in-process run's (PageRank within 1e-6 after normalising; reach, roles and screening exactly;
brand influence and stances to rounding), that the API serves the Spark run's scores, and that
brokerage, which Spark does not compute, is null and said to be.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.app import app as rapport_cli
from graph import results
from graph.store import CypherGraphStore
from ingest.demo import demo_events
from ingest.mapping import graph_writes
from ingest.sources.canonical import read_event_objects
from scaleout.export import export_parquet
from tests.api.api_testdata import auth, make_app
from usecases.analysis import AnalysisParams, run_analysis

# a whole analysis is a few hundred small Spark jobs; on a shared, loaded host each takes seconds
pytestmark = pytest.mark.timeout(1800)

PROFILE_COLUMNS = (
    "influence",
    "reach",
    "role",
    "screening_flags",
    "screening_weight",
    "brokerage",
    "community",
)


@pytest.fixture
def sigterm_restored() -> Iterator[None]:
    """The command installs its SIGTERM handler (it is an entry point); the test process gets its own back."""
    handler = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, handler)


def _profiles(store: CypherGraphStore) -> dict[str, dict[str, Any]]:
    rows = store.execute_text(
        "MATCH (p:Profile) RETURN p.id AS id, p.run_id AS run_id, "
        + ", ".join(f"p.{c} AS {c}" for c in PROFILE_COLUMNS),
        write=False,
    )
    return {row["id"]: dict(row) for row in rows}


def _relationships(store: CypherGraphStore, kind: str) -> dict[tuple[str, str], float]:
    rows = store.execute_text(
        f"MATCH (p:Profile)-[r:{kind}]->(b:Brand) RETURN p.id AS p, b.id AS b, r.score AS score, r.run_id AS run",
        write=False,
    )
    return {(row["p"], row["b"]): float(row["score"]) for row in rows}


def _environment(request: pytest.FixtureRequest, store: CypherGraphStore, tmp_path: Path) -> dict[str, str]:
    """RAPPORT_* settings that point the command at the test's store."""
    if request.node.callspec.params["store"] == "falkordb":
        server = request.getfixturevalue("falkordb_server")
        return {
            "RAPPORT_STORE": "falkordb",
            "RAPPORT_FALKORDB__URL": f"unix://{server.socket_path}",
            "RAPPORT_FALKORDB__GRAPH": store.engine.graph_name,
            "RAPPORT_DATA_DIR": str(tmp_path / "data"),
        }
    server = request.getfixturevalue("neo4j_server")
    return {
        "RAPPORT_STORE": "neo4j",
        "RAPPORT_NEO4J__URI": server.uri,
        "RAPPORT_NEO4J__USER": server.user,
        "RAPPORT_NEO4J__PASSWORD": server.password,
        "RAPPORT_DATA_DIR": str(tmp_path / "data"),
    }


def test_analyze_on_spark_publishes_the_same_scores_as_in_process_and_says_what_it_did_not_compute(
    request, store, spark, sigterm_restored, tmp_path
) -> None:
    store.apply(graph_writes([item.events[0] for item in read_event_objects(demo_events(7))]))
    local = run_analysis(store, AnalysisParams())
    before = _profiles(store)
    influences_before = _relationships(store, "INFLUENCES")
    advocates_before = _relationships(store, "ADVOCATES")
    detractors_before = _relationships(store, "DETRACTS")
    assert local.flagged > 0 and advocates_before and influences_before  # the demo exercises every stage

    args = ["analyze", "--engine", "spark", "--master", "local[2]"]
    if request.node.callspec.params["store"] == "falkordb":
        export_parquet(store, tmp_path / "snapshot")
        args += ["--from-parquet", str(tmp_path / "snapshot")]
    done = CliRunner().invoke(rapport_cli, args, env=_environment(request, store, tmp_path))
    assert done.exit_code == 0, done.output
    assert "label_propagation" in done.output and "brokerage" in done.output

    # the switch: the Spark run is the one current run, and says how it was computed
    current = results.current_run(store)
    assert current is not None and current["id"] != local.run_id
    runs = store.execute_text("MATCH (r:AnalysisRun) RETURN r.id AS id, r.current AS current", write=False)
    assert {row["id"]: row["current"] for row in runs} == {local.run_id: False, current["id"]: True}
    assert current["engine"] == "spark" and current["state"] == "succeeded"
    assert current["not_computed"] == "brokerage" and current["community_method"] == "label_propagation"
    assert current["param_as_of"] == local.as_of_ms
    assert -0.5 <= current["modularity"] < 1

    after = _profiles(store)
    assert after.keys() == before.keys()
    assert {row["run_id"] for row in after.values()} == {current["id"]}
    ranked = [p for p, row in before.items() if row["influence"] > 0]
    spark_total = sum(after[p]["influence"] for p in ranked)
    local_total = sum(before[p]["influence"] for p in ranked)
    assert (
        max(abs(after[p]["influence"] / spark_total - before[p]["influence"] / local_total) for p in ranked)
        < 1e-6
    )
    for column in ("reach", "role", "screening_flags", "screening_weight"):
        assert {p: r[column] for p, r in after.items()} == {p: r[column] for p, r in before.items()}, column
    ranked_nodes = [p for p, row in after.items() if row["influence"] > 0]
    assert all(after[p]["brokerage"] is None for p in ranked_nodes)  # never a stand-in
    assert any(before[p]["brokerage"] > 0 for p in ranked_nodes)
    assert all(after[p]["community"] >= 0 for p in ranked_nodes)

    # brand influence (personalized PageRank) and stances: the same profiles, the same scores
    for kind, expected in (
        ("INFLUENCES", influences_before),
        ("ADVOCATES", advocates_before),
        ("DETRACTS", detractors_before),
    ):
        got = _relationships(store, kind)
        assert got.keys() == expected.keys(), kind
        assert all(got[key] == pytest.approx(value, rel=1e-5, abs=1e-9) for key, value in expected.items()), (
            kind
        )

    # the API serves the Spark run: its scores, its method, and brokerage as not computed
    top = max(ranked_nodes, key=lambda p: after[p]["influence"])
    with TestClient(make_app(store)) as client:
        profile = client.get(f"/v1/profiles/{top}", headers=auth()).json()
    assert profile["scores"]["influence"] == pytest.approx(after[top]["influence"], rel=1e-12)
    assert profile["scores"]["brokerage"] is None
    assert profile["run"]["id"] == current["id"]
    assert profile["run"]["engine"] == "spark" and profile["run"]["not_computed"] == ["brokerage"]
    assert profile["run"]["community_method"] == "label_propagation"


def test_spark_on_falkordb_needs_a_snapshot_and_in_process_takes_no_spark_options(tmp_path: Path) -> None:
    from tests.test_cli import rapport

    refused = rapport("analyze", "--engine", "spark", data_dir=tmp_path / "data")
    assert refused.returncode == 2, refused.stderr
    assert "rapport export --format parquet" in refused.stderr and "Traceback" not in refused.stderr
    missing = rapport(
        "analyze", "--engine", "spark", "--from-parquet", str(tmp_path), data_dir=tmp_path / "data"
    )
    assert missing.returncode == 2 and "holds no snapshot" in missing.stderr
    mixed = rapport("analyze", "--master", "local[2]", data_dir=tmp_path / "data")
    assert mixed.returncode == 2 and "--engine spark" in mixed.stderr
    unknown = rapport("analyze", "--engine", "dask", data_dir=tmp_path / "data")
    assert unknown.returncode == 2 and "in-process or spark" in unknown.stderr
