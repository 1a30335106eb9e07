"""Reading the analysis projection out of the store, fast: columns of integers, aggregated with numpy.

Every read here is a catalogue query under ``cypher/projection/`` that returns **internal node ids**
(``id(n)``: small integers, cheap to transfer) and is paged by ranges of the scanned node's internal
id, ``WHERE id(q) >= $lo AND id(q) < $hi`` (FalkorDB answers that with a label-and-id range scan; pages
never use string-key ranges, which FalkorDB does not honour on indexed strings). Page widths adapt so
a page holds about ``page_rows`` rows. One query per page and kind — never one per node. The string
ids arrive once, from :func:`read_profiles`, and positions into that index are what the columns hold.

Engagement arrives one row per interaction, ``(source, target, time)`` — three integers, the
cheapest reply FalkorDB can send (its verbose reply form, parsed straight into numpy by the
engine) — and is aggregated here with numpy per ``(source, target)`` pair and kind: the number of
interactions and the sum of their decay factors ``0.5 ** (age / half_life)`` (age relative to
``as_of``, interactions after ``as_of`` count 1), the same per-interaction factor as
:func:`algorithms.projection.decayed_weights`. The caller multiplies by the per-kind weight. Because
the times arrive, the default ``as_of`` (the newest interaction) comes with them: no extra scan.
Endpoints that are not profiles (impossible through the write path, which links only nodes of the
model's labels) are left out here, by their position, rather than by label checks in the queries.

All the pages of one pass (profiles and the four kinds, each in id-range slices) share a few
threads, each on its own connection (:func:`_read_concurrently`): the server's two query threads
stay busy until the last page, and the pages come back in id order, so the result does not depend
on paging or timing. Relationship types the store has none of are not read at all.
Speed: ``bench/analyze.py`` prints the projection's interactions/s on Higgs and a 1M graph.

This module returns plain columns (numpy arrays and lists); turning them into the algorithms'
graphs is the caller's business (``graph`` never imports ``algorithms``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from graph.store import CypherGraphStore

ENGAGEMENT_KINDS: tuple[str, ...] = ("reply", "mention", "share", "like")
"""Interaction kinds in code order (``EngagementColumns.kind`` holds indexes into this tuple)."""

_ENGAGEMENT_QUERIES = {
    "reply": "projection.engagement_replies",
    "mention": "projection.engagement_mentions",
    "share": "projection.engagement_shares",
    "like": "projection.engagement_likes",
}
_EDGE_TIME_QUERIES = {  # the same rows with the edge's own time only (cheaper; null where it has none)
    "share": "projection.engagement_shares_edge_time",
    "like": "projection.engagement_likes_edge_time",
}
_ENGAGEMENT_TYPES = {  # relationship types each kind's query needs (without one, the kind has no rows)
    "reply": {"POSTED", "REPLY_TO"},
    "mention": {"POSTED", "MENTIONS"},
    "share": {"POSTED", "SHARED"},
    "like": {"POSTED", "LIKED"},
}
DEFAULT_READ_WORKERS = 4  # pages in flight: the server's 2 threads run two while Python parses others
NULL_INTEGER = np.iinfo(np.int64).min  # a null in an integer column (a time missing on both edge and post)


@dataclass(frozen=True, eq=False)
class ProfileIndex:
    """Every Profile of the store: internal id, string id, and stored community (``-1``/None if none).

    Positions into :attr:`ids` are the node numbers used by every column in this module.
    """

    internal: np.ndarray
    ids: tuple[str, ...]
    community: tuple[int | None, ...]

    def positions(self, internal_ids: np.ndarray) -> np.ndarray:
        """Positions of ``internal_ids`` in this index; ``-1`` for ids it does not hold."""
        internal_ids = np.asarray(internal_ids, dtype=np.int64)
        if self.internal.size == 0 or internal_ids.size == 0:
            return np.full(internal_ids.shape, -1, dtype=np.int64)
        bound = int(max(self.internal.max(), internal_ids.max())) + 1
        lookup = np.full(bound, -1, dtype=np.int64)
        lookup[self.internal] = np.arange(self.internal.size)
        return lookup[internal_ids]

    def previous_membership(self) -> dict[str, int]:
        """The stored ``community`` of every profile that has one (>= 0): the last run's partition."""
        return {
            node_id: int(c)
            for node_id, c in zip(self.ids, self.community, strict=True)
            if c is not None and c >= 0
        }


