"""Live-edge simulation: counter-based random streams and the batched forward cascade, ``estimate_spread``.

Live edges are decided by a counter-based hash of ``(seed, simulation, edge)`` (SplitMix64, Steele et al.
2014), so the same simulation index sees the same live-edge graph whatever seed set is evaluated (common
random numbers); see :mod:`algorithms.outreach`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from algorithms.outreach.models import CascadeModel, _Arrays
from algorithms.outreach.results import SeedChoice, SpreadEstimate

_Z95 = 1.959963984540054
# Bytes of the dense per-batch workspace (instances x nodes: a bool "active" flag and an int32 claim slot).
_BUFFER_BYTES = 160 << 20

# Independent random streams derived from the user's seed, one per purpose.
_SELECT, _EVALUATE, _EXPLAIN, _RR = 1, 2, 3, 4


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
