"""The ranked lists of one analysis run, held in memory by the API process: pages without a sort.

A ranked page (influencers overall, in a community, for a brand; a brand's advocates, detractors and
mixed profiles; a segment's members) used to ask the store to filter and order every scored profile
or relationship of the run and skip to the page: tens of milliseconds per request on 100k profiles,
and queueing behind one another under load. What decides a page's membership and order is fixed
once a run is published: scores, ranks, communities, roles and stances are stamped with the run id
and never change afterwards. So each API process reads them once per run (:class:`RunReadModel`,
one query per label or relationship type) and answers "which profiles, in which order" from memory;
the rows themselves are then read from the store by id, with the same columns as the catalogue query
they replace (``api.influencers`` → ``api.influencers_by_ids``, …). Reading the rows keeps what can
change between runs current (a handle renamed by ingest, a customer's email and consent), and an
erased profile simply has no row. Segment members (pages and exports) go further: their run's
columns come from the model too (:meth:`RunReadModel.member_rows`), and the store is asked only for
what can change, each member's handle and customers (``api.segment_member_profiles``,
``api.segment_member_customers``), so an export's chunk of 5,000 members parses two columns, not ten.

Never a mix of runs, a new run promptly: every request looks up the current run first (one
indexed read, as before: :func:`usecases.paging.read_page` or :func:`~usecases.paging.resume`, whose
``fetch`` then reads the page) and asks :func:`read_model` for *that* run's model; the rows-by-id queries
are filtered on the same run id. The model of another run is built on first use (one build per
run and process at a time; concurrent requests for it wait), then replaces the older one: nothing
needs to announce a run switch, so a run published by another process (the CLI) is seen by the
next request, and each uvicorn worker holds its own model.

Order is exactly the catalogue's: pages keyset-paged on a rank are ``rank ASC, id ASC``; segment
members are ``score DESC, id ASC`` (a null score first, as Neo4j sorts it). A segment filter on
activity or, outside a brand's advocates and detractors, on sentiment depends on posts, which change
between runs: those members are still selected by the store query (:meth:`RunReadModel.segment_ids`
answers ``None``). Profile ids are compared by code point (Python's ``str`` order), which is the
engines' order for ids without characters beyond the Basic Multilingual Plane.

Memory: a few Python objects per scored profile and ranked relationship (about 100 bytes each),
shared by every scope; the filtered and sorted index lists are kept per filter, at most
:data:`FILTERED_LISTS` of them per run.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.inline import may_wait, waiting_for
from graph.store import CypherGraphStore
from usecases.collector import after_long_lived_build

Row = dict[str, Any]
STANCE_KINDS = ("influences", "advocates", "detractors", "mixed")
FILTERED_LISTS = 256
_NONE_FIRST = float("inf")  # sorts a null score before every other under score DESC, as Neo4j does


@dataclass(frozen=True)
class Filters:
    """Conditions on a profile (and on its relationship's mean sentiment) that the model can check."""

    roles: tuple[str, ...]
    community: int | None = None
    platform: str | None = None
    min_influence: float | None = None
    sentiment_min: float | None = None
    sentiment_max: float | None = None


@dataclass
class _Ranked:
    """Rows of one scope: profile positions with their rank, score and mean sentiment."""

    ids: list[str]  # the model's profile ids, shared by every scope
    profile: list[int] = field(default_factory=list)
    rank: list[int | None] = field(default_factory=list)
    score: list[float | None] = field(default_factory=list)
    mean_sentiment: list[float | None] = field(default_factory=list)

    def by_rank(self) -> list[int]:
        """Row positions in ``rank ASC, id ASC`` order (rows without a rank left out)."""
        return sorted(
            (i for i, rank in enumerate(self.rank) if rank is not None),
            key=lambda i: (self.rank[i], self.ids[self.profile[i]]),
        )


class RunReadModel:
    """One run's ranked lists (see the module docstring). Thread-safe; built by :meth:`load`."""

    def __init__(self, run_id: str, profiles: dict[str, list[Any]], stances: dict[str, list[Row]]) -> None:
        self.run_id = run_id
        self.ids: list[str] = [str(i) for i in profiles.get("id", [])]
        self.influence: list[float | None] = list(profiles.get("influence", []))
        self.community: list[int | None] = list(profiles.get("community", []))
        self.platform: list[str | None] = list(profiles.get("platform", []))
        self.role: list[str] = list(profiles.get("role", []))
        self._position = {pid: i for i, pid in enumerate(self.ids)}
        profile_rank = list(profiles.get("rank", []))
        self._stored_rank = profile_rank  # as stored (an unscored profile's -1 too): segment rows show it
        self._profiles = _Ranked(
            ids=self.ids,
            profile=list(range(len(self.ids))),
            rank=[r if isinstance(r, int) and r > 0 else None for r in profile_rank],
            score=self.influence,
            mean_sentiment=[None] * len(self.ids),
        )
        self._stances: dict[tuple[str, str], _Ranked] = {}
        for kind, rows in stances.items():
            for row in rows:
                position = self._position.get(row["id"])
                if position is None:
                    continue  # a relationship of a profile not stamped with this run: the store skips it too
                ranked = self._stances.setdefault((kind, row["brand"]), _Ranked(ids=self.ids))
                ranked.profile.append(position)
                ranked.rank.append(row.get("rank"))
                ranked.score.append(row.get("score"))
                ranked.mean_sentiment.append(row.get("mean_sentiment"))
        self._orders: dict[Hashable, Any] = {}  # per scope: its order, and that order by community
        self._lists: OrderedDict[Hashable, list[int]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def load(cls, store: CypherGraphStore, run_id: str) -> RunReadModel:
        """Read run ``run_id``'s ranked columns from ``store`` (one query per label/relationship type)."""
        params = {"run_id": run_id}
        profiles = store.run_column_major("api.read_model_profiles", params)
        stances: dict[str, list[Row]] = {}
        for kind in STANCE_KINDS:
            columns = store.run_column_major(f"api.read_model_{kind}", params)
            names = list(columns)
            stances[kind] = [
                dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)
            ]
        return cls(run_id, profiles, stances)

    def has_community(self, community: int) -> bool:
        """Whether the run placed any profile in ``community`` (-1, "in no community", is none)."""
        known = self._orders.get("communities")
        if known is None:  # two threads may both build it once: same result
            may_wait("a read-model build")
            known = self._orders["communities"] = frozenset(
                c for c in self.community if c is not None and c >= 0
            )
        return community in known

    # -- pages keyset-paged on a rank -------------------------------------------------------------

    def ranked_ids(
        self, filters: Filters, after: int, *, brand: str | None = None, kind: str = "influences"
    ) -> Sequence[str]:
        """Ids with rank > ``after`` in ``rank ASC, id ASC`` order: the run's profiles by influence
        rank, or brand ``brand``'s ``kind`` relationships (``influences``, ``advocates``, …)."""
        ranked = self._profiles if brand is None else self._stances.get((kind, brand))
        if ranked is None:
            return []
        rows = self._filtered(("rank", brand, kind), ranked, filters, ranked.by_rank)
        start = bisect_right(rows, after, key=lambda i: ranked.rank[i])  # type: ignore[arg-type,return-value]
        return _IdView(self.ids, ranked.profile, rows, start)

    # -- segment members, ordered by score --------------------------------------------------------

    def segment_ids(self, filters: Filters, *, brand: str | None, kind: str) -> Sequence[str]:
        """Member ids in ``score DESC, id ASC`` order: every profile the run scored, by influence
        (``brand`` None), or brand ``brand``'s ``kind`` relationships."""
        ranked = self._profiles if brand is None else self._stances.get((kind, brand))
        if ranked is None:
            return []

        def by_score() -> list[int]:
            def order(i: int) -> tuple[float, str]:
                score = ranked.score[i]
                return (_NONE_FIRST if score is None else -score, self.ids[ranked.profile[i]])

            rows = range(len(ranked.profile))
            if brand is None:  # every *scored* profile: one the run ranked (not an unscored rank -1)
                rows = [i for i in rows if ranked.rank[i] is not None]  # type: ignore[assignment]
            return sorted(rows, key=order)

        rows = self._filtered(("score", brand, kind), ranked, filters, by_score)
        return _IdView(self.ids, ranked.profile, rows, 0)

    def member_rows(
        self, ids: Sequence[str], *, brand: str | None, kind: str, sentiment: bool
    ) -> dict[str, Row]:
        """The run's own columns of segment members ``ids`` (ids of :meth:`segment_ids` for the same
        ``brand`` and ``kind``), by id: ``run_id``, ``id``, ``platform``, ``community``, ``role``,
        ``influence``, and the scope's ``score``, ``rank`` and ``mean_sentiment``, as the catalogue's
        segment queries return them (``mean_sentiment`` None unless ``sentiment``: the lists whose mean
        sentiment is computed from posts). What can change between runs (the handle, the customers)
        is not here: it is read from the store."""
        ranked = self._profiles if brand is None else self._stances[(kind, brand)]
        rank = self._stored_rank if brand is None else ranked.rank
        row_of = self._row_of(brand, kind, ranked)
        position_of = self._position
        rows: dict[str, Row] = {}
        for pid in ids:
            p = position_of[pid]
            i = row_of(p)
            rows[pid] = {
                "run_id": self.run_id,
                "id": pid,
                "platform": self.platform[p],
                "community": self.community[p],
                "role": self.role[p],
                "influence": self.influence[p],
                "score": ranked.score[i],
                "rank": rank[i],
                "mean_sentiment": ranked.mean_sentiment[i] if sentiment else None,
            }
        return rows

    def _row_of(self, brand: str | None, kind: str, ranked: _Ranked) -> Callable[[int], int]:
        """Profile position -> its row in the scope (the same number for the profiles' own scope)."""
        if brand is None:
            return lambda p: p
        key = ("rows", brand, kind)
        index = self._orders.get(key)
        if index is None:  # two threads may both build it once: same result
            may_wait("a read-model build")
            index = self._orders[key] = {p: i for i, p in enumerate(ranked.profile)}
        return index.__getitem__

    def _filtered(
        self, scope: tuple[Hashable, ...], ranked: _Ranked, filters: Filters, order: Callable[[], list[int]]
    ) -> list[int]:
        """The rows of ``scope`` in ``order`` that pass ``filters``: the scope's order is sorted once,
        split by community in one pass, and each filter's list is kept (least recently used out)."""
        key = (*scope, filters)
        with self._lock:
            rows = self._lists.get(key)
            if rows is not None:
                self._lists.move_to_end(key)
                return rows
        may_wait("a read-model build")  # the list, and the order and groups it is made from
        candidates = self._ordered(scope, order)
        if filters.community is not None:
            candidates = self._by_community(scope, ranked, candidates).get(filters.community, [])
        rows = [i for i in candidates if self._keeps(ranked, i, filters)]
        with self._lock:
            self._lists[key] = rows
            while len(self._lists) > FILTERED_LISTS:
                self._lists.popitem(last=False)
        after_long_lived_build()
        return rows

    def _ordered(self, scope: tuple[Hashable, ...], order: Callable[[], list[int]]) -> list[int]:
        rows = self._orders.get(scope)
        if rows is None:  # two threads may both sort it once: same result, no lock held meanwhile
            rows = self._orders[scope] = order()
        return rows

    def _by_community(
        self, scope: tuple[Hashable, ...], ranked: _Ranked, rows: list[int]
    ) -> dict[int | None, list[int]]:
        key = (*scope, "communities")
        groups = self._orders.get(key)
        if groups is None:
            groups = {}
            for i in rows:
                groups.setdefault(self.community[ranked.profile[i]], []).append(i)
            self._orders[key] = groups
        return groups

    def _keeps(self, ranked: _Ranked, i: int, f: Filters) -> bool:
        p = ranked.profile[i]
        if self.role[p] not in f.roles:
            return False
        if f.community is not None and self.community[p] != f.community:
            return False
        if f.platform is not None and self.platform[p] != f.platform:
            return False
        if f.min_influence is not None:
            influence = self.influence[p]
            if influence is None or influence < f.min_influence:
                return False
        if f.sentiment_min is not None or f.sentiment_max is not None:
            mean = ranked.mean_sentiment[i]
            if mean is None:
                return False
            if f.sentiment_min is not None and mean < f.sentiment_min:
                return False
            if f.sentiment_max is not None and mean > f.sentiment_max:
                return False
        return True


class _IdView(Sequence[str]):
    """Profile ids of ``rows[start:]`` without copying them."""

    def __init__(self, ids: list[str], profile: list[int], rows: list[int], start: int) -> None:
        self._ids, self._profile, self._rows, self._start = ids, profile, rows, start

    def __len__(self) -> int:
        return len(self._rows) - self._start

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            begin, end, step = index.indices(len(self))
            return [
                self._ids[self._profile[r]]
                for r in self._rows[self._start + begin : self._start + end : step]
            ]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._ids[self._profile[self._rows[self._start + index]]]


_MAX_WINDOW = 5_000
"""The most ids :func:`positioned_rows` reads at once."""


def rows_in_order(ids: Sequence[str], count: int, fetch: Callable[[list[str]], list[Row]]) -> list[Row]:
    """The store rows of ``ids``, in that order, until ``count`` of them: ``fetch(some_ids)`` reads rows
    by id; an id it gives no row for (an erased profile) is skipped and the next one taken."""
    return [row for _, row in positioned_rows(ids, count, fetch)]


def positioned_rows(
    ids: Sequence[str],
    count: int,
    fetch: Callable[[list[str]], list[Row]],
    *,
    start: int = 0,
    stop: int | None = None,
) -> list[tuple[int, Row]]:
    """``(position, row)`` of the first ``count`` ids of ``ids[start:stop]`` that ``fetch`` gives a row
    for, in order, ``position`` being the id's index in ``ids`` (see :func:`rows_in_order`).

    An offset into a list with erased members is a position, not a count of rows: the rows of
    ``ids[0:10]`` with one erased are 9, and the next read starts at 10, not 9.

    A read that finds ids without rows widens the next one (doubling, up to
    :data:`_MAX_WINDOW`): a long stretch of ids with no row (a kept older run's order, whose profiles
    now carry the new run) costs a few reads, not one per ``count`` ids.
    """
    end = len(ids) if stop is None else min(stop, len(ids))
    found_rows: list[tuple[int, Row]] = []
    position = start
    window = count
    while len(found_rows) < count and position < end:
        size = max(count - len(found_rows), window)
        wanted = ids[position : min(end, position + size)]
        found = {row["id"]: row for row in fetch(list(wanted))}
        found_rows.extend((position + k, found[pid]) for k, pid in enumerate(wanted) if pid in found)
        position += len(wanted)
        if len(found) < len(wanted):
            window = min(2 * window, _MAX_WINDOW)
    return found_rows[:count]


class RunReadModels:
    """The read models of the runs most recently asked for, per store (one per API process).

    Two are kept: a request that looked up the current run just before a switch still finds its
    run's model, and the new run's model is not rebuilt for it. The least recently *used* goes
    first, not the first built: a request that looked up an older run just before a switch may
    build that run's model after the current one's, and evicting in build order would then drop
    the current run's model at the next switch (rebuilt from profiles already stamped with the new
    run, it is empty).
    """

    KEPT = 2

    def __init__(self) -> None:
        self._models: OrderedDict[str, RunReadModel] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, store: CypherGraphStore, run_id: str) -> RunReadModel:
        model = self._models.get(run_id)
        if model is not None:
            # without the lock, which a build holds for a second or more; the model may have just
            # been evicted by that build, and then there is nothing to move
            with contextlib.suppress(KeyError):
                self._models.move_to_end(run_id)
            return model
        with waiting_for(self._lock, "a read-model build"):  # one build at a time; the others wait for it
            model = self._models.get(run_id)
            if model is None:
                model = RunReadModel.load(store, run_id)
                self._models[run_id] = model
                while len(self._models) > self.KEPT:
                    self._models.popitem(last=False)
                after_long_lived_build()
            return model


_MODELS: weakref.WeakKeyDictionary[CypherGraphStore, RunReadModels] = weakref.WeakKeyDictionary()
_MODELS_LOCK = threading.Lock()


def read_model(store: CypherGraphStore, run_id: str) -> RunReadModel:
    """Run ``run_id``'s read model for ``store``, built on first use.

    Held per store object (the API process opens one store in its lifespan), so the use cases that
    take a store need no other argument; it goes away with the store.
    """
    with _MODELS_LOCK:
        models = _MODELS.get(store)
        if models is None:
            models = _MODELS[store] = RunReadModels()
    return models.get(store, run_id)
