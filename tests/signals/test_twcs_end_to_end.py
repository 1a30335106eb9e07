"""Issue #15's done-when on real data: the Customer Support on Twitter sample, ingested, analysed, read over HTTP.

Ground truth is read from the CSV itself, independently of the code under test: every author with an
``inbound=False`` tweet is a company (brand-owned) account; every ``@name`` that never authors a tweet is
a placeholder; two inbound authors read by hand answer for brands (115722 signs ``^NHP``/``^JAY`` for
Verizon; 116380 writes "Thanks for reaching out! @SpotifyCares, could you help…" to customers).
"""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest
from fastapi.testclient import TestClient

from graph.store import CypherGraphStore
from ingest.loader import load_file
from tests.api.api_testdata import KEYS, make_app
from tests.conftest import shared_data
from usecases.analysis import AnalysisParams, run_analysis

READ = {"Authorization": f"Bearer {KEYS['read']}"}
HAND_READ_STAFF = {"twitter:115722", "twitter:116380"}
MENTION = re.compile(r"(?<![A-Za-z0-9_@])@([A-Za-z0-9_]{1,15})(?![A-Za-z0-9_])")


def _ground_truth(path) -> tuple[set[str], set[str], list[str]]:
    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    companies = {f"twitter:{r['author_id'].lower()}" for r in rows if r["inbound"] == "False"}
    authors = {f"twitter:{r['author_id'].lower()}" for r in rows}
    mentioned = {f"twitter:{name.lower()}" for r in rows for name in MENTION.findall(r["text"])}
    names = {r["author_id"] for r in rows if r["inbound"] == "False"}
    talked_about = Counter(name for r in rows for name in MENTION.findall(r["text"]) if name in names)
    brands = sorted(names, key=lambda name: (-talked_about[name], name))  # most talked-about first
    return companies, mentioned - authors, brands


@pytest.fixture
def twcs_client(store: CypherGraphStore):
    """The sample loaded and analysed on each engine in turn, with an API client over it."""
    path = shared_data("twcs_head", "twcs_head5000.csv")
    load_file(store, path, "twcs", parse_in_worker=False)
    summary = run_analysis(store, AnalysisParams(seed=0))
    with TestClient(make_app(store)) as client:
        yield client, summary, _ground_truth(path)


def _all(client: TestClient, url: str) -> list[dict]:
    """Every item of a paged listing (following ``next_cursor``)."""
    items, cursor = [], None
    while True:
        page = client.get(url + (f"&cursor={cursor}" if cursor else ""), headers=READ)
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json().get("next_cursor")
        if not cursor:
            return items


def test_twcs_sample_signals_through_the_api(twcs_client) -> None:
    """One load and analysis (about 10 s), three checks: the sample is too slow to load per check."""
    _no_owned_staff_or_placeholder_profile_in_default_results(twcs_client)
    _no_profile_is_both_advocate_and_detractor_of_a_brand(twcs_client)
    _hand_read_staff_are_detected_with_their_evidence(twcs_client)


def _no_owned_staff_or_placeholder_profile_in_default_results(twcs_client) -> None:
    client, summary, (companies, placeholders, brands) = twcs_client
    assert summary.non_customers >= len(companies) + len(HAND_READ_STAFF)
    excluded = companies | placeholders | HAND_READ_STAFF

    influencers = _all(client, "/v1/influencers?limit=100")
    assert len(influencers) >= 100
    assert {row["role"] for row in influencers} == {"customer"}
    assert not {row["id"] for row in influencers} & excluded
    everyone = _all(client, "/v1/influencers?limit=100&include=owned,staff,placeholder")
    assert {row["role"] for row in everyone} >= {"brand_owned", "placeholder"}

    bridges = client.get("/v1/bridges?limit=100&min_communities=1", headers=READ).json()["items"]
    assert bridges and not {row["id"] for row in bridges} & excluded
    assert {row["role"] for row in bridges} == {"customer"}
    assert all(row["handle"] and row["platform"] for row in bridges)  # a marketer reads who, not an id

    for brand in ("AppleSupport", "AmazonHelp", "SpotifyCares"):
        for kind in ("advocates", "detractors", "mixed"):
            rows = _all(client, f"/v1/brands/{brand}/{kind}?limit=100")
            assert not {row["id"] for row in rows} & excluded, (brand, kind)
            assert all(row["role"] == "customer" for row in rows)
        influencers = _all(client, f"/v1/influencers?brand={brand}&limit=100")
        assert influencers and not {row["id"] for row in influencers} & excluded
        if brand == "SpotifyCares":
            continue  # outreach planning is checked on the two largest brands (about 1 s each)
        plan = client.post(
            "/v1/outreach/plan", json={"brand": brand, "k": 5, "simulations": 100}, headers=READ
        )
        assert plan.status_code == 200, plan.text
        seeds = {contact["profile"]["id"] for contact in plan.json()["contacts"]}
        assert len(seeds) == 5 and not seeds & excluded
        assert {contact["profile"]["role"] for contact in plan.json()["contacts"]} == {"customer"}


def _no_profile_is_both_advocate_and_detractor_of_a_brand(twcs_client) -> None:
    client, _, (_, _, brands) = twcs_client
    checked = 0
    for brand in brands[:10]:  # the most talked-about brands, through the API (every brand: below)
        sides = {}
        for kind in ("advocates", "detractors", "mixed"):
            query = f"/v1/brands/{brand}/{kind}?limit=100&include=owned,staff,placeholder"
            sides[kind] = {row["id"] for row in _all(client, query)}
        assert not sides["advocates"] & sides["detractors"], brand
        assert not sides["advocates"] & sides["mixed"] and not sides["detractors"] & sides["mixed"], brand
        checked += len(sides["advocates"]) + len(sides["detractors"])
    assert checked >= 100  # the sample has plenty of stances to check
    store = client.app.state.store
    (row,) = store.execute_text(
        "MATCH (p:Profile)-[a]->(b:Brand), (p)-[d]->(b) "
        "WHERE type(a) IN ['ADVOCATES', 'DETRACTS', 'MIXED_STANCE'] "
        "AND type(d) IN ['ADVOCATES', 'DETRACTS', 'MIXED_STANCE'] AND type(a) < type(d) "
        "RETURN count(*) AS both",
        write=False,
    )
    assert row["both"] == 0


def _hand_read_staff_are_detected_with_their_evidence(twcs_client) -> None:
    client, _, _ = twcs_client
    rows = _all(client, "/v1/influencers?limit=100&include=staff")
    staff = {row["id"]: row for row in rows if row["role"] == "staff"}
    assert set(staff) >= HAND_READ_STAFF
    assert (
        "^NHP" in staff["twitter:115722"]["role_reason"] or "^JAY" in staff["twitter:115722"]["role_reason"]
    )
    assert "twitter:spotifycares" in staff["twitter:116380"]["role_reason"]
