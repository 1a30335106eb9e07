"""What an API process holds between two looks at the store (usecases.read_view), on both engines.

Every write through the store renews the data token; a process that holds views keeps rows and
lookups while the token and run stand, sees a write of its own at once and another process's at the
refresher's next read, never answers from rows of a token it has seen replaced, and follows a
client's cursor to a run it had not seen yet. "Another process" is played by writing through the
engine and renewing the token as another process's store does, without this process's write count.
The refresher's tick is :func:`refresh_view`, called here where the test needs it to have happened.
"""

from __future__ import annotations

import threading
import time

import pytest
from api_testdata import auth, make_app
from fastapi.testclient import TestClient
from test_read_model import publish, runs_store  # noqa: F401  (the fixture)

from graph.catalogue import query
from graph.model import Brand, Label
from graph.results import start_run, update_run
from graph.store import CypherGraphStore, writes_in_this_process
from graph.writes import GraphWrites
from usecases import read_view
from usecases.lookups import brand_exists
from usecases.paging import encode_cursor, fingerprint
from usecases.read_view import holding_views, memoized_rows, refresh_view


def token(store: CypherGraphStore) -> str | None:
    rows = store.execute_text("MATCH (v:DataVersion) RETURN v.token AS token", write=False)
    assert len(rows) <= 1
    return rows[0]["token"] if rows else None


def written_by_another_process(store: CypherGraphStore, statement: str, params: dict | None = None) -> None:
    store.engine.write(statement, params or {})
    store.engine.write(
        query("admin.data_changed"), {"token": f"other-{writes_in_this_process()}-{statement}"}
    )


def held_profiles(store: CypherGraphStore):
    """Profiles by id (``api.profiles_by_ids``) through the memo, as a page reads its rows."""
    return memoized_rows(store, "profiles", lambda ids: store.run("api.profiles_by_ids", {"ids": ids}))


def test_every_kind_of_write_through_the_store_renews_the_token(store: CypherGraphStore) -> None:
    seen = [token(store)]

    def renewed() -> bool:
        seen.append(token(store))
        return seen[-1] is not None and seen[-1] != seen[-2]

    writes = GraphWrites()
    writes.add_node(Brand(id="acme", name="Acme"))
    store.apply(writes)
    assert renewed()
    store.upsert_nodes(Label.PROFILE, [{"id": "tw:a", "handle": "a"}])
    assert renewed()
    store.run_write("analysis.update_run", {"id": "none", "props": {}})
    assert renewed()
    store.execute_text("MATCH (p:Profile {id: 'tw:a'}) SET p.handle = 'b'", write=True)
    assert renewed()
    with pytest.raises(Exception):  # noqa: B017 - whichever error the engine raises for it
        store.execute_text("MATCH (p:Profile) SET p.handle = 1 / 0", write=True)
    assert renewed()  # a failed write may have written part: readers must look again
    assert store.delete_all() == 2
    assert renewed() and store.counts().nodes == {}  # the mark is bookkeeping, not counted


def test_held_rows_are_read_once_and_a_write_of_this_process_is_seen_at_once(store) -> None:
    store.upsert_nodes(Label.PROFILE, [{"id": f"tw:{i}", "handle": f"h{i}"} for i in range(4)])
    with holding_views(store, 60):
        held_rows_are_read_once(store)


def held_rows_are_read_once(store: CypherGraphStore) -> None:
    reads: list[list[str]] = []

    def fetch(ids: list[str]) -> list[dict]:
        reads.append(ids)
        return store.run("api.profiles_by_ids", {"ids": ids})

    by_ids = memoized_rows(store, "profiles", fetch)
    assert [r["handle"] for r in by_ids(["tw:0", "tw:1", "tw:gone"])] == ["h0", "h1"]
    assert [r["handle"] for r in by_ids(["tw:1", "tw:gone", "tw:0"])] == ["h1", "h0"]  # absent stays absent
    assert [r["handle"] for r in by_ids(["tw:2", "tw:0"])] == ["h2", "h0"]
    assert reads == [["tw:0", "tw:1", "tw:gone"], ["tw:2"]]
    store.execute_text("MATCH (p:Profile {id: 'tw:0'}) SET p.handle = 'renamed'", write=True)
    assert [r["handle"] for r in by_ids(["tw:0", "tw:1"])] == ["renamed", "h1"]  # no refresh needed


