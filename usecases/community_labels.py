"""Label the communities of a run (:func:`algorithms.community_labels.community_labels`) and store the labels.

Called by the analysis before the switch. Per community, the handles of its
:data:`TOP_MEMBERS` most influential members and up to :data:`TEXTS_PER_MEMBER` of each one's newest
post texts are read (one query per :data:`ID_CHUNK` profiles); the labels are written as
``(:Community {id: "<community>", community, label, lead_handles, terms, run_id, size})``, one node
per community id, so the last label of an id survives runs in which it is absent. A community keeps
its previous label while its previous lead is among its top members (see the algorithm).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from algorithms.community_labels import CommunityLabel, community_labels
from graph.store import CypherGraphStore

TOP_MEMBERS = 10
TEXTS_PER_MEMBER = 20
ID_CHUNK = 5000


def lead_names(profiles: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """How each profile is named in a label, by id: its handle, with its platform when another of
    ``profiles`` has the same handle on another platform (``niak4 (mastodon)`` beside
    ``niak4 (twitter)``: two people, whose communities would otherwise share a name); a profile
    without a handle by its id."""
    rows = list(profiles)
    platforms: dict[str, set[Any]] = {}
    for row in rows:
        if row.get("handle"):
            platforms.setdefault(row["handle"], set()).add(row.get("platform"))
    return {
        row["id"]: row["id"]
        if not row.get("handle")
        else f"{row['handle']} ({row.get('platform')})"
        if len(platforms[row["handle"]]) > 1
        else row["handle"]
        for row in rows
    }


def named_first(top: Sequence[str], found: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The profiles of ``top`` that ``found`` holds, in their order, those with a handle first: a label
    led by "@twitter:117163" (a profile known only by its id) names nobody a marketer knows."""
    return sorted((p for p in top if p in found), key=lambda p: not found[p].get("handle"))


def top_members(
    membership: Mapping[str, int],
    influence: Mapping[str, float],
    not_customers: Collection[str],
    top: int,
) -> dict[int, list[str]]:
    """Each community's first ``top`` members in the order that names it: customers before the
    profiles in ``not_customers``, then by influence (highest first; none counts as 0), then by id.

    One ``numpy.lexsort`` over all profiles instead of a Python sort with a key per profile, which a
    cProfile run of the labelling on Higgs' 304k profiles showed as its largest own cost; no
    ``bench/analyze.py`` run has yet told the saving apart from the host's noise (docs/benchmarks.md,
    "Higgs at 12c345f").
    """
    ids = list(membership)
    if not ids:
        return {}
    id_order = np.empty(len(ids), dtype=np.int64)
    id_order[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
    community = np.fromiter((membership[p] for p in ids), dtype=np.int64, count=len(ids))
    negative_influence = -np.fromiter((influence.get(p, 0.0) for p in ids), dtype=float, count=len(ids))
    outsider = np.fromiter((p in not_customers for p in ids), dtype=bool, count=len(ids))
    order = np.lexsort((id_order, negative_influence, outsider, community))
    grouped = community[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    place = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
    by_community: dict[int, list[str]] = {}
    for position in order[place < top].tolist():
        by_community.setdefault(int(community[position]), []).append(ids[position])
    return by_community


def label_communities(
    store: CypherGraphStore,
    run_id: str,
    membership: Mapping[str, int],
    influence: Mapping[str, float],
    not_customers: Collection[str] = frozenset(),
) -> dict[int, CommunityLabel]:
    """Compute and write the labels of every community in ``membership``; returns them.

    A community's leads are its most influential *customers*: the profiles in ``not_customers``
    (brand-owned, staff, placeholder; :mod:`algorithms.roles`) come after every customer, as the
    rankings leave them out, so a community around a brand's account is named by the customers in
    it; one with no customer is named by the accounts it has. Within that order, profiles with a
    handle come before those known only by their id.
    """
    by_community = top_members(membership, influence, not_customers, TOP_MEMBERS)
    ids = [profile_id for top in by_community.values() for profile_id in top]
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), ID_CHUNK):
        params = {"ids": ids[start : start + ID_CHUNK], "per_profile": TEXTS_PER_MEMBER}
        found.update({row["id"]: row for row in store.run("analysis.community_member_texts", params)})
    names = lead_names(found.values())
    handles = {c: [names[p] for p in named_first(top, found)] for c, top in by_community.items()}
    texts = {
        c: [t for p in top if p in found for t in (found[p]["texts"] or [])]
        for c, top in by_community.items()
    }
    previous = {
        int(row["community"]): CommunityLabel(
            row["label"], tuple(row["leads"] or ()), tuple(row["terms"] or ())
        )
        for row in store.run("analysis.community_labels")
        if row["community"] is not None and row["label"] is not None
    }
    labels = community_labels(handles, texts, previous)
    sizes: dict[int, int] = {}
    for community in membership.values():
        sizes[community] = sizes.get(community, 0) + 1
    rows = [
        {
            "id": str(community),
            "props": {
                "community": community,
                "label": label.label,
                "lead_handles": list(label.leads),
                "terms": list(label.terms),
                "run_id": run_id,
                "size": sizes.get(community, 0),
            },
        }
        for community, label in sorted(labels.items())
    ]
    for start in range(0, len(rows), ID_CHUNK):
        store.run_write("analysis.write_community_labels", {"rows": rows[start : start + ID_CHUNK]})
    return labels
