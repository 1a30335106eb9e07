"""Saved segments: save, list, load and delete a definition, and read its members in one analysis run.

A segment is a name and a :class:`SegmentFilter`. Members are ordered ``score DESC, profile id ASC`` (the score the filter ranks by: influence, the
brand's personalized influence, or advocacy/detraction), so ``SKIP``/``LIMIT`` over that order pages
one run's result without gaps or repeats (ties are broken by the unique profile id). The HTTP route,
the export, outreach and the per-run snapshots all read members through here; each member carries
the reason it is in and, only where consent allows (:mod:`usecases.consent`), its customer's e-mail.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from algorithms.roles import parse_include
from graph.errors import ConstraintViolation, NotFound, SegmentExists
from graph.model import Label
from graph.store import CypherGraphStore
from usecases.consent import allowed_email
from usecases.crm.exports import ExportPosition
from usecases.inputs import PlainText, not_a_bool
from usecases.lookups import require_brand, segment_node
from usecases.read_model import Filters, RunReadModel, positioned_rows, read_model
from usecases.read_view import memoized_rows

EXPORT_CHUNK = 5000
# these lists' mean sentiment is computed from posts at query time, not stored with the run
MemberFetch = Callable[[list[str]], list[dict[str, Any]]]
"""Members' rows by profile id (one row per id at most; an erased member has none)."""
_SENTIMENT_FROM_POSTS = ("api.segment_members_all", "api.segment_members_influences")
_DAY_MS = 24 * 3600 * 1000


def _finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


def _role_needs_brand(schema: dict) -> None:
    """The document says what ``SegmentFilter._consistent`` checks of ``role`` (JSON Schema ``if``/``then``)."""
    schema["if"] = {"properties": {"role": {"enum": ["advocate", "detractor"]}}, "required": ["role"]}
    schema["then"] = {"properties": {"brand": {"type": "string"}}, "required": ["brand"]}


class SegmentFilter(BaseModel):
    """Who belongs to a segment; every condition given must hold (AND). Scores are the current run's.

    - ``brand`` alone: the brand's influencers (personalized PageRank), scored by that score;
      with ``role`` ``advocate``/``detractor``: the brand's advocates/detractors, scored by that score;
      without ``brand``: every scored profile, scored by influence.
    - ``sentiment_min``/``sentiment_max``: mean sentiment, in [-1, 1] (toward the brand when one is given);
      a minimum above the maximum selects nobody.
    - ``active_within_days``: posted within that many days before the run's ``as_of``.
    - ``include``: account roles to add to the customers (``owned``, ``staff``, ``placeholder``); by default a
      segment holds customers only.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=_role_needs_brand)

    brand: PlainText | None = Field(default=None, min_length=1, max_length=256, examples=["acme"])
    role: Literal["advocate", "detractor"] | None = None
    # strict: a JSON true/false is not a number here (the OpenAPI document says number)
    community: int | None = Field(default=None, ge=0, le=2**53)
    min_influence: float | None = Field(default=None, ge=0, strict=True)
    sentiment_min: float | None = Field(default=None, ge=-1, le=1, strict=True)
    sentiment_max: float | None = Field(default=None, ge=-1, le=1, strict=True)
    platform: PlainText | None = Field(default=None, min_length=1, max_length=64, examples=["twitter"])
    active_within_days: int | None = Field(default=None, ge=1, le=36_500)
    include: list[Literal["owned", "staff", "placeholder"]] | None = None

    _finite_checks = field_validator("min_influence", "sentiment_min", "sentiment_max")(_finite)
    _not_bool = field_validator("community", "active_within_days", mode="before")(not_a_bool)

    @model_validator(mode="after")
    def _consistent(self) -> SegmentFilter:
        if self.role is not None and self.brand is None:
            raise ValueError("`role` needs a `brand`")
        # sentiment_min above sentiment_max is an empty range: the segment simply holds nobody (an
        # OpenAPI schema cannot state the order of two fields, so refusing it would refuse a valid body)
        return self


@dataclass(frozen=True)
class SavedSegment:
    name: str
    description: str
    filter: SegmentFilter
    created_at: int


def segment_from_node(node: Mapping[str, Any]) -> SavedSegment:
    return SavedSegment(
        name=node["id"],
        description=node.get("description") or "",
        filter=SegmentFilter.model_validate_json(node.get("filter_json") or "{}"),
        created_at=int(node.get("created_at") or 0),
    )


def check_filter_brand(store: CypherGraphStore, flt: SegmentFilter) -> None:
    """:class:`NotFound` when ``flt`` names a brand the store does not hold (saving or previewing it)."""
    if flt.brand is not None:
        require_brand(store, flt.brand)


def create_segment(store: CypherGraphStore, name: str, description: str, flt: SegmentFilter) -> SavedSegment:
    """Save a segment; :class:`SegmentExists` when the name is taken, :class:`NotFound` when its
    filter names a brand the store does not hold (:func:`check_filter_brand`, as a preview answers)."""
    check_filter_brand(store, flt)
    if store.get_node(Label.SEGMENT, name) is not None:
        raise SegmentExists(f"a segment named {name!r} exists")
    filter_json = json.dumps(flt.model_dump(exclude_none=True), sort_keys=True, ensure_ascii=False)
    created_at = int(time.time() * 1000)
    params = {"id": name, "filter_json": filter_json, "description": description, "created_at": created_at}
    try:
        store.run_write("api.segment_create", params)
    except ConstraintViolation:
        raise SegmentExists(f"a segment named {name!r} exists") from None
    return SavedSegment(name=name, description=description, filter=flt, created_at=created_at)


SEGMENT_LIST_SCOPE = "segment-list"


def list_segments(store: CypherGraphStore, skip: int, limit: int) -> list[SavedSegment]:
    """Saved segments by name, ``skip`` … ``skip + limit - 1``."""
    rows = store.run("api.segments", {"skip": skip, "limit": limit})
    return [segment_from_node(dict(row["segment"])) for row in rows]


def delete_segment(store: CypherGraphStore, name: str) -> None:
    """Delete a saved segment; :class:`NotFound` when there is none."""
    rows = store.run_write("api.segment_delete", {"id": name})
    if not rows or int(rows[0]["deleted"]) == 0:
        raise NotFound(f"no segment named {name!r}")


def load_segment(store: CypherGraphStore, name: str) -> tuple[SavedSegment, dict[str, Any]]:
    """The saved segment ``name`` and its stored node; :class:`NotFound` when there is none."""
    node = segment_node(store, name)
    if node is None:
        raise NotFound(f"no segment named {name!r}")
    return segment_from_node(node), node


def definition_key(segment: SavedSegment, node: Mapping[str, Any]) -> dict[str, Any]:
    """What identifies a segment's definition: a segment deleted and saved again is another one."""
    return {"name": segment.name, "filter": node.get("filter_json"), "at": segment.created_at}


