"""Lookups that many read endpoints make on every request, held while the read view stands.

Each answer is kept by :func:`usecases.read_view.memoized` (in an API process, until the next write
or for at most ``read_view_seconds``; elsewhere read every time), so a page of a brand's advocates
does not ask the store whether the brand exists on each request. Only what exists is kept: an
absent brand or segment is asked again, since another process may have just written it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from graph.errors import NotFound
from graph.model import Label
from graph.store import CypherGraphStore
from usecases.read_view import memoized, memoized_rows


def brand_exists(store: CypherGraphStore, brand: str) -> bool:
    """Whether brand ``brand`` is in the graph."""
    return memoized(
        store, ("brand", brand), lambda: store.get_node(Label.BRAND, brand) is not None, keep=bool
    )


def require_brand(store: CypherGraphStore, brand: str) -> None:
    """:class:`NotFound` (404 ``not_found``) when brand ``brand`` is not in the graph."""
    if not brand_exists(store, brand):
        raise NotFound(f"no brand with id {brand!r}")


def segment_node(store: CypherGraphStore, name: str) -> dict[str, Any] | None:
    """The stored node of segment ``name`` (its saved filter), or None."""
    return memoized(store, ("segment", name), lambda: store.get_node(Label.SEGMENT, name), keep=bool)


def profiles_by_ids(store: CypherGraphStore) -> Callable[[list[str]], list[dict[str, Any]]]:
    """Profiles by id (``api.profiles_by_ids``: id, handle, platform), held while the read view stands."""
    return memoized_rows(
        store, "api.profiles_by_ids", lambda ids: store.run("api.profiles_by_ids", {"ids": ids})
    )


def profile_handles(store: CypherGraphStore, ids: Collection[str]) -> dict[str, str]:
    """The handles of profiles ``ids`` that have one (a trust path's nodes are named with them; the same
    hubs recur in many paths, so most requests read none)."""
    return {row["id"]: row["handle"] for row in profiles_by_ids(store)(sorted(set(ids))) if row.get("handle")}
