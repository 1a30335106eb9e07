"""The current analysis run, as every result use case reads it.

Results (profile scores, ADVOCATES/DETRACTS/INFLUENCES relationships) are stamped with the
``run_id`` of the run that wrote them; readers use only those of the run marked ``current``.
Use cases read it through :func:`usecases.read_view.current_view` (query ``api.read_view``, which
an API process holds for a fraction of a second; elsewhere every call reads the store); here is the
one rule on top of it: before the first successful ``rapport analyze`` there is none, and a use
case that needs one raises :class:`~graph.errors.NoAnalysisRun` (HTTP 409 ``no_analysis_run``).

A run may leave scores uncomputed (a Spark run: ``brokerage``, docs/scale-out.md); it says so in its
``not_computed`` property, and readers show those scores as null for that run (:func:`scores_not_computed`),
never a value an earlier run left on the profile.
"""

from __future__ import annotations

from typing import Any

from graph.errors import NoAnalysisRun
from graph.store import CypherGraphStore
from usecases.read_view import current_view


def find_current_run(store: CypherGraphStore, *, fresh: bool = False) -> dict[str, Any] | None:
    """The current run's properties, or None before the first successful analysis (read from the
    store, not the view this process holds, when ``fresh``)."""
    return current_view(store, fresh=fresh).run


def current_run(store: CypherGraphStore, *, fresh: bool = False) -> dict[str, Any]:
    """The current run's properties; :class:`NoAnalysisRun` before the first successful analysis."""
    run = find_current_run(store, fresh=fresh)
    if run is None:
        raise NoAnalysisRun("no analysis run yet: run `rapport analyze` first")
    return run


def scores_not_computed(run: dict[str, Any]) -> list[str]:
    """Scores ``run`` did not compute (a Spark run: ``["brokerage"]``), from its ``not_computed`` property."""
    return [name for name in str(run.get("not_computed") or "").split(",") if name]
