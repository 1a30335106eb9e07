"""A small scored graph, as ingest plus the analysis write-back contract leave it, and an app over it."""

from __future__ import annotations

from api.main import create_app
from graph.config import ApiKey, load_settings
from graph.model import (
    ABOUT,
    ADVOCATES,
    BRAND_HAS_PROFILE,
    CUSTOMER_HAS_PROFILE,
    DETRACTS,
    IN_CONVERSATION,
    INFLUENCES,
    POSTED,
    PURCHASED,
    Brand,
    Conversation,
    Customer,
    Label,
    Post,
    Profile,
    RelRow,
)
from graph.store import CypherGraphStore
from graph.writes import GraphWrites

KEYS = {"read": "read-key-0123", "write": "write-key-4567", "admin": "admin-key-89ab"}
AS_OF = 1_767_225_600_000  # 2026-01-01T00:00:00Z
DAY = 86_400_000
N_PROFILES = 30
RUN_ID = "run-1"


def auth(role: str = "read") -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[role]}"}


def profile_id(i: int) -> str:
    return f"tw:user{i:02d}" if i % 4 else f"md:user{i:02d}"


def influence_of(i: int) -> float:
    # users 10 and 11 tie, which checks the id tiebreak of the ranks
    return round(1.0 / ((10 if i == 11 else i) + 1), 6)


def build_base_graph(store: CypherGraphStore) -> None:
    writes = GraphWrites()
    writes.add_node(Brand(id="acme", name="Acme"))
    writes.add_node(Brand(id="globex", name="Globex"))
    for i in range(N_PROFILES):
        pid = profile_id(i)
        writes.add_node(Profile(id=pid, platform="twitter" if i % 4 else "mastodon", handle=f"user{i:02d}"))
        for k in range(3):
            post_id = f"post-{i:02d}-{k}"
            created = AS_OF - (i * 3 + k) * DAY
            sentiment = round(((i + k) % 7 - 3) / 3.5, 3)
            writes.add_node(
                Post(
                    id=post_id,
                    text=f"post {k} by user{i:02d} about acme",
                    created_at=created,
                    sentiment=sentiment,
                )
            )
            writes.add_relationship(POSTED, pid, post_id)
            writes.add_relationship(
                ABOUT, post_id, "acme" if k < 2 else "globex", sentiment=sentiment, at=created
            )
            writes.add_node(Conversation(id=f"conv-{(i + k) % 5}", root_post_id=f"post-00-{(i + k) % 3}"))
            writes.add_relationship(IN_CONVERSATION, post_id, f"conv-{(i + k) % 5}")
    writes.add_relationship(BRAND_HAS_PROFILE, "acme", profile_id(0))
    customers = [
        Customer(id="c1", name="Ada", email="ada@example.com", email_verified=True),
        Customer(id="c2", name="Bob", email="bob@example.com", email_verified=False),
        Customer(
            id="c3",
            name="Cy",
            email="cy@example.com",
            email_verified=True,
            attributes={"contact_allowed": False, "tier": "gold"},
        ),
        Customer(
            id="c4",
            name="Di",
            email="di@example.com",
            email_verified=True,
            attributes={"contact_allowed": True},
        ),
    ]
    for n, customer in enumerate(customers):
        writes.add_node(customer)
        writes.add_relationship(CUSTOMER_HAS_PROFILE, customer.id, profile_id(n + 1))
    writes.add_relationship(CUSTOMER_HAS_PROFILE, "c1", profile_id(5))
    writes.add_relationship(PURCHASED, "c1", "acme", at=AS_OF - 10 * DAY, amount=25.5)
    writes.add_relationship(PURCHASED, "c1", "acme", at=AS_OF - 2 * DAY, amount=10.0)
    store.apply(writes)


def write_analysis(store: CypherGraphStore, run_id: str = RUN_ID) -> None:
    """The write-back contract: a current AnalysisRun, profile scores, brand relationships."""
    store.execute_text("MATCH (r:AnalysisRun) SET r.current = false", write=True)
    store.execute_text(
        "CREATE (:AnalysisRun {id: $id, state: 'succeeded', current: true, started_at: $as_of, "
        "finished_at: $as_of + 1000, param_as_of: $as_of, param_half_life_days: 30.0, param_seed: 7, "
        "param_resolution: 1.0, profiles: $n, engagement_edges: 100, trust_edges: 50, communities: 3, "
        "modularity: 0.42})",
        {"id": run_id, "as_of": AS_OF, "n": N_PROFILES},
        write=True,
    )
    order = sorted(range(N_PROFILES), key=lambda i: (-influence_of(i), profile_id(i)))
    rows = []
    for rank, i in enumerate(order, start=1):
        rows.append(
            {
                "id": profile_id(i),
                "influence": influence_of(i),
                "influence_rank": rank,
                "community": i % 3,
                "reach": 100 - i,
                "brokerage": i / 100,
                "run_id": run_id,
                "influence_top_sources": [profile_id((i + 1) % N_PROFILES), profile_id((i + 2) % N_PROFILES)],
                "influence_top_shares": [0.6, 0.3],
            }
        )
    store.upsert_nodes(Label.PROFILE, rows)
    infl = sorted(range(20), key=lambda i: (-(1.0 / (i + 2)), profile_id(i)))
    store.upsert_relationships(
        INFLUENCES,
        [
            RelRow(profile_id(i), "acme", {"run_id": run_id, "score": 1.0 / (i + 2), "rank": r})
            for r, i in enumerate(infl, start=1)
        ],
    )
    advocates = list(range(1, 13))
    store.upsert_relationships(
        ADVOCATES,
        [
            RelRow(
                profile_id(i),
                "acme",
                {
                    "run_id": run_id,
                    "score": round(1.0 - i / 20, 4),
                    "rank": r,
                    "posts": 2,
                    "mean_sentiment": 0.5,
                    "influence_factor": 1.5,
                    "evidence_post_ids": [f"post-{i:02d}-0", f"post-{i:02d}-1"],
                    "evidence_contributions": [0.7, 0.3],
                },
            )
            for r, i in enumerate(advocates, start=1)
        ],
    )
    store.upsert_relationships(
        DETRACTS,
        [
            RelRow(
                profile_id(i),
                "acme",
                {
                    "run_id": run_id,
                    "score": round(0.5 - i / 100, 4),
                    "rank": r,
                    "posts": 1,
                    "mean_sentiment": -0.6,
                    "influence_factor": 1.1,
                    "evidence_post_ids": [f"post-{i:02d}-0"],
                    "evidence_contributions": [1.0],
                },
            )
            for r, i in enumerate(range(20, 25), start=1)
        ],
    )


def make_app(store: CypherGraphStore, **overrides: object):
    """The app over ``store``. The response cache is off unless asked for: these tests write new runs
    behind the app's back (as the CLI would) and expect the next request to see them at once;
    ``tests/api/test_response_cache.py`` tests the cache itself."""
    settings = load_settings(
        api_keys=[ApiKey(key=key, role=role, name=f"{role}-key") for role, key in KEYS.items()],
        max_page_size=100,
        max_body_bytes=4096,
        **{"response_cache_seconds": 0, **overrides},
    )
    return create_app(settings, store=store)