def test_another_process_s_write_is_seen_at_the_next_refresh(store) -> None:
    store.upsert_nodes(Label.PROFILE, [{"id": "tw:0", "handle": "before"}])
    with holding_views(store, 60):
        by_ids = held_profiles(store)
        assert by_ids(["tw:0"])[0]["handle"] == "before"
        written_by_another_process(store, "MATCH (p:Profile {id: 'tw:0'}) SET p.handle = 'after'")
        assert by_ids(["tw:0"])[0]["handle"] == "before"  # held until the refresher reads the token
        refresh_view(store)
        assert by_ids(["tw:0"])[0]["handle"] == "after"
        written_by_another_process(store, "MATCH (p:Profile {id: 'tw:0'}) DETACH DELETE p")
        refresh_view(store)
        assert by_ids(["tw:0"]) == []  # an erased profile goes with the next look


def test_the_refresher_thread_reads_the_view_every_held_seconds(store) -> None:
    store.upsert_nodes(Label.PROFILE, [{"id": "tw:0", "handle": "before"}])
    with holding_views(store, 0.05):
        by_ids = held_profiles(store)
        assert by_ids(["tw:0"])[0]["handle"] == "before"
        written_by_another_process(store, "MATCH (p:Profile {id: 'tw:0'}) SET p.handle = 'after'")
        deadline = time.monotonic() + 30
        while by_ids(["tw:0"])[0]["handle"] != "after" and time.monotonic() < deadline:
            time.sleep(0.01)  # polling what a request would see, until the thread's next read
        assert by_ids(["tw:0"])[0]["handle"] == "after"
    assert not any(t.name == "rapport-read-view" for t in threading.enumerate())  # stopped with the block


def test_nothing_is_held_where_views_are_not(store) -> None:
    """The CLI and scripts: every look reads the store, whatever another process wrote."""
    store.upsert_nodes(Label.BRAND, [{"id": "acme", "name": "Acme"}])
    assert brand_exists(store, "acme")
    written_by_another_process(store, "MATCH (b:Brand {id: 'acme'}) DETACH DELETE b")
    assert not brand_exists(store, "acme")


def test_an_absent_brand_is_asked_again_but_a_present_one_is_held(store) -> None:
    with holding_views(store, 60):
        assert not brand_exists(store, "acme")
        written_by_another_process(store, "CREATE (:Brand {id: 'acme', name: 'Acme'})")
        assert brand_exists(store, "acme")  # created a moment ago by another process: seen at once
        written_by_another_process(store, "MATCH (b:Brand {id: 'acme'}) DETACH DELETE b")
        assert brand_exists(store, "acme")  # held while the view stands
        refresh_view(store)
        assert not brand_exists(store, "acme")


def test_past_the_memo_limit_it_starts_over_and_answers_stay_right(store, monkeypatch) -> None:
    monkeypatch.setattr(read_view, "MEMO_ROWS", 3)
    store.upsert_nodes(Label.PROFILE, [{"id": f"tw:{i}", "handle": f"h{i}"} for i in range(6)])
    with holding_views(store, 60):
        by_ids = held_profiles(store)
        for ids in (["tw:0", "tw:1"], ["tw:2", "tw:3"], ["tw:0", "tw:4", "tw:5"], ["tw:5", "tw:1"]):
            assert [r["handle"] for r in by_ids(ids)] == [f"h{i[3:]}" for i in ids]
        assert read_view._views(store).rows_held <= 3


def test_pages_follow_a_run_published_by_another_process(runs_store, monkeypatch) -> None:  # noqa: F811
    """A worker whose view still shows run-a gets a cursor of run-b (made by the other worker):
    it looks again at once instead of answering 409 stale_cursor, and serves run-b's next page."""
    store = runs_store
    monkeypatch.setattr(read_view, "writes_in_this_process", lambda: -1)  # writes look like another process's
    with TestClient(make_app(store, read_view_seconds=60)) as client:
        first = client.get("/v1/influencers?limit=5", headers=auth())
        assert first.status_code == 200 and first.json()["run"]["id"] == "run-a"
        publish(store, "run-b", seed=2)
        assert client.get("/v1/influencers?limit=5", headers=auth()).json()["run"]["id"] == "run-a"  # held
        filters = {"brand": None, "community": None, "platform": None, "roles": ["customer"]}
        cursor = encode_cursor("run-b", fingerprint("influencers", filters), 5)
        after = client.get("/v1/influencers", params={"limit": 5, "cursor": cursor}, headers=auth())
        assert after.status_code == 200, after.text
        assert after.json()["run"]["id"] == "run-b" and all(i["rank"] > 5 for i in after.json()["items"])
        stale = encode_cursor("run-a", fingerprint("influencers", filters), 5)
        refused = client.get("/v1/influencers", params={"limit": 5, "cursor": stale}, headers=auth())
        assert refused.status_code == 409 and refused.json()["code"] == "stale_cursor"


