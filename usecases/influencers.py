"""Influencers: profiles by influence in the current run, overall, for one brand or in one community.

Pages are keyset-paged on the run's integer rank (``influence_rank``, or the INFLUENCES ``rank``
for a brand): rank 1 is the highest score and ranks break ties by profile id, so the order is
``score DESC, id ASC``. Without filters a page reads only the index range
``(after, after + limit]`` of ``influence_rank`` — no sort over all profiles.
"""

from __future__ import annotations

from typing import Any

from graph.errors import NotFound
from graph.model import Label
from graph.store import CypherGraphStore
from usecases.paging import Page, read_page
from usecases.roles import roles_of

_OPEN_END = 2**62


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
) -> Page[dict[str, Any]]:
    """One page of influencer rows (``GET /v1/influencers`` and a community's members).

    Only customers unless ``include`` names other roles (``owned,staff,placeholder``);
    :class:`NotFound` for an unknown brand.
    """
    roles = roles_of(include)

    def brand_exists() -> None:
        if brand is not None and store.get_node(Label.BRAND, brand) is None:
            raise NotFound(f"no brand with id {brand!r}")

    def fetch(run: dict[str, Any] | None, after: int, size: int) -> list[dict[str, Any]]:
        assert run is not None
        common = {"run_id": str(run["id"]), "after": after, "platform": platform, "roles": list(roles)}
        if brand is not None:
            return store.run(
                "api.brand_influencers", {**common, "brand": brand, "community": community, "limit": size}
            )
        if community is not None:
            return store.run(
                "api.influencers_in_community", {**common, "community": community, "limit": size}
            )
        params = {**common, "upto": after + size, "limit": size}
        rows = store.run("api.influencers", params)
        if len(rows) < size:  # ranks not dense here (filters, last page): read on to the end
            rows = store.run("api.influencers", {**params, "upto": _OPEN_END})
        return rows

    page = read_page(
        store,
        cursor=cursor,
        scope=scope,
        filters={"brand": brand, "community": community, "platform": platform, "roles": list(roles)},
        limit=limit,
        fetch=fetch,
        rank=lambda row: int(row["rank"]),
        before_run=brand_exists,
    )
    return page


def explanation_sources(store: CypherGraphStore, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The profiles the rows' scores mostly came from (``top_sources``), by id, read in one query."""
    source_ids = sorted({source for row in rows for source in (row.get("top_sources") or [])})
    if not source_ids:
        return {}
    return {row["id"]: row for row in store.run("api.profiles_by_ids", {"ids": source_ids})}
