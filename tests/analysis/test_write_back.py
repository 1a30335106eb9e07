"""Write-back: brand relationships, the atomic switch between runs, failure handling, trust projection."""

from __future__ import annotations

import csv
import gzip

import pytest

from algorithms.trust import trust_paths
from graph import errors, results
from graph.model import ABOUT, BRAND_HAS_PROFILE, RATED, Label, RelRow
from tests.analysis.helpers import T0, add_post, interactions_writes, profile_id
from tests.conftest import shared_data
from usecases.analysis import AnalysisParams, load_trust_graph, run_analysis


def _brand_graph(store) -> None:
    """A star around the brand's own profile k:0, k:1 praising the brand, k:2 complaining."""
    interactions = [(i, 0, "reply", T0) for i in range(1, 6)] + [(0, i, "like", T0) for i in range(1, 3)]
    interactions += [(3, 4, "mention", T0), (4, 5, "share", T0)]
    writes = interactions_writes(range(7), interactions)
    writes.add_node_properties(Label.BRAND, {"id": "acme", "name": "Acme"})
    writes.add_relationship(BRAND_HAS_PROFILE, "acme", profile_id(0))
    add_post(writes, profile_id(1), "good", T0, sentiment=0.9)
    add_post(writes, profile_id(2), "bad", T0, sentiment=-0.8)
    writes.add_relationship(ABOUT, "good", "acme")
    writes.add_relationship(ABOUT, "bad", "acme")
    store.apply(writes)


def _rels(store, rel: str) -> list[dict]:
    return store.execute_text(
        f"MATCH (p:Profile)-[r:{rel}]->(b:Brand) RETURN p.id AS profile, b.id AS brand, properties(r) AS r",
        write=False,
    )


def test_brand_relationships_and_the_atomic_switch(store) -> None:
    _brand_graph(store)
    first = run_analysis(store, AnalysisParams())
    advocates, detractors = _rels(store, "ADVOCATES"), _rels(store, "DETRACTS")
    assert [(a["profile"], a["r"]["rank"]) for a in advocates] == [("k:1", 1)]
    assert advocates[0]["r"]["evidence_post_ids"] == ["good"] and advocates[0]["r"]["posts"] == 1
    assert advocates[0]["r"]["mean_sentiment"] == pytest.approx(0.9)
    assert [d["profile"] for d in detractors] == ["k:2"]
    influences = _rels(store, "INFLUENCES")
    assert {i["r"]["run_id"] for i in influences} == {first.run_id}
    assert min(influences, key=lambda i: i["r"]["rank"])["profile"] == "k:0"  # the brand's own profile

    second = run_analysis(store, AnalysisParams(seed=3))
    runs = store.execute_text(
        "MATCH (r:AnalysisRun) RETURN r.id AS id, r.current AS current, r.state AS state", write=False
    )
    assert {(r["id"], r["current"], r["state"]) for r in runs} == {
        (first.run_id, False, "succeeded"),
        (second.run_id, True, "succeeded"),
    }
    for rel in ("INFLUENCES", "ADVOCATES", "DETRACTS"):  # old relationships are gone
        assert {row["r"]["run_id"] for row in _rels(store, rel)} == {second.run_id}
    assert {
        p["run_id"] for p in store.execute_text("MATCH (p:Profile) RETURN p.run_id AS run_id", write=False)
    } == {second.run_id}
    staged = store.execute_text("MATCH (s:StagedScores) RETURN count(s) AS n", write=False)
    assert staged[0]["n"] == 0


def test_publish_is_one_statement_so_readers_never_see_a_mix(store) -> None:
    """Between staging and publishing, readers still see the old run everywhere."""
    _brand_graph(store)
    first = run_analysis(store, AnalysisParams())
    before = store.get_node(Label.PROFILE, "k:0")
    results.start_run(store, "run-x", {})
    results.stage_profile_scores(
        store,
        "run-x",
        [
            {
                "id": "k:0",
                "influence": 0.123,
                "influence_rank": 7,
                "community": 99,
                "reach": 1,
                "brokerage": 0.0,
                "influence_top_sources": [],
                "influence_top_shares": [],
            }
        ],
    )
    results.write_result_relationships(
        store,
        results.INFLUENCES,
        [RelRow("k:1", "acme", {"run_id": "run-x", "score": 1.0, "rank": 1})],
    )
    assert store.get_node(Label.PROFILE, "k:0")["influence"] == before["influence"]
    assert results.current_run(store)["id"] == first.run_id
    results.publish_run(store, "run-x")
    after = store.get_node(Label.PROFILE, "k:0")
    assert (after["influence"], after["community"], after["run_id"]) == (0.123, 99, "run-x")
    assert store.get_node(Label.PROFILE, "k:1")["influence"] == 0.0  # not in run-x's projection
    assert store.get_node(Label.PROFILE, "k:1")["community"] == -1
    assert results.current_run(store)["id"] == "run-x"


