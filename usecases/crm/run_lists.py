"""Per-run records of the lists a CRM syncs, so "what changed since run R" can be answered.

Scores of a run are overwritten when the next run is published, and its result relationships are
deleted, so the delta of a list between two runs needs what the list held in the older one. At
each run switch (:func:`record_run_lists`, called by the analysis right after it publishes) every
list is recorded for the new run:

==========================  ================================================================
list key                    members (score, rank)
==========================  ================================================================
``influencers``             the :data:`GLOBAL_INFLUENCERS_KEPT` most influential profiles
``influencers:<brand>``     the brand's INFLUENCES (personalized PageRank)
``advocates:<brand>``       the brand's ADVOCATES
``detractors:<brand>``      the brand's DETRACTS
``segment:<name>``          every member of a saved segment (also recorded when it is saved)
==========================  ================================================================

Representation (portable Cypher, the same on FalkorDB and Neo4j): ``(:RunList {id, run_id, list,
part, parts, definition, profile_ids, scores, ranks, recorded_at})`` nodes, one per :data:`PART_SIZE`
members of a list in a run, holding three parallel lists of primitives (the only collection both
engines store). ``definition`` fingerprints a segment's definition, so a segment deleted and saved
again under the same name is not compared with its namesake. A list with no members is recorded
as one empty part, so "empty" and "not recorded" differ; a record whose parts are not all there
(its recording was cut short) counts as not recorded.

Retention: the records of the newest ``runs_kept`` succeeded runs are kept
(``Settings.analysis_runs_kept``); older ones are deleted at each switch. A delta since a run whose
record is gone is refused with 410 ``run_not_retained``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graph.store import CypherGraphStore
from usecases.current_run import find_current_run
from usecases.paging import fingerprint
from usecases.read_view import memoized
from usecases.segments import (
    MemberQuery,
    SavedSegment,
    SegmentFilter,
    create_segment,
    definition_key,
    load_segment,
)

GLOBAL_INFLUENCERS_KEPT = 10_000
PART_SIZE = 10_000
BRAND_LISTS = {"influencers": "crm.brand_influences", "advocates": "crm.brand_advocates",
               "detractors": "crm.brand_detracts"}  # fmt: skip


@dataclass(frozen=True)
class ListMember:
    profile_id: str
    score: float | None
    rank: int | None


@dataclass(frozen=True)
class ListRecord:
    """What one list held in one run, in its order."""

    run_id: str
    list: str
    definition: str
    members: tuple[ListMember, ...]


def segment_list(name: str) -> str:
    return f"segment:{name}"


def brand_list(kind: str, brand: str) -> str:
    return f"{kind}:{brand}"


def _member(row: Mapping[str, Any]) -> ListMember:
    score, rank = row.get("score"), row.get("rank")
    return ListMember(
        str(row["id"]),
        float(score) if isinstance(score, int | float) else None,
        int(rank) if isinstance(rank, int | float) else None,
    )


def current_members(store: CypherGraphStore, list_key: str, run: Mapping[str, Any]) -> ListRecord:
    """What ``list_key`` holds in ``run`` (which must be the current run: read from its live results)."""
    run_id = str(run["id"])
    kind, _, subject = list_key.partition(":")
    definition = ""
    if kind == "segment":
        segment, node = load_segment(store, subject)
        definition = fingerprint("segment", definition_key(segment, node))
        rows: Iterable[Mapping[str, Any]] = MemberQuery.of(segment.filter, run).all_rows(store)
    elif list_key == "influencers":
        rows = store.run("crm.top_influencers", {"run_id": run_id, "top": GLOBAL_INFLUENCERS_KEPT})
    else:
        rows = store.run(BRAND_LISTS[kind], {"run_id": run_id, "brand": subject})
    return ListRecord(run_id, list_key, definition, tuple(_member(row) for row in rows))


def write_record(store: CypherGraphStore, record: ListRecord) -> None:
    """Replace the record of ``record.list`` in ``record.run_id`` with ``record``."""
    store.run_write("crm.run_list_delete", {"run_id": record.run_id, "list": record.list})
    members = record.members
    now = int(time.time() * 1000)
    rows = []
    starts = range(0, max(len(members), 1), PART_SIZE)
    for part, start in enumerate(starts):
        chunk = members[start : start + PART_SIZE]
        rows.append(
            {
                "id": f"{record.run_id}|{record.list}|{part}",
                "props": {
                    "run_id": record.run_id,
                    "list": record.list,
                    "part": part,
                    "parts": len(starts),  # a record missing a part (a write cut short) is not read
                    "definition": record.definition,
                    "profile_ids": [m.profile_id for m in chunk],
                    "scores": [m.score if m.score is not None else 0.0 for m in chunk],
                    "ranks": [m.rank if m.rank is not None else -1 for m in chunk],
                    "recorded_at": now,
                },
            }
        )
    for row in rows:  # one part per statement: a part may hold PART_SIZE ids
        store.run_write("crm.run_list_write", {"rows": [row]})


def read_record(store: CypherGraphStore, run_id: str, list_key: str) -> ListRecord | None:
    """The record of ``list_key`` in ``run_id``, or None when none was kept."""
    parts = store.run("crm.run_list_read", {"run_id": run_id, "list": list_key})
    if not parts or any(part.get("parts") != len(parts) for part in parts):
        return None  # never recorded, or its recording was cut short
    members: list[ListMember] = []
    for part in parts:
        ranks = part.get("ranks") or []
        for profile_id, score, rank in zip(
            part["profile_ids"] or [], part["scores"] or [], ranks, strict=True
        ):
            members.append(ListMember(profile_id, float(score), int(rank) if rank != -1 else None))
    return ListRecord(run_id, list_key, str(parts[0].get("definition") or ""), tuple(members))


def all_list_keys(store: CypherGraphStore) -> list[str]:
    keys = ["influencers"]
    for row in store.run("api.brands"):
        keys += [brand_list(kind, row["id"]) for kind in BRAND_LISTS]
    keys += [segment_list(row["id"]) for row in store.run("crm.segment_ids")]
    return keys


def record_run_lists(store: CypherGraphStore, run: Mapping[str, Any], *, runs_kept: int) -> int:
    """Record every list for ``run`` (the run just made current), then apply retention.

    Returns the number of lists recorded.
    """
    keys = all_list_keys(store)
    for key in keys:
        write_record(store, current_members(store, key, run))
    prune_run_lists(store, runs_kept=runs_kept)
    return len(keys)


def record_segment_now(store: CypherGraphStore, name: str) -> None:
    """Record a newly saved segment in the current run (if there is one)."""
    run = find_current_run(store)
    if run is not None:
        write_record(store, current_members(store, segment_list(name), run))


def save_recorded_segment(
    store: CypherGraphStore, name: str, description: str, flt: SegmentFilter
) -> SavedSegment:
    """Save a segment (:func:`usecases.segments.create_segment`) and record its members in the current
    run, so a delta since that run can be asked for later (``POST /v1/segments``, ``rapport demo``)."""
    saved = create_segment(store, name, description, flt)
    record_segment_now(store, name)
    return saved


def kept_run_ids(store: CypherGraphStore, runs_kept: int) -> list[str]:
    """The succeeded runs whose records retention keeps, newest first."""
    return [str(row["id"]) for row in store.run("crm.succeeded_runs")][: max(runs_kept, 1)]


def prune_run_lists(store: CypherGraphStore, *, runs_kept: int, batch: int = 10_000) -> int:
    """Delete the records of every run but the newest ``runs_kept`` succeeded ones; parts deleted."""
    keep = set(kept_run_ids(store, runs_kept))
    deleted = 0
    for row in store.run("crm.run_list_runs"):
        if row["run_id"] in keep:
            continue
        while True:
            rows = store.run_write("crm.run_list_delete_run", {"run_id": row["run_id"], "limit": batch})
            count = int(rows[0]["deleted"]) if rows else 0
            deleted += count
            if count < batch:
                break
    return deleted


def recorded_runs(store: CypherGraphStore) -> frozenset[str]:
    """Ids of the runs that still have list records (held while the read view stands; frozen, as
    every request shares it)."""
    return memoized(
        store,
        "crm.run_list_runs",
        lambda: frozenset(str(row["run_id"]) for row in store.run("crm.run_list_runs")),
    )


def list_runs(
    store: CypherGraphStore, *, skip: int, limit: int
) -> tuple[list[dict[str, Any]], bool, frozenset[str]]:
    """One page of analysis runs, newest first: (their properties, whether more follow, runs with records)."""
    runs = read_runs(store, skip=skip, limit=limit + 1)
    return runs[:limit], len(runs) > limit, recorded_runs(store)


def read_runs(store: CypherGraphStore, *, skip: int, limit: int) -> list[dict[str, Any]]:
    """Analysis runs ``skip`` … ``skip + limit - 1``, newest first (their properties; read once while
    the read view stands: a run's progress is a write, which renews the view)."""
    held = memoized(
        store,
        ("crm.runs", skip, limit),
        lambda: [dict(row["run"]) for row in store.run("crm.runs", {"skip": skip, "limit": limit})],
    )
    return [dict(run) for run in held]  # copies: the held rows are shared by every request
