"""What the API says about a run computed on Spark: the engine, the community method, and the scores
it did not compute (null, never a stand-in), read from the run's own AnalysisRun record."""

from __future__ import annotations

from fastapi.testclient import TestClient

from graph import results
from tests.api.api_testdata import RUN_ID, auth, build_base_graph, make_app, profile_id, write_analysis


def test_a_spark_run_reports_brokerage_as_not_computed_and_names_its_engine(falkordb_store) -> None:
    store = falkordb_store
    build_base_graph(store)
    write_analysis(store)
    with TestClient(make_app(store)) as client:
        before = client.get(f"/v1/profiles/{profile_id(1)}", headers=auth()).json()
    assert before["scores"]["brokerage"] == 0.01  # an in-process run: its brokerage, as stored
    assert before["run"]["engine"] == "in-process" and before["run"]["not_computed"] == []
    assert before["run"]["community_method"] == "louvain"

    results.update_run(
        store, RUN_ID, engine="spark", not_computed="brokerage", community_method="label_propagation"
    )
    with TestClient(make_app(store)) as client:
        after = client.get(f"/v1/profiles/{profile_id(1)}", headers=auth()).json()
        run = client.get(f"/v1/analysis/runs/{RUN_ID}", headers=auth()).json()
        bridges = client.get("/v1/bridges", headers=auth())
    assert after["scores"]["brokerage"] is None  # the stored 0.01 is not this run's measure
    assert after["scores"]["influence"] == before["scores"]["influence"]
    assert after["run"]["engine"] == "spark" and after["run"]["not_computed"] == ["brokerage"]
    assert after["run"]["community_method"] == "label_propagation"
    assert run["summary"]["not_computed"] == "brokerage" and run["summary"]["engine"] == "spark"
    # bridges rank by brokerage: an empty list would read as "no bridges", so the API says why not
    assert bridges.status_code == 409 and bridges.json()["code"] == "score_not_computed"
    assert "brokerage" in bridges.json()["detail"] and RUN_ID in bridges.json()["detail"]
