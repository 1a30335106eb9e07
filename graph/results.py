"""Writing analysis results back to the store, with an atomic switch for readers.

The write-back contract (what readers — the HTTP API, analyst queries — rely on)
=================================================================================

``(:AnalysisRun)`` — one per run: ``id`` (``run-<yyyymmddThhmmss>-<6 hex>``), ``state``
(``"running" | "succeeded" | "failed"``), ``current`` (exactly one run is current: the latest
succeeded), ``started_at`` / ``finished_at`` (epoch ms), ``stage``, the parameters
``param_as_of`` (epoch ms), ``param_half_life_days`` (``-1`` = no decay), ``param_seed``,
``param_resolution``, the counts ``profiles``, ``engagement_edges``, ``trust_edges``,
``communities``, ``modularity`` (float), on failure ``error`` (``abandoned: ...`` when its process
died, see :func:`running_runs`), and its owner ``owner_host``, ``owner_boot``, ``owner_pid``,
``owner_started`` (:mod:`graph.run_owner`).

``(:Profile)`` properties of the current run: ``influence``, ``influence_rank``, ``community``,
``reach``, ``brokerage``, ``influence_top_sources``, ``influence_top_shares``, ``run_id``. Profiles
outside the run's engagement graph (no engagement at all, or created during the run) get
``influence = 0.0``, ``influence_rank = -1``, ``community = -1``, ``brokerage = 0.0``,
``influence_top_* = []`` and the reach computed for them (0 if nobody follows them). A score a run
stages as null (one it did not compute, e.g. a Spark run's ``brokerage``, recorded on its
AnalysisRun as ``not_computed``) is published as null: the property is absent for that run, never
the previous run's value.

``(:Profile)-[:INFLUENCES|ADVOCATES|DETRACTS|MIXED_STANCE {run_id, ...}]->(:Brand)`` — stamped with their
run; a profile has at most one of ADVOCATES, DETRACTS, MIXED_STANCE per brand (``algorithms.stance``).
Profiles also carry ``role`` and ``role_reason`` (``algorithms.roles``) and ``screening_flags``,
``screening_evidence``, ``screening_weight`` (``algorithms.screening``), published with the scores.

The switch
----------
1. Relationships of the new run are written beside the old ones (keyed on ``run_id``); Profile
   scores go to ``(:StagedScores {run_id, profile_id, <the scores>})`` nodes, one per profile, that
   no reader looks at (they exist only while a run writes back).
2. :func:`publish_run` runs **one statement** that flips ``AnalysisRun.current`` and copies the
   run's staged scores onto their Profiles (a single statement is atomic on FalkorDB and on Neo4j),
   so a reader sees either the old run or the new one, never a mix.
3. :func:`clean_up_published` then removes the run's StagedScores nodes and the other runs'
   relationships, in batches; readers filter relationships by the current run id, so they never
   see those either.

Why staging nodes, not ``staged_*`` properties on the profiles: FalkorDB re-indexes the whole node
whenever any property of a node of an indexed label is written (Profile has three indexed
properties on FalkorDB), so each pass that writes to every profile costs several times an unindexed write per
node, however few properties it writes (``bench/store_writes.py``). Staged properties took three such
passes (stage, copy, remove); staging on nodes of an unindexed label leaves one, the publish
(``bench/analyze.py`` prints the write-back's parts).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from graph.errors import Conflict
from graph.model import ADVOCATES, DETRACTS, INFLUENCES, MIXED, RelRow, RelSpec
from graph.run_owner import Owner, is_gone, owner_from, this_process

RESULT_RELATIONSHIPS: tuple[RelSpec, ...] = (INFLUENCES, ADVOCATES, DETRACTS, MIXED)
_DELETE_STALE = {
    INFLUENCES: "analysis.delete_stale_influences",
    ADVOCATES: "analysis.delete_stale_advocates",
    DETRACTS: "analysis.delete_stale_detracts",
    MIXED: "analysis.delete_stale_mixed",
}
_BATCH = 5000
STAGED_DELETE_BATCH = 50_000
"""StagedScores nodes deleted per statement: each statement scans the label afresh, and on FalkorDB
50,000 per statement made a shorter cleanup than 10,000 (docs/benchmarks.md, "Staged scores deleted
50,000 per statement"); a bound still keeps one Neo4j transaction's state small on a store of
millions of profiles."""
STALE_RUNNING_AFTER_MS = 6 * 3600 * 1000
"""A ``running`` run whose owner cannot be checked from here is taken as dead after this long."""


def now_ms() -> int:
    return int(time.time() * 1000)


def new_run_id(at_ms: int | None = None) -> str:
    """``run-<yyyymmddThhmmss>-<6 hex>`` (UTC), sortable by start time."""
    moment = datetime.fromtimestamp((now_ms() if at_ms is None else at_ms) / 1000, tz=UTC)
    return f"run-{moment:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def start_run(
    store: Any,
    run_id: str,
    props: Mapping[str, Any],
    *,
    started_at: int | None = None,
    owner: Owner | None = None,
) -> None:
    """Create the run node in state ``running``; :class:`~graph.errors.Conflict` if another is running.

    The run records its ``owner`` (this process unless given; see :mod:`graph.run_owner`). Runs
    left ``running`` by a dead owner are failed first (:func:`running_runs`).
    """
    started = now_ms() if started_at is None else started_at
    for row in running_runs(store, now=started):
        raise Conflict(f"analysis run {row['id']} is still running; wait for it to finish")
    base = {"state": "running", "current": False, "stage": "starting", "started_at": started}
    owned = (owner or this_process()).as_properties()
    store.run_write("analysis.start_run", {"id": run_id, "props": {**base, **owned, **props}})


def running_runs(store: Any, *, now: int | None = None) -> list[dict[str, Any]]:
    """The runs in state ``running`` whose owner may still be alive; the others are failed here first.

    The one rule of when a ``running`` run is dead, for the CLI and the API alike: its owner process
    is gone (same host: checked exactly, see :func:`graph.run_owner.is_gone`), or, when that cannot
    be known (an owner on another host, or a run recorded before owners were), it started more than
    :data:`STALE_RUNNING_AFTER_MS` ago. A dead run is marked ``failed`` with ``error`` saying
    ``abandoned`` and what it wrote is removed (:func:`fail_run`), so the current run stays current.
    """
    moment = now_ms() if now is None else now
    alive: list[dict[str, Any]] = []
    for row in store.run("analysis.running_runs"):
        owner = owner_from(row)
        gone = is_gone(owner) if owner is not None else None
        started = row.get("started_at")
        too_old = started is not None and moment - int(started) > STALE_RUNNING_AFTER_MS
        if gone or (gone is None and too_old):
            why = f"its process ({owner.describe()}) is gone" if gone and owner else "it ran for over 6 hours"
            fail_run(store, row["id"], f"abandoned: {why}")
        else:
            alive.append(dict(row))
    return alive


def update_run(store: Any, run_id: str, **props: Any) -> None:
    """Set properties (primitives only) of one AnalysisRun."""
    store.run_write("analysis.update_run", {"id": run_id, "props": props})


def current_run(store: Any) -> dict[str, Any] | None:
    """Properties of the current (latest succeeded) AnalysisRun, or None before the first run."""
    rows = store.run("analysis.current_run")
    return dict(rows[0]["run"]) if rows else None


STAGED_COLUMNS: tuple[str, ...] = (
    "id",
    "influence",
    "influence_rank",
    "community",
    "reach",
    "brokerage",
    "influence_top_sources",
    "influence_top_shares",
    "influence_other",
    "influence_teleport",
    "role",
    "role_reason",
    "screening_flags",
    "screening_evidence",
    "screening_weight",
)
"""A staged row's values in this order (``row[0]`` ... in ``cypher/analysis/stage_profile_scores.cypher``)."""

PUBLISH_DEFAULTS: Mapping[str, Any] = {
    "influence_top_sources": [],
    "influence_top_shares": [],
    "role": "customer",
    "role_reason": "",
    "screening_flags": [],
    "screening_evidence": [],
    "screening_weight": 1.0,
}
"""What :func:`publish_run` writes for a property a StagedScores node lacks (``coalesce`` in
``cypher/analysis/publish_run.cypher``): a row's value equal to its default is staged as null, so
the typical profile (a customer, unflagged, few top sources) is staged without them. None of these
is a score: a score staged as null stays null (not computed by the run)."""

_DEFAULTED_POSITIONS = tuple((STAGED_COLUMNS.index(column), column) for column in PUBLISH_DEFAULTS)


def staged_row(row: Mapping[str, Any]) -> list[Any]:
    """One row of scores as the stage statement takes it: :data:`STAGED_COLUMNS`' values, a value equal
    to its :data:`PUBLISH_DEFAULTS` entry as null (``bench/analyze.py`` prints the stage's time)."""
    values = [row.get(column) for column in STAGED_COLUMNS]
    for position, column in _DEFAULTED_POSITIONS:
        if values[position] == PUBLISH_DEFAULTS[column]:
            values[position] = None
    return values


def stage_profile_scores(store: Any, run_id: str, rows: Sequence[Mapping[str, Any]]) -> int:
    """Stage one run's Profile scores on StagedScores nodes, in batches; returns the rows staged.

    Each row: ``id`` and the published scores, keyed as :data:`STAGED_COLUMNS`, sent as lists in
    that order (:func:`staged_row`). A row's profile is not looked up: one that no longer exists
    (erased since the run read it) is staged, matched by nothing in :func:`publish_run`, and deleted
    by :func:`clean_up_published`.
    """

    def batch(start: int) -> Callable[[], dict[str, Any]]:
        return lambda: {"run_id": run_id, "rows": [staged_row(row) for row in rows[start : start + _BATCH]]}

    batches = (batch(start) for start in range(0, len(rows), _BATCH))
    return sum(
        int(result[0]["staged"]) if result else 0
        for result in store.run_write_batches("analysis.stage_profile_scores", batches)
    )


def write_result_relationships(store: Any, spec: RelSpec, rows: Sequence[RelRow]) -> int:
    """Upsert one run's INFLUENCES / ADVOCATES / DETRACTS rows (each carrying ``run_id``)."""
    if spec not in RESULT_RELATIONSHIPS:
        raise ValueError(f"{spec.type.value} is not an analysis result relationship")
    for start in range(0, len(rows), _BATCH):
        store.upsert_relationships(spec, rows[start : start + _BATCH])
    return len(rows)


def publish_run(store: Any, run_id: str, *, finished_at: int | None = None) -> int:
    """The atomic switch: make ``run_id`` current and publish its staged Profile scores (one statement)."""
    rows = store.run_write(
        "analysis.publish_run",
        {"run_id": run_id, "finished_at": now_ms() if finished_at is None else finished_at},
    )
    return int(rows[0]["profiles"]) if rows else 0


def delete_stale_results(store: Any, keep_run_id: str | None, *, batch: int = 10_000) -> int:
    """Delete every result relationship not stamped ``keep_run_id`` (all of them if None), in batches."""
    deleted = 0
    for name in _DELETE_STALE.values():
        while True:
            rows = store.run_write(name, {"keep_run_id": keep_run_id or "", "limit": batch})
            count = int(rows[0]["deleted"]) if rows else 0
            deleted += count
            if count < batch:
                break
    return deleted


def clean_up_published(store: Any, run_id: str) -> None:
    """After :func:`publish_run`: delete the run's StagedScores nodes and every other run's result relationships."""
    delete_staged_scores(store, run_id)
    delete_stale_results(store, run_id)


def delete_staged_scores(store: Any, run_id: str, *, batch: int = STAGED_DELETE_BATCH) -> int:
    """Delete run ``run_id``'s StagedScores nodes (once published, or when the run failed), ``batch``
    per statement."""
    deleted = 0
    while True:
        rows = store.run_write("analysis.delete_staged_scores", {"run_id": run_id, "limit": batch})
        count = int(rows[0]["deleted"]) if rows else 0
        deleted += count
        if count < batch:
            return deleted


def fail_run(store: Any, run_id: str, error: str) -> None:
    """Mark a run failed and remove what it wrote (its relationships and staged scores)."""
    update_run(store, run_id, state="failed", current=False, error=error[:2000], finished_at=now_ms())
    current = current_run(store)
    delete_stale_results(store, current["id"] if current else None)
    delete_staged_scores(store, run_id)
