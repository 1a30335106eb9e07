"""Influencers: profiles by influence in the current run, overall, for one brand or in one community.

Pages are keyset-paged on the run's integer rank (``influence_rank``, or the INFLUENCES ``rank``
for a brand): rank 1 is the highest score and ranks break ties by profile id, so the order is
``score DESC, id ASC``. A page's profiles are chosen and ordered by the run's read model
(:mod:`usecases.read_model`), then read from the store by id — no sort over all profiles — and held
while the process's read view stands (:mod:`usecases.read_view`).
"""

from __future__ import annotations

from typing import Any

from graph.errors import NotFound
from graph.store import CypherGraphStore
from usecases.lookups import profiles_by_ids, require_brand
from usecases.paging import Page, read_page
from usecases.read_model import Filters, read_model, rows_in_order
from usecases.read_view import memoized_rows
from usecases.roles import roles_of


def influencer_page(
    store: CypherGraphStore,
    *,
    brand: str | None,
    community: int | None,
    platform: str | None,
    limit: int,
    cursor: str | None,
    scope: str = "influencers",
    include: str | None = None,
    explain: bool = False,
) -> Page[dict[str, Any]]:
    """One page of influencer rows (``GET /v1/influencers`` and a community's members).

    Only customers unless ``include`` names other roles (``owned,staff,placeholder``);
    :class:`NotFound` for an unknown brand, or a community the current run has no profile in (as
    ``GET /v1/communities/{id}`` and outreach planning answer). The rows carry what explains each score (``top_sources``,
    ``top_shares``, ``other_sources``, ``teleport``) only when ``explain``; otherwise those are None.
    """
    roles = roles_of(include)

    def check_brand() -> None:
        if brand is not None:
            require_brand(store, brand)

    def fetch(run: dict[str, Any] | None, after: int, size: int) -> list[dict[str, Any]]:
        assert run is not None
        run_id = str(run["id"])
        model = read_model(store, run_id)
        if community is not None and not model.has_community(community):
            raise NotFound(f"no community {community} in the current analysis run")
        ranked = model.ranked_ids(Filters(roles, community, platform), after, brand=brand)
        if brand is not None:
            params: dict[str, Any] = {"run_id": run_id, "brand": brand, "explain": explain}
            query = "api.brand_influencers_by_ids"
        else:
            params, query = {"run_id": run_id, "explain": explain}, "api.influencers_by_ids"
        by_ids = memoized_rows(
            store, (query, *params.items()), lambda ids: store.run(query, {**params, "ids": ids})
        )
        return rows_in_order(ranked, size, by_ids)

    page = read_page(
        store,
        cursor=cursor,
        scope=scope,
        filters={"brand": brand, "community": community, "platform": platform, "roles": list(roles)},
        limit=limit,
        fetch=fetch,
        rank=lambda row: int(row["rank"]),
        before_run=check_brand,
    )
    return page


def explanation_sources(store: CypherGraphStore, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The profiles the rows' scores mostly came from (``top_sources``), by id, read in one query."""
    source_ids = sorted({source for row in rows for source in (row.get("top_sources") or [])})
    if not source_ids:
        return {}
    return {row["id"]: row for row in profiles_by_ids(store)(source_ids)}
