"""The analysis pipeline: project the store -> run the algorithms -> write the results back.

:func:`run_analysis` is what ``rapport analyze`` and the API's ``POST /v1/analysis/runs`` run. Stages,
in order (each reported to the ``progress`` callback and timed in the summary):

``projection``        one paged, server-aggregated pass per relationship kind (:mod:`graph.projection`)
``signals``           account roles and coordinated-account screening (:mod:`usecases.signals`)
``communities``       Louvain on the symmetrised engagement graph, ids kept stable across runs
``influence``         weighted PageRank (damping 0.85) and each profile's top contributing in-neighbours
``brand_influence``   PageRank personalized to each brand's own profiles (top N per brand)
``reach``             distinct profiles within two hops over follows ∪ engagement
``brokerage``         betweenness (exact on small graphs, 256 sampled sources on large ones)
``advocacy``          one stance per (profile, brand): advocate, detractor or mixed, with both sides' evidence
``write_back``        staged scores, run-stamped relationships, one-statement switch, cleanup

The engagement edge weight of ``a -> b`` is ``sum over interactions of kind_weight *
0.5 ** (age / half_life)`` (reply 3, mention 2, share 2, like 1 by default; see
:class:`algorithms.projection.EngagementWeights`); ``age`` is measured back from ``as_of`` (default:
the newest interaction). Self-interactions are left out. The write-back contract is documented in
:mod:`graph.results`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

import numpy as np

from algorithms.advocacy import BrandPost
from algorithms.communities import detect_communities
from algorithms.explain import link_and_teleport_parts
from algorithms.influence import InfluenceScores, brokerage, pagerank, reach
from algorithms.projection import MILLIS_PER_DAY, DirectedGraph, EngagementWeights
from algorithms.roles import RoleAssignment
from algorithms.screening import ScreeningResult
from algorithms.trust import trust_graph
from graph import errors, projection, results
from graph.model import ADVOCATES, DETRACTS, INFLUENCES, MIXED
from graph.store import CypherGraphStore
from usecases import signals
from usecases.collector import after_long_lived_build
from usecases.community_labels import label_communities
from usecases.crm.run_lists import record_run_lists

Progress = Callable[[str, float], None]
STAGES: tuple[str, ...] = (
    "projection",
    "signals",
    "communities",
    "influence",
    "brand_influence",
    "reach",
    "brokerage",
    "advocacy",
    "write_back",
)
_NO_DECAY_DAYS = 1e12  # advocacy's recency with "no decay": 0.5 ** (age / 1e12 days) == 1 for any real age


@dataclass(frozen=True)
class AnalysisParams:
    """Parameters of one analysis run.

    Attributes
    ----------
    as_of_ms : int or None
        Reference time of the time decay, epoch ms; None = the newest interaction in the store.
    half_life_days : float or None
        Engagement (and advocacy recency) half-life in days; None turns decay off.
    seed : int
        Seed of Louvain and of sampled betweenness.
    resolution : float
        Modularity resolution of the community detection (> 1: smaller communities).
    damping : float
        PageRank damping factor.
    kind_weights : EngagementWeights
        Weight of one reply / mention / share / like.
    top_per_brand : int
        INFLUENCES, ADVOCATES and DETRACTS relationships kept per brand (each).
    explain_top : int
        In-neighbours kept in ``influence_top_sources`` / ``influence_top_shares``.
    brokerage_samples : int
        Sampled sources of betweenness when the graph has more than ``exact_brokerage_max_nodes``.
    evidence_posts : int
        Evidence posts kept per advocate / detractor.
    reach_pair_budget : int
        Above this many two-hop paths, reach is the upper bound ``min(n - 1, paths)`` instead of exact.
    page_rows : int or None
        Rows per projection page; ``None`` lets the engine choose (``Engine.projection_page_rows``).
    runs_kept : int
        Newest succeeded runs whose list records (for CRM deltas, :mod:`usecases.crm.run_lists`) are kept.
    """

    as_of_ms: int | None = None
    half_life_days: float | None = 30.0
    seed: int = 0
    resolution: float = 1.0
    damping: float = 0.85
    kind_weights: EngagementWeights = field(default_factory=EngagementWeights)
    top_per_brand: int = 500
    explain_top: int = 5
    brokerage_samples: int = 256
    exact_brokerage_max_nodes: int = 5000
    evidence_posts: int = 5
    reach_pair_budget: int = 200_000_000
    page_rows: int | None = None
    runs_kept: int = 14

    def __post_init__(self) -> None:
        if self.half_life_days is not None and not self.half_life_days > 0:
            raise errors.InvalidInput("half_life_days must be > 0 (or None for no decay)")
        if not self.resolution > 0:
            raise errors.InvalidInput("resolution must be > 0")
        if not 0 < self.damping < 1:
            raise errors.InvalidInput("damping must be in (0, 1)")
        if self.top_per_brand < 1 or self.explain_top < 0 or self.brokerage_samples < 1:
            raise errors.InvalidInput("top_per_brand and brokerage_samples must be >= 1")


@dataclass(frozen=True)
class StageTiming:
    """Wall-clock seconds of one stage, and of the named steps timed inside it (``parts``; they need
    not cover the whole stage: what is left is the stage's own bookkeeping)."""

    name: str
    seconds: float
    parts: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class AnalysisSummary:
    """What one run did: its id, parameters, counts, modularity and per-stage wall-clock seconds."""

    run_id: str
    as_of_ms: int
    half_life_days: float | None
    seed: int
    resolution: float
    profiles: int
    engagement_edges: int
    interactions: int
    trust_edges: int
    communities: int
    modularity: float
    brands: int
    influences: int
    advocates: int
    detractors: int
    reach_method: str
    brokerage_method: str
    stages: tuple[StageTiming, ...]
    mixed: int = 0
    non_customers: int = 0  # profiles with role brand_owned, staff or placeholder
    flagged: int = 0  # accounts flagged by screening (down-weighted)

    @property
    def seconds(self) -> float:
        return sum(stage.seconds for stage in self.stages)

    def projection_rate(self) -> float:
        """Interactions projected per second of the projection stage."""
        seconds = next((s.seconds for s in self.stages if s.name == "projection"), 0.0)
        return self.interactions / seconds if seconds > 0 else float("inf")


def canonical_graph(
    ids: tuple[str, ...], source: np.ndarray, target: np.ndarray, weight: np.ndarray | None = None
) -> DirectedGraph:
    """The canonical :class:`DirectedGraph` over the endpoints of positional edges (vectorised ``from_edges``).

    Equal to ``DirectedGraph.from_edges([ids[s]...], [ids[t]...], weight)``: node ids sorted, parallel
    edges summed, edges sorted by ``(src, dst)``.
    """
    source = np.asarray(source, dtype=np.int64)
    target = np.asarray(target, dtype=np.int64)
    weight = np.ones(source.size) if weight is None else np.asarray(weight, dtype=np.float64)
    used = np.unique(np.concatenate([source, target]))
    if used.size == 0:
        return DirectedGraph((), np.zeros(0), np.zeros(0), np.zeros(0))
    names = np.array([ids[i] for i in used.tolist()])
    order = np.argsort(names, kind="stable")
    new_index = np.full(len(ids), -1, dtype=np.int64)
    new_index[used[order]] = np.arange(used.size)
    n = used.size
    keys, inverse = np.unique(new_index[source] * n + new_index[target], return_inverse=True)
    summed = np.bincount(inverse.reshape(-1), weights=weight, minlength=keys.size)
    return DirectedGraph(tuple(names[order].tolist()), keys // n, keys % n, summed)


def engagement_weights(columns: projection.EngagementColumns, kind_weights: EngagementWeights) -> np.ndarray:
    """Per-row edge weight: ``kind_weight[kind] * decayed`` (rows are per (source, target, kind))."""
    table = np.array([kind_weights.as_mapping()[kind] for kind in projection.ENGAGEMENT_KINDS])
    return table[columns.kind.astype(np.int64)] * columns.decayed


def top_contributors(scores: InfluenceScores, top: int) -> tuple[list[list[str]], list[list[float]]]:
    """Per node (in ``graph.node_ids`` order), its ``top`` in-neighbours by PageRank contribution.

    Vectorised :meth:`InfluenceScores.explain`: contribution of ``u -> v`` is
    ``damping * score[u] * w(u, v) / out_weight(u)``, largest first, ties by source id.
    """
    graph = scores.graph
    n = graph.n
    sources: list[list[str]] = [[] for _ in range(n)]
    shares: list[list[float]] = [[] for _ in range(n)]
    if top <= 0 or graph.m == 0:
        return sources, shares
    score = np.array([scores.scores[node_id] for node_id in graph.node_ids])
    out_weight = graph.out_weight()
    contribution = scores.damping * score[graph.src] * graph.weight / out_weight[graph.src]
    order = np.lexsort((graph.src, -contribution, graph.dst))
    dst_sorted = graph.dst[order]
    starts = np.searchsorted(dst_sorted, np.arange(n))
    rank_in_group = np.arange(order.size) - starts[dst_sorted]
    keep = order[rank_in_group < top]
    ids = graph.node_ids
    for edge in keep.tolist():
        v = int(graph.dst[edge])
        sources[v].append(ids[int(graph.src[edge])])
        shares[v].append(float(contribution[edge]))
    return sources, shares


def two_hop_reach(graph: DirectedGraph, pair_budget: int) -> tuple[dict[str, int], str]:
    """Distinct nodes within two out-steps of each node, exact within ``pair_budget`` two-hop paths.

    Over budget (a hub makes ``A^2`` dense) the count is the upper bound ``min(n - 1, out-degree +
    sum of out-neighbours' out-degrees)`` and the method is reported as ``"upper_bound"``.
    """
    if graph.n == 0:
        return {}, "exact"
    keep = graph.src != graph.dst
    src, dst = graph.src[keep], graph.dst[keep]
    degree = np.bincount(src, minlength=graph.n)
    paths = int(degree[dst].sum())
    if paths <= pair_budget:
        return dict(reach(graph, hops=2).counts), "exact"
    bound = degree + np.bincount(src, weights=degree[dst], minlength=graph.n).astype(np.int64)
    bound = np.minimum(bound, graph.n - 1)
    return dict(zip(graph.node_ids, bound.tolist(), strict=True)), "upper_bound"


def load_trust_graph(store: CypherGraphStore) -> DirectedGraph:
    """The trust graph of the store: ``rating / 10`` per ``RATED`` edge (negative = distrust)."""
    columns = projection.read_trust_ratings(store)
    ids = columns.profiles.ids
    assert columns.value is not None  # trust ratings always carry their value
    return trust_graph(
        [ids[i] for i in columns.source.tolist()], [ids[i] for i in columns.target.tolist()], columns.value
    )


class TrustGraphCache:
    """:func:`load_trust_graph`, cached per current analysis run id (reloaded when a new run is current)."""

    def __init__(self) -> None:
        self._key: str | None = None
        self._graph: DirectedGraph | None = None

    def get(self, store: CypherGraphStore) -> DirectedGraph:
        current = results.current_run(store)
        key = current["id"] if current else ""
        if self._graph is None or key != self._key:
            self._graph, self._key = load_trust_graph(store), key
            after_long_lived_build()
        return self._graph


class Stages:
    """Times a run's stages, records each on the run as it starts and reports it to ``progress``."""

    def __init__(
        self,
        store: CypherGraphStore,
        run_id: str,
        progress: Progress | None,
        names: tuple[str, ...] = STAGES,
    ) -> None:
        self.store, self.run_id, self.progress, self.names = store, run_id, progress, names
        self.timings: list[StageTiming] = []
        self._name: str | None = None
        self._started = 0.0
        self._parts: list[tuple[str, float]] = []

    def begin(self, name: str) -> None:
        self.end()
        self._name, self._started = name, time.perf_counter()
        results.update_run(self.store, self.run_id, stage=name)
        if self.progress:
            self.progress(name, self.names.index(name) / len(self.names))

    def end(self) -> None:
        if self._name is not None:
            seconds = time.perf_counter() - self._started
            self.timings.append(StageTiming(self._name, seconds, tuple(self._parts)))
            self._name, self._parts = None, []

    @contextlib.contextmanager
    def part(self, name: str) -> Iterator[None]:
        """Time one step inside the current stage (reported in its :attr:`StageTiming.parts`)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self._parts.append((name, time.perf_counter() - started))


_Summary = TypeVar("_Summary")


def record_lists(store: CypherGraphStore, run_id: str, runs_kept: int) -> None:
    """Record the run's lists for CRM deltas; the run is already published, so a failure here is
    noted on the run (``lists_error``: deltas since it answer 410) instead of failing it."""
    try:
        record_run_lists(store, {**(results.current_run(store) or {}), "id": run_id}, runs_kept=runs_kept)
    except errors.RapportError as exc:
        results.update_run(store, run_id, lists_error=f"{type(exc).__name__}: {exc}"[:500])


def run_analysis(
    store: CypherGraphStore,
    params: AnalysisParams,
    progress: Progress | None = None,
    *,
    run_id: str | None = None,
) -> AnalysisSummary:
    """Run the whole analysis on ``store`` and make its results current; see the module docstring.

    ``progress(stage, fraction)`` is called as each stage starts (``fraction`` of the pipeline done,
    0..1) and with ``("done", 1.0)`` at the end. Raises :class:`~graph.errors.Conflict` when another
    run is in progress, :class:`~graph.errors.InvalidInput` for invalid parameters or data, store
    errors as they come; on any failure after the run started it is marked ``failed`` (with
    ``error``) and what it wrote is removed, so the previous run stays current.
    """
    return guarded_run(store, params, lambda run: _run(store, run, params, progress), run_id=run_id)


def guarded_run(
    store: CypherGraphStore,
    params: AnalysisParams,
    body: Callable[[str], _Summary],
    *,
    run_id: str | None = None,
    run_props: Mapping[str, Any] | None = None,
    invalid_input: tuple[type[Exception], ...] = (ValueError,),
) -> _Summary:
    """Start a run (its parameters and ``run_props`` on the AnalysisRun), then ``body(run_id)``; on any
    failure the run is marked ``failed`` and what it wrote is removed (:func:`graph.results.fail_run`),
    so the previous run stays current. Errors of ``invalid_input`` types become
    :class:`~graph.errors.InvalidInput`, others a :class:`~graph.errors.RapportError` naming the run.
    Shared by the in-process and the Spark run."""
    started = results.now_ms()
    run_id = run_id or results.new_run_id(started)
    results.start_run(
        store,
        run_id,
        {
            "param_half_life_days": -1.0 if params.half_life_days is None else float(params.half_life_days),
            "param_seed": params.seed,
            "param_resolution": float(params.resolution),
            **(run_props or {}),
        },
        started_at=started,
    )
    try:
        return body(run_id)
    except BaseException as exc:
        message = f"{type(exc).__name__}: {exc}"
        with contextlib.suppress(errors.RapportError):  # a broken store: the original error says more
            results.fail_run(store, run_id, message)
        if isinstance(exc, errors.RapportError | KeyboardInterrupt | SystemExit):
            raise
        if isinstance(exc, invalid_input):
            raise errors.InvalidInput(f"analysis {run_id} failed: {exc}") from exc
        raise errors.RapportError(f"analysis {run_id} failed: {message}") from exc


def _run(
    store: CypherGraphStore, run_id: str, params: AnalysisParams, progress: Progress | None
) -> AnalysisSummary:
    stages = Stages(store, run_id, progress)

    stages.begin("projection")
    bound = projection.max_node_id(store)
    half_life_ms = None if params.half_life_days is None else params.half_life_days * MILLIS_PER_DAY
    # as_of None: the newest interaction, found in the same pass (no separate scan for it)
    profiles, engagement = projection.read_profiles_and_engagement(
        store, as_of_ms=params.as_of_ms, half_life_ms=half_life_ms, bound=bound, page_rows=params.page_rows
    )
    as_of = engagement.as_of_ms
    follows = projection.read_follows(store, profiles, bound=bound, page_rows=params.page_rows)
    trust = projection.read_trust_ratings(store, profiles, bound=bound, page_rows=params.page_rows)
    seeds = projection.read_brand_profiles(store)
    posts = projection.read_brand_posts(store, bound=bound, page_rows=params.page_rows)
    # posts with a text for the text signals; every post's author and time as arrays for the rest
    authored = projection.read_authored_posts(
        store, bound=bound, page_rows=params.page_rows, texted_only=True
    )
    activity = projection.read_post_activity(store, profiles, bound=bound, page_rows=params.page_rows)
    ids = profiles.ids
    graph = canonical_graph(
        ids, engagement.source, engagement.target, engagement_weights(engagement, params.kind_weights)
    )
    results.update_run(
        store,
        run_id,
        param_as_of=int(as_of),
        profiles=graph.n,
        engagement_edges=graph.m,
        trust_edges=int(trust.source.size),
    )

    stages.begin("signals")
    roles = signals.account_roles(store, ids, seeds, authored)
    screened = signals.screening(store, authored, activity, signals.reciprocal_pairs(graph), roles)
    flagged = {p for p, result in screened.items() if result.flagged}
    vote_graph = signals.without_votes_of(graph, flagged)  # flagged accounts' engagement casts no vote

    stages.begin("communities")
    community = detect_communities(
        graph, resolution=params.resolution, seed=params.seed, previous=profiles.previous_membership()
    )

    stages.begin("influence")
    influence = pagerank(vote_graph, damping=params.damping)
    top_sources, top_shares = top_contributors(influence, params.explain_top)
    links, teleport, scale = link_and_teleport_parts(influence)
    top_shares = [[share * float(scale[i]) for share in shares] for i, shares in enumerate(top_shares)]
    other_sources = links * scale - np.array([sum(shares) for shares in top_shares] or [0.0])[: graph.n]
    teleport = teleport * scale
    ranking = np.lexsort((np.arange(graph.n), -np.array([influence.scores[i] for i in graph.node_ids])))
    rank = np.empty(graph.n, dtype=np.int64)
    rank[ranking] = np.arange(1, graph.n + 1)

    stages.begin("brand_influence")
    influences = signals.brand_influence_rows(
        vote_graph,
        seeds,
        damping=params.damping,
        top_per_brand=params.top_per_brand,
        explain_top=params.explain_top,
        run_id=run_id,
    )

    stages.begin("reach")
    # a profile's audience: who engages with it or follows it, so the edges run author -> engager and
    # followee -> follower (the projection's are engager -> author, follower -> followee)
    union_weight = np.ones(engagement.source.size + follows.source.size)
    union = canonical_graph(
        ids,
        np.concatenate([engagement.target, follows.target]),
        np.concatenate([engagement.source, follows.source]),
        union_weight,
    )
    reach_counts, reach_method = two_hop_reach(union, params.reach_pair_budget)

    stages.begin("brokerage")
    samples = None if graph.n <= params.exact_brokerage_max_nodes else params.brokerage_samples
    broker = brokerage(
        graph, samples=samples, seed=params.seed, exact_max_nodes=params.exact_brokerage_max_nodes
    )

    stages.begin("advocacy")
    stance_rows = brand_stance_rows(
        posts, seeds, influence.scores, screened, as_of_ms=int(as_of), params=params, run_id=run_id
    )
    advocates, detractors, mixed = stance_rows[ADVOCATES], stance_rows[DETRACTS], stance_rows[MIXED]

    stages.begin("write_back")
    index = {node_id: i for i, node_id in enumerate(graph.node_ids)}

    def profile_row(node_id: str) -> dict[str, Any]:
        i = index.get(node_id)
        if i is None:
            return unranked_profile(node_id, roles, screened, reach=int(reach_counts.get(node_id, 0)))
        return {
            "id": node_id,
            "influence": influence.scores[node_id],
            "influence_rank": int(rank[i]),
            "community": community.membership[node_id],
            "reach": int(reach_counts.get(node_id, 0)),
            "brokerage": broker.scores[node_id],
            "influence_top_sources": top_sources[i],
            "influence_top_shares": top_shares[i],
            "influence_other": float(other_sources[i]),
            "influence_teleport": float(teleport[i]),
            **signal_props(node_id, roles, screened),
        }

    staged = set(union.node_ids)
    not_customers = signals.non_customers(roles)
    unranked = sorted((set(screened) | not_customers) - staged)
    profile_rows = _LazyRows([*union.node_ids, *unranked], profile_row)
    with stages.part("stage profile scores"):
        results.stage_profile_scores(store, run_id, profile_rows)
    with stages.part("brand relationships"):
        results.write_result_relationships(store, INFLUENCES, influences)
        results.write_result_relationships(store, ADVOCATES, advocates)
        results.write_result_relationships(store, DETRACTS, detractors)
        results.write_result_relationships(store, MIXED, mixed)
    results.update_run(
        store, run_id, communities=len(community.sizes), modularity=float(community.modularity)
    )
    with stages.part("community labels"):
        label_communities(store, run_id, community.membership, influence.scores, not_customers)
    with stages.part("publish (copy staged scores)"):
        results.publish_run(store, run_id)
    with stages.part("list records"):
        record_lists(store, run_id, params.runs_kept)
    with stages.part("cleanup (staged scores, stale relationships)"):
        results.clean_up_published(store, run_id)
    stages.end()
    results.update_run(store, run_id, stage="done")
    store.compact_log()  # the write-back of a large graph leaves a long log tail for the next start
    if progress:
        progress("done", 1.0)
    return AnalysisSummary(
        run_id=run_id,
        as_of_ms=int(as_of),
        half_life_days=params.half_life_days,
        seed=params.seed,
        resolution=params.resolution,
        profiles=graph.n,
        engagement_edges=graph.m,
        interactions=int(engagement.interactions.sum()),
        trust_edges=int(trust.source.size),
        communities=len(community.sizes),
        modularity=float(community.modularity),
        brands=len(
            {r.target for rows in stance_rows.values() for r in rows} | {r.target for r in influences}
        ),
        influences=len(influences),
        advocates=len(advocates),
        detractors=len(detractors),
        reach_method=reach_method,
        brokerage_method=broker.method,
        stages=tuple(stages.timings),
        mixed=len(mixed),
        non_customers=len(not_customers),
        flagged=len(flagged),
    )


def brand_stance_rows(
    posts: Any,
    seeds: Mapping[str, Sequence[str]],
    influence: Mapping[str, float],
    screened: Mapping[str, Any],
    *,
    as_of_ms: int,
    params: AnalysisParams,
    run_id: str,
) -> dict[Any, list[Any]]:
    """Each brand's ADVOCATES / DETRACTS / MIXED_STANCE rows from the posts that mention it
    (:func:`usecases.signals.stance_rows`), leaving out the brand's own accounts: they speak for it,
    they are neither its advocates nor its detractors. Shared by the in-process and the Spark run."""
    own_profiles = {(brand, profile) for brand, profile_ids in seeds.items() for profile in profile_ids}
    brand_posts = [
        BrandPost(p, b, post, s, t, e)
        for p, b, post, s, t, e in zip(
            posts.profile,
            posts.brand,
            posts.post,
            posts.sentiment,
            posts.created_at,
            posts.engagement,
            strict=True,
        )
        if (b, p) not in own_profiles
    ]
    return signals.stance_rows(
        brand_posts,
        influence,
        screened,
        as_of_ms=as_of_ms,
        half_life_days=params.half_life_days if params.half_life_days is not None else _NO_DECAY_DAYS,
        top_per_brand=params.top_per_brand,
        evidence_posts=params.evidence_posts,
        run_id=run_id,
    )


class _LazyRows(Sequence[dict[str, Any]]):
    """``[row(key) for key in keys]``, built a slice at a time as the write-back's batches take them:
    the whole list of row dicts held ~150 MB at 1M edges (``bench/analyze.py``)."""

    def __init__(self, keys: list[str], row: Callable[[str], dict[str, Any]]) -> None:
        self._keys, self._row = keys, row

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [self._row(key) for key in self._keys[index]]
        return self._row(self._keys[index])


def signal_props(
    node_id: str, roles: Mapping[str, RoleAssignment], screened: Mapping[str, ScreeningResult]
) -> dict[str, Any]:
    """A profile's role and screening outcome, staged with its scores (see :mod:`usecases.signals`)."""
    role = roles.get(node_id)
    result = screened.get(node_id)
    return {
        "role": role.role if role else "customer",
        "role_reason": role.reason if role else "",
        "screening_flags": list(result.flags) if result else [],
        "screening_evidence": list(result.evidence) if result else [],
        "screening_weight": signals.FLAGGED_WEIGHT if result and result.flagged else 1.0,
    }


def unranked_profile(
    node_id: str,
    roles: Mapping[str, RoleAssignment],
    screened: Mapping[str, ScreeningResult],
    *,
    reach: int = 0,
    brokerage: float | None = 0.0,
) -> dict[str, Any]:
    """The staged row of a profile outside the engagement graph (reached by follows only, or with a role
    or a screening result only); ``brokerage`` None for a run that does not compute it."""
    return {
        "id": node_id,
        "influence": 0.0,
        "influence_rank": -1,
        "community": -1,
        "reach": reach,
        "brokerage": brokerage,
        "influence_top_sources": [],
        "influence_top_shares": [],
        "influence_other": 0.0,
        "influence_teleport": 0.0,
        **signal_props(node_id, roles, screened),
    }
