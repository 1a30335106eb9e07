"""CRM sync: exports that resume after a cut with nothing lost or repeated, and deltas between two runs.

Both engines (the ``store`` fixture). The graph is api_testdata's: 30 profiles scored by run-1; a
second run (run-2) is then published with known changes:

- influence: ``md:user00`` (run-1 1.0) -> 0.3 (changed, -70 %); ``tw:user01`` (0.5) -> 0.52 (+4 %,
  under the 10 % threshold: unchanged); ``tw:user29`` leaves the run (removed); a new profile
  ``tw:new`` enters with 0.9 (added).
- acme advocates: ``tw:user03`` leaves, ``tw:user13`` joins (score 0.2), ``tw:user05``'s score doubles.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from api_testdata import N_PROFILES, RUN_ID, auth, build_base_graph, make_app, profile_id, write_analysis
from fastapi.testclient import TestClient
from starlette.datastructures import URL

from api.links import link_next
from graph.store import CypherGraphStore
from usecases.crm.run_lists import record_run_lists
from usecases.current_run import current_run


@pytest.fixture
def synced(store: CypherGraphStore) -> CypherGraphStore:
    build_base_graph(store)
    write_analysis(store)
    record_run_lists(store, current_run(store), runs_kept=5)
    return store


@pytest.fixture
def client(synced: CypherGraphStore):
    with TestClient(make_app(synced), raise_server_exceptions=False) as test_client:
        yield test_client


def publish_second_run(store: CypherGraphStore, run_id: str = "run-2", *, runs_kept: int = 5) -> None:
    """run-2 as the module docstring says, then its lists recorded (as the analysis does at the switch)."""
    write_analysis(store, run_id=run_id)
    write = store.engine.write
    write("MATCH (p:Profile {id: 'md:user00'}) SET p.influence = 0.3")
    write("MATCH (p:Profile {id: 'tw:user01'}) SET p.influence = 0.52")
    write("MATCH (p:Profile {id: 'tw:user29'}) SET p.run_id = 'run-1'")
    write(
        "MERGE (p:Profile {id: 'tw:new'}) SET p.platform = 'twitter', p.handle = 'new', p.influence = 0.9, "
        "p.influence_rank = 2, p.community = 0, p.reach = 1, p.run_id = $run",
        {"run": run_id},
    )
    write(
        "MATCH (:Profile {id: 'tw:user03'})-[a:ADVOCATES]->(:Brand {id: 'acme'}) WHERE a.run_id = $run "
        "DELETE a",
        {"run": run_id},
    )
    write(
        "MATCH (p:Profile {id: 'tw:user05'})-[a:ADVOCATES]->(:Brand {id: 'acme'}) WHERE a.run_id = $run "
        "SET a.score = a.score * 2",
        {"run": run_id},
    )
    write(
        "MATCH (p:Profile {id: 'tw:user13'}), (b:Brand {id: 'acme'}) "
        "CREATE (p)-[:ADVOCATES {run_id: $run, score: 0.2, rank: 13}]->(b)",
        {"run": run_id},
    )
    record_run_lists(store, current_run(store), runs_kept=runs_kept)


def everyone(client: TestClient) -> list[dict]:
    assert client.post("/v1/segments", json={"name": "everyone"}, headers=auth("write")).status_code == 201
    page = client.get("/v1/segments/everyone/members", params={"limit": 100}, headers=auth()).json()
    return page["items"]


def ids(members: list[dict]) -> list[str]:
    return [m["profile_id"] for m in members]


# -- resumable exports -------------------------------------------------------------------------------


def cut_stream(client: TestClient, params: dict, keep_bytes: int) -> bytes:
    """Read the first ``keep_bytes`` bytes of a streamed export, then drop the connection."""
    received = b""
    with client.stream("GET", "/v1/segments/everyone/members", params=params, headers=auth()) as response:
        assert response.status_code == 200
        for piece in response.iter_raw(chunk_size=97):
            received += piece
            if len(received) >= keep_bytes:
                break
    return received[:keep_bytes]


@pytest.mark.parametrize("fraction", [0.05, 0.37, 0.5, 0.81, 0.999])
def test_an_ndjson_export_cut_mid_way_resumes_with_nothing_lost_or_repeated(client, fraction, monkeypatch):
    import api.routes.segments as segments

    monkeypatch.setattr(segments, "EXPORT_CHUNK", 7)  # several store reads per export
    full = everyone(client)
    whole = client.get("/v1/segments/everyone/members", params={"format": "ndjson"}, headers=auth()).content
    received = cut_stream(client, {"format": "ndjson"}, int(len(whole) * fraction))
    complete = [json.loads(line) for line in received.split(b"\n")[:-1]]  # the last piece is partial
    assert complete and len(complete) < N_PROFILES
    rest = client.get(
        "/v1/segments/everyone/members",
        params={"format": "ndjson", "cursor": complete[-1]["cursor"]},
        headers=auth(),
    )
    resumed = [json.loads(line) for line in rest.text.splitlines()]
    assert ids(complete + resumed) == ids(full)  # same order, each member exactly once
    assert complete + resumed == full  # and the same rows as the json pages, cursors included


@pytest.mark.parametrize("fraction", [0.1, 0.55, 0.9])
def test_a_csv_export_cut_mid_row_resumes_from_the_last_whole_row(client, fraction):
    full = everyone(client)
    whole = client.get("/v1/segments/everyone/members", params={"format": "csv"}, headers=auth()).content
    received = cut_stream(client, {"format": "csv"}, int(len(whole) * fraction))
    whole_rows = received[: received.rfind(b"\r\n") + 2].decode()
    rows = list(csv.DictReader(io.StringIO(whole_rows)))
    resumed_text = client.get(
        "/v1/segments/everyone/members",
        params={"format": "csv", "cursor": rows[-1]["cursor"]},
        headers=auth(),
    ).text
    resumed = list(csv.DictReader(io.StringIO(resumed_text)))
    assert [r["profile_id"] for r in rows + resumed] == ids(full)


def test_limited_streams_and_pages_link_to_where_the_next_one_starts(client):
    full = everyone(client)
    first = client.get("/v1/segments/everyone/members", params={"limit": 4}, headers=auth())
    assert first.headers["link"].endswith('>; rel="next"')
    assert f"cursor={first.json()['next_cursor']}" in first.headers["link"]
    got: list[dict] = []
    url, params = "/v1/segments/everyone/members", {"format": "ndjson", "limit": 11}
    for expected in (11, 11, 8):  # windows of 11 until one comes back short
        streamed = client.get(url, params=params, headers=auth())
        rows = [json.loads(line) for line in streamed.text.splitlines()]
        assert len(rows) == expected and 'rel="next"' in streamed.headers["link"]
        got += rows
        url, params = streamed.headers["link"].split(">")[0].lstrip("<"), None
    assert ids(got) == ids(full)
    unlimited = client.get("/v1/segments/everyone/members", params={"format": "ndjson"}, headers=auth())
    assert "link" not in unlimited.headers


@pytest.mark.parametrize("name", ["中文", "café", "50%off", 'Q4 "VIP" <b>'])
def test_the_next_link_resumes_the_same_segment_whatever_its_name(client, name):
    """The link is the path as sent (``%2F`` stays an escape, not a slash) and ASCII (a header is Latin-1)."""
    full = everyone(client)
    assert client.post("/v1/segments", json={"name": name}, headers=auth("write")).status_code == 201
    path = "/v1/segments/" + quote(name, safe="") + "/members"
    got: list[dict] = []
    for fmt in ("json", "ndjson", "csv"):
        response = client.get(path, params={"format": fmt, "limit": 25}, headers=auth())
        assert response.status_code == 200, response.text
        link = response.headers["link"]
        assert link.isascii() and quote(name, safe="") in link
        following = client.get(link.split(">")[0].lstrip("<"), headers=auth())
        assert following.status_code == 200, following.text
        if fmt == "json":
            got = response.json()["items"] + following.json()["items"]
    assert ids(got) == ids(full)


def test_the_next_link_keeps_an_escaped_slash_escaped():
    """``a%2Fb`` arrives decoded as ``a/b`` in the URL's path; the link is built from the raw path.
    (The test client decodes a path twice, so this case is checked here, on the header alone.)"""
    url = URL("http://api.example/v1/segments/a/b/members?limit=5")
    link = link_next(url, "abc", raw_path=b"/v1/segments/a%2Fb/members")["Link"]
    assert link == '<http://api.example/v1/segments/a%2Fb/members?limit=5&cursor=abc>; rel="next"'
    assert link_next(url, None, raw_path=b"/x") == {}


def test_an_export_cursor_of_an_older_run_is_stale(client, synced):
    everyone(client)
    lines = client.get(
        "/v1/segments/everyone/members", params={"format": "ndjson", "limit": 3}, headers=auth()
    ).text.splitlines()
    publish_second_run(synced)
    stale = client.get(
        "/v1/segments/everyone/members",
        params={"format": "ndjson", "cursor": json.loads(lines[-1])["cursor"]},
        headers=auth(),
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_cursor"
    assert "/changes?since_run=run-1" in stale.json()["detail"]  # how to go on from what was pulled


# -- delta sync --------------------------------------------------------------------------------------


def test_segment_changes_across_two_runs(client, synced):
    full_before = everyone(client)
    publish_second_run(synced)
    delta = client.get("/v1/segments/everyone/changes", params={"since_run": RUN_ID}, headers=auth()).json()
    assert delta["list_id"] == "segment:everyone" and delta["run"]["id"] == "run-2"
    assert [(c["profile_id"], c["score"]) for c in delta["added"]] == [("tw:new", 0.9)]
    assert [(c["profile_id"], c["previous_score"]) for c in delta["removed"]] == [
        ("tw:user29", 0.033333)
    ]  # influence_of(29), rounded
    assert [(c["profile_id"], c["previous_score"], c["score"]) for c in delta["changed"]] == [
        ("md:user00", 1.0, 0.3)
    ]
    assert delta["unchanged"] == N_PROFILES - 2  # user01's +4 % is under the default 10 %
    strict = client.get(
        "/v1/segments/everyone/changes", params={"since_run": RUN_ID, "min_change": 0.01}, headers=auth()
    ).json()
    assert {c["profile_id"] for c in strict["changed"]} == {"md:user00", "tw:user01"}
    # applying the delta to the run-1 pull gives exactly the run-2 pull
    after = {m["profile_id"] for m in full_before}
    after |= {c["profile_id"] for c in delta["added"]}
    after -= {c["profile_id"] for c in delta["removed"]}
    now = client.get("/v1/segments/everyone/members", params={"limit": 100}, headers=auth()).json()
    assert after == set(ids(now["items"]))
    same = client.get("/v1/segments/everyone/changes", params={"since_run": "run-2"}, headers=auth()).json()
    assert same["added"] == same["removed"] == same["changed"] == [] and same["unchanged"] == N_PROFILES


def test_advocate_influencer_and_detractor_changes(client, synced):
    publish_second_run(synced)
    advocates = client.get(
        "/v1/brands/acme/advocates/changes", params={"since_run": RUN_ID}, headers=auth()
    ).json()
    assert [c["profile_id"] for c in advocates["added"]] == [profile_id(13)]
    assert [c["profile_id"] for c in advocates["removed"]] == [profile_id(3)]
    assert [(c["profile_id"], c["score"] / c["previous_score"]) for c in advocates["changed"]] == [
        (profile_id(5), 2.0)
    ]
    detractors = client.get(
        "/v1/brands/acme/detractors/changes", params={"since_run": RUN_ID}, headers=auth()
    ).json()
    assert detractors["added"] == detractors["removed"] == detractors["changed"] == []
    assert detractors["unchanged"] == 5
    brand = client.get(
        "/v1/influencers/changes", params={"since_run": RUN_ID, "brand": "acme"}, headers=auth()
    ).json()
    assert brand["list_id"] == "influencers:acme" and brand["unchanged"] == 20
    top = client.get("/v1/influencers/changes", params={"since_run": RUN_ID}, headers=auth()).json()
    assert "md:user00" in {c["profile_id"] for c in top["changed"]}
    assert (
        client.get(
            "/v1/brands/nope/advocates/changes", params={"since_run": RUN_ID}, headers=auth()
        ).status_code
        == 404
    )


def test_list_deltas_cover_the_customers_the_lists_show(store):
    """A brand's own account is in no default list (``/v1/influencers``, advocates), so it is in no
    delta of those lists either: md:user00, whose influence changes in run-2, is made brand-owned."""
    build_base_graph(store)
    write_analysis(store)
    store.execute_text("MATCH (p:Profile {id: 'md:user00'}) SET p.role = 'brand_owned'", write=True)
    record_run_lists(store, current_run(store), runs_kept=5)
    publish_second_run(store)
    store.execute_text("MATCH (p:Profile {id: 'md:user00'}) SET p.role = 'brand_owned'", write=True)
    record_run_lists(store, current_run(store), runs_kept=5)
    with TestClient(make_app(store), raise_server_exceptions=False) as client:
        listed = client.get("/v1/influencers", params={"limit": 100}, headers=auth()).json()["items"]
        top = client.get("/v1/influencers/changes", params={"since_run": RUN_ID}, headers=auth()).json()
    mentioned = {c["profile_id"] for part in ("added", "removed", "changed") for c in top[part]}
    assert "md:user00" not in mentioned and "md:user00" not in {item["id"] for item in listed}
    assert len(top["added"]) + len(top["changed"]) + top["unchanged"] == len(listed)


def test_runs_are_listed_with_retention_and_old_runs_are_gone(client, synced):
    publish_second_run(synced, runs_kept=2)
    publish_second_run(synced, run_id="run-3", runs_kept=2)
    runs = client.get("/v1/analysis/runs", headers=auth()).json()
    kept = {run["id"]: run["lists_kept"] for run in runs["items"]}
    assert kept == {"run-1": False, "run-2": True, "run-3": True}
    assert [run["id"] for run in runs["items"] if run["current"]] == ["run-3"]
    gone = client.get("/v1/brands/acme/advocates/changes", params={"since_run": RUN_ID}, headers=auth())
    assert gone.status_code == 410 and gone.json()["code"] == "run_not_retained"
    assert "older than the runs kept" in gone.json()["detail"]
    unknown = client.get("/v1/influencers/changes", params={"since_run": "run-x"}, headers=auth())
    assert unknown.status_code == 404


def test_a_segment_saved_after_a_run_has_no_delta_since_it(client, synced):
    publish_second_run(synced)
    everyone(client)  # saved under run-2
    late = client.get("/v1/segments/everyone/changes", params={"since_run": RUN_ID}, headers=auth())
    assert late.status_code == 410 and late.json()["code"] == "run_not_retained"
    assert (
        client.get("/v1/segments/everyone/changes", params={"since_run": "run-2"}, headers=auth()).json()[
            "unchanged"
        ]
        == N_PROFILES
    )
    assert (
        client.get("/v1/segments/missing/changes", params={"since_run": "run-2"}, headers=auth()).status_code
        == 404
    )


def test_a_segment_saved_again_with_another_filter_is_not_compared_with_its_namesake(client, synced):
    everyone(client)
    publish_second_run(synced)
    assert client.delete("/v1/segments/everyone", headers=auth("admin")).status_code == 204
    body = {"name": "everyone", "filter": {"platform": "twitter"}}
    assert client.post("/v1/segments", json=body, headers=auth("write")).status_code == 201
    redefined = client.get("/v1/segments/everyone/changes", params={"since_run": RUN_ID}, headers=auth())
    assert redefined.status_code == 410 and "another definition" in redefined.json()["detail"]


def test_the_analysis_records_every_list_at_the_switch_and_keeps_only_the_newest_runs(store):
    from tests.analysis.helpers import T0, interactions_writes
    from usecases.analysis import AnalysisParams, run_analysis
    from usecases.crm.run_lists import read_record, recorded_runs

    likes = [(0, 1), (1, 2), (2, 0), (3, 4), (4, 5), (5, 3), (0, 3), (4, 0)]
    store.apply(interactions_writes(range(6), [(a, b, "like", T0) for a, b in likes]))
    runs = [run_analysis(store, AnalysisParams(seed=0, runs_kept=2)).run_id for _ in range(3)]
    assert recorded_runs(store) == set(runs[1:])  # the oldest run's records went at the third switch
    record = read_record(store, runs[2], "influencers")
    rows = store.execute_text(
        "MATCH (p:Profile) RETURN p.id AS id, p.influence AS influence ORDER BY p.influence_rank", write=False
    )
    assert [(m.profile_id, m.score) for m in record.members] == [(r["id"], r["influence"]) for r in rows]
    assert [m.rank for m in record.members] == list(range(1, 7))


@pytest.mark.slow
def test_the_cli_lists_runs_and_answers_the_same_deltas(tmp_path):
    """`rapport runs` and `rapport changes` call the use cases the API calls (a real process and store)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    events = [
        {"kind": "profile", "id": f"tw:u{i}", "platform": "twitter", "handle": f"u{i}"} for i in range(4)
    ]
    events += [
        {
            "kind": "post",
            "id": f"p{i}",
            "author": f"tw:u{i}",
            "text": "hello",
            "created_at": 1_700_000_000_000,
        }
        for i in range(4)
    ]
    events += [
        {"kind": "like", "profile": f"tw:u{a}", "post": f"p{b}", "at": 1_700_000_000_000}
        for a, b in ((0, 1), (1, 2), (2, 0), (3, 0))
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in events))

    def rapport(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "cli", *args, "--data-dir", str(tmp_path / "data")]
        return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)

    assert rapport("ingest", str(path), "--rejects", str(tmp_path / "r.jsonl")).returncode == 0
    assert rapport("analyze").returncode == 0
    assert rapport("analyze").returncode == 0
    runs = json.loads(rapport("runs", "--json").stdout)
    assert [run["current"] for run in runs] == [True, False] and all(run["lists_kept"] for run in runs)
    assert all(isinstance(run["finished_at"], int) for run in runs)
    table = rapport("runs").stdout
    newest = datetime.fromtimestamp(runs[0]["finished_at"] / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    assert newest[:10] in table and str(runs[0]["finished_at"]) not in table
    older = runs[1]["id"]
    delta = rapport("changes", "influencers", "--since-run", older)
    assert delta.returncode == 0 and "0 added, 0 removed, 0 changed, 4 unchanged" in delta.stderr
    gone = rapport("changes", "segment:none", "--since-run", older)
    assert gone.returncode == 4 and "no segment named" in gone.stderr
    bad = rapport("changes", "nonsense", "--since-run", older)
    assert bad.returncode == 2


def test_a_list_record_in_several_parts_reads_back_whole_or_not_at_all(synced, monkeypatch):
    import usecases.crm.run_lists as run_lists

    monkeypatch.setattr(run_lists, "PART_SIZE", 7)
    run = current_run(synced)
    record = run_lists.current_members(synced, "influencers", run)
    run_lists.write_record(synced, record)
    assert run_lists.read_record(synced, RUN_ID, "influencers") == record
    assert len(record.members) == N_PROFILES  # in 5 parts of at most 7
    synced.execute_text(
        "MATCH (s:RunList {id: $id}) DETACH DELETE s", {"id": f"{RUN_ID}|influencers|2"}, write=True
    )
    assert run_lists.read_record(synced, RUN_ID, "influencers") is None  # a part missing: not recorded
    empty = run_lists.ListRecord(RUN_ID, "advocates:nobody", "", ())
    run_lists.write_record(synced, empty)
    assert run_lists.read_record(synced, RUN_ID, "advocates:nobody") == empty  # empty, yet recorded
