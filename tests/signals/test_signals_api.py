"""Signals over HTTP on real engines: implicit trust paths, screening, explained scores, spike alerts, roles.

The demo world (``ingest.demo``) plants the ground truth: brand accounts that like and share praise
posts (implicit trust), a ring of coordinated accounts (ids starting with ``RING_PREFIX``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.store import CypherGraphStore
from ingest.demo import RING_PREFIX, DemoSize, demo_events
from ingest.mapping import graph_writes
from ingest.sources.canonical import read_event_objects
from tests.api.api_testdata import KEYS, make_app
from usecases.analysis import AnalysisParams, run_analysis

READ = {"Authorization": f"Bearer {KEYS['read']}"}
ROOT = Path(__file__).resolve().parents[2]


def _load(store: CypherGraphStore, events: list[dict]) -> None:
    parsed = [item.events[0] for item in read_event_objects(events)]
    store.apply(graph_writes(parsed))


@pytest.fixture
def demo(store: CypherGraphStore):
    events = list(demo_events(7, DemoSize(customers=120)))
    _load(store, events)
    run_analysis(store, AnalysisParams(seed=0))
    with TestClient(make_app(store)) as client:
        yield client, events


def test_a_trust_path_leads_from_a_brand_account_to_a_customer_with_each_hop_sourced(demo) -> None:
    client, events = demo
    author = {e["id"]: e["author"] for e in events if e["kind"] == "post"}
    endorsed = sorted(
        {author[e["post"]] for e in events if e["kind"] == "share" and e["profile"] == "twitter:northwind"}
    )
    rated = sorted(
        (e["source"], e["target"])
        for e in events
        if e["kind"] == "rating" and e["source"] in endorsed and e["rating"] > 0
    )
    assert endorsed and rated
    first, customer = rated[0]
    response = client.get(
        f"/v1/trust-paths?source=twitter:northwind&target={customer}&max_hops=4", headers=READ
    )
    assert response.status_code == 200, response.text
    paths = response.json()["paths"]
    assert paths and paths[0]["nodes"][0] == "twitter:northwind" and paths[0]["nodes"][-1] == customer
    first_hop = paths[0]["edges"][0]
    assert first_hop["origin"] == "implicit" and first_hop["positive_interactions"] >= 2
    assert first_hop["trust"] == pytest.approx(
        (first_hop["positive_interactions"] - first_hop["negative_interactions"])
        / (first_hop["positive_interactions"] + first_hop["negative_interactions"] + 2)
    )
    assert any(edge["origin"] == "rating" and edge["rating"] > 0 for path in paths for edge in path["edges"])
    # the product of the hops is the path's trust
    for path in paths:
        product = 1.0
        for edge in path["edges"]:
            product *= edge["trust"]
        assert path["trust"] == pytest.approx(product)


def test_a_brand_id_as_source_starts_the_paths_at_any_of_the_brands_own_accounts(demo, store) -> None:
    """ "From our brand to this prospect": ``source`` may be a brand id; its paths are the best of its
    accounts' paths, most trusted first, and a brand without a usable account is a 404 saying why."""
    client, events = demo
    accounts = {
        row["id"]
        for row in store.execute_text(
            "MATCH (:Brand {id: 'northwind'})-[:HAS_PROFILE]->(p:Profile) RETURN p.id AS id", write=False
        )
    }
    assert "twitter:northwind" in accounts
    customer = next(
        e["target"]
        for e in sorted(events, key=lambda e: str(e.get("target")))
        if e["kind"] == "rating"
        and e["rating"] > 0
        and client.get(f"/v1/trust-paths?source=twitter:northwind&target={e['target']}&k=1", headers=READ)
        .json()
        .get("paths")
    )
    by_brand = client.get(f"/v1/trust-paths?source=northwind&target={customer}&k=3", headers=READ)
    assert by_brand.status_code == 200, by_brand.text
    paths = by_brand.json()["paths"]
    assert by_brand.json()["source"] == "northwind" and 1 <= len(paths) <= 3
    assert all(path["nodes"][0] in accounts and path["nodes"][-1] == customer for path in paths)
    trusts = [path["trust"] for path in paths]
    assert trusts == sorted(trusts, reverse=True)
    for account in accounts:  # no account's own best path beats the brand's best
        own = client.get(f"/v1/trust-paths?source={account}&target={customer}&k=1", headers=READ).json()
        assert all(path["trust"] <= trusts[0] + 1e-12 for path in own.get("paths", []))

    unknown = client.get(f"/v1/trust-paths?source=no-such-brand&target={customer}", headers=READ)
    assert unknown.status_code == 404 and "no profile or brand 'no-such-brand'" in unknown.json()["detail"]
    store.execute_text("CREATE (:Brand {id: 'quiet-brand', name: 'Quiet'})", write=True)
    quiet = client.get(f"/v1/trust-paths?source=quiet-brand&target={customer}", headers=READ)
    assert quiet.status_code == 404 and "no account of its own" in quiet.json()["detail"]