def test_a_profile_erased_through_the_store_leaves_the_next_page_at_once(runs_store) -> None:  # noqa: F811
    store = runs_store
    with TestClient(make_app(store, read_view_seconds=60)) as client:
        first = client.get("/v1/brands/acme/advocates?limit=50", headers=auth()).json()["items"]
        assert len(first) >= 3
        gone = first[1]["id"]
        store.execute_text("MATCH (p:Profile {id: $id}) DETACH DELETE p", {"id": gone}, write=True)
        again = client.get("/v1/brands/acme/advocates?limit=50", headers=auth()).json()["items"]
        assert gone not in {item["id"] for item in again}
        assert [i["id"] for i in again] == [i["id"] for i in first if i["id"] != gone][: len(again)]


def test_a_slow_read_of_the_view_does_not_undo_a_newer_one(store, monkeypatch) -> None:
    """The refresher's read, begun before a write and slow under load, ends after a request's read
    made after that write: the newer view stays, with the rows read under it."""
    store.upsert_nodes(Label.PROFILE, [{"id": "tw:0", "handle": "before"}])
    real_run = store.run
    nested: list[int] = []

    def slow_first_read(name: str, params: dict | None = None) -> list:
        rows = real_run(name, params)
        if name == "api.read_view" and not nested:
            nested.append(1)  # while this read is "on the wire", another process writes and we look again
            written_by_another_process(store, "MATCH (p:Profile {id: 'tw:0'}) SET p.handle = 'after'")
            refresh_view(store)
        return rows

    with holding_views(store, 60):
        monkeypatch.setattr(store, "run", slow_first_read)
        refresh_view(store)
        monkeypatch.setattr(store, "run", real_run)
        assert read_view.current_view(store).token == token(store)
        by_ids = held_profiles(store)
        assert by_ids(["tw:0"])[0]["handle"] == "after"


def test_concurrent_first_requests_for_an_expensive_answer_compute_it_once(store) -> None:
    """The community list aggregates every profile of the run: a burst of first requests must not
    each run it. The first computation waits (up to a second) for a second one to start; with one
    computation per key the second request waits instead, and it never starts."""
    store.upsert_nodes(Label.BRAND, [{"id": "acme", "name": "Acme"}])
    second_started = threading.Event()
    computed: list[str] = []

    def compute(who: str) -> str:
        computed.append(who)
        if who == "first":
            second_started.wait(1.0)
        else:
            second_started.set()
        return "answer"

    with holding_views(store, 60):
        results: dict[str, str] = {}
        first = threading.Thread(
            target=lambda: results.update(first=read_view.memoized(store, "k", lambda: compute("first")))
        )
        first.start()
        while not computed:  # the first computation is under way
            time.sleep(0.001)
        results["second"] = read_view.memoized(store, "k", lambda: compute("second"))
        first.join()
    assert computed == ["first"] and results == {"first": "answer", "second": "answer"}


@pytest.mark.parametrize("path", ["/v1/profiles/tw:0", "/v1/customers/c0"])
def test_a_360_view_is_read_once_and_follows_writes(store, monkeypatch, path: str) -> None:
    """A second look at a profile or customer reads nothing from the store; a write of this process
    shows at the next look, another process's after the refresher's next read."""
    store.upsert_nodes(Label.PROFILE, [{"id": "tw:0", "handle": "before"}])
    store.upsert_nodes(Label.CUSTOMER, [{"id": "c0", "name": "Ada"}])
    store.execute_text(
        "MATCH (c:Customer {id: 'c0'}), (p:Profile {id: 'tw:0'}) CREATE (c)-[:HAS_PROFILE]->(p)", write=True
    )

    def handle(response) -> str:
        assert response.status_code == 200, response.text
        body = response.json()
        return body["handle"] if "handle" in body else body["profiles"][0]["handle"]

    real_run, reads = store.run, []
    monkeypatch.setattr(store, "run", lambda name, params=None: reads.append(name) or real_run(name, params))
    with TestClient(make_app(store, read_view_seconds=60)) as client:
        assert handle(client.get(path, headers=auth())) == "before"
        reads.clear()
        assert handle(client.get(path, headers=auth())) == "before"
        assert reads == []  # held: not a single store read
        assert client.get(path, params={"weeks": 2}, headers=auth()).status_code == 200
        assert reads  # other parameters are another view
        written_by_another_process(store, "MATCH (p:Profile {id: 'tw:0'}) SET p.handle = 'after'")
        assert handle(client.get(path, headers=auth())) == "before"  # held until the refresher reads
        refresh_view(store)
        assert handle(client.get(path, headers=auth())) == "after"
        store.upsert_nodes(Label.PROFILE, [{"id": "tw:0", "handle": "mine"}])
        assert handle(client.get(path, headers=auth())) == "mine"  # this process's write: at once
        gone = path.replace("tw:0", "tw:none").replace("c0", "c-none")
        assert client.get(gone, headers=auth()).status_code == 404