def test_values_equal_to_their_defaults_are_staged_as_nothing_and_published_as_the_defaults(store) -> None:
    """The stage leaves out a role, reason, screening value or top-source list equal to its default
    (``results.PUBLISH_DEFAULTS``); the publish writes the default, and every other value as staged."""
    _brand_graph(store)
    scores = {"influence": 0.5, "influence_rank": 1, "community": 2, "reach": 3, "brokerage": 0.25}
    typical = {
        **scores,
        "id": "k:1",
        "influence_top_sources": [],
        "influence_top_shares": [],
        "influence_other": 0.0,
        "influence_teleport": 0.5,
        "role": "customer",
        "role_reason": "",
        "screening_flags": [],
        "screening_evidence": [],
        "screening_weight": 1.0,
    }
    flagged = {
        **typical,
        "id": "k:2",
        "influence_top_sources": ["k:1"],
        "influence_top_shares": [0.25],
        "role": "staff",
        "role_reason": "declared",
        "screening_flags": ["duplicate_text"],
        "screening_evidence": ["3 posts shared with k:3"],
        "screening_weight": 0.25,
    }
    results.start_run(store, "run-x", {})
    results.stage_profile_scores(store, "run-x", [typical, flagged])
    staged = store.execute_text(
        "MATCH (s:StagedScores) RETURN s.profile_id AS id, s.role AS role, s.screening_weight AS weight,"
        " s.influence_top_sources AS sources, s.influence AS influence ORDER BY id",
        write=False,
    )
    assert staged == [
        {"id": "k:1", "role": None, "weight": None, "sources": None, "influence": 0.5},
        {"id": "k:2", "role": "staff", "weight": 0.25, "sources": ["k:1"], "influence": 0.5},
    ]
    results.publish_run(store, "run-x")
    for row in (typical, flagged):
        published = store.get_node(Label.PROFILE, row["id"])
        assert {key: published[key] for key in row if key != "id"} == {
            key: value for key, value in row.items() if key != "id"
        }


def test_a_failed_run_leaves_the_previous_run_current(store, monkeypatch) -> None:
    _brand_graph(store)
    first = run_analysis(store, AnalysisParams())
    import usecases.analysis as analysis

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(analysis, "brokerage", broken)
    with pytest.raises(errors.InvalidInput, match="boom"):
        run_analysis(store, AnalysisParams())
    assert results.current_run(store)["id"] == first.run_id
    failed = store.execute_text(
        "MATCH (r:AnalysisRun {state: 'failed'}) RETURN r.error AS error", write=False
    )
    assert len(failed) == 1 and "boom" in failed[0]["error"]
    assert {row["r"]["run_id"] for row in _rels(store, "INFLUENCES")} == {first.run_id}


def test_a_run_that_fails_after_staging_leaves_no_staged_scores_and_the_old_values(
    store, monkeypatch
) -> None:
    _brand_graph(store)
    first = run_analysis(store, AnalysisParams())
    before = store.get_node(Label.PROFILE, "k:0")
    import usecases.analysis as analysis

    def broken(*args, **kwargs):
        raise ValueError("labels failed")

    monkeypatch.setattr(analysis, "label_communities", broken)  # runs after the scores are staged
    with pytest.raises(errors.InvalidInput, match="labels failed"):
        run_analysis(store, AnalysisParams(seed=3))
    assert results.current_run(store)["id"] == first.run_id
    assert store.execute_text("MATCH (s:StagedScores) RETURN count(s) AS n", write=False) == [{"n": 0}]
    assert store.get_node(Label.PROFILE, "k:0") == before


def test_a_second_concurrent_run_is_a_conflict(store) -> None:
    results.start_run(store, "run-busy", {})
    with pytest.raises(errors.Conflict):
        run_analysis(store, AnalysisParams())


def test_bitcoin_otc_trust_graph_matches_the_file_and_distrust_is_never_crossed(store) -> None:
    path = shared_data("bitcoin_trust", "soc-sign-bitcoinotc.csv.gz")
    with gzip.open(path, "rt") as handle:
        ratings = {(f"otc:{s}", f"otc:{t}"): int(r) for s, t, r, _ in csv.reader(handle)}
    rows = [RelRow(s, t, {"rating": r, "at": T0}) for (s, t), r in ratings.items()]
    store.upsert_relationships(RATED, rows)
    graph = load_trust_graph(store)
    ids = graph.node_ids
    stored = {
        (ids[s], ids[t]): w
        for s, t, w in zip(graph.src.tolist(), graph.dst.tolist(), graph.weight.tolist(), strict=True)
    }
    assert stored.keys() == ratings.keys()
    assert all(stored[key] == pytest.approx(rating / 10) for key, rating in ratings.items())
    distrust = [key for key, rating in ratings.items() if rating < 0]
    checked = 0
    for source, target in distrust[:20]:
        for path in trust_paths(graph, source, target, k=3, max_hops=3):
            checked += 1
            assert all(edge.trust > 0 for edge in path.edges)
            assert all(ratings[(e.source, e.target)] > 0 for e in path.edges)
    assert checked > 0


