"""What an API process may hold in memory between two looks at the store, and for how long.

A read endpoint needs the current analysis run and then rows: a page's profiles by id, a brand's
evidence posts, whether a brand or segment exists. Asking the store for each on every request
costs three to five round trips, and under load they queue behind one another in the store. Yet
between two writes those answers do not change. So the store marks every write: the one
``DataVersion`` node gets a fresh token after each (:meth:`graph.store.CypherGraphStore.mark_changed`).
A process reads the current run and that token together (``api.read_view``, one small read) into a
:class:`ReadView`, and keeps the rows it reads by id (:func:`memoized_rows`) and small answers
(:func:`memoized`) for as long as the view stands: a new token or a new run drops all of them.

How long a view stands: in a process that holds views (:func:`holding_views`, the API's lifespan
uses it with ``Settings.read_view_seconds``), a thread of its own reads the view again every that
many seconds, and a request reads it itself only when a store of this process wrote since
(:func:`graph.store.writes_in_this_process` moved on). So a write made through this process is seen
by its very next read, and one made by another process (the CLI, the other uvicorn worker) within
``read_view_seconds`` plus one store read. No request waits for that periodic read: a lone query to
the embedded FalkorDB can wait far longer than a page takes when the machine's cores are saturated
by other work (``bench/api.py --only lone``; docs/benchmarks.md, "Reads held until the data
changes"), and a request doing the periodic read itself waited as long.
Anywhere else (the CLI, a use case called from a script) nothing is held: every look reads the
store, and :func:`memoized` computes.

Never a mix of runs: a page's order comes from one run's read model and its rows are read with
that run's id. A client's cursor from a run newer than the view makes the view re-read at once
(:func:`usecases.paging.resume`), so a page from one worker and the next page from the other agree.

Edits made to the graph outside Rapport (by hand in the Neo4j Browser) do not renew the token: they
show after the next write through Rapport, or at once after ``cypher/admin/data_changed.cypher``.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import weakref
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from graph.inline import may_wait
from graph.store import CypherGraphStore, writes_in_this_process

Row = dict[str, Any]
T = TypeVar("T")
log = logging.getLogger(__name__)

MEMO_ROWS = 200_000
"""The most rows a process holds per store; past it the memo starts over (a long export's members
would otherwise stay until the next write). A row given a ``weight`` (a held JSON view: one per
:data:`BYTES_PER_ROW`) counts that many."""

BYTES_PER_ROW = 512
"""What a held JSON body counts as one row of :data:`MEMO_ROWS`: a body of many kilobytes (a 360
view with its conversations) counts for many rows, so the budget bounds bytes as well as bodies."""


def _json_weight(row: Row) -> int:
    """The rows a held ``"json"`` body counts for: one per started :data:`BYTES_PER_ROW`."""
    return 1 + len(row["json"]) // BYTES_PER_ROW


_ABSENT = object()


@dataclass(frozen=True)
class ReadView:
    """The current run (None before the first analysis) and the data token, as read by a query begun
    at ``read_at`` (``time.monotonic()``) when this process had finished ``writes`` writes."""

    run: dict[str, Any] | None
    token: str | None
    read_at: float
    writes: int

    @property
    def run_id(self) -> str | None:
        return None if self.run is None else str(self.run["id"])


class _Views:
    """One store's view and what is held under it."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.view: ReadView | None = None
        self.memo: dict[Hashable, Any] = {}
        self.rows_held = 0
        self.lock = threading.Lock()
        self.flights: dict[Hashable, threading.Lock] = {}  # per memoized key: one computation at a time

    def current(self, store: CypherGraphStore, *, fresh: bool) -> ReadView:
        view = self.view
        writes = writes_in_this_process()
        if not fresh and view is not None and view.writes == writes and self.seconds > 0:
            return view  # kept current by the refresher thread (:func:`holding_views`)
        return self.read(store, writes)

    def refresh_every(self, store: CypherGraphStore, stop: threading.Event) -> None:
        """The refresher thread: read the view again every ``seconds`` until ``stop`` is set; a store
        error keeps the view it had (requests go on being answered) and is logged."""
        while not stop.wait(self.seconds):
            try:
                refresh_view(store)
            except Exception:  # the store is down or restarting: try again at the next tick
                log.warning("could not read the current run and data token", exc_info=True)

    def read(self, store: CypherGraphStore, writes: int) -> ReadView:
        """Read the view; it replaces the one in force unless that one was read after this read began
        (the refresher's read, slow under load, must not undo a request's read made after a write)."""
        started = time.monotonic()
        rows = store.run("api.read_view")
        run = dict(rows[0]["run"]) if rows and rows[0]["run"] is not None else None
        token = rows[0]["token"] if rows else None
        view = ReadView(run, token, started, writes)
        with self.lock:
            old = self.view
            if old is not None and old.read_at > started:
                return old
            if old is None or (old.token, old.run_id) != (view.token, view.run_id):
                self.memo, self.rows_held, self.flights = {}, 0, {}
            self.view = view
        return view

    def flight(self, key: Hashable) -> threading.Lock:
        """The lock under which ``key``'s value is computed: concurrent first requests for an
        expensive answer (a run's community list) wait for one computation instead of each running it."""
        with self.lock:
            return self.flights.setdefault(key, threading.Lock())


_VIEWS: weakref.WeakKeyDictionary[CypherGraphStore, _Views] = weakref.WeakKeyDictionary()
_VIEWS_LOCK = threading.Lock()


def _views(store: CypherGraphStore) -> _Views:
    with _VIEWS_LOCK:
        views = _VIEWS.get(store)
        if views is None:
            views = _VIEWS[store] = _Views()
        return views


