"""Greedy seed selection on Monte-Carlo marginal gains: CELF (lazy) and plain greedy (its reference)."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import TypedDict, Unpack

import numpy as np

from algorithms.outreach.models import CascadeModel, allowed_mask
from algorithms.outreach.results import OutreachPlan, SeedChoice
from algorithms.outreach.simulation import (
    _SELECT,
    _commit,
    _marginal_counts,
    _reached_sample,
    _stream,
    _Workspace,
    estimate_spread,
)


class GreedyOptions(TypedDict, total=False):
    """Keyword options shared by ``celf`` and ``greedy`` (defaults in :data:`GREEDY_DEFAULTS`).

    Attributes
    ----------
    candidates : iterable of str or None, default None
        Profiles that may be chosen (a segment or community); all by default. Unknown ids raise ValueError.
    exclude : iterable of str, default ()
        Profiles never chosen (detractors, already contacted). They still spread and can be activated; ids
        outside the graph are ignored.
    simulations : int, default 200
        Live-edge graphs used for selection. Memory: ``simulations * n`` bytes for the reached-set bitmap.
    seed : int, default 0
        Random seed; same seed, same plan.
    evaluation_simulations : int, default 1000
        Simulations of the independent ``estimate_spread`` reported as ``expected_spread``.
    reached_top : int, default 5
        Length of each seed's ``reached_sample``.
    """

    candidates: Iterable[str] | None
    exclude: Iterable[str]
    simulations: int
    seed: int
    evaluation_simulations: int
    reached_top: int


GREEDY_DEFAULTS: GreedyOptions = {
    "candidates": None,
    "exclude": (),
    "simulations": 200,
    "seed": 0,
    "evaluation_simulations": 1000,
    "reached_top": 5,
}


def _greedy_plan(model: CascadeModel, k: int, *, lazy: bool, options: GreedyOptions) -> OutreachPlan:
    settings: GreedyOptions = {**GREEDY_DEFAULTS, **options}
    candidates: Iterable[str] | None = settings["candidates"]
    exclude: Iterable[str] = settings["exclude"]
    simulations: int = settings["simulations"]
    seed: int = settings["seed"]
    evaluation_simulations: int = settings["evaluation_simulations"]
    reached_top: int = settings["reached_top"]
    if k < 0 or simulations < 1:
        raise ValueError("k must be >= 0 and simulations >= 1")
    arr = model._arrays
    cand = np.flatnonzero(allowed_mask(model, candidates, exclude))
    k_eff = min(k, cand.size)
    stream = _stream(seed, _SELECT)
    covered = np.zeros(simulations * arr.n, dtype=bool)
    ws = _Workspace(arr.n, cand.size * simulations)
    gains = _marginal_counts(arr, stream, cand, simulations, None, ws) if k_eff else np.zeros(0, np.int64)
    heap = [(-int(g), pos, 0) for pos, g in enumerate(gains.tolist())]
    heapq.heapify(heap)
    remaining = np.ones(cand.size, dtype=bool)
    chosen, evaluations, cumulative = [], int(cand.size), 0
    for rnd in range(k_eff):
        if lazy:
            # CELF: a stale gain bounds the current one from above (submodularity), so the top entry is the
            # greedy choice as soon as its gain is fresh; ties go to the lowest position, as in plain greedy.
            while True:
                neg, pos, when = heapq.heappop(heap)
                if when == rnd:
                    break
                g = int(_marginal_counts(arr, stream, cand[pos : pos + 1], simulations, covered, ws)[0])
                evaluations += 1
                heapq.heappush(heap, (-g, pos, rnd))
        else:
            if rnd:
                live = np.flatnonzero(remaining)
                gains = np.full(cand.size, -1, dtype=np.int64)
                gains[live] = _marginal_counts(arr, stream, cand[live], simulations, covered, ws)
                evaluations += live.size
            pos = int(np.argmax(np.where(remaining, gains, -1)))
        remaining[pos] = False
        node = int(cand[pos])
        keys = _commit(arr, stream, node, simulations, covered, ws)
        cumulative += keys.size
        chosen.append(
            SeedChoice(
                model.node_ids[node],
                keys.size / simulations,
                cumulative / simulations,
                _reached_sample(model, keys, node, reached_top),
            )
        )
    profile_ids = [c.profile_id for c in chosen]
    params = {
        "k": k,
        "seed": seed,
        "simulations": simulations,
        "evaluation_simulations": evaluation_simulations,
        "candidates": int(cand.size),
        "spread_evaluations": evaluations,
        **model.parameters,
    }
    return OutreachPlan(
        tuple(chosen),
        estimate_spread(model, profile_ids, evaluation_simulations, seed),
        "celf" if lazy else "greedy",
        model.kind,
        params,
    )


def celf(model: CascadeModel, k: int, **options: Unpack[GreedyOptions]) -> OutreachPlan:
    """Pick ``k`` seeds by CELF lazy greedy on Monte-Carlo marginal gains.

    Marginal gains are averages over ``simulations`` live-edge graphs fixed for the whole run (common random
    numbers), so the objective is exactly submodular and lazy evaluation returns the plain-greedy seeds and
    gains (ties broken towards the first candidate in ``node_ids`` order). Greedy on the true expected
    spread is a ``(1 - 1/e)``-approximation [1]_; with finite simulations it is so for the sample average.

    Parameters
    ----------
    model : CascadeModel
    k : int
        Budget. If fewer profiles are eligible, all of them are returned.
    **options : GreedyOptions
        ``candidates``, ``exclude``, ``simulations``, ``seed``, ``evaluation_simulations``, ``reached_top``.

    Returns
    -------
    OutreachPlan
        ``method="celf"``; ``parameters["spread_evaluations"]`` counts marginal-gain evaluations.

    References
    ----------
    .. [1] D. Kempe, J. Kleinberg, E. Tardos, "Maximizing the spread of influence through a social network",
       KDD 2003.
    .. [2] J. Leskovec et al., "Cost-effective outbreak detection in networks", KDD 2007 (CELF).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> p = sp.csr_matrix(([0.5, 0.5, 0.5], ([0, 0, 0], [1, 2, 3])), shape=(4, 4))
    >>> celf(CascadeModel("ic", ["hub", "x", "y", "z"], p), 1).profile_ids
    ('hub',)
    """
    return _greedy_plan(model, k, lazy=True, options=options)


def greedy(model: CascadeModel, k: int, **options: Unpack[GreedyOptions]) -> OutreachPlan:
    """Plain greedy: re-evaluate every candidate's marginal gain in every round.

    Same parameters and result as ``celf`` (identical seeds and gains, by construction) at ``k`` times the
    cost; kept as the reference that CELF is tested against.

    References
    ----------
    .. [1] D. Kempe, J. Kleinberg, E. Tardos, "Maximizing the spread of influence through a social network",
       KDD 2003.
    """
    return _greedy_plan(model, k, lazy=False, options=options)