PUBLISHED = results.STAGED_COLUMNS[1:]  # every staged value but the profile id


def _staged_row(i: int, run: int, *, brokerage: bool) -> dict:
    """Distinct values per profile and run, so a value published under another name shows (floats
    of few digits: FalkorDB returns doubles with 15 significant digits)."""
    return {
        "id": profile_id(i),
        "influence": run + i / 4,
        "influence_rank": 10 * run + i,
        "community": 100 * run + i,
        "reach": 1000 * run + i,
        "brokerage": run + i / 8 if brokerage else None,
        "influence_top_sources": [f"src-{run}-{i}"],
        "influence_top_shares": [run / 16 + i / 32],
        "influence_other": run / 64 + i,
        "influence_teleport": run / 128 + i,
        "role": "customer" if i % 2 else "staff",
        "role_reason": f"reason {run} {i}",
        "screening_flags": [f"flag-{run}-{i}"],
        "screening_evidence": [f"evidence {run} {i}"],
        "screening_weight": 0.25 if i % 2 else 1.0,
    }


def _published(store) -> dict[str, dict]:
    rows = store.execute_text(
        "MATCH (p:Profile) RETURN p.id AS id, properties(p) AS props ORDER BY id", write=False
    )
    return {row["id"]: dict(row["props"]) for row in rows}


def test_a_run_that_does_not_compute_a_score_publishes_it_as_null_and_every_other_value(store) -> None:
    """A run that stages brokerage as null (a Spark run: not computed) between two runs that compute
    it: each publish makes every staged value public under its own name, brokerage null for the run
    that did not compute it, and leaves no staged value behind. On FalkorDB 4.16 this once lost
    screening_weight and kept staged_screening_weight (docs/stores.md, "one SET that removes")."""
    store.apply(interactions_writes(range(6), [(i, (i + 1) % 5, "reply", T0) for i in range(5)]))
    for run, computes_brokerage in ((1, True), (2, False), (3, True), (4, False), (5, False)):
        run_id = f"run-{run}"
        results.start_run(store, run_id, {})
        staged = [_staged_row(i, run, brokerage=computes_brokerage) for i in range(5)]  # k:5 unstaged
        results.stage_profile_scores(store, run_id, staged)
        results.publish_run(store, run_id)
        published = _published(store)
        for row in staged:
            got = published[row["id"]]
            assert got["run_id"] == run_id, (run, row["id"])
            assert {k: got.get(k) for k in PUBLISHED} == {k: row[k] for k in PUBLISHED}, (run, row["id"])
        assert published[profile_id(5)]["run_id"] == run_id and published[profile_id(5)]["influence"] == 0.0
        assert not [key for props in published.values() for key in props if key.startswith("staged_")], run
        results.clean_up_published(store, run_id)
        assert store.execute_text("MATCH (s:StagedScores) RETURN count(s) AS n", write=False) == [{"n": 0}]


def test_a_staged_row_whose_profile_is_gone_publishes_nothing_and_is_cleaned_up(store) -> None:
    """The stage does not look profiles up: a profile erased after the run read it is staged, matched
    by nothing at the publish (no profile is created for it), and deleted with the run's staged rows."""
    store.apply(interactions_writes(range(3), [(0, 1, "reply", T0), (1, 2, "reply", T0)]))
    results.start_run(store, "run-gone", {})
    rows = [_staged_row(i, 1, brokerage=True) for i in range(3)]
    rows.append({**_staged_row(7, 1, brokerage=True), "id": "k:erased"})
    results.stage_profile_scores(store, "run-gone", rows)
    assert results.publish_run(store, "run-gone") == 3
    published = _published(store)
    assert sorted(published) == sorted(profile_id(i) for i in range(3))
    assert all(props["run_id"] == "run-gone" for props in published.values())
    results.clean_up_published(store, "run-gone")
    assert store.execute_text("MATCH (s:StagedScores) RETURN count(s) AS n", write=False) == [{"n": 0}]


def test_staged_scores_are_deleted_in_batches_and_only_the_runs_own(store) -> None:
    """The cleanup loops until a statement deletes fewer than its batch, and touches no other run."""
    store.apply(interactions_writes(range(6), [(i, (i + 1) % 5, "reply", T0) for i in range(5)]))
    results.stage_profile_scores(store, "run-a", [_staged_row(i, 1, brokerage=True) for i in range(5)])
    results.stage_profile_scores(store, "run-b", [_staged_row(i, 2, brokerage=True) for i in range(3)])
    assert results.delete_staged_scores(store, "run-a", batch=2) == 5  # statements of 2, 2 and 1
    assert results.delete_staged_scores(store, "run-a", batch=2) == 0
    left = store.execute_text("MATCH (s:StagedScores) RETURN s.run_id AS run, count(s) AS n", write=False)
    assert left == [{"run": "run-b", "n": 3}]
