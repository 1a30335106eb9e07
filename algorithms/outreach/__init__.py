"""Outreach planning: whom to contact first so a campaign message spreads furthest.

A marketer has a budget of ``k`` contacts for a campaign about a brand. This module picks the ``k`` profiles
whose contact maximises the *expected spread* (the expected number of profiles that end up engaged with the
message, the seeds included) under a stochastic diffusion model, and evaluates a marketer's own list.

Input graph
-----------
Plain data, no store: ``node_ids`` (a sequence of profile ids, position ``i`` names row/column ``i``) and a
scipy sparse *spread* matrix where entry ``(i, j) > 0`` means **profile i can activate profile j**. The
engagement graph stores ``u -> v`` when ``u`` replied to, shared or mentioned ``v``; information therefore
flows from ``v`` to ``u``, and the caller must transpose it: ``spread_matrix_from_engagement(engagement)``.

Models
------
``"ic"`` -- independent cascade (Kempe et al. 2003). Each newly active profile ``i`` gets one chance to
activate each out-neighbour ``j``, independently, with probability ``p_ij``. Probabilities come from
interaction strength (``edge_probabilities``): ``p = min(cap, 1 - exp(-lam * w))``. The defaults
``lam = ln(10/9) ~ 0.105`` and ``cap = 0.5`` give ``p = 0.10`` for one interaction, 0.19 for two, 0.41 for
five and the cap from seven on: each extra interaction is an independent 10 % chance that the tie
transmits, and no single tie is more likely than a coin flip to pass a campaign on.

``"lt"`` -- linear threshold. Each profile ``j`` draws a threshold uniformly in [0, 1] and becomes active when
the summed influence ``b_ij`` of its active in-neighbours reaches it; ``linear_threshold`` normalises
in-weights so that each profile's in-weights sum to 1 (``b_ij = w_ij / sum_i w_ij``; the model accepts any
sums <= 1).

Both models are simulated through their *live-edge* form (Kempe et al. 2003, claims 2.3 and 2.6): a random
subgraph is drawn -- IC keeps edge ``(i, j)`` with probability ``p_ij``; LT lets each profile ``j`` keep at
most one in-edge, ``(i, j)`` with probability ``b_ij`` -- and the active set is the set reachable from the
seeds. Live edges are decided by a counter-based hash of ``(seed, simulation, edge)`` (SplitMix64, Steele et
al. 2014), so the same simulation index sees the same live-edge graph whatever seed set is evaluated (common
random numbers). Spread is then a deterministic, monotone, submodular function of the seed set, which makes
CELF's lazy evaluation exact (CELF returns the same seeds and gains as plain greedy), makes results
reproducible from ``seed`` alone, and makes the comparison between two lists a paired one.

Seed selection
--------------
``celf`` -- lazy greedy (Leskovec et al. 2007) on Monte-Carlo marginal gains; the reference.
``greedy`` -- plain greedy on the same simulations (for checks; same output as ``celf``, slower).
``rr_select`` -- reverse-reachable (RR) sets (Borgs et al. 2014) with IMM's sample size (Tang, Shi and Xiao
2015): returns a ``(1 - 1/e - epsilon)``-approximation of the best seed set with probability at least
``1 - n^-ell``, in near-linear time. Fresh RR sets are drawn for the final selection, which closes the gap
in IMM's martingale argument reported by Chen (2018).

Candidates (a segment or community) restrict who may be chosen; exclusions (detractors, profiles already
contacted) are never chosen as seeds but still take part in the spread: they can be activated by others and
pass the message on. Every plan is evaluated by the same independent Monte-Carlo estimator as
``estimate_spread`` (its own random stream), so selection noise does not inflate the reported spread.

References
----------
.. [1] D. Kempe, J. Kleinberg, E. Tardos, "Maximizing the spread of influence through a social network",
   KDD 2003, pp. 137-146.
.. [2] J. Leskovec, A. Krause, C. Guestrin, C. Faloutsos, J. VanBriesen, N. Glance, "Cost-effective outbreak
   detection in networks", KDD 2007, pp. 420-429.
.. [3] C. Borgs, M. Brautbar, J. Chayes, B. Lucier, "Maximizing social influence in nearly optimal time",
   SODA 2014, pp. 946-957.
.. [4] Y. Tang, Y. Shi, X. Xiao, "Influence maximization in near-linear time: a martingale approach",
   SIGMOD 2015, pp. 1539-1554.
.. [5] W. Chen, "An issue in the martingale analysis of the influence maximization algorithm IMM",
   arXiv:1808.09363, 2018.
.. [6] G. L. Steele, D. Lea, C. H. Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014.

Modules
-------
``results``     frozen results: ``SpreadEstimate``, ``SeedChoice``, ``OutreachPlan``, ``ListComparison``
``models``      edge probabilities and the ``CascadeModel`` (IC, LT)
``simulation``  counter-based random streams, the batched live-edge cascade, ``estimate_spread``
``greedy``      ``celf`` and ``greedy`` over one ``GreedyOptions``
``imm``         reverse-reachable sets, ``rr_select``
``comparison``  ``simulate_list``: a marketer's own list next to the plan
"""

from algorithms.outreach.comparison import simulate_list
from algorithms.outreach.greedy import GreedyOptions, celf, greedy
from algorithms.outreach.imm import rr_select
from algorithms.outreach.models import (
    DEFAULT_CAP,
    DEFAULT_LAMBDA,
    CascadeModel,
    edge_probabilities,
    independent_cascade,
    linear_threshold,
    spread_matrix_from_engagement,
)
from algorithms.outreach.results import ListComparison, OutreachPlan, SeedChoice, SpreadEstimate
from algorithms.outreach.simulation import estimate_spread

__all__ = [
    "DEFAULT_CAP",
    "DEFAULT_LAMBDA",
    "CascadeModel",
    "GreedyOptions",
    "ListComparison",
    "OutreachPlan",
    "SeedChoice",
    "SpreadEstimate",
    "celf",
    "edge_probabilities",
    "estimate_spread",
    "greedy",
    "independent_cascade",
    "linear_threshold",
    "rr_select",
    "simulate_list",
    "spread_matrix_from_engagement",
]