def current_member_columns(
    store: CypherGraphStore, run_id: str
) -> Callable[[list[str]], list[dict[str, Any]]]:
    """Rows by profile id of what a segment member's row reads from the store rather than the run's
    read model: ``id``, the current ``handle`` and the ``customers`` (sorted by id), for the profiles
    that still carry run ``run_id``; read as columns (the engine's fast path for export chunks) and
    held while the read view stands (:func:`usecases.read_view.memoized_rows`)."""

    def read(ids: list[str]) -> list[dict[str, Any]]:
        profiles = store.run_column_major("api.segment_member_profiles", {"run_id": run_id, "ids": ids})
        current = {
            pid: {"id": pid, "handle": handle, "customers": []}
            for pid, handle in zip(profiles.get("id", ()), profiles.get("handle", ()), strict=True)
        }
        if current:
            links = store.run_column_major("api.segment_member_customers", {"ids": list(current)})
            for link in sorted(_rows_of(links), key=lambda link: str(link["id"])):
                current[link.pop("profile")]["customers"].append(link)
        return list(current.values())

    return memoized_rows(store, ("segment member columns", run_id), read)


@dataclass(frozen=True)
class MemberQuery:
    """The catalogue query selecting a filter's members in one run, and its parameters."""

    name: str
    params: dict[str, Any]

    @classmethod
    def of(cls, flt: SegmentFilter, run: Mapping[str, Any]) -> MemberQuery:
        if flt.brand is None:
            name = "api.segment_members_all"
        else:
            name = {
                None: "api.segment_members_influences",
                "advocate": "api.segment_members_advocates",
                "detractor": "api.segment_members_detractors",
            }[flt.role]
        active_since = None
        if flt.active_within_days is not None:
            anchor = run.get("param_as_of") or run.get("finished_at") or int(time.time() * 1000)
            active_since = int(anchor) - flt.active_within_days * _DAY_MS
        params: dict[str, Any] = {
            "run_id": str(run["id"]),
            "community": flt.community,
            "platform": flt.platform,
            "min_influence": flt.min_influence,
            "active_since": active_since,
            "sentiment_min": flt.sentiment_min,
            "sentiment_max": flt.sentiment_max,
            "roles": list(parse_include(",".join(flt.include or ()))),
        }
        if flt.brand is not None:
            params["brand"] = flt.brand
        return cls(name, params)

    def rows(
        self, store: CypherGraphStore, skip: int, limit: int, *, stop: int | None = None
    ) -> list[dict[str, Any]]:
        """Up to ``limit`` members of the run from position ``skip`` on (and before ``stop``), in order,
        each row with its ``position`` in the run's member list: a cursor after it resumes at
        ``position + 1`` (:meth:`positioned`)."""
        found = self.positioned(store, skip, limit, stop=stop)
        for position, row in found:
            row["position"] = position
        return [row for _, row in found]

    def positioned(
        self,
        store: CypherGraphStore,
        skip: int,
        limit: int,
        *,
        stop: int | None = None,
        through: Callable[[MemberFetch], MemberFetch] | None = None,
    ) -> list[tuple[int, dict[str, Any]]]:
        """``(position, row)`` of up to ``limit`` members of the run from position ``skip`` on (and
        before ``stop``), in order, ``position`` being the member's place in the run's member list.

        Chosen and ordered by the run's read model (:mod:`usecases.read_model`) and read by id, unless
        the filter depends on posts (activity; sentiment outside advocates and detractors), which the
        store evaluates with SKIP/LIMIT. From the read model a position is a member's place in the
        run's order, fixed for the run: a member erased since has no row, and the members after it
        keep their positions, so a page or export resumed after it neither repeats nor loses one.

        ``through`` wraps the read of members' rows by id (those rows carry no position): the rows
        it gives are the ones returned, so a caller can hold what it makes of each member and skip
        reading the members it holds.
        """
        model = self._read_model(store)
        if model is None:
            limit = limit if stop is None else min(limit, stop - skip)
            if limit <= 0:
                return []
            rows = store.run(self.name, {**self.params, "skip": skip, "limit": limit})
            if through is not None:
                by_id = {row["id"]: row for row in rows}
                kept = {row["id"]: row for row in through(lambda ids: [by_id[i] for i in ids])(list(by_id))}
                return [(position, kept[row["id"]]) for position, row in enumerate(rows, start=skip)]
            return list(enumerate(rows, start=skip))
        brand, kind = self.params.get("brand"), self._kind
        sentiment = self.name not in _SENTIMENT_FROM_POSTS
        ids = model.segment_ids(self._filters(), brand=brand, kind=kind)

        def fetch(page: list[str]) -> list[dict[str, Any]]:
            return self._with_current_columns(
                store, model.member_rows(page, brand=brand, kind=kind, sentiment=sentiment)
            )

        return positioned_rows(
            ids, limit, fetch if through is None else through(fetch), start=skip, stop=stop
        )

    def _with_current_columns(
        self, store: CypherGraphStore, members: dict[str, dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """The catalogue query's rows of ``members`` (their run's columns from the read model, by id):
        each member whose profile still carries the run gets its current ``handle`` and its
        ``customers`` (sorted by id) from :func:`current_member_columns`; an erased member has no row."""
        rows = []
        for current in current_member_columns(store, self.params["run_id"])(list(members)):
            row = members[current["id"]]
            row["handle"] = current["handle"]
            row["customers"] = [dict(customer) for customer in current["customers"]]
            rows.append(row)
        return rows

    @property
    def _kind(self) -> str:
        return self.name.removeprefix("api.segment_members_")

    def _filters(self) -> Filters:
        p = self.params
        return Filters(
            roles=tuple(p["roles"]),
            community=p["community"],
            platform=p["platform"],
            min_influence=p["min_influence"],
            sentiment_min=p["sentiment_min"],
            sentiment_max=p["sentiment_max"],
        )

    def _read_model(self, store: CypherGraphStore) -> RunReadModel | None:
        """The run's read model, which chooses and orders the members, or None when the filter depends
        on posts (activity; sentiment outside a brand's advocates and detractors): the store's query
        then does."""
        p = self.params
        by_posts = p["active_since"] is not None or (
            self.name in _SENTIMENT_FROM_POSTS and (p["sentiment_min"], p["sentiment_max"]) != (None, None)
        )
        return None if by_posts else read_model(store, p["run_id"])

    def all_rows(self, store: CypherGraphStore, chunk: int = EXPORT_CHUNK) -> Iterator[dict[str, Any]]:
        """Every member of the run, in order, read ``chunk`` at a time."""
        skip = 0
        while True:
            rows = self.rows(store, skip, chunk)
            yield from rows
            if len(rows) < chunk:
                return
            skip = rows[-1]["position"] + 1


def _rows_of(columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def segment_member_ids(store: CypherGraphStore, name: str, run: Mapping[str, Any]) -> list[str]:
    """Every member id of saved segment ``name`` in ``run``, in the members endpoint's order.

    For other services that take a segment as input (outreach candidates).
    """
    segment, _ = load_segment(store, name)
    run_id = str(run["id"])
    query = MemberQuery.of(segment.filter, run)
    return [row["id"] for row in query.all_rows(store) if row.get("run_id", run_id) == run_id]


@dataclass(frozen=True)
class Member:
    """One row a CRM maps: a profile, the customer it belongs to (when known), and why it is in.

    ``email`` only when verified and the customer's consent allows contact (:mod:`usecases.consent`);
    ``cursor`` resumes the pull right after this member.
    """

    profile_id: str
    platform: str | None
    handle: str | None
    customer_id: str | None
    email: str | None
    handles: list[str]
    score: float | None
    rank: int | None
    influence: float | None
    community: int | None
    role: str | None
    mean_sentiment: float | None
    reason: str
    cursor: str | None


def _reason(flt: SegmentFilter, row: dict[str, Any]) -> str:
    score, rank = row.get("score"), row.get("rank")
    numbers = f"rank {rank}, score {score:.4g}" if isinstance(score, int | float) else f"rank {rank}"
    if flt.brand is None:
        head = f"influence {numbers}"
    elif flt.role is None:
        head = f"influencer for {flt.brand} ({numbers})"
    else:
        head = f"{flt.role} of {flt.brand} ({numbers})"
    details = []
    if flt.community is not None:
        details.append(f"community {flt.community}")
    if flt.platform is not None:
        details.append(f"on {flt.platform}")
    if flt.min_influence is not None:
        details.append(f"influence >= {flt.min_influence:g}")
    if flt.sentiment_min is not None or flt.sentiment_max is not None:
        mean = row.get("mean_sentiment")
        details.append(f"mean sentiment {mean:.3f}" if isinstance(mean, int | float) else "mean sentiment")
    if flt.active_within_days is not None:
        details.append(f"active within {flt.active_within_days} days")
    return "; ".join([head, *details])


def _first_customer(row: dict[str, Any]) -> dict[str, Any] | None:
    """The member's customer with the smallest id (most members have none or one)."""
    customers = row.get("customers")
    if not customers:
        return None
    if len(customers) == 1:
        return dict(customers[0])
    return dict(min(customers, key=lambda customer: str(dict(customer).get("id"))))


def customer_handles(store: CypherGraphStore) -> Callable[[list[str]], list[dict[str, Any]]]:
    """Rows by customer id: ``id`` and ``handles`` (the set of its profiles' handles), read in one
    query and held while the read view stands."""

    def read(ids: list[str]) -> list[dict[str, Any]]:
        handles: dict[str, set[str]] = {}
        for found in store.run("api.customer_handles", {"ids": ids}):
            if found.get("handle") is not None:
                handles.setdefault(found["customer"], set()).add(found["handle"])
        return [{"id": customer, "handles": found} for customer, found in handles.items()]

    return memoized_rows(store, "api.customer_handles", read)


def member_columns(
    store: CypherGraphStore, flt: SegmentFilter, rows: list[dict[str, Any]], at: ExportPosition | None
) -> dict[str, list[Any]]:
    """The members of ``rows`` (:meth:`MemberQuery.rows` of the list ``at`` exports) as columns, one per
    :class:`Member` field, with their customers' handles read in one query and each member's cursor
    resuming after it (at its position + 1; None without ``at``, for rows without a position): what a
    page and an export are built from, without an object per member (a column is one pass over the
    rows)."""
    customers = [_first_customer(row) for row in rows]
    customer_ids = sorted({customer["id"] for customer in customers if customer is not None})
    handles = (
        {row["id"]: row["handles"] for row in customer_handles(store)(customer_ids)} if customer_ids else {}
    )
    return {
        "profile_id": [row["id"] for row in rows],
        "platform": [row.get("platform") for row in rows],
        "handle": [row.get("handle") for row in rows],
        "customer_id": [customer.get("id") if customer else None for customer in customers],
        "email": [allowed_email(customer) if customer else None for customer in customers],
        "handles": [sorted(handles.get(customer["id"], ())) if customer else [] for customer in customers],
        "score": [row.get("score") for row in rows],
        "rank": [row.get("rank") for row in rows],
        "influence": [row.get("influence") for row in rows],
        "community": [row.get("community") for row in rows],
        "role": [row.get("role") for row in rows],
        "mean_sentiment": [row.get("mean_sentiment") for row in rows],
        "reason": [_reason(flt, row) for row in rows],
        "cursor": [at.cursor_at(row["position"] + 1) for row in rows]
        if at is not None
        else [None] * len(rows),
    }
