"""Reverse-reachable sets with IMM's sample size: ``rr_select`` (Borgs et al. 2014; Tang, Shi and Xiao 2015)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from algorithms.outreach.models import CascadeModel, _Arrays, allowed_mask
from algorithms.outreach.results import OutreachPlan, SeedChoice
from algorithms.outreach.simulation import _RR, _expand, _explain, estimate_spread

_RR_BATCH = 1 << 17
_DEFAULT_MAX_RR_SETS = 10_000_000


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
    allowed = allowed_mask(model, candidates, exclude)
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
