"""Segments: create/list/get/delete, members per filter, stable paging, csv/ndjson exports, hostile strings."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

import pytest
from api_testdata import AS_OF, N_PROFILES, auth, profile_id, write_analysis

from graph.model import Label

HOSTILE = [
    "quote'\"`",
    "back\\slash\\\\",
    "'}) MATCH (n) DETACH DELETE n RETURN 1 --",
    "$param {id: 1} :param x => 1;",
    "emoji 🦄 and RTL \u202e text",
    "inner  spaces\u00a0and nbsp",
    "a/../b".replace("/", "|"),
    "?query=1&x#frag",
    "x" * 200,
]


def create(client, name: str, flt: dict | None = None, role: str = "write", **extra):
    return client.post("/v1/segments", json={"name": name, "filter": flt or {}, **extra}, headers=auth(role))


def members(client, name: str, **params):
    return client.get(f"/v1/segments/{quote(name, safe='')}/members", params=params, headers=auth())


def walk(client, name: str, limit: int) -> list[dict]:
    seen, cursor = [], None
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        page = members(client, name, **params).json()
        seen += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return seen


def test_create_get_list_and_delete(client) -> None:
    response = create(
        client, "acme-advocates", {"brand": "acme", "role": "advocate"}, description="for the CRM"
    )
    assert response.status_code == 201
    saved = response.json()
    assert saved["name"] == "acme-advocates" and saved["filter"] == {
        "brand": "acme",
        "role": "advocate",
        "community": None,
        "min_influence": None,
        "sentiment_min": None,
        "sentiment_max": None,
        "platform": None,
        "active_within_days": None,
        "include": None,
    }
    assert client.get("/v1/segments/acme-advocates", headers=auth()).json() == saved
    duplicate = create(client, "acme-advocates", {})
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "segment_exists"
    typo = create(client, "typo", {"brand": "acmee", "role": "advocate"})  # as a preview of it answers
    assert typo.status_code == 404 and "acmee" in typo.json()["detail"]
    assert client.get("/v1/segments/typo", headers=auth()).status_code == 404  # nothing saved
    for i in range(4):
        assert create(client, f"seg-{i}").status_code == 201
    page = client.get("/v1/segments", params={"limit": 3}, headers=auth()).json()
    rest = client.get(
        "/v1/segments", params={"limit": 3, "cursor": page["next_cursor"]}, headers=auth()
    ).json()
    assert [s["name"] for s in page["items"] + rest["items"]] == [
        "acme-advocates",
        "seg-0",
        "seg-1",
        "seg-2",
        "seg-3",
    ]
    assert client.delete("/v1/segments/seg-0", headers=auth("write")).status_code == 403  # destructive: admin
    assert client.delete("/v1/segments/seg-0", headers=auth("admin")).status_code == 204
    assert client.get("/v1/segments/seg-0", headers=auth()).status_code == 404
    assert client.delete("/v1/segments/seg-0", headers=auth("admin")).status_code == 404
    assert members(client, "seg-0").json()["code"] == "not_found"


def test_a_sentiment_range_whose_minimum_is_above_its_maximum_holds_nobody(client) -> None:
    # accepted (a schema cannot state the order of two fields), and empty
    body = {"name": "inverted", "filter": {"sentiment_min": 0.5, "sentiment_max": 0.1}}
    assert client.post("/v1/segments", json=body, headers=auth("write")).status_code == 201
    page = client.get("/v1/segments/inverted/members", headers=auth()).json()
    assert page["items"] == []


@pytest.mark.parametrize(
    "body",
    [
        {"name": "r", "filter": {"role": "advocate"}},  # role needs a brand
        {"name": "r", "filter": {"sentiment_min": 2}},
        {"name": "r", "filter": {"min_influence": -1}},
        {"name": "r", "filter": {"unknown": 1}},
        {"name": "r", "filter": {"role": "fan", "brand": "acme"}},
        {"name": "r", "filter": {"active_within_days": 0}},
        {"name": ""},
        {"name": "a/b"},
        {"name": ".."},
        {"name": "new\nline"},
        {"name": " leading"},
        {"name": "trailing\t"},
        {"name": "x" * 201},
        {"name": 5},
        {},
        {"name": "r", "extra": True},
    ],
)
def test_invalid_segments_are_422(client, body: dict) -> None:
    response = client.post("/v1/segments", json=body, headers=auth("write"))
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_input"


def test_members_of_each_kind_of_filter(client) -> None:
    create(client, "adv", {"brand": "acme", "role": "advocate"})
    items = members(client, "adv", limit=100).json()["items"]
    assert [m["profile_id"] for m in items] == [profile_id(i) for i in range(1, 13)]
    assert items[0]["reason"].startswith("advocate of acme (rank 1, score 0.95")
    assert items[0]["customer_id"] == "c1" and items[0]["email"] == "ada@example.com"
    assert items[0]["handles"] == ["twitter:user01", "twitter:user05"]
    by_customer = {m["customer_id"]: m for m in items if m["customer_id"]}
    assert by_customer["c2"]["email"] is None  # not verified
    assert "c3" not in by_customer  # contact_allowed false: its profile is held, not joined (#19)
    assert by_customer["c4"]["email"] == "di@example.com"

    create(client, "det", {"brand": "acme", "role": "detractor", "min_influence": 0.045})
    assert [m["profile_id"] for m in members(client, "det").json()["items"]] == [
        profile_id(20),
        profile_id(21),
    ]

    create(client, "infl-mastodon", {"brand": "acme", "platform": "mastodon"})
    got = members(client, "infl-mastodon").json()["items"]
    assert [m["profile_id"] for m in got] == [profile_id(i) for i in (0, 4, 8, 12, 16)]
    assert got[0]["score"] == 0.5 and got[0]["reason"].startswith("influencer for acme")

    create(client, "community-2", {"community": 2})
    got = members(client, "community-2", limit=100).json()["items"]
    assert [m["profile_id"] for m in got] == [profile_id(i) for i in range(2, N_PROFILES, 3)]

    create(client, "recent", {"active_within_days": 7})  # posts at as_of - (3i + k) days
    got = members(client, "recent", limit=100).json()["items"]
    assert sorted(m["profile_id"] for m in got) == [profile_id(i) for i in range(3)]

    create(client, "positive", {"brand": "acme", "sentiment_min": 0.5})
    got = members(client, "positive", limit=100).json()["items"]
    assert got and all(m["mean_sentiment"] >= 0.5 for m in got)
    create(client, "negative-all", {"sentiment_max": -0.5})
    got = members(client, "negative-all", limit=100).json()["items"]
    assert got and all(m["mean_sentiment"] <= -0.5 for m in got)

    unknown = create(client, "nobody", {"brand": "no-such-brand", "role": "advocate"})
    assert unknown.status_code == 404 and members(client, "nobody").status_code == 404  # not saved


def test_a_segment_without_a_brand_holds_the_scored_profiles_only(client, scored_store) -> None:
    """A profile the run did not score (rank -1, community -1) is no member: from the read model and
    from the store query a posts filter takes alike."""
    scored_store.execute_text(
        "CREATE (p:Profile {id: 'tw:unscored', platform: 'twitter', run_id: 'run-1', influence: 0.0, "
        "influence_rank: -1, community: -1})-[:POSTED]->(:Post {id: 'post-unscored', sentiment: 0.5, "
        "created_at: $at})",
        {"at": AS_OF},
        write=True,
    )
    create(client, "all", {})
    create(client, "all-by-posts", {"sentiment_min": -1})
    for name in ("all", "all-by-posts"):
        got = [m["profile_id"] for m in members(client, name, limit=100).json()["items"]]
        assert got and "tw:unscored" not in got, name
    assert len(members(client, "all", limit=100).json()["items"]) == N_PROFILES


def test_paging_walks_every_member_once_in_a_stable_order(client) -> None:
    create(client, "everyone", {})
    full = members(client, "everyone", limit=100).json()["items"]
    assert len(full) == N_PROFILES
    keys = [(-m["score"], m["profile_id"]) for m in full]
    assert keys == sorted(keys)  # score DESC, id ASC (users 10 and 11 tie)
    for limit in (1, 4, 7, 30):
        walked = walk(client, "everyone", limit)
        assert [m["profile_id"] for m in walked] == [m["profile_id"] for m in full]
    assert walk(client, "everyone", 7) == walk(client, "everyone", 7)


def test_a_page_pulled_again_is_the_same_and_a_write_shows_on_the_next_pull(client, scored_store) -> None:
    """A page's member records are held between pulls while the data stands (``held_member_records``);
    a write through this process renews them: the next pull shows the new handle, the rest unchanged."""
    create(client, "everyone", {})
    first = members(client, "everyone", limit=100)
    assert members(client, "everyone", limit=100).content == first.content
    items = first.json()["items"]
    renamed = items[3]["profile_id"]
    scored_store.execute_text(
        "MATCH (p:Profile {id: $id}) SET p.handle = 'renamed'", {"id": renamed}, write=True
    )
    again = members(client, "everyone", limit=100).json()["items"]
    assert [m["handle"] for m in again if m["profile_id"] == renamed] == ["renamed"]
    assert [m for m in again if m["profile_id"] != renamed] == [
        m for m in items if m["profile_id"] != renamed
    ]


def test_exports_parse_back_to_the_same_members(client, scored_store) -> None:
    scored_store.execute_text(
        "MATCH (p:Profile {id: $id}) SET p.role = 'brand_owned'", {"id": profile_id(2)}, write=True
    )
    create(client, "everyone", {"include": ["owned", "staff", "placeholder"]})
    pages = walk(client, "everyone", 8)
    ndjson = members(client, "everyone", format="ndjson")
    assert ndjson.headers["content-type"].startswith("application/x-ndjson")
    assert ndjson.headers["x-rapport-run-id"] == "run-1"
    assert [json.loads(line) for line in ndjson.text.splitlines()] == pages
    exported = members(client, "everyone", format="csv")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [row["profile_id"] for row in rows] == [m["profile_id"] for m in pages]
    for row, member in zip(rows, pages, strict=True):
        assert float(row["score"]) == member["score"]
        assert row["email"] == (member["email"] or "")
        assert row["handles"] == ";".join(member["handles"])
        assert row["reason"] == member["reason"]
        assert row["role"] == member["role"]  # a brand's account is told apart from a customer
    assert {row["role"] for row in rows} > {"customer"}
    limited = members(client, "everyone", format="ndjson", limit=5).text.splitlines()
    assert [json.loads(line) for line in limited] == pages[:5]
    first = members(client, "everyone", limit=10).json()
    rest = members(client, "everyone", format="ndjson", cursor=first["next_cursor"]).text.splitlines()
    assert [json.loads(line) for line in rest] == pages[10:]


def test_export_of_ten_thousand_rows_streams_in_chunks(client, scored_store, monkeypatch) -> None:
    import api.routes.segments as segments

    monkeypatch.setattr(segments, "EXPORT_CHUNK", 7)
    create(client, "everyone", {})
    lines = members(client, "everyone", format="ndjson").text.splitlines()
    assert [json.loads(line)["profile_id"] for line in lines] == [
        m["profile_id"] for m in walk(client, "everyone", 30)
    ]


def test_a_new_run_makes_old_cursors_stale(client, scored_store) -> None:
    create(client, "everyone", {})
    first = members(client, "everyone", limit=5).json()
    write_analysis(scored_store, run_id="run-2")
    stale = members(client, "everyone", limit=5, cursor=first["next_cursor"])
    assert stale.status_code == 409 and stale.json()["code"] == "stale_cursor"
    again = members(client, "everyone", limit=5).json()["items"]
    without_cursor = [{k: v for k, v in m.items() if k != "cursor"} for m in first["items"]]
    assert [{k: v for k, v in m.items() if k != "cursor"} for m in again] == without_cursor


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_and_filters_round_trip(client, scored_store, name: str) -> None:
    scored_store.upsert_nodes(Label.BRAND, [{"id": name[:256], "name": name}])  # a filter's brand must exist
    flt = {"brand": name[:256], "platform": name[:64], "role": "advocate"}
    response = create(client, name, flt, description=name)
    assert response.status_code == 201, response.text
    fetched = client.get(f"/v1/segments/{quote(name, safe='')}", headers=auth()).json()
    assert fetched["name"] == name and fetched["description"] == name
    assert fetched["filter"]["brand"] == name[:256] and fetched["filter"]["platform"] == name[:64]
    page = members(client, name)
    assert page.status_code == 200 and page.json()["items"] == [] and page.json()["segment"] == name
    assert members(client, name, format="csv").text.splitlines() == [
        ",".join(
            [
                "profile_id",
                "platform",
                "handle",
                "role",
                "customer_id",
                "email",
                "handles",
                "score",
                "rank",
                "influence",
                "community",
                "mean_sentiment",
                "reason",
                "cursor",
            ]
        )
    ]
    assert name in [s["name"] for s in client.get("/v1/segments", headers=auth()).json()["items"]]
    assert create(client, name, {}).status_code == 409
    assert client.get("/v1/influencers", params={"limit": 1}, headers=auth()).json()["items"]  # graph intact


def test_csv_cells_that_would_start_a_spreadsheet_formula_are_neutralised() -> None:
    from api.routes.segments import csv_cell

    assert csv_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [csv_cell(v) for v in ("+1", "-2", "@sum", "plain", None)] == ["'+1", "'-2", "'@sum", "plain", ""]
    assert csv_cell(-0.5) == -0.5  # numbers stay numbers
