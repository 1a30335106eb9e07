"""The analysis' signal steps: account roles, screening, one stance per brand, explained brand influence.

Each function turns projection columns into what the analysis writes back, using the pure algorithms
(:mod:`algorithms.roles`, :mod:`algorithms.screening`, :mod:`algorithms.stance`,
:mod:`algorithms.explain`); :func:`usecases.analysis.run_analysis` calls them. Rules and their sources are in
those modules and, for API users, in ``docs/signals.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from algorithms.advocacy import BrandPost
from algorithms.explain import batched_pagerank_parts
from algorithms.influence import personalized_pagerank_batch
from algorithms.projection import DirectedGraph
from algorithms.roles import AuthoredPost, RoleAssignment, assign_roles, detect_staff
from algorithms.screening import FLAGGED_WEIGHT, ScreenedPost, ScreeningResult, burst_runs, screen_accounts
from algorithms.stance import BrandStance, brand_stances, evidence_for_display
from graph import projection
from graph.model import ADVOCATES, DETRACTS, MIXED, RelRow, RelSpec
from graph.store import CypherGraphStore

STANCE_RELATIONSHIPS: dict[str, RelSpec] = {"advocate": ADVOCATES, "detractor": DETRACTS, "mixed": MIXED}


def account_roles(
    store: CypherGraphStore,
    profile_ids: Sequence[str],
    brand_seeds: Mapping[str, Sequence[str]],
    posts: projection.AuthoredPostColumns,
) -> dict[str, RoleAssignment]:
    """Every profile's role (:func:`algorithms.roles.assign_roles`) from the store's role evidence."""
    evidence = projection.read_profile_roles(store)
    accounts: dict[str, list[str]] = {}
    for brand, ids in brand_seeds.items():
        for profile_id in ids:
            accounts.setdefault(profile_id, []).append(brand)
    declared_owned = {p for p, (role, _) in evidence.declared.items() if role == "brand_owned"}
    authored = [  # only posts that can be evidence: signed (a "^") or replies that mention someone
        AuthoredPost(a, p, t, r, tuple(m))
        for a, p, t, r, m in zip(
            posts.author, posts.post, posts.text, posts.reply_to_author, posts.mentions, strict=True
        )
        if "^" in t or (r is not None and m)
    ]
    staff = detect_staff(authored, frozenset(accounts) | declared_owned)
    return assign_roles(
        profile_ids,
        declared=evidence.declared,
        brand_accounts=accounts,
        placeholders=evidence.placeholders,
        staff=staff,
    )


def non_customers(roles: Mapping[str, RoleAssignment]) -> set[str]:
    """The profiles whose role is not ``customer`` (brand-owned, staff, placeholder): the rankings and the
    community labels' leads leave them out by default."""
    return {profile_id for profile_id, role in roles.items() if role.role != "customer"}


def reciprocal_pairs(graph: DirectedGraph) -> list[tuple[str, str]]:
    """``(a, b)`` with ``a < b`` for every pair with engagement in both directions."""
    if graph.m == 0:
        return []
    n = graph.n
    forward = set((graph.src * n + graph.dst).tolist())
    ids = graph.node_ids
    return [
        (ids[s], ids[t])
        for s, t in zip(graph.src.tolist(), graph.dst.tolist(), strict=True)
        if s < t and t * n + s in forward
    ]


def screening(
    store: CypherGraphStore,
    posts: projection.AuthoredPostColumns,
    activity: projection.PostActivity,
    pairs: Iterable[tuple[str, str]],
    roles: Mapping[str, RoleAssignment],
) -> dict[str, ScreeningResult]:
    """Screen the customers (other roles are not screened: they are out of the rankings anyway).

    ``pairs`` are the reciprocal engagement pairs (:func:`reciprocal_pairs` of the engagement graph
    in-process; ``scaleout.scores.reciprocal_pairs`` on Spark).

    ``posts`` need hold only the posts with a text (the text signal); bursts are found on
    ``activity``, every post's author and time as arrays, and only the posts their evidence names
    are looked up by id.
    """
    ids = activity.profiles.ids
    customers = {p for p, r in roles.items() if r.role == "customer"}
    is_customer = np.fromiter((node_id in customers for node_id in ids), dtype=bool, count=len(ids))
    mine = np.flatnonzero(is_customer[activity.author]) if activity.author.size else activity.author
    runs = burst_runs(activity.author[mine], activity.created_at[mine])
    post_ids = projection.read_post_ids(
        store, [activity.post[mine[i]] for first, last, _ in runs.values() for i in (first, last)]
    )
    bursts = {
        ids[author]: (
            post_ids[int(activity.post[mine[first]])],
            post_ids[int(activity.post[mine[last]])],
            count,
        )
        for author, (first, last, count) in runs.items()
    }
    screened = [
        ScreenedPost(a, p, t, c)
        for a, p, t, c in zip(posts.author, posts.post, posts.text, posts.created_at, strict=True)
        if a in customers
    ]
    return screen_accounts(screened, pairs, candidates=customers, bursts=bursts)