@dataclass(frozen=True, eq=False)
class EngagementColumns:
    """Engagement aggregated per ``(source, target, kind)``; positions index ``profiles.ids``.

    ``interactions`` counts the interactions of the group; ``decayed`` sums their decay factors
    ``0.5 ** (max(as_of - t, 0) / half_life)`` in ``(0, interactions]`` (equal to ``interactions``
    when ``half_life_ms`` is None). Self-interactions (replying to one's own post) are left out.
    """

    profiles: ProfileIndex
    source: np.ndarray
    target: np.ndarray
    kind: np.ndarray
    interactions: np.ndarray
    decayed: np.ndarray
    as_of_ms: int
    half_life_ms: float | None
    dropped_rows: int = 0  # interactions with an endpoint not in the profile index (e.g. created later)
    latest_ms: int | None = None  # newest interaction read (self-interactions included), None if none


@dataclass(frozen=True, eq=False)
class EdgeColumns:
    """Directed edges as positions into ``profiles.ids``, with an optional value per edge."""

    profiles: ProfileIndex
    source: np.ndarray
    target: np.ndarray
    value: np.ndarray | None = None


@dataclass(frozen=True)
class BrandPostColumns:
    """Posts about brands that carry a sentiment, with the engagement each received."""

    profile: list[str]
    brand: list[str]
    post: list[str]
    sentiment: list[float]
    created_at: list[int]
    engagement: list[int]


def _read_columns(
    store: CypherGraphStore, name: str, params: Mapping[str, Any] | None = None, *, typed: bool = True
) -> dict[str, list]:
    """Run catalogue query ``name`` and return ``{column: values}`` through the engine's columnar read.

    ``typed=False`` lets an engine skip value types: for queries returning only integers, strings
    and nulls (see :meth:`graph.engines.base.Engine.read_column_major`).
    """
    # The cyclic collector is left as the program set it: it is process-wide, and this runs in the
    # API's analysis thread too. `rapport analyze` (an entry point) runs it less often, see there.
    return store.run_column_major(name, params, typed=typed)


def relationship_types(store: CypherGraphStore) -> frozenset[str]:
    """The relationship types present in the store (a reader skips a type that is absent)."""
    return frozenset(_read_columns(store, "projection.relationship_types").get("type", []))


def max_node_id(store: CypherGraphStore) -> int:
    """The largest internal node id in the store (``-1`` when it is empty)."""
    columns = _read_columns(store, "projection.node_id_bound")
    values = columns.get("max_id") or [None]
    return -1 if values[0] is None else int(values[0])


def _read_integers(store: CypherGraphStore, name: str, params: Mapping[str, Any]) -> np.ndarray:
    """Run catalogue query ``name`` (integer or null values only): a ``rows x columns`` int64 matrix.

    Nulls become :data:`NULL_INTEGER` (:meth:`graph.engines.base.Engine.read_integer_matrix`).
    """
    return store.run_integer_matrix(name, params, null=NULL_INTEGER)


def _page_rows(store: CypherGraphStore, page_rows: int | None) -> int:
    """Rows per projection page: as asked, else what suits the engine (``Engine.projection_page_rows``)."""
    return page_rows if page_rows is not None else store.engine.projection_page_rows


