"""What changed in a list between an older analysis run and the current one.

A CRM that pulled a list under run ``R`` (every response names its run) asks for the changes since
``R`` and applies only those: members **added** (in the list now, not in ``R``), **removed** (in
``R``, not now), and **changed** (in both, with a score that moved by more than ``min_change``
relative to its score in ``R``: ``|now - then| > min_change * |then|``; a score that was 0 changes
on any move). Members in both whose score moved less are counted as ``unchanged``.

``R``'s membership comes from its list record (:mod:`usecases.crm.run_lists`); the current run's from
its record when one was made at the switch, else from its live results. Errors: an unknown run is
404; a run that is not a succeeded analysis, or whose record is no longer kept (retention), or a
segment saved after ``R`` (no record of it then), is 410 ``run_not_retained``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph.errors import NotFound, RunNotRetained
from graph.model import Label
from graph.store import CypherGraphStore
from usecases.crm.run_lists import ListMember, ListRecord, current_members, read_record
from usecases.current_run import current_run

DEFAULT_MIN_CHANGE = 0.1


@dataclass(frozen=True)
class MemberChange:
    profile_id: str
    change: str  # "added" | "removed" | "changed"
    score: float | None
    previous_score: float | None
    rank: int | None
    previous_rank: int | None


@dataclass(frozen=True)
class ListDelta:
    list: str
    since_run: str
    run: dict[str, Any]
    min_change: float
    added: tuple[MemberChange, ...]
    removed: tuple[MemberChange, ...]
    changed: tuple[MemberChange, ...]
    unchanged: int


def moved(then: float | None, now: float | None, min_change: float) -> bool:
    """Whether a score moved by more than ``min_change`` relative to ``then``."""
    if then is None or now is None:
        return then != now
    return abs(now - then) > min_change * abs(then) if then != 0 else now != 0


def diff(previous: ListRecord, current: ListRecord, min_change: float) -> tuple[list, list, list, int]:
    """Added (current order), removed (previous order), changed (current order), unchanged count."""
    before: dict[str, ListMember] = {m.profile_id: m for m in previous.members}
    now_ids = {m.profile_id for m in current.members}
    added, changed, unchanged = [], [], 0
    for member in current.members:
        old = before.get(member.profile_id)
        if old is None:
            added.append(MemberChange(member.profile_id, "added", member.score, None, member.rank, None))
        elif moved(old.score, member.score, min_change):
            changed.append(
                MemberChange(member.profile_id, "changed", member.score, old.score, member.rank, old.rank)
            )
        else:
            unchanged += 1
    removed = [
        MemberChange(m.profile_id, "removed", None, m.score, None, m.rank)
        for m in previous.members
        if m.profile_id not in now_ids
    ]
    return added, removed, changed, unchanged


def list_changes(
    store: CypherGraphStore, list_key: str, since_run: str, *, min_change: float = DEFAULT_MIN_CHANGE
) -> ListDelta:
    """The delta of ``list_key`` from run ``since_run`` to the current run (see the module docstring)."""
    run = current_run(store)
    current = _current_record(store, list_key, run)  # a missing segment is 404 before anything else
    previous = _previous_record(store, list_key, since_run)
    if previous.definition != current.definition:
        raise RunNotRetained(
            f"{list_key!r} was saved again after run {since_run!r} with another definition; "
            "pull it in full, then ask for changes since the current run"
        )
    added, removed, changed, unchanged = diff(previous, current, min_change)
    return ListDelta(
        list_key, since_run, run, min_change, tuple(added), tuple(removed), tuple(changed), unchanged
    )


def _current_record(store: CypherGraphStore, list_key: str, run: Mapping[str, Any]) -> ListRecord:
    live = None
    if list_key.startswith("segment:"):
        live = current_members(store, list_key, run)  # also checks the segment exists
    recorded = read_record(store, str(run["id"]), list_key)
    if recorded is not None and (live is None or recorded.definition == live.definition):
        return recorded
    return live if live is not None else current_members(store, list_key, run)


def _previous_record(store: CypherGraphStore, list_key: str, since_run: str) -> ListRecord:
    node = store.get_node(Label.ANALYSIS_RUN, since_run)
    if node is None:
        raise NotFound(f"no analysis run {since_run!r}")
    if node.get("state") != "succeeded":
        raise RunNotRetained(f"run {since_run!r} did not succeed, so no list was published by it")
    record = read_record(store, since_run, list_key)
    if record is None:
        raise RunNotRetained(
            f"no record of {list_key!r} in run {since_run!r}: the run is older than the runs kept "
            "(Settings.analysis_runs_kept), or the list did not exist then; pull it in full, "
            "then ask for changes since the current run"
        )
    return record
