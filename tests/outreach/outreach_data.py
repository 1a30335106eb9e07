"""A hand-made engagement graph whose best outreach seeds are known, and an app over it.

Three stars: ``tw:ada`` with 12 leaves, ``tw:hub`` with 8 and ``tw:hub2`` with 4, plus brand acme's
own account ``tw:acme`` at the centre of the biggest star of all (14 leaves), which no plan may choose,
neither acme's (its own account) nor globex's (a competitor's). Every leaf replied to, shared and liked its centre's post (engagement weight 3 + 2 + 1 = 6 at
``AS_OF``, so the message passes centre -> leaf with ``p = 1 - 0.9 ** 6``) and nothing else: the spread
of a centre with ``L`` leaves is exactly ``1 + L * p``. Brand ``globex`` owns no profile.
"""

from __future__ import annotations

from api.main import create_app
from api.routes import outreach as outreach_routes
from graph.config import ApiKey, load_settings
from graph.model import (
    BRAND_HAS_PROFILE,
    DETRACTS,
    LIKED,
    POSTED,
    REPLY_TO,
    SHARED,
    Brand,
    Label,
    Post,
    Profile,
    RelRow,
)
from graph.store import CypherGraphStore
from graph.writes import GraphWrites

AS_OF = 1_767_225_600_000
P_EDGE = 1 - 0.9**6
STARS = {"tw:ada": 12, "tw:hub": 8, "tw:hub2": 4}
COMMUNITY = {"tw:ada": 2, "tw:hub": 0, "tw:hub2": 1}
BRAND_ACCOUNT, BRAND_ACCOUNT_LEAVES = "tw:acme", 14
KEYS = {"read": "read-key-0123", "admin": "admin-key-89ab"}


def leaves(centre: str) -> list[str]:
    size = BRAND_ACCOUNT_LEAVES if centre == BRAND_ACCOUNT else STARS[centre]
    return [f"{centre}-leaf{i:02d}" for i in range(size)]


def star_spread(centre: str) -> float:
    return 1 + STARS[centre] * P_EDGE


def build_stars(store: CypherGraphStore) -> None:
    writes = GraphWrites()
    writes.add_node(Brand(id="acme", name="Acme"))
    writes.add_node(Brand(id="globex", name="Globex"))
    writes.add_relationship(BRAND_HAS_PROFILE, "acme", BRAND_ACCOUNT)
    for centre in (*STARS, BRAND_ACCOUNT):
        writes.add_node(Profile(id=centre, platform="twitter", handle=centre.split(":")[1]))
        writes.add_node(Post(id=f"{centre}/post", text="launch!", created_at=AS_OF))
        writes.add_relationship(POSTED, centre, f"{centre}/post")
        for leaf in leaves(centre):
            writes.add_node(Profile(id=leaf, platform="twitter", handle=leaf.split(":")[1]))
            writes.add_node(Post(id=f"{leaf}/reply", text="nice", created_at=AS_OF))
            writes.add_relationship(POSTED, leaf, f"{leaf}/reply")
            writes.add_relationship(REPLY_TO, f"{leaf}/reply", f"{centre}/post")
            writes.add_relationship(SHARED, leaf, f"{centre}/post", at=AS_OF)
            writes.add_relationship(LIKED, leaf, f"{centre}/post", at=AS_OF)
    store.apply(writes)


def write_run(store: CypherGraphStore, run_id: str = "run-1", detractors: tuple[str, ...] = ()) -> None:
    """A current analysis run (the write-back contract): communities per star, acme's detractors."""
    store.execute_text("MATCH (r:AnalysisRun) SET r.current = false", write=True)
    store.execute_text(
        "CREATE (:AnalysisRun {id: $id, state: 'succeeded', current: true, finished_at: $as_of, "
        "param_as_of: $as_of, param_half_life_days: 30.0})",
        {"id": run_id, "as_of": AS_OF},
        write=True,
    )
    rows = []
    for centre in STARS:
        for profile in (centre, *leaves(centre)):
            rows.append(
                {
                    "id": profile,
                    "community": COMMUNITY[centre],
                    "run_id": run_id,
                    "influence": 0.5 if profile == centre else 0.01,
                    "influence_rank": 1,
                }
            )
    store.upsert_nodes(Label.PROFILE, rows)
    store.upsert_relationships(
        DETRACTS,
        [RelRow(p, "acme", {"run_id": run_id, "score": 0.5, "rank": r}) for r, p in enumerate(detractors, 1)],
    )


def auth(role: str = "read") -> dict[str, str]:
    return {"Authorization": f"Bearer {KEYS[role]}"}


def make_app(store: CypherGraphStore):
    settings = load_settings(api_keys=[ApiKey(key=key, role=role, name=role) for role, key in KEYS.items()])
    app = create_app(settings, store=store)
    if not any(getattr(route, "path", "") == "/v1/outreach/plan" for route in app.routes):
        app.include_router(outreach_routes.router)  # until api.main lists the router
    return app
