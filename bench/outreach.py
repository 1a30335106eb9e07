"""Benchmark outreach planning on the full Higgs retweet graph: CELF vs the RR-set method (IMM).

Usage::

    python bench/outreach.py [--quick]

Loads ``higgs-retweet_network.edgelist.gz`` (``A B w``: A retweeted B w times, so the message flows B -> A),
builds the default independent-cascade model (``p = min(0.5, 1 - 0.9^w)``), and for each budget k times

* CELF on Monte-Carlo marginal gains, restricted to the top profiles by out-degree in the spread graph (the
  most retweeted accounts; CELF's first pass costs one simulation batch per candidate, so all 256k profiles
  would take far longer), with a reduced selection simulation count;
* ``rr_select`` (IMM, epsilon = 0.1, ell = 1) over all profiles, and over the same restricted candidates.

Every seed set is then scored by the same independent evaluator: ``estimate_spread`` with the same seed and
simulation count, so all rows see the same live-edge graphs (paired comparison). Selection time excludes
that evaluation. Peak memory is tracemalloc's peak during the selection (numpy reports its buffers to
tracemalloc) and the process's maximum resident set size at the end.
"""

from __future__ import annotations

import argparse
import gzip
import platform
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from algorithms.outreach import (  # noqa: E402
    CascadeModel,
    celf,
    estimate_spread,
    independent_cascade,
    rr_select,
    spread_matrix_from_engagement,
)

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"  # ../shared/data beside the repository
DATA = SHARED_DATA / "higgs_twitter" / "higgs-retweet_network.edgelist.gz"
EVAL_SEED = 2024


def load_higgs(path: Path) -> CascadeModel:
    with gzip.open(path, "rb") as f:
        rows = np.array(f.read().split(), dtype=np.int64).reshape(-1, 3)
    users, pair = np.unique(rows[:, :2], return_inverse=True)
    pair = pair.reshape(-1, 2)
    n = users.size
    engagement = sp.csr_matrix((rows[:, 2].astype(float), (pair[:, 0], pair[:, 1])), shape=(n, n))
    return independent_cascade([str(u) for u in users], spread_matrix_from_engagement(engagement))


def timed(fn, *args, **kwargs):
    tracemalloc.start()
    tracemalloc.reset_peak()
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="k=10 only, fewer candidates and simulations")
    args = parser.parse_args()
    budgets = (10,) if args.quick else (10, 50)
    n_cand = 500 if args.quick else 2000
    celf_sims = 50 if args.quick else 200
    eval_sims = 300 if args.quick else 1000

    start = time.perf_counter()
    model = load_higgs(DATA)
    load_s = time.perf_counter() - start
    outdeg = np.diff(model.influence.indptr)
    top = np.lexsort((np.arange(model.n), -outdeg))[:n_cand]
    candidates = [model.node_ids[i] for i in top]

    print(f"# Outreach planning on Higgs retweets ({'quick' if args.quick else 'full'} run)")
    print(
        f"graph: {model.n:,} profiles, {model.influence.nnz:,} spread ties (loaded in {load_s:.1f} s); "
        f"model IC, p = min(0.5, 1 - exp(-ln(10/9) w)), mean p = {model.influence.data.mean():.3f}"
    )
    print(
        f"machine: 2 cores, 24 GiB (shared), {platform.python_implementation()} {platform.python_version()}, "
        f"numpy {np.__version__}; evaluator: estimate_spread, {eval_sims} simulations, seed {EVAL_SEED}, "
        "identical for every row"
    )
    print(
        f"CELF: candidates = top {n_cand} profiles by out-degree (most retweeted), {celf_sims} selection "
        "simulations (common random numbers); IMM: epsilon 0.1, ell 1 (guarantee 1 - 1/e - 0.1 = 0.532 "
        "w.p. 1 - 1/n)"
    )
    print()
    header = (
        "| k | method | candidates | select s | evaluated spread (95% CI) | vs CELF | "
        "peak traced MB | notes |"
    )
    print(header)
    print("|---|---|---|---|---|---|---|---|")
    for k in budgets:
        runs = [
            ("CELF", f"top {n_cand}", celf, dict(candidates=candidates, simulations=celf_sims)),
            ("IMM (RR sets)", "all", rr_select, {}),
            ("IMM (RR sets)", f"top {n_cand}", rr_select, dict(candidates=candidates)),
        ]
        reference = None
        for name, cand_label, method, options in runs:
            plan, seconds, peak = timed(method, model, k, seed=1, evaluation_simulations=1, **options)
            ev = estimate_spread(model, plan.profile_ids, simulations=eval_sims, seed=EVAL_SEED)
            reference = reference or ev.mean
            p = plan.parameters
            if plan.method == "imm":
                notes = f"theta {p['theta']:,}, RR sets drawn {p['rr_sets_sampled']:,}, {p['guarantee']}"
            else:
                notes = f"{p['spread_evaluations']:,} gain evaluations"
            print(
                f"| {k} | {name} | {cand_label} | {seconds:.1f} | {ev.mean:,.1f} ({ev.ci_low:,.1f}-"
                f"{ev.ci_high:,.1f}) | {ev.mean / reference:.3f} | {peak / 2**20:,.0f} | {notes} |",
                flush=True,
            )
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"process peak RSS: {maxrss_mb:,.0f} MB; total wall time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
