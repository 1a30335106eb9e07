"""Every analyst query (cypher/analyst/) on a small graph whose answers are known."""

from __future__ import annotations

import pytest

from graph.model import (
    ABOUT,
    CUSTOMER_HAS_PROFILE,
    FOLLOWS,
    IN_CONVERSATION,
    PURCHASED,
    RATED,
    REPLY_TO,
    Label,
)
from graph.writes import GraphWrites
from tests.analysis.helpers import T0, add_post
from tests.analysis.test_write_back import _brand_graph
from usecases.analysis import AnalysisParams, run_analysis


@pytest.fixture
def analysed(store):
    _brand_graph(store)
    writes = GraphWrites()
    writes.add_node_properties(Label.BRAND, {"id": "zeta", "name": "Zeta"})
    add_post(writes, "k:3", "zeta1", T0 + 1, text="zeta ok", sentiment=0.0)
    writes.add_relationship(ABOUT, "zeta1", "zeta")
    add_post(writes, "k:0", "reply-good", T0 + 2)
    writes.add_relationship(REPLY_TO, "reply-good", "good")
    writes.add_node_properties(Label.CONVERSATION, {"id": "good"})
    writes.add_relationship(IN_CONVERSATION, "good", "good")
    writes.add_relationship(IN_CONVERSATION, "reply-good", "good")
    for s, t, r in (
        ("k:1", "k:2", 10),
        ("k:2", "k:3", 5),
        ("k:1", "k:3", -10),
        ("k:1", "k:4", 8),
        ("k:4", "k:3", 8),
    ):
        writes.add_relationship(RATED, s, t, rating=r, at=T0)
    writes.add_relationship(FOLLOWS, "k:5", "k:6")
    writes.add_node_properties(Label.CUSTOMER, {"id": "c1", "name": "Ada"})
    writes.add_relationship(CUSTOMER_HAS_PROFILE, "c1", "k:1")
    writes.add_relationship(PURCHASED, "c1", "zeta", at=T0, amount=12.5)  # binds a Brand before advocates_for
    writes.add_node_properties(Label.CUSTOMER, {"id": "c2", "name": "Bob"})
    writes.add_relationship(CUSTOMER_HAS_PROFILE, "c2", "k:2")
    store.apply(writes)
    run_analysis(store, AnalysisParams())
    return store


def test_top_influencers_by_community(analysed) -> None:
    """Customers by default, as ``GET /v1/influencers?community=`` lists: k:0, acme's own account and
    the community's most influential profile, only when its role is asked for."""
    k0 = analysed.get_node(Label.PROFILE, "k:0")
    assert k0["role"] == "brand_owned"
    customers = {"community": k0["community"], "limit": 3, "roles": ["customer"]}
    rows = analysed.run("analyst.top_influencers_by_community", customers)
    assert rows and {r["role"] for r in rows} == {"customer"} and "k:0" not in [r["profile"] for r in rows]
    assert [r["influence"] for r in rows] == sorted((r["influence"] for r in rows), reverse=True)
    every = ["customer", "brand_owned", "staff", "placeholder"]
    rows = analysed.run("analyst.top_influencers_by_community", {**customers, "roles": every})
    assert (rows[0]["profile"], rows[0]["role"], rows[0]["influence_rank"]) == ("k:0", "brand_owned", 1)


def test_brand_advocates_and_unanswered_detractors(analysed) -> None:
    customers = {"brand": "acme", "limit": 5, "roles": ["customer"]}
    rows = analysed.run("analyst.brand_advocates", customers)
    assert [(r["profile"], r["role"], r["best_post_ids"], r["best_post_texts"]) for r in rows] == [
        ("k:1", "customer", ["good"], [""])
    ]
    rows = analysed.run("analyst.detractors_unanswered", customers)
    assert [(r["profile"], r["post"]) for r in rows] == [("k:2", "bad")]  # "good" was answered, "bad" not
    analysed.engine.write("MATCH (p:Profile {id: 'k:1'}) SET p.role = 'staff'")  # as the API, customers only
    assert analysed.run("analyst.brand_advocates", customers) == []
    assert [
        r["profile"] for r in analysed.run("analyst.brand_advocates", {**customers, "roles": ["staff"]})
    ] == ["k:1"]


def test_conversation_thread(analysed) -> None:
    rows = analysed.run("analyst.conversation_thread", {"conversation": "good"})
    assert [(r["post"], r["author"], r["reply_to"]) for r in rows] == [
        ("good", "k:1", None),
        ("reply-good", "k:0", "good"),
    ]


def test_trust_paths_never_cross_distrust(analysed) -> None:
    rows = analysed.run("analyst.trust_paths", {"source": "k:1", "target": "k:3", "limit": 5})
    assert [(r["nodes"], pytest.approx(r["trust"])) for r in rows] == [
        (["k:1", "k:4", "k:3"], pytest.approx(0.64)),
        (["k:1", "k:2", "k:3"], pytest.approx(0.5)),
    ]
    writes = GraphWrites()  # k:2 distrusts k:4, through which its best path to k:3 went
    writes.add_relationship(RATED, "k:2", "k:4", rating=-6, at=T0)
    writes.add_relationship(RATED, "k:2", "k:1", rating=9, at=T0)
    store = analysed
    store.apply(writes)
    rows = store.run("analyst.trust_paths", {"source": "k:2", "target": "k:3", "limit": 5})
    assert [r["nodes"] for r in rows] == [["k:2", "k:3"]]  # not k:2 -> k:1 -> k:4 -> k:3


def test_community_bridges_and_share_of_voice(analysed) -> None:
    bridges = analysed.run(
        "analyst.community_bridges", {"roles": ["customer"], "min_communities": 1, "limit": 50}
    )
    assert bridges and all(r["brokerage"] > 0 for r in bridges)
    rows = analysed.run("analyst.share_of_voice", {"from_ms": T0, "to_ms": T0 + 10})
    assert [(r["brand"], r["posts"], pytest.approx(r["share"])) for r in rows] == [
        ("acme", 2, pytest.approx(2 / 3)),
        ("zeta", 1, pytest.approx(1 / 3)),
    ]


def test_customer_360(analysed) -> None:
    (row,) = analysed.run("analyst.customer_360", {"customer": "c1"})
    assert row["name"] == "Ada" and [p["id"] for p in row["profiles"]] == ["k:1"]
    assert row["profiles"][0]["posts"] >= 1 and row["profiles"][0]["influence_rank"] >= 1
    assert row["purchases"] == [{"brand": "zeta", "at": T0, "amount": 12.5}]
    assert row["advocates_for"] == ["acme"]  # k:1 advocates acme in the current run
    assert row["detracts_from"] == []
    analysed.engine.write(  # a second profile of Ada's advocating the same brand: still one "acme"
        "MATCH (c:Customer {id: 'c1'}), (p:Profile {id: 'k:4'}), (b:Brand {id: 'acme'}), "
        "(run:AnalysisRun {current: true}) CREATE (c)-[:HAS_PROFILE]->(p), (p)-[:ADVOCATES {run_id: run.id}]->(b)"
    )
    (row,) = analysed.run("analyst.customer_360", {"customer": "c1"})
    assert len(row["profiles"]) == 2 and row["advocates_for"] == ["acme"]
    (row,) = analysed.run("analyst.customer_360", {"customer": "c2"})
    assert (row["purchases"], row["advocates_for"], row["detracts_from"]) == ([], [], ["acme"])