def without_votes_of(graph: DirectedGraph, flagged: set[str]) -> DirectedGraph:
    """``graph`` without the out-edges of ``flagged`` accounts (their engagement casts no influence vote)."""
    if not flagged:
        return graph
    banned = np.array([i for i, node in enumerate(graph.node_ids) if node in flagged], dtype=np.int64)
    keep = ~np.isin(graph.src, banned)
    return DirectedGraph(graph.node_ids, graph.src[keep], graph.dst[keep], graph.weight[keep])


def brand_influence_rows(
    graph: DirectedGraph,
    seeds: Mapping[str, Sequence[str]],
    *,
    damping: float,
    top_per_brand: int,
    explain_top: int,
    run_id: str,
) -> list[RelRow]:
    """INFLUENCES rows: each brand's personalized PageRank top, with the parts that make each score.

    ``top_sources`` / ``top_contributions`` are the brand score's own largest in-neighbour
    contributions, ``other_sources`` the rest of the in-neighbours, ``teleport`` the restart term
    (:mod:`algorithms.explain`): they add up to ``score``.
    """
    rows: list[RelRow] = []
    present = {brand: [s for s in brand_seeds if s in graph] for brand, brand_seeds in seeds.items()}
    batch = personalized_pagerank_batch(
        graph, {brand: ids for brand, ids in present.items() if ids}, damping=damping
    )
    for brand in batch.keys:
        top = [(p, s) for p, s in batch.top(brand, top_per_brand) if s > 0]
        parts = batched_pagerank_parts(batch, brand, explain_top, nodes=[p for p, _ in top])
        for position, (profile_id, score) in enumerate(top, start=1):
            part = parts[profile_id]
            rows.append(
                RelRow(
                    profile_id,
                    brand,
                    {
                        "run_id": run_id,
                        "score": score,
                        "rank": position,
                        "top_sources": list(part.top_sources),
                        "top_contributions": list(part.top_contributions),
                        "other_sources": part.other_sources,
                        "teleport": part.teleport,
                    },
                )
            )
    return rows


def stance_rows(
    posts: Sequence[BrandPost],
    influence: Mapping[str, float],
    screened: Mapping[str, ScreeningResult],
    *,
    as_of_ms: int,
    half_life_days: float,
    top_per_brand: int,
    evidence_posts: int,
    run_id: str,
) -> dict[RelSpec, list[RelRow]]:
    """ADVOCATES / DETRACTS / MIXED_STANCE rows: one stance per (profile, brand), ranked per brand and stance."""
    weights = {p: FLAGGED_WEIGHT for p, r in screened.items() if r.flagged}
    stances = brand_stances(
        posts, influence, as_of_ms=as_of_ms, half_life_days=half_life_days, weights=weights
    )
    rows: dict[RelSpec, list[RelRow]] = {spec: [] for spec in STANCE_RELATIONSHIPS.values()}
    for brand, items in stances.items():
        for kind, spec in STANCE_RELATIONSHIPS.items():
            ranked = sorted((s for s in items if s.stance == kind), key=lambda s: (-s.score, s.profile_id))
            for position, item in enumerate(ranked[:top_per_brand], start=1):
                rows[spec].append(
                    RelRow(item.profile_id, brand, _stance_props(item, position, evidence_posts, run_id))
                )
    return rows


def _stance_props(item: BrandStance, rank: int, evidence_posts: int, run_id: str) -> dict[str, Any]:
    shown = evidence_for_display(item, evidence_posts)
    return {
        "run_id": run_id,
        "score": item.score,
        "rank": rank,
        "posts": item.posts,
        "mean_sentiment": float(np.mean([e.sentiment for e in item.evidence])),
        "influence_factor": item.influence_factor,
        "weight": item.weight,
        "positive": item.positive,
        "negative": item.negative,
        "balance": item.balance,
        "evidence_post_ids": [e.post_id for e in shown],
        "evidence_contributions": [e.contribution for e in shown],
        "evidence_tones": [e.tone for e in shown],
    }
