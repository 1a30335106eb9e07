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
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp

__all__ = [
    "DEFAULT_CAP",
    "DEFAULT_LAMBDA",
    "CascadeModel",
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

DEFAULT_LAMBDA = math.log(10 / 9)
"""Default ``lam`` of ``edge_probabilities``: one interaction gives ``p = 0.1``."""
DEFAULT_CAP = 0.5
"""Default upper bound of an IC edge probability."""

_Z95 = 1.959963984540054
# Bytes of the dense per-batch workspace (instances x nodes: a bool "active" flag and an int32 claim slot).
_BUFFER_BYTES = 160 << 20
_RR_BATCH = 1 << 17
_DEFAULT_MAX_RR_SETS = 10_000_000

# Independent random streams derived from the user's seed, one per purpose.
_SELECT, _EVALUATE, _EXPLAIN, _RR = 1, 2, 3, 4


# --------------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class SpreadEstimate:
    """Monte-Carlo estimate of an expected spread.

    Attributes
    ----------
    mean : float
        Mean number of active profiles (seeds included) over the simulations.
    ci_low, ci_high : float
        95 % normal-approximation confidence interval of the mean, ``mean -/+ 1.96 std / sqrt(simulations)``.
    simulations : int
        Number of simulated cascades.
    std : float
        Sample standard deviation (``ddof=1``) of the per-simulation spread.
    """

    mean: float
    ci_low: float
    ci_high: float
    simulations: int
    std: float


@dataclass(frozen=True)
class SeedChoice:
    """One profile of a plan or list, in contact order.

    Attributes
    ----------
    profile_id : str
        The profile to contact.
    marginal_gain : float
        Expected number of profiles this contact adds to those reached by the earlier ones.
    cumulative_spread : float
        Expected spread of this contact and all earlier ones.
    reached_sample : tuple of str
        Why: the profiles this contact newly reaches most often (highest activation frequency first, the
        profile itself left out), from the method's own simulations.
    """

    profile_id: str
    marginal_gain: float
    cumulative_spread: float
    reached_sample: tuple[str, ...]


@dataclass(frozen=True)
class OutreachPlan:
    """A seed set with its explanation and an independent spread estimate.

    Attributes
    ----------
    seeds : tuple of SeedChoice
        Chosen profiles in greedy order; gains and cumulative spreads from the method's own estimates
        (simulations for CELF/greedy, RR-set coverage ``n * covered / theta`` for ``rr_select``).
    expected_spread : SpreadEstimate
        ``estimate_spread`` of the seed set, on a random stream independent of the selection.
    method : str
        ``"celf"``, ``"greedy"`` or ``"imm"``.
    model : str
        ``"ic"`` or ``"lt"``.
    parameters : Mapping
        Everything needed to reproduce the plan (k, seed, simulations, epsilon, ell, theta, ...).
    """

    seeds: tuple[SeedChoice, ...]
    expected_spread: SpreadEstimate
    method: str
    model: str
    parameters: Mapping[str, object]

    @property
    def profile_ids(self) -> tuple[str, ...]:
        """Chosen profile ids in contact order."""
        return tuple(choice.profile_id for choice in self.seeds)


@dataclass(frozen=True)
class ListComparison:
    """A marketer's own list next to the plan for the same budget.

    Attributes
    ----------
    own : SpreadEstimate
        Expected spread of the marketer's list.
    own_seeds : tuple of SeedChoice
        The list in the marketer's order, with marginal gains and reached samples.
    plan : OutreachPlan or None
        The plan for ``k = len(list)`` (same candidates/exclusions), or None when not requested.
    difference : SpreadEstimate or None
        Plan minus own list, estimated on the *same* simulations (paired), so its interval is narrower than
        the two separate intervals suggest. Positive means the plan reaches more.
    """

    own: SpreadEstimate
    own_seeds: tuple[SeedChoice, ...]
    plan: OutreachPlan | None
    difference: SpreadEstimate | None


# ----------------------------------------------------------------------------------------------------- model
def spread_matrix_from_engagement(engagement: sp.spmatrix | sp.sparray) -> sp.csr_matrix:
    """Turn an engagement matrix into a spread matrix by transposing it.

    Parameters
    ----------
    engagement : scipy sparse matrix, shape (n, n)
        ``(u, v) = w`` when profile ``u`` replied to / shared / mentioned profile ``v`` ``w`` times.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``(v, u) = w``: ``v`` can activate ``u`` (the message flows from the engaged-with profile to the one
        who engages), duplicates summed, float64.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> engagement = sp.csr_matrix(([3.0], ([0], [1])), shape=(2, 2))  # profile 0 retweeted profile 1
    >>> spread_matrix_from_engagement(engagement).toarray()
    array([[0., 0.],
           [3., 0.]])
    """
    spread = sp.csr_matrix(engagement, dtype=np.float64).T.tocsr()
    spread.sum_duplicates()
    return spread


def edge_probabilities(
    weights: sp.spmatrix | sp.sparray, lam: float = DEFAULT_LAMBDA, cap: float = DEFAULT_CAP
) -> sp.csr_matrix:
    """Independent-cascade probabilities from interaction strength: ``p = min(cap, 1 - exp(-lam * w))``.

    Parameters
    ----------
    weights : scipy sparse matrix, shape (n, n)
        Non-negative interaction counts of the spread matrix.
    lam : float, default ``ln(10/9)``
        Per-interaction rate; the default gives ``p = 0.1`` for one interaction (each interaction is an
        independent 10 % chance that the tie passes the message on).
    cap : float, default 0.5
        Upper bound of any edge probability, in (0, 1].

    Returns
    -------
    scipy.sparse.csr_matrix
        Same sparsity as ``weights`` (zeros dropped), values in [0, cap].

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> w = sp.csr_matrix(([1.0, 2.0, 50.0], ([0, 0, 1], [1, 2, 2])), shape=(3, 3))
    >>> edge_probabilities(w).data.round(3)
    array([0.1 , 0.19, 0.5 ])
    """
    if lam <= 0 or not 0 < cap <= 1:
        raise ValueError("lam must be > 0 and cap in (0, 1]")
    p = sp.csr_matrix(weights, dtype=np.float64, copy=True)
    p.sum_duplicates()
    if p.data.size and p.data.min() < 0:
        raise ValueError("interaction weights must be non-negative")
    p.data = np.minimum(cap, -np.expm1(-lam * p.data))
    p.eliminate_zeros()
    return p


class _Arrays:
    """Flat CSR arrays of a model, forward and reverse, precomputed once."""

    __slots__ = (
        "kind",
        "n",
        "m",
        "indptr",
        "indices",
        "prob",
        "lt_lo",
        "lt_hi",
        "rindptr",
        "rindices",
        "rprob",
        "rcum",
        "rbase",
        "outdeg",
    )

    def __init__(self, kind: str, matrix: sp.csr_matrix) -> None:
        self.kind = kind
        self.n = matrix.shape[0]
        self.m = matrix.nnz
        self.indptr = matrix.indptr.astype(np.int64)
        self.indices = matrix.indices.astype(np.int64)
        self.prob = matrix.data.astype(np.float64)
        self.outdeg = np.diff(self.indptr)
        # Reverse (CSC) view; ``ids`` maps each CSC position to its CSR edge id.
        ids = sp.csr_matrix(
            (np.arange(1, self.m + 1, dtype=np.float64), matrix.indices, matrix.indptr), shape=matrix.shape
        ).tocsc()
        ids.sort_indices()
        edge_of = ids.data.astype(np.int64) - 1
        self.rindptr = ids.indptr.astype(np.int64)
        self.rindices = ids.indices.astype(np.int64)
        self.rprob = self.prob[edge_of]
        self.lt_lo = self.lt_hi = self.rcum = self.rbase = None
        if kind == "lt":
            cum = np.cumsum(self.rprob)
            col_start = self.rindptr[:-1]
            base = np.zeros(self.n)
            base[col_start > 0] = cum[col_start[col_start > 0] - 1]
            col_of = np.repeat(np.arange(self.n), np.diff(self.rindptr))
            hi = cum - base[col_of]
            lo = hi - self.rprob
            self.lt_lo = np.empty(self.m)
            self.lt_hi = np.empty(self.m)
            self.lt_lo[edge_of] = lo
            self.lt_hi[edge_of] = hi
            self.rcum = cum
            self.rbase = base


@dataclass(frozen=True, eq=False)
class CascadeModel:
    """A diffusion model over a spread graph.

    Parameters
    ----------
    kind : {"ic", "lt"}
        Independent cascade or linear threshold.
    node_ids : sequence of str
        Profile ids; position ``i`` names row and column ``i`` of ``influence``. Must be unique.
    influence : scipy sparse matrix, shape (n, n)
        IC: ``(i, j) = p_ij``, the probability that active ``i`` activates ``j``, in [0, 1].
        LT: ``(i, j) = b_ij >= 0`` with every column summing to at most 1.
        Self-loops and zeros are dropped.
    parameters : mapping, optional
        How ``influence`` was derived (e.g. ``lam``, ``cap``); reported in plans.

    See Also
    --------
    independent_cascade, linear_threshold : build a model from interaction weights.
    """

    kind: Literal["ic", "lt"]
    node_ids: Sequence[str]
    influence: sp.csr_matrix
    parameters: Mapping[str, object] = field(default_factory=dict)
    _arrays: _Arrays = field(init=False, repr=False)
    _index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in ("ic", "lt"):
            raise ValueError(f"kind must be 'ic' or 'lt', not {self.kind!r}")
        ids = tuple(str(i) for i in self.node_ids)
        index = {node: i for i, node in enumerate(ids)}
        if len(index) != len(ids):
            raise ValueError("node_ids must be unique")
        n = len(ids)
        coo = sp.coo_matrix(self.influence, dtype=np.float64)
        if coo.shape != (n, n):
            raise ValueError(f"influence must be {n} x {n} to match node_ids, got {coo.shape}")
        keep = (coo.row != coo.col) & (coo.data != 0)
        matrix = sp.csr_matrix((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=(n, n))
        matrix.sum_duplicates()
        matrix.sort_indices()
        if matrix.nnz and (matrix.data.min() < 0 or matrix.data.max() > 1):
            raise ValueError("influence values must lie in [0, 1]")
        if self.kind == "lt" and matrix.nnz and np.asarray(matrix.sum(axis=0)).max() > 1 + 1e-9:
            raise ValueError("linear threshold: each profile's in-weights must sum to at most 1")
        object.__setattr__(self, "node_ids", ids)
        object.__setattr__(self, "influence", matrix)
        object.__setattr__(self, "parameters", dict(self.parameters))
        object.__setattr__(self, "_arrays", _Arrays(self.kind, matrix))
        object.__setattr__(self, "_index", index)

    @property
    def n(self) -> int:
        """Number of profiles."""
        return len(self.node_ids)

    def indices_of(self, ids: Iterable[str], *, what: str = "ids") -> np.ndarray:
        """Positions of ``ids``; raises ValueError naming the first unknown ids."""
        ids = [str(i) for i in ids]
        unknown = [i for i in ids if i not in self._index]
        if unknown:
            raise ValueError(f"{len(unknown)} {what} are not profiles of the graph, e.g. {unknown[:3]}")
        return np.fromiter((self._index[i] for i in ids), dtype=np.int64, count=len(ids))


def independent_cascade(
    node_ids: Sequence[str],
    spread_weights: sp.spmatrix | sp.sparray,
    *,
    lam: float = DEFAULT_LAMBDA,
    cap: float = DEFAULT_CAP,
) -> CascadeModel:
    """Independent-cascade model with probabilities from interaction counts (see ``edge_probabilities``).

    Parameters
    ----------
    node_ids : sequence of str
        Profile ids of the rows/columns.
    spread_weights : scipy sparse matrix
        Interaction counts, ``(i, j)``: ``i`` can activate ``j`` (see ``spread_matrix_from_engagement``).
    lam, cap : float
        See ``edge_probabilities``.

    Returns
    -------
    CascadeModel

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> w = sp.csr_matrix(([1.0, 1.0], ([0, 1], [1, 2])), shape=(3, 3))
    >>> model = independent_cascade(["a", "b", "c"], w)
    >>> round(estimate_spread(model, ["a"], simulations=20000).mean, 2)  # 1 + 0.1 + 0.01
    1.11
    """
    return CascadeModel(
        "ic", node_ids, edge_probabilities(spread_weights, lam, cap), {"lam": lam, "cap": cap}
    )


def linear_threshold(node_ids: Sequence[str], spread_weights: sp.spmatrix | sp.sparray) -> CascadeModel:
    """Linear-threshold model with in-weights normalised per profile: ``b_ij = w_ij / sum_i w_ij``.

    Parameters
    ----------
    node_ids : sequence of str
        Profile ids of the rows/columns.
    spread_weights : scipy sparse matrix
        Non-negative interaction counts, ``(i, j)``: ``i`` can activate ``j``.

    Returns
    -------
    CascadeModel
        Every profile with an in-edge has in-weights summing to 1; thresholds are uniform in [0, 1].

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> w = sp.csr_matrix(([1.0, 3.0], ([0, 1], [2, 2])), shape=(3, 3))
    >>> linear_threshold(["a", "b", "c"], w).influence.toarray()[:, 2]
    array([0.25, 0.75, 0.  ])
    """
    w = sp.csr_matrix(spread_weights, dtype=np.float64, copy=True)
    w.sum_duplicates()
    w = (w - sp.diags(w.diagonal())).tocsr()  # a self-loop is not influence
    w.eliminate_zeros()
    if w.nnz and w.data.min() < 0:
        raise ValueError("interaction weights must be non-negative")
    in_weight = np.asarray(w.sum(axis=0)).ravel()
    scale = np.divide(1.0, in_weight, out=np.zeros_like(in_weight), where=in_weight > 0)
    return CascadeModel("lt", node_ids, (w @ sp.diags(scale)).tocsr(), {"normalisation": "in-weight"})


# ------------------------------------------------------------------------------------------------ randomness
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def _stream(seed: int, purpose: int) -> np.uint64:
    return np.random.SeedSequence([int(seed), purpose]).generate_state(1, dtype=np.uint64)[0]


def _uniforms(stream: np.uint64, counters: np.ndarray) -> np.ndarray:
    """SplitMix64 output at positions ``counters`` of the sequence started at ``stream``, as U[0, 1)."""
    z = counters * _GOLDEN
    z += stream
    z ^= z >> np.uint64(30)
    z *= _MIX1
    z ^= z >> np.uint64(27)
    z *= _MIX2
    z ^= z >> np.uint64(31)
    return (z >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)


# ---------------------------------------------------------------------------------------- forward simulation
def _expand(indptr: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each entry of ``nodes`` its CSR positions: (entry index per position, position)."""
    start = indptr[nodes]
    deg = indptr[nodes + 1] - start
    total = int(deg.sum())
    owner = np.repeat(np.arange(nodes.size), deg)
    shift = start - (np.cumsum(deg) - deg)
    return owner, np.arange(total, dtype=np.int64) + shift[owner]


def _live(arr: _Arrays, stream: np.uint64, sim: np.ndarray, edges: np.ndarray) -> np.ndarray:
    if arr.kind == "ic":
        u = _uniforms(stream, (sim * arr.m + edges).view(np.uint64))
        return u < arr.prob[edges]
    # LT live-edge graph: profile j keeps the in-edge whose interval [lo, hi) holds its draw u(sim, j).
    u = _uniforms(stream, (sim * arr.n + arr.indices[edges]).view(np.uint64))
    return (u >= arr.lt_lo[edges]) & (u < arr.lt_hi[edges])


class _Workspace:
    """Dense scratch arrays for ``instances x n`` keys, reused across batches (``active`` kept all False)."""

    def __init__(self, n: int, wanted: int) -> None:
        self.instances = max(1, min(wanted, _BUFFER_BYTES // (5 * max(n, 1))))
        self.active = np.zeros(self.instances * n, dtype=bool)
        self.claim = np.empty(self.instances * n, dtype=np.int32)

    def distinct(self, keys: np.ndarray) -> np.ndarray:
        """Keys without duplicates, in O(len) (the order does not matter to any caller)."""
        if keys.size < 2:
            return keys
        ticket = np.arange(keys.size, dtype=np.int32)
        self.claim[keys] = ticket
        return keys[self.claim[keys] == ticket]


def _propagate(
    arr: _Arrays,
    stream: np.uint64,
    inst_sim: np.ndarray,
    start_inst: np.ndarray,
    start_node: np.ndarray,
    blocked: np.ndarray | None,
    ws: _Workspace,
) -> np.ndarray:
    """Activate, in every instance, everything reachable in its simulation's live-edge graph.

    Instance ``i`` uses the live-edge graph of simulation ``inst_sim[i]`` and starts from the ``start_node``
    entries whose ``start_inst`` is ``i``. Nodes with ``blocked[sim * n + node]`` are neither activated nor
    expanded (they are already reached by earlier seeds, so whatever they reach is too). Returns the
    activated keys ``instance * n + node``; ``ws`` must hold ``len(inst_sim)`` instances.
    """
    n, buf = arr.n, ws.active
    keys = ws.distinct(start_inst.astype(np.int64) * n + start_node)
    if blocked is not None:
        inst = keys // n
        keys = keys[~blocked[inst_sim[inst] * n + (keys - inst * n)]]
    buf[keys] = True
    found = [keys]
    frontier = keys
    while frontier.size:
        inst = frontier // n
        owner, edges = _expand(arr.indptr, frontier - inst * n)
        if not edges.size:
            break
        inst = inst[owner]
        sim = inst_sim[inst]
        live = _live(arr, stream, sim, edges)
        inst, sim, target = inst[live], sim[live], arr.indices[edges[live]]
        nxt = inst * n + target
        fresh = ~buf[nxt]
        if blocked is not None:
            fresh &= ~blocked[sim * n + target]
        nxt = ws.distinct(nxt[fresh])
        buf[nxt] = True
        found.append(nxt)
        frontier = nxt
    out = np.concatenate(found)
    buf[out] = False
    return out


def _spread_samples(arr: _Arrays, stream: np.uint64, seeds: np.ndarray, simulations: int) -> np.ndarray:
    """Spread of ``seeds`` in each of ``simulations`` live-edge graphs (int64 array)."""
    counts = np.zeros(simulations, dtype=np.int64)
    if not seeds.size or not simulations:
        return counts
    ws = _Workspace(arr.n, simulations)
    batch = ws.instances
    for lo in range(0, simulations, batch):
        hi = min(simulations, lo + batch)
        b = hi - lo
        keys = _propagate(
            arr,
            stream,
            np.arange(lo, hi, dtype=np.int64),
            np.repeat(np.arange(b), seeds.size),
            np.tile(seeds, b),
            None,
            ws,
        )
        counts[lo:hi] = np.bincount(keys // arr.n, minlength=b)
    return counts


def _marginal_counts(
    arr: _Arrays,
    stream: np.uint64,
    nodes: np.ndarray,
    simulations: int,
    covered: np.ndarray | None,
    ws: _Workspace,
) -> np.ndarray:
    """Total (over simulations) number of profiles each of ``nodes`` adds to ``covered``."""
    total = nodes.size * simulations
    sums = np.zeros(nodes.size, dtype=np.float64)
    batch = ws.instances
    for lo in range(0, total, batch):
        g = np.arange(lo, min(total, lo + batch), dtype=np.int64)
        owner = g // simulations
        keys = _propagate(arr, stream, g - owner * simulations, g - lo, nodes[owner], covered, ws)
        per_instance = np.bincount(keys // arr.n, minlength=g.size)
        sums += np.bincount(owner, weights=per_instance, minlength=nodes.size)
    return np.rint(sums).astype(np.int64)


def _commit(
    arr: _Arrays, stream: np.uint64, node: int, simulations: int, covered: np.ndarray, ws: _Workspace
) -> np.ndarray:
    """Add ``node`` to the seed set: mark what it newly reaches in ``covered``; return those keys."""
    found = []
    for lo in range(0, simulations, ws.instances):
        sims = np.arange(lo, min(simulations, lo + ws.instances), dtype=np.int64)
        local = sims - lo
        keys = _propagate(arr, stream, sims, local, np.full(sims.size, node, dtype=np.int64), covered, ws)
        found.append(keys + lo * arr.n)  # covered-array positions: simulation * n + node
    keys = np.concatenate(found)
    covered[keys] = True
    return keys


def _reached_sample(model: CascadeModel, keys: np.ndarray, node: int, top: int) -> tuple[str, ...]:
    reached = keys % model.n
    freq = np.bincount(reached, minlength=model.n)
    freq[node] = 0
    order = np.lexsort((np.arange(model.n), -freq))[:top]
    return tuple(model.node_ids[i] for i in order if freq[i] > 0)


def _explain(
    model: CascadeModel, nodes: np.ndarray, simulations: int, seed: int, top: int
) -> tuple[SeedChoice, ...]:
    """Marginal gains, cumulative spreads and reached samples of ``nodes`` taken in order."""
    arr = model._arrays
    stream = _stream(seed, _EXPLAIN)
    covered = np.zeros(simulations * arr.n, dtype=bool)
    ws = _Workspace(arr.n, simulations)
    out, cumulative = [], 0
    for node in nodes.tolist():
        keys = _commit(arr, stream, node, simulations, covered, ws)
        cumulative += keys.size
        out.append(
            SeedChoice(
                model.node_ids[node],
                keys.size / simulations,
                cumulative / simulations,
                _reached_sample(model, keys, node, top),
            )
        )
    return tuple(out)


def _summary(samples: np.ndarray) -> SpreadEstimate:
    r = samples.size
    mean = float(samples.mean()) if r else 0.0
    std = float(samples.std(ddof=1)) if r > 1 else 0.0
    half = _Z95 * std / math.sqrt(r) if r else 0.0
    return SpreadEstimate(mean, mean - half, mean + half, int(r), std)


def estimate_spread(
    model: CascadeModel, seeds: Iterable[str], simulations: int = 1000, seed: int = 0
) -> SpreadEstimate:
    """Expected spread of a seed set by Monte-Carlo simulation.

    All simulations run at once as a frontier of ``(simulation, profile)`` pairs over the CSR arrays, in
    batches whose dense ``instances x n`` workspace stays under 160 MiB.

    Parameters
    ----------
    model : CascadeModel
    seeds : iterable of str
        Profiles contacted (duplicates ignored).
    simulations : int, default 1000
        Number of cascades.
    seed : int, default 0
        Random seed; the same seed gives the same live-edge graphs for every seed set (paired comparisons).

    Returns
    -------
    SpreadEstimate
        Mean number of active profiles, seeds included, with a 95 % normal-approximation interval.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> p = sp.csr_matrix(([1.0, 1.0], ([0, 1], [1, 2])), shape=(3, 3))
    >>> estimate_spread(CascadeModel("ic", ["a", "b", "c"], p), ["b"], simulations=10).mean
    2.0
    """
    if simulations < 1:
        raise ValueError("simulations must be >= 1")
    if isinstance(seeds, str):
        raise TypeError("seeds must be a collection of profile ids, not a single string")
    nodes = np.unique(model.indices_of(seeds, what="seed ids"))
    return _summary(_spread_samples(model._arrays, _stream(seed, _EVALUATE), nodes, simulations))


# --------------------------------------------------------------------------------------------- greedy family
def _allowed(model: CascadeModel, candidates: Iterable[str] | None, exclude: Iterable[str]) -> np.ndarray:
    if candidates is None:
        allowed = np.ones(model.n, dtype=bool)
    else:
        allowed = np.zeros(model.n, dtype=bool)
        allowed[model.indices_of(candidates, what="candidate ids")] = True
    known = [i for i in (str(x) for x in exclude) if i in model._index]  # unknown exclusions are harmless
    allowed[model.indices_of(known)] = False
    return allowed


def _greedy_plan(
    model: CascadeModel,
    k: int,
    *,
    lazy: bool,
    candidates: Iterable[str] | None,
    exclude: Iterable[str],
    simulations: int,
    seed: int,
    evaluation_simulations: int,
    reached_top: int,
) -> OutreachPlan:
    if k < 0 or simulations < 1:
        raise ValueError("k must be >= 0 and simulations >= 1")
    arr = model._arrays
    cand = np.flatnonzero(_allowed(model, candidates, exclude))
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


def celf(
    model: CascadeModel,
    k: int,
    *,
    candidates: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    simulations: int = 200,
    seed: int = 0,
    evaluation_simulations: int = 1000,
    reached_top: int = 5,
) -> OutreachPlan:
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
    candidates : iterable of str, optional
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
    return _greedy_plan(
        model,
        k,
        lazy=True,
        candidates=candidates,
        exclude=exclude,
        simulations=simulations,
        seed=seed,
        evaluation_simulations=evaluation_simulations,
        reached_top=reached_top,
    )


def greedy(
    model: CascadeModel,
    k: int,
    *,
    candidates: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    simulations: int = 200,
    seed: int = 0,
    evaluation_simulations: int = 1000,
    reached_top: int = 5,
) -> OutreachPlan:
    """Plain greedy: re-evaluate every candidate's marginal gain in every round.

    Same parameters and result as ``celf`` (identical seeds and gains, by construction) at ``k`` times the
    cost; kept as the reference that CELF is tested against.

    References
    ----------
    .. [1] D. Kempe, J. Kleinberg, E. Tardos, "Maximizing the spread of influence through a social network",
       KDD 2003.
    """
    return _greedy_plan(
        model,
        k,
        lazy=False,
        candidates=candidates,
        exclude=exclude,
        simulations=simulations,
        seed=seed,
        evaluation_simulations=evaluation_simulations,
        reached_top=reached_top,
    )


# --------------------------------------------------------------------------------------------- RR sets (IMM)
def _in_sorted_chunks(keys: np.ndarray, chunks: list[np.ndarray]) -> np.ndarray:
    hit = np.zeros(keys.size, dtype=bool)
    for chunk in chunks:
        if chunk.size:
            pos = np.minimum(np.searchsorted(chunk, keys), chunk.size - 1)
            hit |= chunk[pos] == keys
    return hit


def _sample_rr(arr: _Arrays, rng: np.random.Generator, count: int) -> list[np.ndarray]:
    """``count`` random RR sets as per-batch sorted key arrays ``local_set * n + node``.

    An RR set is the set of profiles that would activate a uniformly random root in one random live-edge
    graph: a reverse BFS that keeps each in-edge with probability ``p`` (IC), or a reverse walk that follows
    at most one in-edge per profile, ``(i, j)`` with probability ``b_ij`` (LT).
    """
    n, out = arr.n, []
    for lo in range(0, count, _RR_BATCH):
        b = min(_RR_BATCH, count - lo)
        keys = np.arange(b, dtype=np.int64) * n + rng.integers(0, n, size=b)
        chunks = [keys]
        frontier = keys
        while frontier.size:
            local = frontier // n
            node = frontier - local * n
            if arr.kind == "ic":
                owner, edges = _expand(arr.rindptr, node)
                live = rng.random(edges.size) < arr.rprob[edges]
                src, local = arr.rindices[edges[live]], local[owner[live]]
            else:
                target = arr.rbase[node] + rng.random(node.size)
                pos = np.searchsorted(arr.rcum, target, side="right")
                ok = pos < arr.rindptr[node + 1]
                src, local = arr.rindices[pos[ok]], local[ok]
            nxt = np.unique(local * n + src)
            nxt = nxt[~_in_sorted_chunks(nxt, chunks)]
            chunks.append(nxt)
            frontier = nxt
        out.append(np.sort(np.concatenate(chunks)))
    return out


class _RRCollection:
    """RR sets stored flat: set id and profile per entry, grouped by set."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.count = 0
        self.sets: list[np.ndarray] = []
        self.nodes: list[np.ndarray] = []

    def extend(self, batches: list[np.ndarray], sizes: Sequence[int]) -> None:
        for keys, size in zip(batches, sizes, strict=True):
            local = keys // self.n
            self.sets.append((local + self.count).astype(np.int64))
            self.nodes.append((keys - local * self.n).astype(np.int32 if self.n < 2**31 else np.int64))
            self.count += size

    def max_cover(self, allowed: np.ndarray, k: int) -> tuple[list[int], list[int]]:
        """Greedy maximum coverage restricted to ``allowed``: chosen profiles and newly covered set counts."""
        sets = np.concatenate(self.sets) if self.sets else np.zeros(0, np.int64)
        nodes = np.concatenate(self.nodes) if self.nodes else np.zeros(0, np.int64)
        count = np.bincount(nodes, minlength=self.n).astype(np.int64)
        by_node = sets[np.argsort(nodes, kind="stable")]
        node_ptr = np.concatenate(([0], np.cumsum(count)))
        set_ptr = np.concatenate(([0], np.cumsum(np.bincount(sets, minlength=self.count))))
        covered = np.zeros(self.count, dtype=bool)
        avail = allowed.copy()
        chosen, gains = [], []
        for _ in range(k):
            score = np.where(avail, count, -1)
            s = int(np.argmax(score))
            if score[s] < 0:
                break
            hit = by_node[node_ptr[s] : node_ptr[s + 1]]
            new = hit[~covered[hit]]
            covered[new] = True
            _, entries = _expand(set_ptr, new)
            count -= np.bincount(nodes[entries], minlength=self.n)
            avail[s] = False
            chosen.append(s)
            gains.append(int(new.size))
        return chosen, gains


def _log_binom(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def rr_select(
    model: CascadeModel,
    k: int,
    *,
    epsilon: float = 0.1,
    ell: float = 1.0,
    candidates: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    seed: int = 0,
    evaluation_simulations: int = 1000,
    explain_simulations: int = 200,
    reached_top: int = 5,
    max_rr_sets: int | None = _DEFAULT_MAX_RR_SETS,
) -> OutreachPlan:
    """Pick ``k`` seeds from reverse-reachable sets with IMM's sample size.

    The spread of ``S`` equals ``n`` times the probability that ``S`` meets a random RR set [1]_, so greedy
    maximum coverage over ``theta`` RR sets maximises an unbiased spread estimate ``n * covered / theta``.
    IMM [2]_ first finds a lower bound ``LB`` of the optimum by doubling the sample while halving a guess
    ``x = n / 2^i``, then uses ``theta = lambda* / LB`` sets with

    ``lambda* = 2 n ((1 - 1/e) alpha + beta)^2 / epsilon^2``, ``alpha = sqrt(ell' ln n + ln 2)``,
    ``beta = sqrt((1 - 1/e) (ln C(n_c, k) + ell' ln n + ln 2))``, ``ell' = ell (1 + ln 2 / ln n)``

    (``n_c`` = eligible candidates), which makes the returned set a ``(1 - 1/e - epsilon)``-approximation of
    the best ``k`` eligible seeds with probability at least ``1 - n^-ell``. The final selection uses fresh RR
    sets, independent of those that produced ``LB``, as Chen [3]_ shows is needed for the bound to hold.

    Parameters
    ----------
    model : CascadeModel
    k : int
        Budget. If fewer profiles are eligible, all of them are returned.
    epsilon : float, default 0.1
        Approximation slack, in (0, 1).
    ell : float, default 1.0
        Confidence: the guarantee holds with probability ``1 - n^-ell``.
    candidates, exclude : see ``celf``
        Only the max-coverage step is restricted; RR sets range over all profiles.
    seed : int, default 0
    evaluation_simulations : int, default 1000
        Simulations of the independent ``estimate_spread`` reported as ``expected_spread``.
    explain_simulations : int, default 200
        Simulations used for each seed's ``reached_sample``.
    reached_top : int, default 5
    max_rr_sets : int or None, default 10_000_000
        Memory guard. If IMM asks for more sets, this many are used and ``parameters["guarantee"]`` says
        ``"capped"`` instead of ``"certified"`` (happens when the optimum is tiny relative to ``n``).

    Returns
    -------
    OutreachPlan
        ``method="imm"``; gains and cumulative spreads are ``n * covered / theta``; ``parameters`` holds
        ``theta``, ``lower_bound``, ``rr_sets_sampled`` and the ``approximation`` factor.

    References
    ----------
    .. [1] C. Borgs, M. Brautbar, J. Chayes, B. Lucier, "Maximizing social influence in nearly optimal time",
       SODA 2014.
    .. [2] Y. Tang, Y. Shi, X. Xiao, "Influence maximization in near-linear time: a martingale approach",
       SIGMOD 2015 (Algorithms 1-3).
    .. [3] W. Chen, "An issue in the martingale analysis of the influence maximization algorithm IMM",
       arXiv:1808.09363, 2018.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> p = sp.csr_matrix(([0.5, 0.5, 0.5], ([0, 0, 0], [1, 2, 3])), shape=(4, 4))
    >>> rr_select(CascadeModel("ic", ["hub", "x", "y", "z"], p), 1).profile_ids
    ('hub',)
    """
    if k < 0 or not 0 < epsilon < 1 or ell <= 0:
        raise ValueError("k must be >= 0, epsilon in (0, 1) and ell > 0")
    arr, n = model._arrays, model.n
    allowed = _allowed(model, candidates, exclude)
    n_c = int(allowed.sum())
    k_eff = min(k, n_c)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), _RR])))
    log_n = math.log(max(n, 2))
    ell2 = ell * (1 + math.log(2) / log_n)
    log_binom = _log_binom(n_c, k_eff)
    eps2 = math.sqrt(2) * epsilon
    cap = max_rr_sets if max_rr_sets is not None else math.inf

    def draw(rr: _RRCollection, target: int) -> None:
        need = target - rr.count
        if need > 0:
            batches = _sample_rr(arr, rng, need)
            rr.extend(batches, [min(_RR_BATCH, need - i * _RR_BATCH) for i in range(len(batches))])

    # Sampling phase (IMM Algorithm 2): lower bound of OPT.
    lower_bound, sampled = 1.0, 0
    lam_prime = (2 + 2 * eps2 / 3) * (log_binom + ell2 * log_n + math.log(max(math.log2(max(n, 2)), 1.0)))
    lam_prime *= n / eps2**2
    est = _RRCollection(n)
    for i in range(1, max(1, int(math.log2(max(n, 2))))):
        x = n / 2**i
        theta_i = int(min(cap, math.ceil(lam_prime / x)))
        draw(est, theta_i)
        _, gains = est.max_cover(allowed, k_eff)
        if n * sum(gains) / est.count >= (1 + eps2) * x:
            lower_bound = n * sum(gains) / est.count / (1 + eps2)
            break
        if theta_i >= cap:
            break
    sampled += est.count
    del est
    # Node selection on fresh sets (Chen 2018).
    e1 = 1 - 1 / math.e
    alpha = math.sqrt(ell2 * log_n + math.log(2))
    beta = math.sqrt(e1 * (log_binom + ell2 * log_n + math.log(2)))
    lam_star = 2 * n * (e1 * alpha + beta) ** 2 / epsilon**2
    theta_needed = math.ceil(lam_star / lower_bound)
    theta = int(min(cap, theta_needed))
    final = _RRCollection(n)
    draw(final, max(theta, 1))
    sampled += final.count
    chosen, gains = final.max_cover(allowed, k_eff)
    explained = _explain(model, np.asarray(chosen, dtype=np.int64), explain_simulations, seed, reached_top)
    seeds, covered = [], 0
    for node, gain, why in zip(chosen, gains, explained, strict=True):
        covered += gain
        seeds.append(
            SeedChoice(
                model.node_ids[node], n * gain / final.count, n * covered / final.count, why.reached_sample
            )
        )
    params = {
        "k": k,
        "seed": seed,
        "epsilon": epsilon,
        "ell": ell,
        "approximation": e1 - epsilon,
        "theta": final.count,
        "lower_bound": lower_bound,
        "rr_sets_sampled": sampled,
        "guarantee": "certified" if theta_needed <= cap else "capped",
        "candidates": n_c,
        "evaluation_simulations": evaluation_simulations,
        "explain_simulations": explain_simulations,
        **model.parameters,
    }
    return OutreachPlan(
        tuple(seeds),
        estimate_spread(model, [s.profile_id for s in seeds], evaluation_simulations, seed),
        "imm",
        model.kind,
        params,
    )


# -------------------------------------------------------------------------------------------------- own list
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