def test_screening_lists_the_planted_ring_and_no_ordinary_customer(demo) -> None:
    client, events = demo
    page = client.get("/v1/screening?limit=100", headers=READ)
    assert page.status_code == 200, page.text
    flagged = {row["id"] for row in page.json()["items"]}
    ring = {e["id"] for e in events if e["kind"] == "profile" and e["id"].startswith(RING_PREFIX)}
    hits = len(flagged & ring)
    assert hits / len(flagged) >= 0.9 and hits / len(ring) >= 0.9
    assert flagged <= ring
    row = page.json()["items"][0]
    assert row["weight"] == pytest.approx(0.1) and any("coordinated_text" in line for line in row["evidence"])
    # down-weighted: a flagged account's engagement casts no vote, so no ring member out-ranks the
    # influencers of the demo's communities
    top = client.get("/v1/influencers?limit=20", headers=READ).json()["items"]
    assert not {row["id"] for row in top} & ring
    profile = client.get(f"/v1/profiles/{RING_PREFIX}03", headers=READ).json()
    assert profile["role"] == "customer" and "coordinated_text" in profile["screening_flags"]


def test_the_rings_praise_reads_as_praise_and_raises_no_negative_alert(demo) -> None:
    """The ring posts hype ("Just switched to @northwind … best decision ever"): toward the brand each
    is praise, so no brand's alert or negative posts count them (they once made a false spike)."""
    client, events = demo
    ring_posts = {e["id"] for e in events if e["kind"] == "post" and e["author"].startswith(RING_PREFIX)}
    assert ring_posts
    for brand in sorted({b for e in events if e["kind"] == "post" for b in e.get("brands") or ()}):
        body = client.get(f"/v1/brands/{brand}/alerts?granularity=hour", headers=READ).json()
        alerted = {post["id"] for alert in body["alerts"] for post in alert["posts"]}
        assert not alerted & ring_posts, brand
        detractors, cursor = [], ""
        while cursor is not None:
            page = client.get(f"/v1/brands/{brand}/detractors?limit=100&cursor={cursor}", headers=READ).json()
            detractors += page["items"]
            cursor = page["next_cursor"]
        assert detractors, brand  # the demo's detractor communities are still there
        evidence = [post for row in detractors for post in row["evidence"] if post["tone"] == "negative"]
        assert not {post["id"] for post in evidence} & ring_posts, brand


def test_influence_explanations_add_up_to_the_score_on_every_row(demo) -> None:
    client, _ = demo
    for query in (
        "/v1/influencers?explain=true&limit=100",
        "/v1/influencers?brand=northwind&explain=true&limit=100",
    ):
        rows = client.get(query, headers=READ).json()["items"]
        assert len(rows) >= 50
        for row in rows:
            explanation = row["explanation"]
            score = row["brand_score"] if "brand=" in query else row["influence"]
            assert explanation["score"] == pytest.approx(score)
            parts = [s["contribution"] for s in explanation["top_sources"]]
            parts += [explanation["other_sources_share"] * score, explanation["teleport_share"] * score]
            assert sum(parts) == pytest.approx(score, rel=1e-9)
            fractions = [s["share"] for s in explanation["top_sources"]]
            fractions += [explanation["other_sources_share"], explanation["teleport_share"]]
            assert sum(fractions) == pytest.approx(1.0, abs=1e-9)
    # the brand score is explained by its own contributors: its teleport goes to the brand's account only
    brand_rows = client.get("/v1/influencers?brand=northwind&explain=true&limit=100", headers=READ).json()[
        "items"
    ]
    assert all(row["explanation"]["teleport_share"] == 0.0 for row in brand_rows)  # customers only by default
    owned = client.get(
        "/v1/influencers?brand=northwind&explain=true&limit=5&include=owned", headers=READ
    ).json()["items"]
    assert owned[0]["id"] == "twitter:northwind" and owned[0]["role"] == "brand_owned"
    assert owned[0]["explanation"]["teleport_share"] > 0.1
    communities = client.get("/v1/communities?top=10", headers=READ).json()["items"]
    members = [m for c in communities for m in c["top_members"]]
    assert members and {m["role"] for m in members} == {"customer"}
    assert "twitter:northwind" not in {m["id"] for m in members}
    with_owned = client.get("/v1/communities?top=10&include=owned", headers=READ).json()["items"]
    assert "twitter:northwind" in {m["id"] for c in with_owned for m in c["top_members"]}
    bad = client.get("/v1/influencers?include=bots", headers=READ)
    # refused by the parameter's documented grammar (OpenAPI pattern), naming the parameter
    assert bad.status_code == 422
    assert any("include" in error["location"] for error in bad.json()["errors"]), bad.json()


