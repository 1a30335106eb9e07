"""The trust network the trust-path endpoint searches: explicit RATED edges plus implicit trust.

Explicit ratings come from ``(:Profile)-[:RATED]->(:Profile)``; implicit trust and distrust from
interactions (:mod:`algorithms.implicit_trust`): likes and shares count positive, replies and
mentions count by the sign of their post's sentiment (``|sentiment| >= 0.05``; neutral ones count for
neither side). Cached per current analysis run id, like :class:`usecases.analysis.TrustGraphCache`.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

from algorithms.implicit_trust import TrustNetwork, TrustOrigin, trust_network
from algorithms.trust import TrustPathSearch
from graph import projection
from graph.errors import NotFound
from graph.inline import waiting_for
from graph.store import CypherGraphStore
from usecases.collector import after_long_lived_build
from usecases.current_run import find_current_run

NEUTRAL_BAND = 0.05
_POSITIVE_KINDS = ("share", "like")


def load_trust_network(store: CypherGraphStore) -> TrustNetwork:
    """Read ratings and interactions from ``store`` and build the merged trust network."""
    bound = projection.max_node_id(store)
    profiles = projection.read_profiles(store, bound=bound)
    ids = profiles.ids
    rated = projection.read_trust_ratings(store, profiles, bound=bound)
    assert rated.value is not None  # trust ratings always carry their value
    ratings = [
        (ids[s], ids[t], float(v))
        for s, t, v in zip(rated.source.tolist(), rated.target.tolist(), rated.value.tolist(), strict=True)
    ]
    positive: Counter[tuple[str, str]] = Counter()
    negative: Counter[tuple[str, str]] = Counter()
    engagement = projection.read_engagement(store, profiles, as_of_ms=None, half_life_ms=None, bound=bound)
    positive_codes = {projection.ENGAGEMENT_KINDS.index(kind) for kind in _POSITIVE_KINDS}
    for s, t, kind, count in zip(
        engagement.source.tolist(),
        engagement.target.tolist(),
        engagement.kind.tolist(),
        engagement.interactions.tolist(),
        strict=True,
    ):
        if kind in positive_codes:
            positive[(ids[s], ids[t])] += int(count)
    posts = projection.read_authored_posts(store, bound=bound)
    for author, sentiment, parent, mentions in zip(
        posts.author, posts.sentiment, posts.reply_to_author, posts.mentions, strict=True
    ):
        if sentiment is None or abs(sentiment) < NEUTRAL_BAND:
            continue
        side = positive if sentiment > 0 else negative
        for target in {*mentions, *([parent] if parent else [])} - {author}:
            side[(author, target)] += 1
    return trust_network(ratings, positive, negative)


class TrustNetworkCache:
    """:func:`load_trust_network` and its :class:`TrustPathSearch`, cached per current analysis run id.

    Thread-safe: one loader at a time; a caller gets the network and the search of one run.
    """

    def __init__(self) -> None:
        self._key: str | None = None
        self._loaded: tuple[TrustNetwork, TrustPathSearch] | None = None
        self._lock = threading.Lock()

    def get(self, store: CypherGraphStore) -> tuple[TrustNetwork, TrustPathSearch]:
        current = find_current_run(store)
        key = current["id"] if current else ""
        with waiting_for(self._lock, "the trust network"):
            if self._loaded is None or key != self._key:
                network = load_trust_network(store)
                self._loaded, self._key = (network, TrustPathSearch(network.graph)), key
                after_long_lived_build()
            return self._loaded


@dataclass(frozen=True)
class TrustHop:
    """One edge of a found path, with where its trust comes from (a rating, or interactions)."""

    source: str
    target: str
    trust: float
    origin: TrustOrigin


@dataclass(frozen=True)
class FoundTrustPath:
    nodes: tuple[str, ...]
    hops: tuple[TrustHop, ...]
    trust: float


def trust_paths(
    cache: TrustNetworkCache, store: CypherGraphStore, source: str, target: str, *, k: int, max_hops: int
) -> list[FoundTrustPath]:
    """The ``k`` most trusted simple paths from ``source`` to ``target`` in the current run's network
    (distrust is never crossed); :class:`NotFound` when either has no trust edge at all.

    ``source`` is a profile id or, when no profile of that id is in the network, a brand id: the
    paths then start at any of the brand's own accounts (``api.brand_accounts``), the warm
    introduction "from our brand". The ``k`` best of each account's ``k`` best paths are the ``k``
    best from the brand (a path's trust is its own, whichever account it starts at), ordered by
    trust, then hops, then the nodes.
    """
    network, search = cache.get(store)
    if target not in network.graph:
        raise NotFound(f"no profile {target!r} with trust ratings or repeated engagement")
    starts = [source] if source in network.graph else _brand_starts(store, network, source)
    found = [
        path
        for start in starts
        if start != target
        for path in search.paths(start, target, k=k, max_hops=max_hops)
    ]
    found.sort(key=lambda path: (-path.trust, len(path.edges), tuple(path.nodes)))
    return [
        FoundTrustPath(
            nodes=tuple(path.nodes),
            hops=tuple(
                TrustHop(e.source, e.target, e.trust, network.origins[(e.source, e.target)])
                for e in path.edges
            ),
            trust=path.trust,
        )
        for path in found[:k]
    ]


def _brand_starts(store: CypherGraphStore, network: TrustNetwork, brand: str) -> list[str]:
    """Brand ``brand``'s own accounts that have a trust edge; :class:`NotFound` naming what is missing."""
    rows = store.run("api.brand_accounts", {"brand": brand})
    if not rows:
        raise NotFound(f"no profile or brand {brand!r} with trust ratings or repeated engagement")
    accounts = sorted(str(a) for a in rows[0]["accounts"] or [])
    if not accounts:
        raise NotFound(f"brand {brand!r} has no account of its own (HAS_PROFILE) to start a trust path from")
    starts = [account for account in accounts if account in network.graph]
    if not starts:
        raise NotFound(
            f"none of brand {brand!r}'s accounts ({', '.join(accounts)}) has trust ratings or repeated engagement"
        )
    return starts