def _first_width(page_rows: int) -> int:
    return max(1024, page_rows // 4)


def _next_width(width: int, rows: int, page_rows: int) -> int:
    """The width of the next id range: ``page_rows`` at the last page's density, within x4 of its width."""
    scale = page_rows / max(rows, 1)
    return int(min(max(width * scale, width / 4, 1024), width * 4))


class _RangeCursor:
    """The id ranges ``[lo, hi)`` of one paged read over ``[start, bound]``, handed out on demand.

    A range is as wide as the newest finished page says will hold about ``page_rows`` rows; the
    finished pages are kept by their start, so :meth:`pages` returns them in id order whichever
    finished first (and the rows come out in the order one query over the whole range gives).
    """

    def __init__(
        self,
        read: Callable[[Mapping[str, Any]], Any],
        size: Callable[[Any], int],
        bound: int,
        page_rows: int,
        *,
        start: int = 0,
    ) -> None:
        self.read, self.size, self.bound, self.page_rows = read, size, bound, page_rows
        self.lo, self.width = start, _first_width(page_rows)
        self._pages: dict[int, Any] = {}

    def take(self) -> tuple[int, int] | None:
        if self.lo > self.bound:
            return None
        lo, self.lo = self.lo, min(self.lo + self.width, self.bound + 1)
        return lo, self.lo

    def finish(self, lo: int, hi: int, page: Any) -> None:
        rows = self.size(page)
        if rows:
            self._pages[lo] = page
        self.width = _next_width(hi - lo, rows, self.page_rows)

    def pages(self) -> list[Any]:
        return [self._pages[lo] for lo in sorted(self._pages)]


def _slices(
    read: Callable[[Mapping[str, Any]], Any],
    size: Callable[[Any], int],
    bound: int,
    page_rows: int,
    parts: int,
) -> list[_RangeCursor]:
    """``parts`` cursors over equal slices of ``[0, bound]``, in id order: one read, several threads.

    (Without slices, a read's pages run one after another; a sparse read, such as the posts about
    brands, has its rows in a few wide pages, and a dense one leaves its last page running alone.)
    """
    step = bound // max(parts, 1) + 1
    return [
        _RangeCursor(read, size, min(start + step, bound + 1) - 1, page_rows, start=start)
        for start in range(0, bound + 1, step)
    ]


def _read_concurrently(cursors: list[_RangeCursor], workers: int) -> None:
    """Read every page of every cursor with ``workers`` threads (each on its own connection).

    A free thread takes the next range of the next cursor in turn: all reads advance together and,
    once one runs out of ranges, the threads help finish the others, so the server's threads stay
    busy to the end.
    """
    lock = threading.Lock()
    stop = threading.Event()
    turn = 0

    def next_task() -> tuple[_RangeCursor, int, int] | None:
        nonlocal turn
        with lock:
            for step in range(len(cursors)):
                cursor = cursors[(turn + step) % len(cursors)]
                taken = cursor.take()
                if taken is not None:
                    turn = (turn + step + 1) % len(cursors)
                    return cursor, *taken
        return None

    def work() -> None:
        try:
            while not stop.is_set() and (task := next_task()) is not None:
                cursor, lo, hi = task
                page = cursor.read({"lo": lo, "hi": hi})
                with lock:
                    cursor.finish(lo, hi, page)
        except BaseException:
            stop.set()  # the other threads take no further pages
            raise

    workers = max(1, min(workers, len(cursors)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="projection") as pool:
        for running in [pool.submit(work) for _ in range(workers)]:
            running.result()


def _read_pages(
    read: Callable[[Mapping[str, Any]], Any],
    size: Callable[[Any], int],
    bound: int,
    page_rows: int,
    workers: int = DEFAULT_READ_WORKERS,
) -> list[Any]:
    """Every non-empty page of ``read({lo, hi})`` over ``[0, bound]``, in id order, read by ``workers`` threads."""
    cursors = _slices(read, size, bound, page_rows, workers)
    _read_concurrently(cursors, workers)
    return [page for cursor in cursors for page in cursor.pages()]


def _column_reader(
    store: CypherGraphStore, name: str, *, typed: bool = True
) -> Callable[[Mapping[str, Any]], dict[str, list]]:
    return lambda params: _read_columns(store, name, params, typed=typed)


def _column_rows(page: dict[str, list]) -> int:
    return len(next(iter(page.values()), []))


def _integer_reader(store: CypherGraphStore, name: str) -> Callable[[Mapping[str, Any]], np.ndarray]:
    return lambda params: _read_integers(store, name, params)


def _matrix_rows(matrix: np.ndarray) -> int:
    return int(matrix.shape[0])


def _concat(pages: list[dict[str, list]], column: str, dtype: Any) -> np.ndarray:
    if not pages:
        return np.zeros(0, dtype=dtype)
    return np.concatenate([np.asarray(page[column], dtype=dtype) for page in pages])


def read_profiles(
    store: CypherGraphStore, *, bound: int | None = None, page_rows: int | None = None
) -> ProfileIndex:
    """Every Profile's internal id, string id and stored community, in internal-id order."""
    bound = max_node_id(store) if bound is None else bound
    page_rows = _page_rows(store, page_rows)
    return _profile_index(_read_pages(_profile_reader(store), _column_rows, bound, page_rows))


def _profile_reader(store: CypherGraphStore) -> Callable[[Mapping[str, Any]], dict[str, list]]:
    return _column_reader(store, "projection.profiles", typed=False)  # integers and strings only


def _profile_index(pages: list[dict[str, list]]) -> ProfileIndex:
    ids: list[str] = [node_id for page in pages for node_id in page["id"]]
    # untyped read: an integer arrives as int; anything else as its text (a double "3.0")
    community = [
        None if c is None else c if type(c) is int else int(float(c))
        for page in pages
        for c in page["community"]
    ]
    return ProfileIndex(_concat(pages, "node", np.int64), tuple(ids), tuple(community))


def latest_interaction_ms(store: CypherGraphStore) -> int | None:
    """Epoch ms of the newest reply, mention, share or like between two profiles (None if none)."""
    columns = _read_columns(store, "projection.latest_interaction")
    values = [int(v) for v in columns.get("latest", []) if v is not None]
    return max(values) if values else None


def read_engagement(
    store: CypherGraphStore,
    profiles: ProfileIndex,
    *,
    as_of_ms: int | None,
    half_life_ms: float | None,
    bound: int | None = None,
    page_rows: int | None = None,
    workers: int = DEFAULT_READ_WORKERS,
) -> EngagementColumns:
    """Engagement per ``(source, target, kind)``: interaction counts and summed decay factors.

    Parameters
    ----------
    store : CypherGraphStore
    profiles : ProfileIndex
        From :func:`read_profiles` (positions in the result index it).
    as_of_ms : int or None
        Reference time of the decay, epoch milliseconds; None = the newest interaction read
        (:attr:`EngagementColumns.latest_ms`, the same as :func:`latest_interaction_ms`), or the
        current time when there is none.
    half_life_ms : float or None
        Decay half-life in milliseconds (> 0); None turns decay off (every factor is 1).
    bound : int, optional
        Largest internal node id (read once by the caller to share between reads).
    page_rows : int
        Target rows per page (bounds the size of one reply; ~100k rows is ~4 MB).
    workers : int
        Pages read concurrently, each on its own connection (the pages of all kinds share them).
    """
    _check_half_life(half_life_ms)
    bound = max_node_id(store) if bound is None else bound
    page_rows = _page_rows(store, page_rows)
    kinds = _engagement_slices(store, bound, page_rows)
    _read_concurrently([cursor for slices in kinds.values() for cursor in slices], workers)
    return _aggregate_engagement(_engagement_rows(kinds), profiles, as_of_ms, half_life_ms)


def read_profiles_and_engagement(
    store: CypherGraphStore,
    *,
    as_of_ms: int | None,
    half_life_ms: float | None,
    bound: int | None = None,
    page_rows: int | None = None,
    workers: int = DEFAULT_READ_WORKERS,
) -> tuple[ProfileIndex, EngagementColumns]:
    """:func:`read_profiles` and :func:`read_engagement` in one concurrent pass: the profile pages
    share the threads with the engagement pages (the profiles are only needed to map ids afterwards)."""
    _check_half_life(half_life_ms)
    bound = max_node_id(store) if bound is None else bound
    page_rows = _page_rows(store, page_rows)
    profiles = _slices(_profile_reader(store), _column_rows, bound, page_rows, _SLICES)
    kinds = _engagement_slices(store, bound, page_rows)
    _read_concurrently([*profiles, *(cursor for slices in kinds.values() for cursor in slices)], workers)
    index = _profile_index([page for cursor in profiles for page in cursor.pages()])
    return index, _aggregate_engagement(_engagement_rows(kinds), index, as_of_ms, half_life_ms)


@dataclass(frozen=True, eq=False)
class InteractionRows:
    """Every interaction between two distinct profiles, one row each, unaggregated (for exports).

    ``source`` and ``target`` are positions into ``profiles.ids``; ``kind`` indexes
    :data:`ENGAGEMENT_KINDS`; ``time_ms`` is epoch ms, :data:`NULL_INTEGER` where neither the edge nor
    its post has a time. The rows are those :func:`read_engagement` aggregates (self-interactions and
    endpoints that are not profiles left out the same way).
    """

    profiles: ProfileIndex
    source: np.ndarray
    target: np.ndarray
    kind: np.ndarray
    time_ms: np.ndarray


def read_interactions(
    store: CypherGraphStore,
    *,
    page_rows: int | None = None,
    workers: int = DEFAULT_READ_WORKERS,
) -> InteractionRows:
    """The profiles and every interaction row, in the same concurrent paged pass as the analysis."""
    bound = max_node_id(store)
    profiles = _slices(_profile_reader(store), _column_rows, bound, _page_rows(store, page_rows), _SLICES)
    kinds = _engagement_slices(store, bound, _page_rows(store, page_rows))
    _read_concurrently([*profiles, *(cursor for slices in kinds.values() for cursor in slices)], workers)
    index = _profile_index([page for cursor in profiles for page in cursor.pages()])
    matrices = _engagement_rows(kinds)
    kind = np.concatenate([np.full(m.shape[0], code, dtype=np.int8) for code, m in enumerate(matrices)])
    rows = np.concatenate(matrices) if kind.size else np.zeros((0, 3), dtype=np.int64)
    source = index.positions(rows[:, 0])
    target = index.positions(rows[:, 1])
    keep = (rows[:, 0] != rows[:, 1]) & (source >= 0) & (target >= 0)
    return InteractionRows(index, source[keep], target[keep], kind[keep], rows[keep, 2])


def _check_half_life(half_life_ms: float | None) -> None:
    if half_life_ms is not None and not half_life_ms > 0:
        raise ValueError("half_life_ms must be > 0 or None")


_SLICES = 2  # id-range slices per read in the engagement pass (the threads finish together)


def _engagement_slices(store: CypherGraphStore, bound: int, page_rows: int) -> dict[str, list[_RangeCursor]]:
    """Cursors per interaction kind whose relationship types the store has (the others have no rows)."""
    present = relationship_types(store)
    return {
        kind: _slices(_engagement_reader(store, kind), _matrix_rows, bound, page_rows, _SLICES)
        for kind in ENGAGEMENT_KINDS
        if _ENGAGEMENT_TYPES[kind] <= present
    }


def _engagement_reader(store: CypherGraphStore, kind: str) -> Callable[[Mapping[str, Any]], np.ndarray]:
    """Reads a page of one kind's interactions: with the edge's own time where the kind has a query
    for that, re-read with the post's time as the fallback only for a page where an edge has none."""
    complete = _integer_reader(store, _ENGAGEMENT_QUERIES[kind])
    if kind not in _EDGE_TIME_QUERIES:
        return complete
    edge_time = _integer_reader(store, _EDGE_TIME_QUERIES[kind])

    def read(params: Mapping[str, Any]) -> np.ndarray:
        page = edge_time(params)
        if page.size and (page[:, 2] == NULL_INTEGER).any():
            return complete(params)
        return page

    return read


def _engagement_rows(kinds: dict[str, list[_RangeCursor]]) -> list[np.ndarray]:
    """Per kind in :data:`ENGAGEMENT_KINDS` order, one ``(source node, target node, time)`` row per interaction."""
    rows = []
    for kind in ENGAGEMENT_KINDS:
        pages = [page for cursor in kinds.get(kind, []) for page in cursor.pages()]
        rows.append(np.concatenate(pages) if pages else np.zeros((0, 3), dtype=np.int64))
    return rows


def _aggregate_engagement(
    matrices: list[np.ndarray], profiles: ProfileIndex, as_of_ms: int | None, half_life_ms: float | None
) -> EngagementColumns:
    kind = np.concatenate([np.full(m.shape[0], code, dtype=np.int64) for code, m in enumerate(matrices)])
    rows = np.concatenate(matrices) if kind.size else np.zeros((0, 3), dtype=np.int64)
    at = rows[:, 2]
    timed = at != NULL_INTEGER
    latest = int(at[timed].max()) if timed.any() else None
    if as_of_ms is None:
        as_of_ms = latest if latest is not None else int(time.time() * 1000)
    not_self = rows[:, 0] != rows[:, 1]
    source = profiles.positions(rows[:, 0])
    target = profiles.positions(rows[:, 1])
    known = (source >= 0) & (target >= 0)
    keep = known & not_self
    source, target, kind, at, timed = source[keep], target[keep], kind[keep], at[keep], timed[keep]
    if half_life_ms is None:
        factor = np.ones(at.size)
    else:
        age = np.maximum(int(as_of_ms) - at, 0).astype(np.float64)
        factor = np.where(timed, 0.5 ** (age / float(half_life_ms)), 0.0)  # null time: no weight
    n = max(len(profiles.ids), 1)
    keys, inverse = np.unique((source * n + target) * len(ENGAGEMENT_KINDS) + kind, return_inverse=True)
    inverse = inverse.reshape(-1)
    count = np.bincount(inverse, minlength=keys.size).astype(np.int64)
    decayed = np.bincount(inverse, weights=factor, minlength=keys.size)
    if half_life_ms is None:
        decayed = count.astype(np.float64)
    pair, kind_code = np.divmod(keys, len(ENGAGEMENT_KINDS))
    return EngagementColumns(
        profiles,
        pair // n,
        pair % n,
        kind_code.astype(np.int8),
        count,
        decayed,
        int(as_of_ms),
        half_life_ms,
        int((~known & not_self).sum()),
        latest,
    )


def read_follows(
    store: CypherGraphStore, profiles: ProfileIndex, *, bound: int | None = None, page_rows: int | None = None
) -> EdgeColumns:
    """Every ``(follower)-[:FOLLOWS]->(followed)`` edge as positions into ``profiles``."""
    if "FOLLOWS" not in relationship_types(store):
        return EdgeColumns(profiles, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    bound = max_node_id(store) if bound is None else bound
    page_rows = _page_rows(store, page_rows)
    pages = _read_pages(_integer_reader(store, "projection.follows"), _matrix_rows, bound, page_rows)
    rows = np.concatenate(pages) if pages else np.zeros((0, 2), dtype=np.int64)
    source = profiles.positions(rows[:, 0])
    target = profiles.positions(rows[:, 1])
    known = (source >= 0) & (target >= 0)
    return EdgeColumns(profiles, source[known], target[known])


def read_trust_ratings(
    store: CypherGraphStore,
    profiles: ProfileIndex | None = None,
    *,
    bound: int | None = None,
    page_rows: int | None = None,
) -> EdgeColumns:
    """Every ``(rater)-[:RATED {rating}]->(ratee)``; ``value`` holds the rating (-10..10, < 0 distrust)."""
    bound = max_node_id(store) if bound is None else bound
    page_rows = _page_rows(store, page_rows)
    profiles = read_profiles(store, bound=bound, page_rows=page_rows) if profiles is None else profiles
    rated = "RATED" in relationship_types(store)
    pages = (
        _read_pages(
            _column_reader(store, "projection.trust_ratings"),
            _column_rows,
            bound,
            page_rows,
        )
        if rated
        else []
    )
    source = profiles.positions(_concat(pages, "source", np.int64))
    target = profiles.positions(_concat(pages, "target", np.int64))
    rating = _concat(pages, "rating", np.float64)
    known = (source >= 0) & (target >= 0)
    return EdgeColumns(profiles, source[known], target[known], rating[known])


def read_brand_profiles(store: CypherGraphStore) -> dict[str, list[str]]:
    """Each brand's own profile ids (sorted), from ``(:Brand)-[:HAS_PROFILE]->(:Profile)``."""
    columns = _read_columns(store, "projection.brand_profiles")
    seeds: dict[str, set[str]] = {}
    for brand, profile in zip(columns.get("brand", []), columns.get("profile", []), strict=True):
        seeds.setdefault(brand, set()).add(profile)
    return {brand: sorted(ids) for brand, ids in sorted(seeds.items())}


def read_brand_posts(
    store: CypherGraphStore, *, bound: int | None = None, page_rows: int | None = None
) -> BrandPostColumns:
    """Posts ``(:Profile)-[:POSTED]->(p:Post)-[:ABOUT]->(:Brand)`` with ``p.sentiment`` set.

    ``engagement`` is the number of replies, shares and likes the post received.
    """
    bound = max_node_id(store) if bound is None else bound
    page_rows = _page_rows(store, page_rows)
    about = "ABOUT" in relationship_types(store)
    pages = (
        _read_pages(_column_reader(store, "projection.brand_posts"), _column_rows, bound, page_rows)
        if about
        else []
    )

    def column(name: str) -> list:
        return [value for page in pages for value in page[name]]

    return BrandPostColumns(
        profile=column("profile"),
        brand=column("brand"),
        post=column("post"),
        sentiment=[float(v) for v in column("sentiment")],
        created_at=[int(v) if v is not None else 0 for v in column("created_at")],
        engagement=[int(v) for v in column("engagement")],
    )


@dataclass(frozen=True)
class ProfileRoleEvidence:
    """What the store says about profiles' roles: declared roles, and the handle-less profiles that never posted."""

    declared: dict[str, tuple[str, str]]
    placeholders: list[str]


def read_profile_roles(store: CypherGraphStore) -> ProfileRoleEvidence:
    """Declared roles (``declared_role`` set at ingest) and placeholder profiles (no handle, no posts)."""
    columns = _read_columns(store, "projection.profile_roles")
    declared: dict[str, tuple[str, str]] = {}
    placeholders: list[str] = []
    for profile_id, role, reason, no_handle, posts in zip(
        columns.get("id", []),
        columns.get("declared_role", []),
        columns.get("declared_role_reason", []),
        columns.get("no_handle", []),
        columns.get("posts", []),
        strict=True,
    ):
        if role is not None:
            declared[profile_id] = (str(role), "" if reason is None else str(reason))
        if no_handle in (True, 1, "true") and int(posts or 0) == 0:
            placeholders.append(profile_id)
    return ProfileRoleEvidence(dict(sorted(declared.items())), sorted(placeholders))


@dataclass(frozen=True)
class AuthoredPostColumns:
    """Every non-synthetic post with its author, text, time, sentiment, replied-to author and mentions."""

    author: list[str]
    post: list[str]
    text: list[str]
    created_at: list[int]
    sentiment: list[float | None]
    reply_to_author: list[str | None]
    mentions: list[list[str]]


def read_authored_posts(
    store: CypherGraphStore,
    *,
    bound: int | None = None,
    page_rows: int | None = None,
    texted_only: bool = False,
) -> AuthoredPostColumns:
    """Posts for role detection and screening (``cypher/projection/authored_posts.cypher``), in id order.

    ``texted_only`` reads only the posts that have a text (``authored_texts.cypher``): all that role
    detection and near-duplicate screening can use, and on interaction data without text (Higgs) none
    at all. The posts' authors and times alone come as arrays from :func:`read_post_activity`.
    """
    bound = max_node_id(store) if bound is None else bound
    page_rows = _page_rows(store, page_rows)
    pages = (
        _read_pages(
            _column_reader(
                store, "projection.authored_texts" if texted_only else "projection.authored_posts"
            ),
            _column_rows,
            bound,
            page_rows,
        )
        if "POSTED" in relationship_types(store)
        else []
    )

    def column(name: str) -> list:
        return [value for page in pages for value in page[name]]

    return AuthoredPostColumns(
        author=column("author"),
        post=column("post"),
        text=["" if t is None else str(t) for t in column("text")],
        created_at=[int(v) if v is not None else 0 for v in column("created_at")],
        sentiment=[None if v is None else float(v) for v in column("sentiment")],
        reply_to_author=column("reply_to_author"),
        mentions=[list(m or []) for m in column("mentions")],
    )


@dataclass(frozen=True, eq=False)
class PostActivity:
    """Every non-synthetic post of a profile as three arrays, sorted by the post's internal id.

    ``post`` holds internal node ids (:func:`read_post_ids` turns the few an evidence line needs into
    string ids), ``author`` positions into ``profiles.ids``, ``created_at`` epoch ms (0 where the post
    has no time, as :func:`read_authored_posts` reads it). Arrays instead of one string per post: on a
    graph of 600k posts this is ~14 MB where the string columns take hundreds.
    """

    profiles: ProfileIndex
    post: np.ndarray
    author: np.ndarray
    created_at: np.ndarray


def read_post_activity(
    store: CypherGraphStore,
    profiles: ProfileIndex,
    *,
    bound: int | None = None,
    page_rows: int | None = None,
    workers: int = DEFAULT_READ_WORKERS,
) -> PostActivity:
    """Each non-synthetic post, its author and time (``cypher/projection/post_activity.cypher``), as arrays."""
    empty = np.zeros(0, dtype=np.int64)
    if "POSTED" not in relationship_types(store):
        return PostActivity(profiles, empty, empty, empty)
    bound = max_node_id(store) if bound is None else bound
    page_rows = _page_rows(store, page_rows)
    pages = _read_pages(
        _integer_reader(store, "projection.post_activity"), _matrix_rows, bound, page_rows, workers
    )
    rows = np.concatenate(pages) if pages else np.zeros((0, 3), dtype=np.int64)
    rows = rows[np.argsort(rows[:, 0], kind="stable")]
    author = profiles.positions(rows[:, 1])
    known = author >= 0
    created_at = np.where(rows[:, 2] == NULL_INTEGER, 0, rows[:, 2])
    return PostActivity(profiles, rows[known, 0], author[known], created_at[known])


def read_post_ids(store: CypherGraphStore, nodes: Iterable[int]) -> dict[int, str]:
    """``{internal id: string id}`` of the posts ``nodes`` (one query; ids that are not posts are absent)."""
    wanted = sorted({int(node) for node in nodes})
    if not wanted:
        return {}
    columns = _read_columns(store, "projection.post_ids", {"nodes": wanted}, typed=False)
    return dict(zip((int(node) for node in columns.get("node", [])), columns.get("id", []), strict=True))