def test_a_brands_voice_is_read_once_per_data_version(store, monkeypatch) -> None:
    """The share of voice and the weekly sentiment come from the brand's posts held in memory: a
    second request reads nothing, a new post written through this process counts at once."""
    at = int(time.time() * 1000) - 86_400_000  # a day ago: in the default 12 weeks before now (no run yet)
    store.execute_text(
        "CREATE (b:Brand {id: 'acme', name: 'Acme'}), (:Brand {id: 'globex', name: 'Globex'}), "
        "(p:Profile {id: 'tw:0'})-[:POSTED]->(:Post {id: 'p0', sentiment: 0.5, created_at: $at})-[:ABOUT]->(b)",
        {"at": at},
        write=True,
    )
    real_run, reads = store.run, []
    monkeypatch.setattr(store, "run", lambda name, params=None: reads.append(name) or real_run(name, params))
    with TestClient(make_app(store, read_view_seconds=60)) as client:
        paths = ["/v1/brands", "/v1/brands/acme/sentiment"]

        def answers() -> list:
            brands, sentiment = (client.get(path, headers=auth()).json() for path in paths)
            return [brands["items"], sentiment["weeks"]]

        first = answers()
        assert [b["posts"] for b in first[0]] == [1, 0] and [w["posts"] for w in first[1]] == [1]
        reads.clear()
        assert answers() == first
        assert reads == []
        store.execute_text(
            "MATCH (b:Brand {id: 'acme'}), (p:Profile {id: 'tw:0'}) "
            "CREATE (p)-[:POSTED]->(:Post {id: 'p1', sentiment: -0.5, created_at: $at})-[:ABOUT]->(b)",
            {"at": at},
            write=True,
        )
        assert [b["posts"] for b in client.get(paths[0], headers=auth()).json()["items"]] == [2, 0]
        week = client.get(paths[1], headers=auth()).json()["weeks"]
        assert [(w["posts"], w["positive"], w["negative"], w["mean_sentiment"]) for w in week] == [
            (2, 1, 1, 0.0)
        ]


def test_held_json_views_count_by_their_size_against_the_row_budget(store, monkeypatch) -> None:
    """A 360 view is kilobytes, not a row: it counts one row per 512 bytes, so a crawl of every
    profile's view starts the memo over instead of holding the process's memory."""
    reason = "staff: " + "answers for the brand; " * 80  # a view of a few kilobytes
    store.upsert_nodes(
        Label.PROFILE, [{"id": f"tw:{i}", "handle": f"h{i}", "role_reason": reason} for i in range(3)]
    )
    with holding_views(store, 60), TestClient(make_app(store, read_view_seconds=60)) as client:
        body = client.get("/v1/profiles/tw:0", headers=auth()).content
        weight = 1 + len(body) // read_view.BYTES_PER_ROW
        assert read_view._views(store).rows_held == weight > 1
        monkeypatch.setattr(read_view, "MEMO_ROWS", 2 * weight)
        for i in (1, 2):  # the third view does not fit: the memo starts over, answers stay right
            assert client.get(f"/v1/profiles/tw:{i}", headers=auth()).json()["handle"] == f"h{i}"
        assert read_view._views(store).rows_held <= 2 * weight
        assert client.get("/v1/profiles/tw:0", headers=auth()).content == body


def test_the_analysis_runs_list_is_read_once_per_data_version(store, monkeypatch) -> None:
    """``GET /v1/analysis/runs`` reads the store once while the view stands; a run started, or its
    state changed, through this process shows at the next request, another process's after the refresh."""
    start_run(store, "run-20260101T000000-aaaaaa", {}, started_at=1)
    real_run, reads = store.run, []
    monkeypatch.setattr(store, "run", lambda name, params=None: reads.append(name) or real_run(name, params))
    with TestClient(make_app(store, read_view_seconds=60)) as client:

        def states() -> list[tuple[str, str]]:
            response = client.get("/v1/analysis/runs", headers=auth())
            assert response.status_code == 200, response.text
            return [(run["id"], run["state"]) for run in response.json()["items"]]

        assert states() == [("run-20260101T000000-aaaaaa", "running")]
        reads.clear()
        assert states() == [("run-20260101T000000-aaaaaa", "running")]
        assert reads == []  # held: not a single store read
        update_run(store, "run-20260101T000000-aaaaaa", state="failed")
        assert states() == [("run-20260101T000000-aaaaaa", "failed")]  # this process's write: at once
        written_by_another_process(store, "MATCH (r:AnalysisRun) SET r.state = 'succeeded'")
        assert states() == [("run-20260101T000000-aaaaaa", "failed")]  # held until the refresher reads
        refresh_view(store)
        assert states() == [("run-20260101T000000-aaaaaa", "succeeded")]
