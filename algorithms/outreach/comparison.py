"""A marketer's own list, evaluated next to the plan for the same budget on the same simulations."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from algorithms.outreach.greedy import celf
from algorithms.outreach.imm import rr_select
from algorithms.outreach.models import CascadeModel
from algorithms.outreach.results import ListComparison
from algorithms.outreach.simulation import _EVALUATE, _explain, _spread_samples, _stream, _summary


def simulate_list(
    model: CascadeModel,
    seeds: Sequence[str],
    *,
    compare_with_plan_k: bool = True,
    method: Literal["imm", "celf"] = "imm",
    candidates: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    simulations: int = 1000,
    seed: int = 0,
    explain_simulations: int = 200,
    reached_top: int = 5,
) -> ListComparison:
    """Expected spread of a marketer's own list, next to the plan for the same budget.

    Parameters
    ----------
    model : CascadeModel
    seeds : sequence of str
        The marketer's list, in contact order; evaluated as given (``exclude`` only constrains the plan).
    compare_with_plan_k : bool, default True
        Also compute the plan for ``k = len(seeds)`` and the paired difference.
    method : {"imm", "celf"}, default "imm"
        Planner: ``rr_select`` (default parameters) or ``celf``.
    candidates, exclude : see ``celf``; applied to the plan.
    simulations : int, default 1000
        Evaluation simulations, shared by the list and the plan (common random numbers).
    seed : int, default 0
    explain_simulations, reached_top : int
        For the per-contact gains and reached samples of the list.

    Returns
    -------
    ListComparison

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> p = sp.csr_matrix(([1.0, 1.0, 1.0], ([0, 0, 0], [1, 2, 3])), shape=(4, 4))
    >>> result = simulate_list(CascadeModel("ic", ["hub", "x", "y", "z"], p), ["x"], simulations=10)
    >>> result.own.mean, result.plan.expected_spread.mean, result.difference.mean
    (1.0, 4.0, 3.0)
    """
    if isinstance(seeds, str):
        raise TypeError("seeds must be a sequence of profile ids, not a single string")
    if method not in ("imm", "celf"):
        raise ValueError(f"method must be 'imm' or 'celf', not {method!r}")
    seeds = [str(s) for s in seeds]
    if len(set(seeds)) != len(seeds):
        raise ValueError("the list contains duplicate profile ids")
    nodes = model.indices_of(seeds, what="listed ids")
    stream = _stream(seed, _EVALUATE)
    own_samples = _spread_samples(model._arrays, stream, nodes, simulations)
    own_seeds = _explain(model, nodes, explain_simulations, seed, reached_top)
    plan = difference = None
    if compare_with_plan_k and seeds:
        planner = rr_select if method == "imm" else celf
        plan = planner(
            model,
            len(seeds),
            candidates=candidates,
            exclude=exclude,
            seed=seed,
            evaluation_simulations=simulations,
            reached_top=reached_top,
        )
        plan_nodes = model.indices_of(plan.profile_ids)
        difference = _summary(_spread_samples(model._arrays, stream, plan_nodes, simulations) - own_samples)
    return ListComparison(_summary(own_samples), own_seeds, plan, difference)
