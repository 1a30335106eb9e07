"""The current analysis run, as every result endpoint reads it.

Results (profile scores, ADVOCATES/DETRACTS/INFLUENCES relationships) are stamped with the
``run_id`` of the run that wrote them; readers use only those of the run marked ``current``.
Before the first successful ``rapport analyze`` there is none: 409 ``no_analysis_run``.
"""

from __future__ import annotations

from typing import Any

from api.errors import NoAnalysisRun
from api.schemas import RunRef
from graph.store import CypherGraphStore


def find_current_run(store: CypherGraphStore) -> dict[str, Any] | None:
    rows = store.run("api.current_run")
    return dict(rows[0]["run"]) if rows else None


def current_run(store: CypherGraphStore) -> dict[str, Any]:
    run = find_current_run(store)
    if run is None:
        raise NoAnalysisRun("no analysis run yet: run `rapport analyze` first")
    return run


def run_ref(run: dict[str, Any]) -> RunRef:
    return RunRef(
        id=str(run["id"]),
        as_of=_int(run.get("param_as_of")),
        finished_at=_int(run.get("finished_at")),
        modularity=run.get("modularity"),
        engine=str(run.get("engine") or "in-process"),
        community_method=str(run.get("community_method") or "louvain"),
        not_computed=not_computed(run),
    )


def not_computed(run: dict[str, Any]) -> list[str]:
    """Scores the run did not compute (a Spark run: ``brokerage``), from its ``not_computed`` property."""
    return [name for name in str(run.get("not_computed") or "").split(",") if name]


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