def test_stances_are_exclusive_and_show_both_sides(demo) -> None:
    client, _ = demo
    for brand in ("northwind", "acme-outdoors", "globex-mobile", "initech-bank"):
        sides = {}
        for kind in ("advocates", "detractors", "mixed"):
            response = client.get(f"/v1/brands/{brand}/{kind}?limit=100", headers=READ)
            assert response.status_code == 200, response.text
            assert response.json()["role"] == {"advocates": "advocate", "detractors": "detractor"}.get(
                kind, kind
            )
            sides[kind] = response.json()["items"]
        ids = [{row["id"] for row in rows} for rows in sides.values()]
        assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])
        for kind, rows in sides.items():
            for row in rows:
                assert row["role"] == "customer"
                if kind == "advocates":
                    assert row["positive"] >= 2 * row["negative"]
                if kind == "detractors":
                    assert row["negative"] >= 2 * row["positive"]
                if kind == "mixed":
                    assert {e["tone"] for e in row["evidence"]} == {"positive", "negative"}


def _alert_events(spike: bool) -> list[dict]:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    events: list[dict] = [
        {"kind": "profile", "id": "tw:acme", "platform": "twitter", "handle": "acme"},
        {"kind": "brand", "id": "acme", "name": "Acme", "profile_ids": ["tw:acme"]},
    ]
    texts = (
        "@acme this is terrible, awful service, I hate it",
        "@acme worst product ever, totally broken, angry",
    )
    moments = [start + timedelta(hours=6 * i, minutes=7 * (i % 5)) for i in range(4 * 14)]
    if spike:
        moments += [start + timedelta(days=10, hours=13, minutes=2 * i) for i in range(25)]
    for number, moment in enumerate(moments):
        profile = f"tw:c{number % 40}"
        events.append({"kind": "profile", "id": profile, "platform": "twitter", "handle": profile[3:]})
        events.append(
            {
                "kind": "post",
                "id": f"n{number}",
                "author": profile,
                "text": texts[number % 2],
                "created_at": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "mentions": ["tw:acme"],
                "brands": ["acme"],
            }
        )
    return events


def test_a_planted_negative_spike_is_alerted_with_its_start_and_posts(store: CypherGraphStore) -> None:
    _load(store, _alert_events(spike=True))
    with TestClient(make_app(store)) as client:
        response = client.get("/v1/brands/acme/alerts?granularity=hour", headers=READ)
        assert response.status_code == 200, response.text
        body = response.json()
        (alert,) = body["alerts"]
        assert alert["start"] == int(datetime(2026, 3, 11, 13, tzinfo=UTC).timestamp() * 1000)
        assert alert["observed"] >= 25 and alert["expected"] < 1
        assert len(alert["posts"]) == alert["observed"] and all(p["sentiment"] < 0 for p in alert["posts"])
        assert all(p["author_handle"] == p["author"].removeprefix("tw:") for p in alert["posts"])  # named
        assert client.get("/v1/brands/nope/alerts", headers=READ).status_code == 404
        assert client.get("/v1/brands/acme/alerts?granularity=week", headers=READ).status_code == 422


def test_a_quiet_brand_has_no_alert(store: CypherGraphStore) -> None:
    _load(store, _alert_events(spike=False))
    with TestClient(make_app(store)) as client:
        for granularity in ("hour", "day"):
            body = client.get(f"/v1/brands/acme/alerts?granularity={granularity}", headers=READ).json()
            assert body["negative_posts"] == 56 and body["alerts"] == []


def test_rapport_alerts_prints_the_spike(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text("".join(json.dumps(e) + "\n" for e in _alert_events(spike=True)), encoding="utf-8")
    data_dir = tmp_path / "data"

    def rapport(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "cli", *args, "--data-dir", str(data_dir)]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)

    loaded = rapport("ingest", str(events), "--format", "events")
    assert loaded.returncode == 0, loaded.stderr
    result = rapport("alerts", "acme", "--json")
    assert result.returncode == 0, result.stderr
    (alert,) = json.loads(result.stdout)["alerts"]
    assert alert["spike"]["start_ms"] == int(datetime(2026, 3, 11, 13, tzinfo=UTC).timestamp() * 1000)
    table = rapport("alerts", "acme")
    assert table.returncode == 0 and "2026-03-11" in table.stdout and "13:00" in table.stdout, table.stdout
    quiet = rapport("alerts", "acme", "--min-count", "1000")  # no bucket can reach it
    assert quiet.returncode == 0 and "acme: no negative-sentiment spike per hour" in quiet.stdout, (
        quiet.stdout
    )
    missing = rapport("alerts", "nope")
    assert missing.returncode != 0 and "no brand" in missing.stderr
