"""The spike-alert use case: a brand's negative-sentiment spikes with the posts behind them.

Shared by ``GET /v1/brands/{id}/alerts`` and ``rapport alerts``. Reads the brand's negative posts
(``cypher/api/brand_negative_posts.cypher``; customers only unless ``include`` adds other roles) and
runs :func:`algorithms.alerts.negative_spikes` (exact Poisson upper control limit on a trailing
baseline; the method and its sources are in that module and in ``docs/signals.md``). Needs no
analysis run: it works on the posts as ingested.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from algorithms.alerts import GRANULARITIES, SpikeAlert, negative_spikes
from algorithms.roles import parse_include
from graph.errors import InvalidInput
from graph.store import CypherGraphStore
from usecases.lookups import require_brand
from usecases.read_view import memoized

NEGATIVE_THRESHOLD = -0.05
MAX_POSTS_PER_ALERT = 50
_FAR_FUTURE_MS = 32_503_680_000_000


@dataclass(frozen=True)
class AlertPost:
    id: str
    created_at: int
    text: str | None
    sentiment: float | None
    author: str | None
    author_handle: str | None = None  # to name the author as a marketer knows it (@handle)


@dataclass(frozen=True)
class BrandAlert:
    """One spike and (up to :data:`MAX_POSTS_PER_ALERT` of) its posts, oldest first."""

    spike: SpikeAlert
    posts: tuple[AlertPost, ...]


@dataclass(frozen=True)
class BrandAlerts:
    brand: str
    granularity: str
    alpha: float
    min_count: int
    negative_posts: int
    alerts: tuple[BrandAlert, ...]


def negative_posts(store: CypherGraphStore, brand: str, roles: Collection[str]) -> list[dict[str, Any]]:
    """Every negative post about ``brand`` by authors with a role in ``roles``, oldest first, held while
    the read view stands (a console polling a brand's alerts reads the store once per data version)."""
    return memoized(
        store,
        ("api.brand_negative_posts", brand, tuple(sorted(roles))),
        lambda: store.run(
            "api.brand_negative_posts",
            {
                "brand": brand,
                "threshold": NEGATIVE_THRESHOLD,
                "since": 0,
                "until": _FAR_FUTURE_MS,
                "roles": sorted(roles),
                "brand_accounts": "brand_owned" in roles,
            },
        ),
    )


def brand_alerts(
    store: CypherGraphStore,
    brand: str,
    *,
    granularity: str = "hour",
    alpha: float = 1e-4,
    min_count: int = 5,
    since_ms: int | None = None,
    until_ms: int | None = None,
    include: str | None = None,
) -> BrandAlerts:
    """Spikes of ``brand``'s negative posts; raises NotFound for an unknown brand, InvalidInput for bad options."""
    if granularity not in GRANULARITIES:
        raise InvalidInput(f"granularity: expected one of {', '.join(GRANULARITIES)}, got {granularity!r}")
    if not 1e-12 <= alpha <= 0.5:
        raise InvalidInput("alpha: must be in [1e-12, 0.5]")
    if min_count < 1:
        raise InvalidInput("min_count: must be >= 1")
    try:
        roles = parse_include(include)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    require_brand(store, brand)
    since, until = (
        0 if since_ms is None else int(since_ms),
        _FAR_FUTURE_MS if until_ms is None else int(until_ms),
    )
    rows = [row for row in negative_posts(store, brand, roles) if since <= row["created_at"] < until]
    by_id = {row["id"]: row for row in rows}
    spikes = negative_spikes(
        [int(row["created_at"]) for row in rows],
        [row["id"] for row in rows],
        granularity=granularity,
        alpha=alpha,
        min_count=min_count,
        start_ms=since_ms,
        end_ms=until_ms,
    )
    alerts = tuple(
        BrandAlert(
            spike,
            tuple(
                AlertPost(
                    post_id,
                    int(by_id[post_id]["created_at"]),
                    by_id[post_id].get("text"),
                    by_id[post_id].get("sentiment"),
                    by_id[post_id].get("author"),
                    by_id[post_id].get("author_handle"),
                )
                for post_id in spike.post_ids[:MAX_POSTS_PER_ALERT]
            ),
        )
        for spike in spikes
    )
    return BrandAlerts(brand, granularity, alpha, min_count, len(rows), alerts)
