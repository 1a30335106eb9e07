"""The 360 views: ``GET /v1/profiles/{id}`` and ``GET /v1/customers/{id}``.

A profile's view: its scores in the current run (null when the run did not score it), the
customers and brands that own it, its brands (posts about each, advocacy/detraction/influence
results), its most recent conversations and its weekly mean sentiment. A customer's view joins the
same over all of the customer's profiles, with purchases per brand.

Contact data: ``email`` is shown only when the customer's email is verified and the CRM attribute
``contact_allowed`` (stored as ``attr_contact_allowed``) is not false (false, "false", "no", "0", "n"
count as false); ``contact_allowed`` says which.

A view is built from two store reads (three for a customer: its purchases) and then held while the
read view stands (:func:`usecases.read_view.memoized_json`: until the next write or run, within the
process's row budget), so the second look at a profile reads nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel

from api.deps import ReadAccess, Store
from api.inline import HeldFirstRoute
from api.schemas import (
    BrandRelation,
    ConversationRef,
    Customer360,
    Profile360,
    ProfileSummary,
    Scores,
    SentimentWeek,
    run_ref,
)
from graph.errors import NotFound
from graph.store import CypherGraphStore
from usecases.consent import allowed_email, contact_allowed
from usecases.current_run import find_current_run, scores_not_computed
from usecases.read_view import memoized_json

router = APIRouter(prefix="/v1", tags=["360"], route_class=HeldFirstRoute)

_WEEK_MS = 7 * 24 * 3600 * 1000
_MONDAY_SHIFT_MS = 3 * 24 * 3600 * 1000  # the epoch began on a Thursday

Weeks = Annotated[int, Query(ge=1, le=520, description="weeks of sentiment trend, up to the run's as_of")]
Conversations = Annotated[int, Query(ge=0, le=100, description="recent conversations to include")]


def scores_of(profile: dict[str, Any], run: dict[str, Any] | None) -> Scores:
    if run is None or profile.get("run_id") != run["id"]:
        return Scores()
    return Scores(
        influence=profile.get("influence"),
        influence_rank=profile.get("influence_rank"),
        reach=profile.get("reach"),
        brokerage=None if "brokerage" in scores_not_computed(run) else profile.get("brokerage"),
        community=profile.get("community"),
    )


_NO_ACTIVITY: dict[str, list[Any]] = {"brand_posts": [], "brand_roles": [], "conversations": [], "weekly": []}


def _activity(
    store: CypherGraphStore,
    profile_ids: list[str],
    run: dict[str, Any] | None,
    weeks: int,
    conversations: int,
) -> dict[str, list[Any]]:
    """The profiles' brand posts, the run's brand results, recent conversations and weekly sentiment:
    one store read (``api.profiles_activity``)."""
    if not profile_ids:
        return _NO_ACTIVITY
    as_of = (run or {}).get("param_as_of")
    anchor = int(as_of) if isinstance(as_of, int | float) else int(time.time() * 1000)
    params = {
        "ids": profile_ids,
        "run_id": str(run["id"]) if run else None,
        "limit": conversations,
        "since": max(0, anchor - weeks * _WEEK_MS),
    }
    rows = store.run("api.profiles_activity", params)
    return rows[0] if rows else _NO_ACTIVITY


def _brands(activity: dict[str, list[Any]], purchases: list[dict[str, Any]]) -> list[BrandRelation]:
    relations: dict[str, BrandRelation] = {}

    def relation(brand: str, name: str | None) -> BrandRelation:
        if brand not in relations:
            relations[brand] = BrandRelation(brand=brand, name=name)
        return relations[brand]

    for row in purchases:
        item = relation(row["brand"], row.get("name"))
        item.purchases = int(row["purchases"])
        item.purchase_amount = float(row["amount"]) if row.get("amount") is not None else None
        item.last_purchase_at = row.get("last_at")
    for row in activity["brand_posts"]:
        item = relation(row["brand"], row.get("name"))
        item.posts_about = int(row["posts"])
        item.posts_mean_sentiment = row.get("mean_sentiment")
        item.last_post_at = row.get("last_at")
    for row in activity["brand_roles"]:
        item = relation(row["brand"], row.get("name"))
        score, rank = row.get("score"), row.get("rank")
        # several profiles of one customer: keep the strongest result per brand and role
        if row["role"] == "ADVOCATES" and (item.advocate_score is None or (score or 0) > item.advocate_score):
            item.advocate_score, item.advocate_rank = score, rank
        elif row["role"] == "DETRACTS" and (
            item.detractor_score is None or (score or 0) > item.detractor_score
        ):
            item.detractor_score, item.detractor_rank = score, rank
        elif row["role"] == "INFLUENCES" and (
            item.influence_score is None or (score or 0) > item.influence_score
        ):
            item.influence_score, item.influence_rank = score, rank
    return sorted(relations.values(), key=lambda r: r.brand)


def _conversations(activity: dict[str, list[Any]]) -> list[ConversationRef]:
    return [
        ConversationRef(
            id=row["id"],
            root_post_id=row.get("root_post_id"),
            root_text=row.get("root_text"),
            started_at=row.get("started_at"),
            last_post_at=row.get("last_at"),
            posts_by_subject=int(row["posts"]),
            size=int(row["size"]),
        )
        for row in activity["conversations"]
    ]


def _trend(activity: dict[str, list[Any]]) -> list[SentimentWeek]:
    return [
        SentimentWeek(
            week_start=int(row["week"]) * _WEEK_MS - _MONDAY_SHIFT_MS,
            mean_sentiment=float(row["mean_sentiment"]),
            posts=int(row["posts"]),
        )
        for row in activity["weekly"]
    ]


@router.get("/profiles/{profile_id}", response_model=Profile360, summary="A profile's 360 view")
def get_profile(
    store: Store,
    caller: ReadAccess,
    profile_id: Annotated[str, Path(min_length=1, max_length=256, examples=["tw:ada"])],
    weeks: Weeks = 12,
    conversations: Conversations = 10,
) -> Response:
    return _held_view(store, "profile", profile_id, weeks, conversations, _profile_view)


def _held_view(
    store: CypherGraphStore,
    kind: str,
    subject_id: str,
    weeks: int,
    conversations: int,
    build: Callable[[CypherGraphStore, str, int, int], BaseModel | None],
) -> Response:
    """The 360 view of ``kind`` ``subject_id`` as JSON, built by ``build`` (None: no such id, a 404)
    and held while the read view stands (:func:`usecases.read_view.memoized_json`)."""

    def encode(i: str) -> bytes | None:
        view = build(store, i, weeks, conversations)
        return None if view is None else view.model_dump_json().encode()

    body = memoized_json(store, (f"{kind} 360", weeks, conversations), encode)(subject_id)
    if body is None:
        raise NotFound(f"no {kind} with id {subject_id!r}")
    return Response(body, media_type="application/json")


def _profile_view(
    store: CypherGraphStore, profile_id: str, weeks: int, conversations: int
) -> Profile360 | None:
    rows = store.run("api.profile", {"id": profile_id})
    if not rows:
        return None
    profile = dict(rows[0]["profile"])
    run = find_current_run(store)
    activity = _activity(store, [profile_id], run, weeks, conversations)
    return Profile360(
        id=profile_id,
        platform=profile.get("platform"),
        handle=profile.get("handle"),
        followers=profile.get("followers"),
        customer_ids=sorted(rows[0]["customer_ids"] or []),
        owner_brand_ids=sorted(rows[0]["brand_ids"] or []),
        role=profile.get("role") or "customer",
        role_reason=profile.get("role_reason") or None,
        screening_flags=list(profile.get("screening_flags") or []),
        screening_evidence=list(profile.get("screening_evidence") or []),
        scores=scores_of(profile, run),
        brands=_brands(activity, []),
        recent_conversations=_conversations(activity),
        sentiment_trend=_trend(activity),
        run=run_ref(run) if run else None,
    )


@router.get("/customers/{customer_id}", response_model=Customer360, summary="A customer's 360 view")
def get_customer(
    store: Store,
    caller: ReadAccess,
    customer_id: Annotated[str, Path(min_length=1, max_length=256, examples=["c-1001"])],
    weeks: Weeks = 12,
    conversations: Conversations = 10,
) -> Response:
    return _held_view(store, "customer", customer_id, weeks, conversations, _customer_view)


def _customer_view(
    store: CypherGraphStore, customer_id: str, weeks: int, conversations: int
) -> Customer360 | None:
    rows = store.run("api.customer", {"id": customer_id})
    if not rows:
        return None
    customer = dict(rows[0]["customer"])
    profiles = sorted((dict(p) for p in rows[0]["profiles"] or []), key=lambda p: p["id"])
    run = find_current_run(store)
    ids = [p["id"] for p in profiles]
    summaries = [
        ProfileSummary(
            id=p["id"],
            platform=p.get("platform"),
            handle=p.get("handle"),
            followers=p.get("followers"),
            scores=scores_of(p, run),
        )
        for p in profiles
    ]
    purchases = store.run("api.customer_purchases", {"id": customer_id})
    activity = _activity(store, ids, run, weeks, conversations)
    attributes = {
        key.removeprefix("attr_"): value
        for key, value in customer.items()
        if key.startswith("attr_") and isinstance(value, str | int | float | bool)
    }
    return Customer360(
        id=customer_id,
        name=customer.get("name"),
        email=allowed_email(customer),
        contact_allowed=contact_allowed(customer),
        attributes=attributes,
        profiles=summaries,
        communities=sorted({s.scores.community for s in summaries if s.scores.community is not None}),
        brands=_brands(activity, purchases),
        recent_conversations=_conversations(activity),
        sentiment_trend=_trend(activity),
        run=run_ref(run) if run else None,
    )
