"""``POST /v1/analysis/runs`` starts an analysis in the background; ``GET /v1/analysis/runs/{id}`` reports it.

Starting a run needs the ``admin`` role: it replaces the published results (and every open cursor).
One run at a time: a second POST while one is running answers 409 ``conflict``. Progress (stage and
fraction done) is kept in memory for runs this process started; finished runs are read back from
their ``AnalysisRun`` node, so their summary survives a restart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import asdict
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field, field_validator

from api.cache import clear_response_cache
from api.deps import AdminAccess, AppSettings, CursorParam, ReadAccess, Store, check_limit
from api.inline import HeldFirstRoute
from api.schemas import AnalysisRunInfo, AnalysisRunPage
from graph import results
from graph.errors import Conflict, NotFound, RapportError
from graph.model import Label
from usecases.analysis import AnalysisParams, run_analysis
from usecases.crm.run_lists import read_runs, recorded_runs
from usecases.inputs import not_a_bool
from usecases.paging import read_page

router = APIRouter(prefix="/v1/analysis", tags=["analysis"], route_class=HeldFirstRoute)


_log = logging.getLogger(__name__)


class AnalysisRequest(BaseModel):
    as_of: int | None = Field(
        default=None, ge=0, description="epoch ms to analyse up to (default: newest interaction)"
    )
    half_life_days: float | None = Field(
        default=30.0, gt=0, le=3650, strict=True, description="time decay half-life; null = no decay"
    )
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    resolution: float = Field(default=1.0, gt=0, strict=True, le=10)

    _not_bool = field_validator("as_of", "seed", mode="before")(not_a_bool)


class AnalysisRunStatus(BaseModel):
    id: str = Field(examples=["run-20261122T101500-a1b2c3"])
    state: Literal["queued", "running", "succeeded", "failed"]
    stage: str | None = None
    progress: float = Field(ge=0, le=1, description="fraction of the pipeline done")
    error: str | None = None
    summary: dict[str, Any] | None = Field(default=None, description="counts, modularity, seconds per stage")


class _Jobs:
    """The runs this process started: their live progress, one running at a time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.status: dict[str, AnalysisRunStatus] = {}
        self.thread: threading.Thread | None = None

    def busy(self) -> bool:
        return self.thread is not None and self.thread.is_alive()


def finish_analysis_jobs(state: Any) -> None:
    """Wait for an analysis this process started (at shutdown, before the store closes under it).

    The run's own thread writes through the app's store; closing the store first would fail the
    run half-way (it is then marked failed, losing the analysis).
    """
    jobs: _Jobs | None = getattr(state, "analysis_jobs", None)
    thread = jobs.thread if jobs is not None else None
    if thread is not None and thread.is_alive():
        _log.info("waiting for analysis run to finish before shutting down")
        thread.join()


def _jobs(request: Request) -> _Jobs:
    state = request.app.state
    if not hasattr(state, "analysis_jobs"):
        state.analysis_jobs = _Jobs()
    return state.analysis_jobs


def _work(
    store: Any, jobs: _Jobs, run_id: str, params: AnalysisParams, on_finished: Callable[[], None]
) -> None:
    def progress(stage: str, fraction: float) -> None:
        jobs.status[run_id] = jobs.status[run_id].model_copy(
            update={"state": "running", "stage": stage, "progress": fraction}
        )

    try:
        summary = run_analysis(store, params, progress, run_id=run_id)
    except RapportError as exc:
        jobs.status[run_id] = jobs.status[run_id].model_copy(update={"state": "failed", "error": str(exc)})
        return
    except Exception as exc:  # reported to the client through GET, never as a stack trace
        jobs.status[run_id] = jobs.status[run_id].model_copy(
            update={"state": "failed", "error": f"unexpected {type(exc).__name__}"}
        )
        return
    finally:
        on_finished()  # pages cached from the previous run go now, not at the end of their TTL
    jobs.status[run_id] = AnalysisRunStatus(
        id=run_id, state="succeeded", stage="done", progress=1.0, summary=asdict(summary)
    )


@router.post("/runs", status_code=202, response_model=AnalysisRunStatus, summary="Start an analysis run")
def start_analysis(
    request: Request,
    store: Store,
    settings: AppSettings,
    caller: AdminAccess,
    body: AnalysisRequest | None = None,
) -> AnalysisRunStatus:
    body = body or AnalysisRequest()
    jobs = _jobs(request)
    with jobs.lock:
        if jobs.busy() or results.running_runs(store):  # fails runs whose process died
            raise Conflict("an analysis run is already in progress; wait for it to finish (one at a time)")
        run_id = results.new_run_id(results.now_ms())
        params = AnalysisParams(
            as_of_ms=body.as_of,
            half_life_days=body.half_life_days,
            seed=body.seed,
            resolution=body.resolution,
            runs_kept=settings.analysis_runs_kept,
        )
        jobs.status[run_id] = AnalysisRunStatus(id=run_id, state="queued", progress=0.0)
        jobs.thread = threading.Thread(
            target=_work,
            args=(store, jobs, run_id, params, partial(clear_response_cache, request.app.state)),
            name=f"analysis-{run_id}",
            daemon=True,
        )
        jobs.thread.start()
        return jobs.status[run_id]


@router.get(
    "/runs",
    response_model=AnalysisRunPage,
    summary="Analysis runs, newest first, and whether deltas since each can still be asked for",
)
def list_analysis_runs(
    store: Store,
    settings: AppSettings,
    caller: ReadAccess,
    limit: Annotated[int, Query(ge=1)] = 50,
    cursor: CursorParam = None,
) -> AnalysisRunPage:
    check_limit(limit, settings)
    page = read_page(
        store,
        cursor=cursor,
        scope="analysis-runs",
        filters=None,
        limit=limit,
        fetch=lambda _run, skip, size: read_runs(store, skip=skip, limit=size),
        per_run=False,
    )
    recorded = recorded_runs(store)
    items = [
        AnalysisRunInfo(
            id=str(run["id"]),
            state=str(run.get("state") or "failed"),
            current=run.get("current") is True,
            started_at=run.get("started_at"),
            finished_at=run.get("finished_at"),
            as_of=run.get("param_as_of"),
            lists_kept=str(run["id"]) in recorded,
        )
        for run in page.items
    ]
    return AnalysisRunPage(items=items, runs_kept=settings.analysis_runs_kept, next_cursor=page.next_cursor)


@router.get(
    "/runs/{run_id}", response_model=AnalysisRunStatus, summary="State, progress and results of a run"
)
def get_analysis(
    request: Request,
    store: Store,
    caller: ReadAccess,
    run_id: Annotated[str, Path(min_length=1, max_length=100)],
) -> AnalysisRunStatus:
    live = _jobs(request).status.get(run_id)
    if live is not None:
        return live
    node = store.get_node(Label.ANALYSIS_RUN, run_id)
    if node is None:
        raise NotFound(f"no analysis run {run_id!r}")
    state = node.get("state", "failed")
    return AnalysisRunStatus(
        id=run_id,
        state=state if state in ("running", "succeeded", "failed") else "failed",
        stage=node.get("stage"),
        progress=1.0 if state == "succeeded" else 0.0,
        error=node.get("error"),
        summary={k: v for k, v in node.items() if k not in ("id", "state", "stage", "error")},
    )
