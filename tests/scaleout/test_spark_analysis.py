"""`rapport analyze --engine spark` as a user runs it, on a small demo world, after an in-process run.

FalkorDB: from the Parquet snapshot `rapport export` wrote; Neo4j: through the Neo4j connector. One
Spark run per engine (the module-scoped ``spark_run`` fixture: in-process run, then the command),
which the tests below read: the switch (the Spark run becomes the one current run), the published
scores against the in-process run's (PageRank within 1e-6 after normalising; reach, roles and
screening exactly; brand influence and stances to rounding), the API serving the Spark run, and
brokerage, which Spark does not compute, null and said to be.

The run's PageRank stops at an L1 change of 1e-7 (``RAPPORT_SPARK__PAGERANK_TOL``) instead of the
in-process 1e-10: it is then within 0.85 / 0.15 * 1e-7 = 5.7e-7 (L1) of the fixed point, so the
1e-6 comparison of influence holds by that bound; brand influence compared to 1e-5 relative showed
at most 1e-7 on this world.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.app import app as rapport_cli
from graph import results
from graph.store import CypherGraphStore
from ingest.demo import DemoSize, demo_events
from ingest.mapping import graph_writes
from ingest.sources.canonical import read_event_objects
from scaleout.export import export_parquet
from tests.api.api_testdata import auth, make_app
from tests.conftest import ENGINES, new_falkordb_store
from tests.neo4j_server import neo4j_test_store
from tests.test_cli import rapport
from usecases.analysis import AnalysisParams, AnalysisSummary, run_analysis

# 100 customers in 4 communities over 30 days, with a coordinated ring of 8: every stage has work
# (flagged accounts, advocates, detractors, mixed stances, brand influence), at a quarter of the demo
SMALL_WORLD = DemoSize(customers=100, communities=4, days=30, coordinated_ring=8)
PROFILE_COLUMNS = (
    "influence",
    "reach",
    "role",
    "screening_flags",
    "screening_weight",
    "brokerage",
    "community",
    "run_id",
)
RESULT_RELATIONSHIPS = ("INFLUENCES", "ADVOCATES", "DETRACTS")

# the first test of each engine pays for its run (about a minute here, several on a loaded host)
pytestmark = pytest.mark.timeout(600)


@dataclass(frozen=True)
class SparkRun:
    """The store after an in-process run (``before``) and after the Spark run the command made."""

    engine: str
    store: CypherGraphStore
    local: AnalysisSummary
    before: dict[str, dict[str, Any]]
    relationships_before: dict[str, dict[tuple[str, str], float]]
    exit_code: int
    output: str
    current: dict[str, Any]
    after: dict[str, dict[str, Any]]
    relationships_after: dict[str, dict[tuple[str, str], float]]


def _profiles(store: CypherGraphStore) -> dict[str, dict[str, Any]]:
    rows = store.execute_text(
        "MATCH (p:Profile) RETURN p.id AS id, " + ", ".join(f"p.{c} AS {c}" for c in PROFILE_COLUMNS),
        write=False,
    )
    return {row["id"]: dict(row) for row in rows}


def _relationships(store: CypherGraphStore) -> dict[str, dict[tuple[str, str], float]]:
    return {
        kind: {
            (row["p"], row["b"]): float(row["score"])
            for row in store.execute_text(
                f"MATCH (p:Profile)-[r:{kind}]->(b:Brand) RETURN p.id AS p, b.id AS b, r.score AS score",
                write=False,
            )
        }
        for kind in RESULT_RELATIONSHIPS
    }


@pytest.fixture(scope="module", params=ENGINES)
def spark_run(request: pytest.FixtureRequest, spark, tmp_path_factory) -> Iterator[SparkRun]:
    """The small world analysed in-process, then by ``rapport analyze --engine spark`` (one run per engine)."""
    engine = request.param
    data_dir = tmp_path_factory.mktemp("data")
    environment = {
        "RAPPORT_DATA_DIR": str(data_dir),
        "RAPPORT_SPARK__SHUFFLE_PARTITIONS": "2",  # the test session's SparkSession keeps its settings
        "RAPPORT_SPARK__PAGERANK_TOL": "1e-7",
    }
    with ExitStack() as cleanup:
        if engine == "falkordb":
            server = request.getfixturevalue("falkordb_server")
            store = new_falkordb_store(server)
            cleanup.callback(store.close)
            cleanup.callback(store.engine.connection.execute_command, "GRAPH.DELETE", store.engine.graph_name)
            environment |= {
                "RAPPORT_STORE": "falkordb",
                "RAPPORT_FALKORDB__URL": f"unix://{server.socket_path}",
                "RAPPORT_FALKORDB__GRAPH": store.engine.graph_name,
            }
        else:
            server = request.getfixturevalue("neo4j_server")
            store = cleanup.enter_context(neo4j_test_store(server))
            environment |= {
                "RAPPORT_STORE": "neo4j",
                "RAPPORT_NEO4J__URI": server.uri,
                "RAPPORT_NEO4J__USER": server.user,
                "RAPPORT_NEO4J__PASSWORD": server.password,
            }
        store.apply(
            graph_writes([item.events[0] for item in read_event_objects(demo_events(7, SMALL_WORLD))])
        )
        local = run_analysis(store, AnalysisParams())
        before, relationships_before = _profiles(store), _relationships(store)

        args = ["analyze", "--engine", "spark", "--master", "local[2]"]
        if engine == "falkordb":
            snapshot = tmp_path_factory.mktemp("snapshot")
            export_parquet(store, snapshot)
            args += ["--from-parquet", str(snapshot)]
        # the command installs its SIGTERM handler (it is an entry point); the test process gets its own back
        handler = signal.getsignal(signal.SIGTERM)
        try:
            done = CliRunner().invoke(rapport_cli, args, env=environment)
        finally:
            signal.signal(signal.SIGTERM, handler)
        current = results.current_run(store) or {}
        yield SparkRun(
            engine,
            store,
            local,
            before,
            relationships_before,
            done.exit_code,
            done.output,
            current,
            _profiles(store),
            _relationships(store),
        )


@pytest.fixture
def run(spark_run: SparkRun) -> SparkRun:
    """The module's Spark run, once the command succeeded (its output otherwise)."""
    assert spark_run.exit_code == 0, spark_run.output
    return spark_run


