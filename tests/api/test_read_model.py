"""The per-run read model (usecases.read_model) against the catalogue queries it replaces, on both engines.

Every page the model chooses (ids from memory, rows by id from the store) must equal the page the
original catalogue query returns for the same run, filters and position: same rows, same order,
ties included. Then: a new run is seen by the next request, a model never serves another run's
rows, an erased profile leaves no gap, and a streamed export of N members returns all N in order.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import random

import pytest
from api_testdata import KEYS, auth, make_app
from fastapi.testclient import TestClient

from graph.model import (
    ADVOCATES,
    CUSTOMER_HAS_PROFILE,
    DETRACTS,
    INFLUENCES,
    MIXED,
    Brand,
    Customer,
    Label,
    Profile,
    RelRow,
)
from graph.store import CypherGraphStore
from graph.writes import GraphWrites
from usecases.current_run import current_run
from usecases.paging import Cursor, decode_cursor
from usecases.read_model import Filters, RunReadModel, RunReadModels, read_model, rows_in_order
from usecases.segments import MemberQuery, SegmentFilter, segment_member_ids

N = 60
BRANDS = ("acme", "globex")
ROLES = [("customer",), ("customer", "brand_owned", "staff"), ("staff",)]
AS_OF = 1_767_225_600_000


def pid(i: int) -> str:
    return f"{'tw' if i % 3 else 'md'}:p{i:03d}"


SCORED = N - 6
"""Profiles a run ranks by default; the other six are unscored (rank -1)."""


def publish(store: CypherGraphStore, run_id: str, seed: int, *, scored: int = SCORED) -> None:
    """A run as the write-back leaves it: scores with ties, some profiles unscored (rank -1), roles,
    and per brand INFLUENCES/ADVOCATES/DETRACTS/MIXED_STANCE with tied scores and missing sentiment."""
    rng = random.Random(seed)
    store.execute_text("MATCH (r:AnalysisRun) SET r.current = false", write=True)
    store.execute_text(
        "CREATE (:AnalysisRun {id: $id, state: 'succeeded', current: true, started_at: $t, finished_at: $t, "
        "param_as_of: $t})",
        {"id": run_id, "t": AS_OF},
        write=True,
    )
    influence = {i: rng.choice([0.5, 0.25, 0.125, round(rng.random(), 3)]) for i in range(scored)}
    order = sorted(influence, key=lambda i: (-influence[i], pid(i)))
    rows = [
        {
            "id": pid(i),
            "run_id": run_id,
            "influence": influence[i],
            "influence_rank": rank,
            "community": rng.randrange(4),
            "reach": i,
            "role": rng.choice(["customer", "customer", "brand_owned", "staff"]),
            "role_reason": "",
            "influence_top_sources": [pid((i + 1) % N)],
            "influence_top_shares": [0.5],
        }
        for rank, i in enumerate(order, start=1)
    ]
    rows += [
        {"id": pid(i), "run_id": run_id, "influence": 0.0, "influence_rank": -1, "community": -1, "reach": 0}
        for i in range(scored, N)
    ]
    store.upsert_nodes(Label.PROFILE, rows)
    for brand in BRANDS:
        for spec in (INFLUENCES, ADVOCATES, DETRACTS, MIXED):
            members = rng.sample(range(N), 25)
            score = {i: rng.choice([0.9, 0.3, round(rng.random(), 2)]) for i in members}
            ranked = sorted(members, key=lambda i: (-score[i], pid(i)))
            props = [
                {"run_id": run_id, "score": score[i], "rank": rank, "posts": 1, "evidence_post_ids": []}
                | ({"mean_sentiment": rng.choice([-0.5, 0.1, 0.7])} if rank % 5 else {})
                for rank, i in enumerate(ranked, start=1)
            ]
            store.upsert_relationships(
                spec, [RelRow(pid(i), brand, p) for i, p in zip(ranked, props, strict=True)]
            )


@pytest.fixture
def runs_store(store: CypherGraphStore) -> CypherGraphStore:
    writes = GraphWrites()
    for brand in BRANDS:
        writes.add_node(Brand(id=brand, name=brand.title()))
    for i in range(N):
        writes.add_node(Profile(id=pid(i), platform="twitter" if i % 3 else "mastodon", handle=f"h{i}"))
    for i in range(0, N, 4):
        writes.add_node(Customer(id=f"c{i}", email=f"c{i}@example.com", email_verified=True))
        writes.add_relationship(CUSTOMER_HAS_PROFILE, f"c{i}", pid(i))
    store.apply(writes)
    publish(store, "run-a", seed=1)
    return store


def model_page(store, run_id, filters, after, limit, *, brand=None, kind="influences"):
    ids = read_model(store, run_id).ranked_ids(filters, after, brand=brand, kind=kind)
    if brand is None:
        name, params = "api.influencers_by_ids", {"run_id": run_id, "explain": True}
    elif kind == "influences":
        name, params = "api.brand_influencers_by_ids", {"run_id": run_id, "brand": brand, "explain": True}
    else:
        name, params = f"api.{kind}_by_ids", {"run_id": run_id, "brand": brand}
    return rows_in_order(ids, limit, lambda page: store.run(name, {**params, "ids": page}))


def pages_of(rows, limit):
    """Keyset pages the way the routes cut them: the next page starts after the last rank seen."""
    return [rows[k : k + limit] for k in range(0, len(rows), limit)]


def test_ranked_pages_equal_the_catalogue_queries(runs_store) -> None:
    store, run = runs_store, "run-a"
    for roles in ROLES:
        for platform in (None, "twitter"):
            for community in (None, 0, 2):
                filters = Filters(roles, community, platform)
                base = {"run_id": run, "platform": platform, "roles": list(roles), "after": 0, "limit": 1000}
                if community is None:
                    expected = store.run("api.influencers", {**base, "upto": 2**62})
                else:
                    expected = store.run("api.influencers_in_community", {**base, "community": community})
                got = model_page(store, run, filters, 0, 1000)
                assert got == expected and got, (roles, platform, community)
                for limit in (1, 7):
                    after = 0
                    for page in pages_of(expected, limit):
                        assert model_page(store, run, filters, after, limit) == page
                        after = page[-1]["rank"]
                for brand in BRANDS:
                    expected = store.run(
                        "api.brand_influencers", {**base, "brand": brand, "community": community}
                    )
                    assert model_page(store, run, filters, 0, 1000, brand=brand) == expected
                    if expected:
                        after = expected[2]["rank"] if len(expected) > 3 else 0
                        tail = [row for row in expected if row["rank"] > after][:4]
                        assert model_page(store, run, filters, after, 4, brand=brand) == tail
        for brand in BRANDS:
            for kind in ("advocates", "detractors", "mixed"):
                params = {"run_id": run, "brand": brand, "roles": list(roles), "limit": 1000}
                for after in (0, 3, 10):
                    expected = store.run(f"api.{kind}", {**params, "after": after})
                    got = model_page(store, run, Filters(roles), after, 1000, brand=brand, kind=kind)
                    assert got == expected, (kind, brand, roles, after)


@pytest.mark.parametrize(
    "flt",
    [
        {},
        {"platform": "mastodon", "include": ["staff"]},
        {"community": 1, "min_influence": 0.2},
        {"brand": "acme"},
        {"brand": "globex", "community": 3},
        {"brand": "acme", "role": "advocate"},
        {"brand": "globex", "role": "advocate", "sentiment_min": 0.0},
        {
            "brand": "acme",
            "role": "detractor",
            "sentiment_max": 0.2,
            "include": ["owned", "staff"],
        },
        {"brand": "acme", "role": "detractor", "min_influence": 0.3, "platform": "twitter"},
    ],
)
def test_segment_members_equal_the_catalogue_queries(runs_store, flt) -> None:
    store = runs_store
    run = current_run(store)
    query = MemberQuery.of(SegmentFilter.model_validate(flt), run)
    assert query._read_model(store) is not None  # answered from memory
    expected = store.run(query.name, {**query.params, "skip": 0, "limit": 1000})
    expected = [row | {"position": position} for position, row in enumerate(expected)]
    assert query.rows(store, 0, 1000) == expected
    for skip, limit in ((0, 1), (1, 3), (5, 5), (len(expected) - 1, 10), (len(expected) + 3, 2)):
        assert query.rows(store, skip, limit) == expected[skip : skip + limit], (skip, limit)


def test_filters_on_posts_are_left_to_the_store(runs_store) -> None:
    run = current_run(runs_store)
    for flt in ({"active_within_days": 3}, {"sentiment_min": 0.1}, {"brand": "acme", "sentiment_max": 0.0}):
        query = MemberQuery.of(SegmentFilter.model_validate(flt), run)
        assert query._read_model(runs_store) is None


def test_the_next_request_after_a_run_switch_sees_the_new_run(runs_store) -> None:
    with TestClient(make_app(runs_store), raise_server_exceptions=False) as client:
        before = client.get("/v1/influencers?limit=5&include=owned,staff", headers=auth()).json()
        assert before["run"]["id"] == "run-a"
        publish(runs_store, "run-b", seed=2, scored=N - 20)  # behind the app's back, as the CLI would
        after = client.get("/v1/influencers?limit=100&include=owned,staff", headers=auth()).json()
        expected = runs_store.run(
            "api.influencers",
            {
                "run_id": "run-b",
                "after": 0,
                "upto": 2**62,
                "platform": None,
                "roles": ["customer", "brand_owned", "staff"],
                "limit": 101,
            },
        )
    assert after["run"]["id"] == "run-b"
    assert [item["id"] for item in after["items"]] == [row["id"] for row in expected]
    assert [item["rank"] for item in after["items"]] == list(range(1, N - 20 + 1))


def test_a_model_never_serves_rows_of_another_run(runs_store) -> None:
    old = RunReadModel.load(runs_store, "run-a")
    publish(runs_store, "run-b", seed=2)
    ids = old.ranked_ids(Filters(("customer", "brand_owned", "staff")), 0)
    assert len(ids) == N - 6
    # every profile is stamped run-b now: the old order finds no row of its run, and takes none of run-b's
    params = {"run_id": "run-a", "explain": False}
    fetch = lambda page: runs_store.run("api.influencers_by_ids", {**params, "ids": page})  # noqa: E731
    assert rows_in_order(ids, 10, fetch) == []
    new = read_model(runs_store, "run-b")
    assert new.run_id == "run-b" and new is read_model(runs_store, "run-b")


def test_an_erased_profile_leaves_no_gap(runs_store) -> None:
    filters = Filters(("customer", "brand_owned", "staff"))
    first = model_page(runs_store, "run-a", filters, 0, 5)
    runs_store.execute_text("MATCH (p:Profile {id: $id}) DETACH DELETE p", {"id": first[1]["id"]}, write=True)
    again = model_page(runs_store, "run-a", filters, 0, 5)
    expected = runs_store.run(
        "api.influencers",
        {
            "run_id": "run-a",
            "after": 0,
            "upto": 2**62,
            "platform": None,
            "roles": list(filters.roles),
            "limit": 5,
        },
    )
    assert again == expected and len(again) == 5 and first[1]["id"] not in {r["id"] for r in again}


def test_the_model_of_the_run_in_use_is_kept_when_a_straggler_built_an_older_one_after_it(runs_store) -> None:
    """Models are replaced least recently used first, not in the order they were built.

    run-b is current and in use; a request that looked up run-a just before run-b was published
    builds run-a's model after run-b's. When run-c is published, run-b's model must outlive
    run-a's: a request that looked up run-b just before the switch still reads run-b's page (its
    ADVOCATES edges are there until the stale results are deleted), as the catalogue query does.
    Evicted in build order, run-b's model would be rebuilt from profiles stamped run-c: empty.
    """
    store, models = runs_store, RunReadModels()
    publish(store, "run-b", seed=2)
    in_use = models.get(store, "run-b")
    models.get(store, "run-a")  # the straggler's, built after run-b's
    assert models.get(store, "run-b") is in_use  # run-b's requests go on using it
    publish(store, "run-c", seed=3)
    models.get(store, "run-c")
    roles = ("customer", "brand_owned", "staff")
    expected = store.run(
        "api.advocates", {"run_id": "run-b", "brand": "acme", "roles": list(roles), "after": 0, "limit": 100}
    )
    ids = models.get(store, "run-b").ranked_ids(Filters(roles), 0, brand="acme", kind="advocates")
    fetch = lambda page: store.run(  # noqa: E731
        "api.advocates_by_ids", {"run_id": "run-b", "brand": "acme", "ids": page}
    )
    assert expected and rows_in_order(ids, 100, fetch) == expected
    assert models.get(store, "run-b") is in_use


def test_an_erased_member_is_neither_repeated_nor_lost_by_pages_and_exports(runs_store, monkeypatch) -> None:
    """Segment pages and exports resume at a position in the run's member order; an erased member
    in an earlier page must not shift that position (the next page would repeat a member)."""
    monkeypatch.setattr("api.routes.segments.EXPORT_CHUNK", 7)
    store = runs_store
    flt = {"include": ["owned", "staff"]}
    with TestClient(make_app(store), raise_server_exceptions=False) as client:
        created = client.post("/v1/segments", json={"name": "everyone", "filter": flt}, headers=auth("write"))
        assert created.status_code == 201, created.text
        first = client.get("/v1/segments/everyone/members?limit=5", headers=auth()).json()
        assert len(first["items"]) == 5  # the model of run-a is built
        erased = first["items"][2]["profile_id"]
        store.execute_text("MATCH (p:Profile {id: $id}) DETACH DELETE p", {"id": erased}, write=True)
        query = MemberQuery.of(SegmentFilter.model_validate(flt), current_run(store))
        expected = [r["id"] for r in store.run(query.name, {**query.params, "skip": 0, "limit": 1000})]
        assert len(expected) == SCORED - 1 and erased not in expected  # the scored profiles, one erased

        paged, cursor = [], None
        while True:
            params = {"limit": 5} | ({"cursor": cursor} if cursor else {})
            page = client.get("/v1/segments/everyone/members", params=params, headers=auth()).json()
            paged += [item["profile_id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert paged == expected

        lines = client.get("/v1/segments/everyone/members?format=ndjson", headers=auth()).text.splitlines()
        exported = [json.loads(line) for line in lines]
        assert [row["profile_id"] for row in exported] == expected
        # a pull resumed from any row's cursor goes on with the next member
        for k in (0, 6, 7, 20):
            rest = client.get(
                "/v1/segments/everyone/members",
                params={"format": "ndjson", "cursor": exported[k]["cursor"]},
                headers=auth(),
            ).text.splitlines()
            assert [json.loads(line)["profile_id"] for line in rest] == expected[k + 1 :], k
        # a window of 10 positions (9 members: the erased one's place is in it) and the window its
        # Link header points to: no member twice, none left out
        window = client.get("/v1/segments/everyone/members?format=ndjson&limit=10", headers=auth())
        got = [json.loads(line)["profile_id"] for line in window.text.splitlines()]
        link = window.headers["link"].split(">")[0].lstrip("<")
        got += [json.loads(line)["profile_id"] for line in client.get(link, headers=auth()).text.splitlines()]
        assert got == expected[:19]
    assert [row["id"] for row in query.all_rows(store, chunk=7)] == expected
    assert segment_member_ids(store, "everyone", current_run(store)) == expected


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_an_export_of_n_members_returns_all_n_in_order(runs_store, monkeypatch, fmt) -> None:
    monkeypatch.setattr("api.routes.segments.EXPORT_CHUNK", 7)  # many chunks from a small graph
    run = current_run(runs_store)
    flt = {"include": ["owned", "staff"]}
    expected = MemberQuery.of(SegmentFilter.model_validate(flt), run)
    expected_ids = [
        row["id"] for row in runs_store.run(expected.name, {**expected.params, "skip": 0, "limit": 1000})
    ]
    assert (
        len(expected_ids) == SCORED
    )  # every scored profile (a segment without a brand holds no unscored one)
    with TestClient(make_app(runs_store), raise_server_exceptions=False) as client:
        created = client.post(
            "/v1/segments",
            json={"name": "everyone", "filter": flt},
            headers={"Authorization": f"Bearer {KEYS['write']}"},
        )
        assert created.status_code == 201, created.text
        response = client.get(f"/v1/segments/everyone/members?format={fmt}", headers=auth())
    assert response.status_code == 200
    if fmt == "csv":
        got = [row["profile_id"] for row in csv.DictReader(io.StringIO(response.text))]
    else:
        got = [json.loads(line)["profile_id"] for line in response.text.splitlines()]
    assert got == expected_ids


@pytest.mark.parametrize(
    ("run_id", "query", "position"), [("run-1", "abc", 0), ('rün"\\x', "", 123456789), ("r", "q", 2**61)]
)
def test_a_cursor_is_base64url_of_its_json(run_id, query, position) -> None:
    """Cursors keep their documented form (usecases.paging), though their JSON head is built once per list."""
    raw = json.dumps({"r": run_id, "q": query, "p": position}, separators=(",", ":"))
    token = Cursor(run_id, query, position).encode()
    assert token == base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    assert decode_cursor(token, query=query) == Cursor(run_id, query, position)


def test_a_long_stretch_without_rows_costs_a_few_reads_and_positions_stay_exact() -> None:
    """``positioned_rows`` widens its read after ids without rows; what it returns is still the first
    ``count`` ids that have a row, each at its own position."""
    from usecases.read_model import positioned_rows

    ids = [f"p{i}" for i in range(20_000)]
    present = {f"p{i}" for i in range(19_990, 20_000)} | {"p3"}
    reads: list[int] = []

    def fetch(page: list[str]) -> list[dict]:
        reads.append(len(page))
        return [{"id": pid} for pid in page if pid in present]

    rows = positioned_rows(ids, 5, fetch)
    assert rows == [(3, {"id": "p3"})] + [(i, {"id": f"p{i}"}) for i in range(19_990, 19_994)]
    assert len(reads) <= 16 and max(reads) <= 5_000  # not 4,000 reads of five ids
    resumed = positioned_rows(ids, 5, fetch, start=19_994)
    assert [position for position, _ in resumed] == list(range(19_994, 19_999))


def test_a_serving_process_moves_each_built_model_out_of_the_collector(runs_store) -> None:
    """With freeze_long_lived_builds on (the API's lifespan), a built model's objects are in the
    collector's permanent generation, so full collections no longer walk them; off (the default in
    a process that is not serving), nothing is frozen."""
    import gc

    from usecases.collector import freeze_long_lived_builds

    gc.unfreeze()
    RunReadModels().get(runs_store, "run-a")
    assert gc.get_freeze_count() == 0
    freeze_long_lived_builds()
    try:
        model = RunReadModels().get(runs_store, "run-a")
        frozen = gc.get_freeze_count()
        assert frozen > 0
        assert not any(obj is model for obj in gc.get_objects())  # no longer in any generation
    finally:
        freeze_long_lived_builds(False)
        gc.unfreeze()
