"""``GET /v1/brands/{id}/advocates``, ``/detractors`` and ``/mixed``: who speaks for or against a brand, and why.

A profile has one stance per brand — advocate, detractor or mixed — from its net, recency-weighted
evidence (``algorithms.stance``; ``docs/signals.md``). Each entry carries the current run's score, the
positive and negative evidence and their balance, and the evidence posts of *both* sides, each with
its signed contribution. Customers only unless ``include`` adds other roles.
Keyset-paged on the run's per-brand rank (1 = strongest), i.e. ``score DESC, id ASC``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from pydantic import TypeAdapter

from api.cache import cached_json
from api.deps import AppSettings, CursorParam, Limit, ReadAccess, Store, check_limit
from api.inline import HeldFirstRoute
from api.schemas import BrandStance, BrandStancePage, page_json, run_ref
from graph.store import CypherGraphStore
from usecases.lookups import require_brand
from usecases.paging import read_page
from usecases.read_model import Filters, read_model, rows_in_order
from usecases.read_view import held_json_of_rows, memoized_rows
from usecases.roles import Include, roles_of

router = APIRouter(prefix="/v1/brands", tags=["brands"], route_class=HeldFirstRoute)

_KINDS = {"advocate": "advocates", "detractor": "detractors", "mixed": "mixed"}
BrandId = Annotated[str, Path(min_length=1, max_length=256, examples=["acme"])]


def _stances(
    store: CypherGraphStore,
    brand: str,
    role: Literal["advocate", "detractor", "mixed"],
    limit: int,
    cursor: str | None,
    include: str | None = None,
) -> bytes:
    """The JSON of a :class:`BrandStancePage` (keys in its field order) around the held stances."""
    roles = roles_of(include)
    name = {"advocate": "api.advocates", "detractor": "api.detractors", "mixed": "api.mixed"}[role]

    def check_brand() -> None:
        require_brand(store, brand)

    def fetch(run: dict[str, Any] | None, after: int, size: int) -> list[dict[str, Any]]:
        assert run is not None
        run_id = str(run["id"])
        ranked = read_model(store, run_id).ranked_ids(Filters(roles), after, brand=brand, kind=_KINDS[role])
        params = {"run_id": run_id, "brand": brand}
        by_ids = memoized_rows(
            store, (name, run_id, brand), lambda ids: store.run(f"{name}_by_ids", {**params, "ids": ids})
        )
        return rows_in_order(ranked, size, by_ids)

    page = read_page(
        store,
        cursor=cursor,
        scope=role,
        filters={"brand": brand, "roles": list(roles)},
        limit=limit,
        fetch=fetch,
        rank=lambda row: int(row["rank"]),
        before_run=check_brand,
    )
    assert page.run is not None
    items = _held_stances(store, brand, role, str(page.run["id"]), page.items)
    return page_json(
        items, {"next_cursor": page.next_cursor, "brand": brand, "role": role, "run": run_ref(page.run)}
    )


_STANCE_LIST = TypeAdapter(list[BrandStance])


def _held_stances(
    store: CypherGraphStore, brand: str, role: str, run_id: str, rows: list[dict[str, Any]]
) -> list[bytes]:
    """The :class:`BrandStance` JSON of each stance row, with its evidence posts, held while the read
    view stands (:func:`usecases.read_view.held_json_of_rows`): a page asked again, or another page
    holding the same profiles, validates and encodes only the stances not asked for before. A
    stance's JSON is the same on every page of one run while the data stands (its rank is the run's)."""

    def encode(wanted: list[dict[str, Any]]) -> list[bytes]:
        posts = _evidence_posts(store, brand, wanted)
        # one validation of the stances from plain dicts: pydantic's core does it several times faster
        # than a model per stance and per evidence post, with the same coercions
        stances = _STANCE_LIST.validate_python([_stance(row, posts) for row in wanted])
        return [stance.model_dump_json().encode() for stance in stances]

    return held_json_of_rows(store, ("brand stance json", run_id, brand, role), rows, encode)


def _evidence_posts(
    store: CypherGraphStore, brand: str, rows: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """The evidence posts of ``rows`` by id, each with its sentiment toward ``brand`` (what the stance used)."""
    ids = sorted({post_id for row in rows for post_id in (row.get("evidence_post_ids") or [])})
    if not ids:
        return {}
    by_ids = memoized_rows(
        store,
        ("api.brand_posts_by_ids", brand),
        lambda wanted: store.run("api.brand_posts_by_ids", {"brand": brand, "ids": wanted}),
    )
    return {row["id"]: row for row in by_ids(ids)}


def _stance(row: dict[str, Any], posts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The fields of a :class:`BrandStance` (with its :class:`EvidencePost` list) from a stance row and
    its evidence posts, for the page to validate."""
    ids = row.get("evidence_post_ids") or []
    contributions = row.get("evidence_contributions") or []
    tones = row.get("evidence_tones") or []
    evidence = []
    for index, post_id in enumerate(ids):
        post = posts.get(post_id, {})
        evidence.append(
            {
                "id": post_id,
                "text": post.get("text"),
                "sentiment": post.get("sentiment"),
                "created_at": post.get("created_at"),
                "contribution": float(contributions[index]) if index < len(contributions) else None,
                "tone": tones[index] if index < len(tones) else None,
            }
        )
    stance = {name: row.get(name) for name in _STANCE_COLUMNS}
    stance["id"] = row["id"]
    stance["evidence"] = evidence
    return stance


_STANCE_COLUMNS = tuple(name for name in BrandStance.model_fields if name not in ("id", "evidence"))
"""The :class:`BrandStance` fields read from the stance row as they are."""


@router.get(
    "/{brand_id}/advocates",
    response_model=BrandStancePage,
    summary="A brand's advocates: score, evidence posts, mean sentiment, influence",
)
async def advocates(
    request: Request,
    store: Store,
    settings: AppSettings,
    caller: ReadAccess,
    brand_id: BrandId,
    limit: Limit = 50,
    cursor: CursorParam = None,
    include: Include = None,
) -> Response:
    check_limit(limit, settings)
    return await cached_json(request, lambda: _stances(store, brand_id, "advocate", limit, cursor, include))


@router.get(
    "/{brand_id}/detractors",
    response_model=BrandStancePage,
    summary="A brand's detractors: score, evidence posts, mean sentiment, influence",
)
async def detractors(
    request: Request,
    store: Store,
    settings: AppSettings,
    caller: ReadAccess,
    brand_id: BrandId,
    limit: Limit = 50,
    cursor: CursorParam = None,
    include: Include = None,
) -> Response:
    check_limit(limit, settings)
    return await cached_json(request, lambda: _stances(store, brand_id, "detractor", limit, cursor, include))


@router.get(
    "/{brand_id}/mixed",
    response_model=BrandStancePage,
    summary="Profiles whose evidence about a brand is mixed (neither side twice the other)",
)
async def mixed(
    request: Request,
    store: Store,
    settings: AppSettings,
    caller: ReadAccess,
    brand_id: BrandId,
    limit: Limit = 50,
    cursor: CursorParam = None,
    include: Include = None,
) -> Response:
    check_limit(limit, settings)
    return await cached_json(request, lambda: _stances(store, brand_id, "mixed", limit, cursor, include))