def test_the_world_exercises_every_stage(spark_run: SparkRun) -> None:
    local, relationships = spark_run.local, spark_run.relationships_before
    assert local.flagged > 0 and local.mixed > 0
    assert all(relationships[kind] for kind in RESULT_RELATIONSHIPS)


def test_the_spark_run_becomes_the_one_current_run_and_says_how_it_was_computed(run: SparkRun) -> None:
    assert "label_propagation" in run.output and "brokerage" in run.output
    current = run.current
    assert current["id"] != run.local.run_id
    runs = run.store.execute_text(
        "MATCH (r:AnalysisRun) RETURN r.id AS id, r.current AS current", write=False
    )
    assert {row["id"]: row["current"] for row in runs} == {run.local.run_id: False, current["id"]: True}
    assert current["engine"] == "spark" and current["state"] == "succeeded"
    assert current["not_computed"] == "brokerage" and current["community_method"] == "label_propagation"
    assert current["spark_input"].startswith("parquet:" if run.engine == "falkordb" else "neo4j:")
    # Neo4j's staged scores come from the connector's writer in parallel tasks; FalkorDB has no connector
    assert current["staged_by"] == ("store_batches" if run.engine == "falkordb" else "neo4j_connector")
    assert current["param_as_of"] == run.local.as_of_ms
    assert current["pagerank_tol"] == pytest.approx(1e-7)
    assert -0.5 <= current["modularity"] < 1
    assert {row["run_id"] for row in run.after.values()} == {current["id"]}


def test_influence_equals_in_process_within_1e_6_after_normalising(run: SparkRun) -> None:
    before, after = run.before, run.after
    assert after.keys() == before.keys()
    ranked = [p for p, row in before.items() if row["influence"] > 0]
    spark_total = sum(after[p]["influence"] for p in ranked)
    local_total = sum(before[p]["influence"] for p in ranked)
    assert (
        max(abs(after[p]["influence"] / spark_total - before[p]["influence"] / local_total) for p in ranked)
        < 1e-6
    )


@pytest.mark.parametrize("column", ["reach", "role", "screening_flags", "screening_weight"])
def test_reach_roles_and_screening_equal_in_process(run: SparkRun, column: str) -> None:
    assert {p: r[column] for p, r in run.after.items()} == {p: r[column] for p, r in run.before.items()}


def test_brokerage_is_null_never_a_stand_in_and_every_ranked_profile_has_a_community(run: SparkRun) -> None:
    ranked = [p for p, row in run.after.items() if row["influence"] > 0]
    assert all(run.after[p]["brokerage"] is None for p in ranked)
    assert any(run.before[p]["brokerage"] > 0 for p in ranked)  # the in-process run had computed it
    assert all(run.after[p]["community"] >= 0 for p in ranked)


@pytest.mark.parametrize("kind", RESULT_RELATIONSHIPS)
def test_brand_influence_and_stances_equal_in_process(run: SparkRun, kind: str) -> None:
    got, expected = run.relationships_after[kind], run.relationships_before[kind]
    assert got.keys() == expected.keys()
    assert all(got[key] == pytest.approx(value, rel=1e-5, abs=1e-9) for key, value in expected.items())


def test_the_api_serves_the_spark_run_and_brokerage_as_not_computed(run: SparkRun) -> None:
    ranked = [p for p, row in run.after.items() if row["influence"] > 0]
    top = max(ranked, key=lambda p: run.after[p]["influence"])
    with TestClient(make_app(run.store)) as client:
        profile = client.get(f"/v1/profiles/{top}", headers=auth()).json()
    assert profile["scores"]["influence"] == pytest.approx(run.after[top]["influence"], rel=1e-12)
    assert profile["scores"]["brokerage"] is None
    assert profile["run"]["id"] == run.current["id"]
    assert profile["run"]["engine"] == "spark" and profile["run"]["not_computed"] == ["brokerage"]
    assert profile["run"]["community_method"] == "label_propagation"


def test_spark_on_falkordb_needs_a_snapshot_and_in_process_takes_no_spark_options(tmp_path) -> None:
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
