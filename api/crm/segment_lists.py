"""A saved segment's members in one analysis run: the store query that selects them, and their order.

Members are ordered ``score DESC, profile id ASC`` (the score the filter ranks by: influence, the
brand's personalized influence, or advocacy/detraction), so ``SKIP``/``LIMIT`` over that order pages
one run's result without gaps or repeats (ties are broken by the unique profile id). The HTTP route,
the export, outreach and the per-run snapshots all read members through here.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from algorithms.roles import parse_include
from api.read_model import Filters, read_model, rows_in_order
from api.schemas import Segment, SegmentFilter
from graph.errors import NotFound
from graph.model import Label
from graph.store import CypherGraphStore

EXPORT_CHUNK = 5000
# these lists' mean sentiment is computed from posts at query time, not stored with the run
_SENTIMENT_FROM_POSTS = ("api.segment_members_all", "api.segment_members_influences")
_DAY_MS = 24 * 3600 * 1000


def segment_from_node(node: Mapping[str, Any]) -> Segment:
    return Segment(
        name=node["id"],
        description=node.get("description") or "",
        filter=SegmentFilter.model_validate_json(node.get("filter_json") or "{}"),
        created_at=int(node.get("created_at") or 0),
    )


def load_segment(store: CypherGraphStore, name: str) -> tuple[Segment, dict[str, Any]]:
    """The saved segment ``name`` and its stored node; :class:`NotFound` when there is none."""
    node = store.get_node(Label.SEGMENT, name)
    if node is None:
        raise NotFound(f"no segment named {name!r}")
    return segment_from_node(node), node


def definition_key(segment: Segment, node: Mapping[str, Any]) -> dict[str, Any]:
    """What identifies a segment's definition: a segment deleted and saved again is another one."""
    return {"name": segment.name, "filter": node.get("filter_json"), "at": segment.created_at}


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

    def rows(self, store: CypherGraphStore, skip: int, limit: int) -> list[dict[str, Any]]:
        """Members ``skip`` … ``skip + limit - 1`` of the run, in order.

        Chosen and ordered by the run's read model (:mod:`api.read_model`) and read by id, unless
        the filter depends on posts (activity; sentiment outside advocates and detractors).
        """
        ids = self._member_ids(store)
        if ids is None:
            return store.run(self.name, {**self.params, "skip": skip, "limit": limit})
        return rows_in_order(ids, limit, lambda page: self._rows_by_ids(store, page), start=skip)

    def _rows_by_ids(self, store: CypherGraphStore, ids: list[str]) -> list[dict[str, Any]]:
        """The catalogue query's rows of members ``ids``: read as columns (the engine's fast path for
        export chunks), with ``customers`` joined from their own query (customers sorted by id)."""
        params = {key: self.params[key] for key in ("run_id", "brand") if key in self.params}
        rows = _rows_of(store.run_column_major(f"{self.name}_by_ids", {**params, "ids": ids}))
        customers: dict[str, list[dict[str, Any]]] = {}
        if rows:
            links = store.run_column_major(
                "api.segment_member_customers", {"ids": [row["id"] for row in rows]}
            )
            for link in sorted(_rows_of(links), key=lambda link: str(link["id"])):
                customers.setdefault(link.pop("profile"), []).append(link)
        for row in rows:
            row["customers"] = customers.get(row["id"], [])
        return rows

    def _member_ids(self, store: CypherGraphStore) -> Sequence[str] | None:
        p = self.params
        by_posts = p["active_since"] is not None or (
            self.name in _SENTIMENT_FROM_POSTS and (p["sentiment_min"], p["sentiment_max"]) != (None, None)
        )
        if by_posts:
            return None
        filters = Filters(
            roles=tuple(p["roles"]),
            community=p["community"],
            platform=p["platform"],
            min_influence=p["min_influence"],
            sentiment_min=p["sentiment_min"],
            sentiment_max=p["sentiment_max"],
        )
        kind = self.name.removeprefix("api.segment_members_")
        return read_model(store, p["run_id"]).segment_ids(filters, brand=p.get("brand"), kind=kind)

    def all_rows(self, store: CypherGraphStore, chunk: int = EXPORT_CHUNK) -> Iterator[dict[str, Any]]:
        """Every member of the run, in order, read ``chunk`` at a time."""
        skip = 0
        while True:
            rows = self.rows(store, skip, chunk)
            yield from rows
            if len(rows) < chunk:
                return
            skip += chunk


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
