"""Diffusion models over a spread graph: edge probabilities, independent cascade and linear threshold.

See :mod:`algorithms.outreach` for the direction of the spread matrix and the meaning of both models.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp

DEFAULT_LAMBDA = math.log(10 / 9)
"""Default ``lam`` of ``edge_probabilities``: one interaction gives ``p = 0.1``."""
DEFAULT_CAP = 0.5
"""Default upper bound of an IC edge probability."""


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
        empty = np.zeros(0)  # the LT-only arrays stay empty for an IC model
        self.lt_lo: np.ndarray = empty
        self.lt_hi: np.ndarray = empty
        self.rcum: np.ndarray = empty
        self.rbase: np.ndarray = empty
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
    >>> from algorithms.outreach import estimate_spread
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


def allowed_mask(model: CascadeModel, candidates: Iterable[str] | None, exclude: Iterable[str]) -> np.ndarray:
    """Boolean mask of the profiles a selection may choose: ``candidates`` (all if None) minus ``exclude``."""
    if candidates is None:
        allowed = np.ones(model.n, dtype=bool)
    else:
        allowed = np.zeros(model.n, dtype=bool)
        allowed[model.indices_of(candidates, what="candidate ids")] = True
    known = [i for i in (str(x) for x in exclude) if i in model._index]  # unknown exclusions are harmless
    allowed[model.indices_of(known)] = False
    return allowed