@contextlib.contextmanager
def holding_views(store: CypherGraphStore, seconds: float) -> Iterator[None]:
    """While the block runs, this process holds what it reads from ``store``, and a thread reads the
    view again every ``seconds`` (0: nothing is held, no thread)."""
    views = _views(store)
    if seconds <= 0:
        yield
        return
    views.seconds = float(seconds)
    stop = threading.Event()
    refresher = threading.Thread(
        target=views.refresh_every, args=(store, stop), name="rapport-read-view", daemon=True
    )
    refresher.start()
    try:
        yield
    finally:
        stop.set()
        refresher.join()
        views.seconds, views.view, views.memo, views.rows_held = 0.0, None, {}, 0


def current_view(store: CypherGraphStore, *, fresh: bool = False) -> ReadView:
    """The view in force: read from the store when ``fresh``, when this process wrote since it was
    read, or when nothing is held; otherwise the one the refresher thread last read."""
    return _views(store).current(store, fresh=fresh)


def refresh_view(store: CypherGraphStore) -> ReadView:
    """Read the view again now: what the refresher thread does every ``read_view_seconds``."""
    return _views(store).read(store, writes_in_this_process())


def memoized(
    store: CypherGraphStore,
    key: Hashable,
    compute: Callable[[], T],
    *,
    keep: Callable[[T], bool] | None = None,
) -> T:
    """``compute()``, kept under ``key`` while the view stands (computed each time when nothing is
    held); with ``keep``, only a value it accepts is kept (an absent brand is asked again: it may
    have been written by another process a moment ago). Requests arriving while it is computed wait
    for that computation."""
    views = _views(store)
    if views.seconds <= 0:
        return compute()
    views.current(store, fresh=False)
    memo, slot = views.memo, ("value", key)  # what the view in force holds
    value = memo.get(slot, _ABSENT)
    if value is not _ABSENT:
        return value
    may_wait(f"computing {key!r}")
    with views.flight(key):
        value = memo.get(slot, _ABSENT)  # computed by the request this one waited for
        if value is _ABSENT:
            value = compute()
            if keep is None or keep(value):
                memo[slot] = value
    return value


def memoized_rows(
    store: CypherGraphStore,
    key: Hashable,
    fetch: Callable[[list[str]], list[Row]],
    *,
    weight: Callable[[Row], int] | None = None,
) -> Callable[[list[str]], list[Row]]:
    """``fetch`` (rows by id, one per id at most, keyed ``"id"``) with its rows kept under ``key``
    while the view stands: ids read before cost nothing, an id the store had no row for included
    (an erased profile stays left out). ``key`` names the query and its parameters other than the ids;
    ``weight`` says how many rows of :data:`MEMO_ROWS` a row counts for (one each without it)."""
    views = _views(store)
    if views.seconds <= 0:
        return fetch

    def read(ids: list[str]) -> list[Row]:
        views.current(store, fresh=False)
        memo = views.memo
        held: dict[str, Row | None] = memo.setdefault(("rows", key), {})
        missing = [pid for pid in ids if pid not in held]
        if not missing:
            return [row for pid in ids if (row := held[pid]) is not None]
        may_wait(f"reading {key!r}")
        found = {row["id"]: row for row in fetch(missing)}
        answer = {pid: found.get(pid) for pid in missing}
        rows = [row for pid in ids if (row := answer[pid] if pid in answer else held[pid]) is not None]
        cost = (
            len(answer)
            if weight is None
            else sum(1 if row is None else weight(row) for row in answer.values())
        )
        if views.rows_held + cost > MEMO_ROWS:
            memo.clear()
            views.rows_held = 0
            held = memo.setdefault(("rows", key), {})
        held.update(answer)
        views.rows_held += cost
        return rows

    return read


def memoized_json_many(
    store: CypherGraphStore, key: Hashable, encode: Callable[[list[str]], dict[str, bytes]]
) -> Callable[[list[str]], list[Row]]:
    """JSON bodies by id as rows ``{"id", "json"}`` in the order of the ids asked for (an id
    ``encode`` gave no body for left out), encoded a batch at a time (``encode``: the ids it has a
    body for), held while the view stands like :func:`memoized_rows`' rows, each counting by its
    size (:data:`BYTES_PER_ROW`). Held encoded: a request serializes nothing, and the garbage
    collector has no objects of theirs to walk."""
    return memoized_rows(
        store,
        key,
        lambda ids: [{"id": i, "json": body} for i, body in encode(ids).items()],
        weight=_json_weight,
    )


def held_json_of_rows(
    store: CypherGraphStore, key: Hashable, rows: list[Row], encode: Callable[[list[Row]], list[bytes]]
) -> list[bytes]:
    """The JSON body of each of ``rows`` (keyed ``"id"``), in their order: ``encode`` (rows -> their
    bodies, in the same order) runs only for the rows whose body is not held under ``key``; bodies
    are held as :func:`memoized_json_many` holds them."""
    by_id = {row["id"]: row for row in rows}

    def encode_ids(ids: list[str]) -> dict[str, bytes]:
        return dict(zip(ids, encode([by_id[i] for i in ids]), strict=True))

    return [row["json"] for row in memoized_json_many(store, key, encode_ids)(list(by_id))]


def memoized_json(
    store: CypherGraphStore, key: Hashable, encode: Callable[[str], bytes | None]
) -> Callable[[str], bytes | None]:
    """One answer by id as a JSON body (``encode``: None when there is no such id), held as
    :func:`memoized_json_many` holds them."""
    held = memoized_json_many(
        store, key, lambda ids: {i: body for i in ids if (body := encode(i)) is not None}
    )

    def body(subject_id: str) -> bytes | None:
        found = held([subject_id])
        return found[0]["json"] if found else None

    return body
