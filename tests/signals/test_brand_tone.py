"""A post's tone toward each brand it is about: a move *to* a brand is that brand winning a customer.

"Just switched to @acme, best decision ever" is churn for any other brand the post is about and praise
for acme; the support scorer's churn cue alone read it as a complaint against acme. The post keeps its
own sentiment; its ``ABOUT`` edge to acme carries the tone toward acme, and everything that judges a
brand (stance, evidence, spike alerts, the weekly trend, the analysts' detractor query) reads the edge.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from graph.store import CypherGraphStore
from ingest.mapping import graph_writes
from ingest.sentiment import as_read_by_brand
from ingest.sources.canonical import read_event_objects
from ingest.support_sentiment import SupportSentimentScorer
from tests.api.api_testdata import KEYS, make_app
from usecases.analysis import AnalysisParams, run_analysis

READ = {"Authorization": f"Bearer {KEYS['read']}"}
SWITCH = (
    "Just switched to @acme from @globex and honestly it's the best decision ever!!! Everyone should try it"
)


@pytest.mark.parametrize(
    ("text", "handle", "expected"),
    [
        ("Just switched to @acme, best decision ever", "acme", "Just switched to you, best decision ever"),
        ("going BACK to @Delta after this", "delta", "going BACK to you after this"),
        ("@united moving over to @delta", "delta", "@united moving over to you"),
        ("Just switched to @acme, best decision ever", "globex", None),  # another brand: churn stays churn
        ("switched to @acme-outdoors", "acme", None),  # a longer handle is another account
        ("switched to acme", "acme", None),  # only the @handle names the account
        ("@acme love it", "acme", None),  # no move: nothing to read differently
    ],
)
def test_a_move_to_the_brand_reads_as_a_move_to_you(text: str, handle: str, expected: str | None) -> None:
    assert as_read_by_brand(text, handle) == expected


def test_the_support_scorer_reads_the_move_as_churn_for_the_post_and_praise_for_the_brand() -> None:
    scorer = SupportSentimentScorer()
    for_the_post = scorer.score(SWITCH, "en")
    toward_acme = as_read_by_brand(SWITCH, "acme")
    assert toward_acme is not None
    assert for_the_post.label == "negative" and "churn" in for_the_post.reason
    assert scorer.score(toward_acme, "en").label == "positive"


def _events() -> list[dict]:
    events: list[dict] = []
    for brand in ("acme", "globex"):
        events.append({"kind": "profile", "id": f"tw:{brand}", "platform": "twitter", "handle": brand})
        events.append({"kind": "brand", "id": brand, "name": brand.title(), "profile_ids": [f"tw:{brand}"]})
    for n in range(3):
        author = f"tw:mover{n}"
        events.append({"kind": "profile", "id": author, "platform": "twitter", "handle": f"mover{n}"})
        events.append(
            {
                "kind": "post",
                "id": f"switch{n}",
                "author": author,
                "text": SWITCH,
                "created_at": f"2026-03-0{n + 1}T10:00:00Z",
                "mentions": ["tw:acme", "tw:globex"],
                "brands": ["acme", "globex"],
            }
        )
    return events


def test_stance_evidence_and_alerts_judge_each_brand_by_the_tone_toward_it(store: CypherGraphStore) -> None:
    parsed = [item.events[0] for item in read_event_objects(_events())]
    store.apply(graph_writes(parsed, sentiment=SupportSentimentScorer()))
    tones = store.engine.read(
        "MATCH (q:Post)-[ab:ABOUT]->(b:Brand) RETURN q.id AS post, b.id AS brand, q.sentiment AS post_tone, "
        "ab.sentiment AS brand_tone ORDER BY post, brand"
    )
    assert len(tones) == 6
    for row in tones:
        assert row["post_tone"] < 0  # the post as a whole: churn
        assert (row["brand_tone"] > 0) if row["brand"] == "acme" else (row["brand_tone"] == row["post_tone"])

    run_analysis(store, AnalysisParams(seed=0))
    with TestClient(make_app(store)) as client:

        def listed(brand: str, role: str) -> dict[str, dict]:
            page = client.get(f"/v1/brands/{brand}/{role}?limit=50", headers=READ)
            assert page.status_code == 200, page.text
            return {item["id"]: item for item in page.json()["items"]}

        movers = {f"tw:mover{n}" for n in range(3)}
        advocates = listed("acme", "advocates")
        assert set(advocates) == movers and not listed("acme", "detractors")
        assert set(listed("globex", "detractors")) == movers and not listed("globex", "advocates")
        for item in advocates.values():
            assert [e["sentiment"] > 0 and e["tone"] == "positive" for e in item["evidence"]] == [True]
        acme_alerts = client.get("/v1/brands/acme/alerts?granularity=day", headers=READ).json()
        globex_alerts = client.get("/v1/brands/globex/alerts?granularity=day", headers=READ).json()
        assert acme_alerts["negative_posts"] == 0 and globex_alerts["negative_posts"] == 3
        for brand, sign in (("acme", 1), ("globex", -1)):
            trend = client.get(f"/v1/brands/{brand}/sentiment?weeks=520", headers=READ).json()["weeks"]
            assert sum(week["posts"] for week in trend) == 3
            assert all(week["mean_sentiment"] * sign > 0 for week in trend)
    unanswered = {
        brand: store.run(
            "analyst.detractors_unanswered", {"brand": brand, "limit": 50, "roles": ["customer"]}
        )
        for brand in ("acme", "globex")
    }
    assert unanswered["acme"] == [] and {row["profile"] for row in unanswered["globex"]} == movers
