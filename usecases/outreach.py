"""Outreach planning over the store: whom a brand should contact first, and how far a list would spread.

The service turns the store's engagement projection into a diffusion model once per analysis run and
answers two questions with :mod:`algorithms.outreach`:

- :meth:`OutreachService.plan` — the ``k`` profiles to contact, in order, that maximise the expected
  number of profiles the campaign message reaches (seeds included), with each contact's marginal gain,
  the cumulative spread and the profiles it most often reaches (the "why").
- :meth:`OutreachService.simulate` — the expected spread of the marketer's own list, next to the plan for
  the same budget and their paired difference.

The model
---------
Profiles are every ``Profile`` of the store (ids sorted, so results do not depend on the store's internal
ids); ``b`` can pass the message to ``a`` when ``a`` engaged with ``b`` (replied to, mentioned, shared or
liked ``b``'s posts), unless the current run's screening flagged ``a`` (a coordinated or automated
account's engagement is no sign of an audience, as it casts no vote in influence). The tie strength is
the analysis's engagement edge weight (:mod:`usecases.analysis`):
``kind_weight * 0.5 ** (age / half_life)`` summed over the pair's interactions (reply 3, mention 2,
share 2, like 1), with the current run's ``as_of`` and half-life. Independent cascade (``"ic"``) maps it
to ``p = min(0.5, 1 - 0.9 ** w)``: a fresh like is a 10 % chance, a fresh reply 27 %; linear threshold
(``"lt"``) normalises each profile's incoming weights (see :mod:`algorithms.outreach`).

The built model is cached per current ``AnalysisRun`` id; before the first run, per projection
(largest internal node id and newest interaction time), so new data gives a new model.

Candidates and exclusions
-------------------------
Candidates (who may be chosen) are all profiles, a saved segment's members (as ``GET
/v1/segments/{name}/members`` lists them; needs a run), one community of the current run (needs a run:
409 ``no_analysis_run`` before it) or an explicit list of profile ids. Never chosen: brand accounts
(``(:Brand)-[:HAS_PROFILE]->``, this brand's and its competitors'), every profile whose role is
``brand_owned``, ``staff`` or ``placeholder`` (``algorithms.roles``; counted with the brand accounts in
``excluded.brand_profiles``), its detractors in the current run (``DETRACTS {run_id}``) and
the ids the caller lists as already contacted. Excluded profiles still take part in the spread (they
can be reached and pass the message on); a marketer's own list is evaluated as given, with flags.

Numbers
-------
``expected_spread`` is an independent Monte-Carlo estimate (its own random stream, ``simulations``
cascades) with a 95 % interval. Per contact, ``marginal_gain`` and ``cumulative_spread`` are the selection
method's own estimates (CELF: 200 selection cascades; IMM: RR-set coverage), and ``cumulative_estimate``
evaluates the first ``i`` contacts like ``expected_spread`` (with its interval) when that costs at most
:data:`PREFIX_EVALUATION_BUDGET` simulated activations, else it is None except for the last contact.
Same inputs and ``seed``, same answer.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import numpy as np
import scipy.sparse as sp

from algorithms.outreach import (
    CascadeModel,
    OutreachPlan,
    SeedChoice,
    SpreadEstimate,
    celf,
    estimate_spread,
    independent_cascade,
    linear_threshold,
    rr_select,
    simulate_list,
    spread_matrix_from_engagement,
)
from algorithms.projection import MILLIS_PER_DAY, EngagementWeights
from algorithms.roles import NON_CUSTOMER_ROLES
from graph import projection, results
from graph.errors import InvalidInput, NoAnalysisRun, NotFound
from graph.store import CypherGraphStore
from usecases.analysis import AnalysisParams, engagement_weights
from usecases.segments import segment_member_ids

ModelKind = Literal["ic", "lt"]
MethodName = Literal["auto", "celf", "imm"]

MAX_K = 100
MAX_SIMULATIONS = 5000
DEFAULT_SIMULATIONS = 1000
CELF_MAX_CANDIDATES = 2000
"""``method="auto"`` runs CELF up to this many eligible candidates, IMM above."""
SELECTION_SIMULATIONS = 200
REACHED_TOP = 5
REACHED_SAMPLE = 4 * REACHED_TOP
"""Profiles each contact reaches most often, asked of the cascades: enough to list :data:`REACHED_TOP`
customers after the brand accounts, staff and placeholders among them are left out."""
PREFIX_EVALUATION_BUDGET = 20_000_000
"""Most simulated activations spent on the per-contact ``cumulative_estimate`` intervals."""


# --------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class ProfileRef:
    """A profile as a plan shows it: id, handle, platform and community in the current run (or None)."""

    id: str
    handle: str | None = None
    platform: str | None = None
    community: int | None = None
    role: str | None = None


@dataclass(frozen=True)
class Contact:
    """One profile of a plan or list, in contact order.

    ``marginal_gain`` and ``cumulative_spread`` are the selection's estimates (for a marketer's list: its
    explanation cascades); ``cumulative_estimate`` is the independent evaluation of the first ``order``
    contacts with a 95 % interval (None when over the evaluation budget). ``reached`` lists the customers
    this contact newly reaches most often (brand accounts, staff and placeholders count in the spread but
    are not listed). ``flags`` (lists only): ``brand_profile``, ``detractor``,
    ``excluded`` (named in ``exclude``).
    """

    order: int
    profile: ProfileRef
    marginal_gain: float
    cumulative_spread: float
    cumulative_estimate: SpreadEstimate | None
    reached: tuple[ProfileRef, ...]
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exclusions:
    """How many profiles of each kind were kept out of the seeds (counted within the model)."""

    brand_profiles: int
    detractors: int
    listed: int


@dataclass(frozen=True)
class Plan:
    brand: str
    model: str
    method: str
    k: int
    contacts: tuple[Contact, ...]
    expected_spread: SpreadEstimate
    candidates: int
    excluded: Exclusions
    run_id: str | None
    profiles: int
    parameters: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Simulation:
    """A marketer's list next to the plan for the same ``k`` (``difference`` = plan minus list, paired)."""

    brand: str
    model: str
    own_spread: SpreadEstimate
    own: tuple[Contact, ...]
    plan: Plan | None
    difference: SpreadEstimate | None
    run_id: str | None


# ------------------------------------------------------------------------------------------ the model
@dataclass(eq=False)
class OutreachGraph:
    """The spread graph of one projection: ``weights[i, j] > 0`` when profile ``i`` can reach ``j``."""

    key: tuple
    run_id: str | None
    node_ids: tuple[str, ...]
    weights: sp.csr_matrix
    community: np.ndarray
    as_of_ms: int
    half_life_days: float | None
    _models: dict[str, CascadeModel] = field(default_factory=dict, repr=False)
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {node: i for i, node in enumerate(self.node_ids)}

    def __contains__(self, profile_id: object) -> bool:
        return profile_id in self._index

    def model(self, kind: ModelKind) -> CascadeModel:
        if kind not in self._models:
            if kind == "ic":
                self._models[kind] = independent_cascade(self.node_ids, self.weights)
            elif kind == "lt":
                self._models[kind] = linear_threshold(self.node_ids, self.weights)
            else:
                raise InvalidInput(f"model must be 'ic' or 'lt', not {kind!r}")
        return self._models[kind]

    def community_members(self, community: int) -> list[str]:
        positions = np.flatnonzero(self.community == community)
        return [self.node_ids[i] for i in positions.tolist()]


def _run_decay(run: Mapping[str, Any] | None) -> tuple[int | None, float | None]:
    """``(as_of_ms, half_life_days)`` of the run (None as_of = newest interaction); defaults without a run."""
    if run is None:
        return None, AnalysisParams().half_life_days
    as_of = run.get("param_as_of")
    half_life = run.get("param_half_life_days")
    if isinstance(half_life, int | float) and half_life < 0:  # the run's "no decay"
        half_life = None
    elif not isinstance(half_life, int | float):
        half_life = AnalysisParams().half_life_days
    return (int(as_of) if isinstance(as_of, int | float) else None), half_life


def load_outreach_graph(
    store: CypherGraphStore,
    run: Mapping[str, Any] | None,
    *,
    key: tuple = (),
    kind_weights: EngagementWeights = EngagementWeights(),
) -> OutreachGraph:
    """Read the engagement projection (:mod:`graph.projection`) and build the spread graph over all profiles."""
    bound = projection.max_node_id(store)
    profiles = projection.read_profiles(store, bound=bound)
    as_of, half_life_days = _run_decay(run)
    engagement = projection.read_engagement(  # as_of None: the newest interaction read
        store,
        profiles,
        as_of_ms=as_of,
        half_life_ms=None if half_life_days is None else half_life_days * MILLIS_PER_DAY,
        bound=bound,
    )
    # a flagged account's engagement is no sign of an audience, as it casts no vote in influence
    # (usecases.signals.without_votes_of): the ties it would be reached by are dropped
    flagged = _flagged_positions(store, run, profiles.ids)
    kept = ~np.isin(engagement.source, flagged)
    # Sorted ids: the plan must not depend on the store's internal node ids (CELF breaks ties by position).
    names = np.array(profiles.ids, dtype=object)
    order = np.argsort(names, kind="stable")
    position = np.empty(names.size, dtype=np.int64)
    position[order] = np.arange(names.size)
    n = names.size
    engaged = sp.csr_matrix(
        (
            engagement_weights(engagement, kind_weights)[kept],
            (position[engagement.source[kept]], position[engagement.target[kept]]),
        ),
        shape=(n, n),
    )
    community = np.array([-1 if c is None else int(c) for c in profiles.community], dtype=np.int64)
    return OutreachGraph(
        key=key,
        run_id=str(run["id"]) if run else None,
        node_ids=tuple(names[order].tolist()),
        weights=spread_matrix_from_engagement(engaged),
        community=community[order] if n else community,
        as_of_ms=int(engagement.as_of_ms),
        half_life_days=half_life_days,
    )


def _flagged_positions(
    store: CypherGraphStore, run: Mapping[str, Any] | None, ids: Sequence[str]
) -> np.ndarray:
    """Positions in ``ids`` of the profiles the run's screening flagged (none before a run)."""
    if run is None:
        return np.empty(0, dtype=np.int64)
    flagged = {row["id"] for row in store.run("outreach.flagged_profiles", {"run_id": str(run["id"])})}
    return np.array([i for i, profile in enumerate(ids) if profile in flagged], dtype=np.int64)


# ---------------------------------------------------------------------------------------- the service
@dataclass(frozen=True)
class _Brand:
    id: str
    brand_accounts: frozenset[str]  # every brand's, competitors' included
    detractors: frozenset[str]


class OutreachService:
    """Plans and list simulations for one store; holds the model cache (thread-safe).

    Create one per process (the API keeps it in ``app.state.outreach``) and pass the store per call.
    """

    def __init__(self, *, kind_weights: EngagementWeights = EngagementWeights()) -> None:
        self.kind_weights = kind_weights
        self.builds = 0  # how many times a model was built (the cache's tests read it)
        self._lock = threading.Lock()
        self._graph: OutreachGraph | None = None

    # -- model cache -------------------------------------------------------------------------------
    def graph(
        self, store: CypherGraphStore, run: Mapping[str, Any] | None = None, *, use_run: bool = True
    ) -> OutreachGraph:
        """The spread graph for the current run (``run`` as read by the caller, or read here)."""
        if use_run and run is None:
            run = results.current_run(store)
        if run is not None:
            key: tuple = ("run", str(run["id"]))
        else:
            key = ("projection", projection.max_node_id(store), projection.latest_interaction_ms(store))
        with self._lock:
            if self._graph is None or self._graph.key != key:
                self._graph = load_outreach_graph(store, run, key=key, kind_weights=self.kind_weights)
                self.builds += 1
            return self._graph

    def _model(self, graph: OutreachGraph, kind: ModelKind) -> CascadeModel:
        with self._lock:
            return graph.model(kind)

    # -- plan --------------------------------------------------------------------------------------
    def plan(
        self,
        store: CypherGraphStore,
        *,
        brand: str,
        k: int,
        segment: str | None = None,
        community: int | None = None,
        profile_ids: Sequence[str] | None = None,
        exclude: Iterable[str] = (),
        model: ModelKind = "ic",
        method: MethodName = "auto",
        simulations: int = DEFAULT_SIMULATIONS,
        seed: int = 0,
    ) -> Plan:
        """The ``k`` profiles to contact first for ``brand``; see the module docstring."""
        _check_numbers(k=k, simulations=simulations, seed=seed)
        run = results.current_run(store)
        target = _load_brand(store, brand, run)
        graph = self.graph(store, run, use_run=False)
        cascade = self._model(graph, model)
        candidates = _candidates(store, graph, run, segment, community, profile_ids)
        listed = frozenset(str(x) for x in exclude)
        excluded, eligible = _eligible(graph, candidates, target, listed)
        chosen = _resolve_method(method, eligible)
        try:
            result = _select(cascade, k, chosen, candidates, _excluded_ids(target, listed), simulations, seed)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from exc
        return _plan(store, graph, cascade, brand, result, eligible, excluded, simulations, seed)

    # -- simulate ----------------------------------------------------------------------------------
    def simulate(
        self,
        store: CypherGraphStore,
        *,
        brand: str,
        seeds: Sequence[str],
        model: ModelKind = "ic",
        method: MethodName = "auto",
        compare: bool = True,
        segment: str | None = None,
        community: int | None = None,
        profile_ids: Sequence[str] | None = None,
        exclude: Iterable[str] = (),
        simulations: int = DEFAULT_SIMULATIONS,
        seed: int = 0,
    ) -> Simulation:
        """Expected spread of ``seeds`` (in contact order) and, with ``compare``, the plan for ``len(seeds)``."""
        if isinstance(seeds, str):
            raise InvalidInput("seeds must be a list of profile ids")
        seeds = [str(s) for s in seeds]
        if not 1 <= len(seeds) <= MAX_K:
            raise InvalidInput(f"give between 1 and {MAX_K} seeds")
        if len(set(seeds)) != len(seeds):
            raise InvalidInput("the list names a profile more than once")
        _check_numbers(k=len(seeds), simulations=simulations, seed=seed)
        run = results.current_run(store)
        target = _load_brand(store, brand, run)
        graph = self.graph(store, run, use_run=False)
        unknown = [s for s in seeds if s not in graph]
        if unknown:
            raise NotFound(f"{len(unknown)} listed profiles do not exist, e.g. {unknown[:3]}")
        cascade = self._model(graph, model)
        candidates = _candidates(store, graph, run, segment, community, profile_ids) if compare else None
        listed = frozenset(str(x) for x in exclude)
        excluded, eligible = _eligible(graph, candidates, target, listed)
        chosen = _resolve_method(method, eligible)
        try:
            comparison = simulate_list(
                cascade,
                seeds,
                compare_with_plan_k=compare,
                method=chosen,
                candidates=candidates,
                exclude=_excluded_ids(target, listed),
                simulations=simulations,
                seed=seed,
                reached_top=REACHED_SAMPLE,
            )
        except ValueError as exc:
            raise InvalidInput(str(exc)) from exc
        plan = None
        if comparison.plan is not None:
            plan = _plan(store, graph, cascade, brand, comparison.plan, eligible, excluded, simulations, seed)
        flags = {
            s: tuple(
                name
                for name, members in (
                    ("brand_profile", target.brand_accounts),
                    ("detractor", target.detractors),
                    ("excluded", listed),
                )
                if s in members
            )
            for s in seeds
        }
        own = _contacts(store, cascade, comparison.own_seeds, comparison.own, simulations, seed, flags)
        return Simulation(
            brand=brand,
            model=model,
            own_spread=comparison.own,
            own=own,
            plan=plan,
            difference=comparison.difference,
            run_id=graph.run_id,
        )


# ------------------------------------------------------------------------------------------- helpers
def _check_numbers(*, k: int, simulations: int, seed: int) -> None:
    if not 1 <= k <= MAX_K:
        raise InvalidInput(f"k must be between 1 and {MAX_K}")
    if not 1 <= simulations <= MAX_SIMULATIONS:
        raise InvalidInput(f"simulations must be between 1 and {MAX_SIMULATIONS}")
    if not 0 <= seed < 2**63:
        raise InvalidInput("seed must be a non-negative integer")


def _load_brand(store: CypherGraphStore, brand: str, run: Mapping[str, Any] | None) -> _Brand:
    rows = store.run("outreach.brand", {"brand": brand, "run_id": str(run["id"]) if run else None})
    if not rows:
        raise NotFound(f"no brand {brand!r}")
    row = rows[0]
    # Every brand's official accounts, not only this brand's: a campaign never contacts a competitor;
    # nor a brand's staff or a placeholder profile (account roles of the run, algorithms.roles).
    others = store.run("outreach.non_customers", {"roles": list(NON_CUSTOMER_ROLES)})
    accounts = frozenset(row["brand_accounts"] or ()) | {r["id"] for r in others}
    return _Brand(brand, accounts, frozenset(row["detractors"] or ()))


def _excluded_ids(target: _Brand, listed: frozenset[str]) -> frozenset[str]:
    return target.brand_accounts | target.detractors | listed


def _candidates(
    store: CypherGraphStore,
    graph: OutreachGraph,
    run: Mapping[str, Any] | None,
    segment: str | None,
    community: int | None,
    profile_ids: Sequence[str] | None,
) -> list[str] | None:
    """Who may be chosen: None (everyone), or ids within the model, from at most one source."""
    given = [
        name
        for name, value in (("segment", segment), ("community", community), ("profile_ids", profile_ids))
        if value is not None
    ]
    if len(given) > 1:
        raise InvalidInput(f"give at most one of segment, community and profile_ids (got {', '.join(given)})")
    if profile_ids is not None:
        ids = list(dict.fromkeys(str(p) for p in profile_ids))
        unknown = [p for p in ids if p not in graph]
        if unknown:
            raise NotFound(f"{len(unknown)} candidate profiles do not exist, e.g. {unknown[:3]}")
        return ids
    if community is not None:
        if run is None:
            raise NoAnalysisRun("communities come from an analysis run: run `rapport analyze` first")
        members = graph.community_members(int(community))
        if not members:
            raise NotFound(f"no community {community} in analysis run {run['id']}")
        return members
    if segment is not None:
        if run is None:
            raise NoAnalysisRun("segments are evaluated on an analysis run: run `rapport analyze` first")
        return [p for p in segment_member_ids(store, segment, run) if p in graph]
    return None


def _eligible(
    graph: OutreachGraph, candidates: list[str] | None, target: _Brand, listed: frozenset[str]
) -> tuple[Exclusions, int]:
    pool = set(graph.node_ids) if candidates is None else set(candidates)
    excluded = Exclusions(
        brand_profiles=len(pool & target.brand_accounts),
        detractors=len(pool & target.detractors),
        listed=len(pool & listed),
    )
    return excluded, len(pool - _excluded_ids(target, listed))


def _resolve_method(method: MethodName, eligible: int) -> Literal["celf", "imm"]:
    if method == "auto":
        return "celf" if eligible <= CELF_MAX_CANDIDATES else "imm"
    if method not in ("celf", "imm"):
        raise InvalidInput(f"method must be 'auto', 'celf' or 'imm', not {method!r}")
    return method


def _select(
    cascade: CascadeModel,
    k: int,
    method: Literal["celf", "imm"],
    candidates: list[str] | None,
    exclude: frozenset[str],
    simulations: int,
    seed: int,
) -> OutreachPlan:
    if method == "celf":
        return celf(
            cascade,
            k,
            candidates=candidates,
            exclude=exclude,
            simulations=SELECTION_SIMULATIONS,
            seed=seed,
            evaluation_simulations=simulations,
            reached_top=REACHED_SAMPLE,
        )
    return rr_select(
        cascade,
        k,
        candidates=candidates,
        exclude=exclude,
        seed=seed,
        evaluation_simulations=simulations,
        reached_top=REACHED_SAMPLE,
    )


def _profile_refs(store: CypherGraphStore, ids: Iterable[str]) -> dict[str, ProfileRef]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    refs = {}
    for row in store.run("outreach.profiles", {"ids": wanted}):
        community = row.get("community")
        refs[row["id"]] = ProfileRef(
            id=row["id"],
            handle=row.get("handle"),
            platform=row.get("platform"),
            community=int(community) if isinstance(community, int | float) and community >= 0 else None,
            role=row.get("role") or "customer",
        )
    return refs


def _customers_first(reached: Iterable[ProfileRef]) -> tuple[ProfileRef, ...]:
    """The first :data:`REACHED_TOP` of ``reached`` (most often reached first) that are customers: a brand
    account (a competitor's too), staff or a placeholder can relay the message and counts in the
    spread, but is not whom a campaign is for, so the "why" does not name it."""
    return tuple(ref for ref in reached if ref.role not in NON_CUSTOMER_ROLES)[:REACHED_TOP]


def _prefix_estimates(
    cascade: CascadeModel, ids: Sequence[str], final: SpreadEstimate, simulations: int, seed: int
) -> list[SpreadEstimate | None]:
    """Independent estimates of every prefix of ``ids`` (the last is ``final``), if within budget.

    Every prefix spreads at most as far as the whole list on the same simulations, so ``len * simulations
    * final.mean`` bounds the activations the estimates cost.
    """
    if not ids:
        return []
    if len(ids) * simulations * max(final.mean, 1.0) > PREFIX_EVALUATION_BUDGET:
        return [None] * (len(ids) - 1) + [final]
    prefixes: list[SpreadEstimate | None] = [
        estimate_spread(cascade, ids[:i], simulations, seed) for i in range(1, len(ids))
    ]
    return [*prefixes, final]


def _contacts(
    store: CypherGraphStore,
    cascade: CascadeModel,
    choices: Sequence[SeedChoice],
    final: SpreadEstimate,
    simulations: int,
    seed: int,
    flags: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[Contact, ...]:
    ids = [c.profile_id for c in choices]
    refs = _profile_refs(store, [*ids, *(r for c in choices for r in c.reached_sample)])
    estimates = _prefix_estimates(cascade, ids, final, simulations, seed)
    return tuple(
        Contact(
            order=order,
            profile=refs.get(choice.profile_id, ProfileRef(choice.profile_id)),
            marginal_gain=choice.marginal_gain,
            cumulative_spread=choice.cumulative_spread,
            cumulative_estimate=estimate,
            reached=_customers_first(refs.get(r, ProfileRef(r)) for r in choice.reached_sample),
            flags=(flags or {}).get(choice.profile_id, ()),
        )
        for order, (choice, estimate) in enumerate(zip(choices, estimates, strict=True), start=1)
    )


def _plan(
    store: CypherGraphStore,
    graph: OutreachGraph,
    cascade: CascadeModel,
    brand: str,
    result: OutreachPlan,
    eligible: int,
    excluded: Exclusions,
    simulations: int,
    seed: int,
) -> Plan:
    parameters: dict[str, str | int | float | bool | None] = {
        key: value for key, value in result.parameters.items() if isinstance(value, str | int | float | bool)
    }
    parameters.update(as_of=graph.as_of_ms, half_life_days=graph.half_life_days)
    return Plan(
        brand=brand,
        model=result.model,
        method=result.method,
        k=int(cast(int, result.parameters.get("k", len(result.seeds)))),
        contacts=_contacts(store, cascade, result.seeds, result.expected_spread, simulations, seed),
        expected_spread=result.expected_spread,
        candidates=eligible,
        excluded=excluded,
        run_id=graph.run_id,
        profiles=cascade.n,
        parameters=parameters,
    )


_STATE_LOCK = threading.Lock()


def service_for(state: Any) -> OutreachService:
    """The service kept on an app's ``state`` (created on first use)."""
    service = getattr(state, "outreach", None)
    if service is None:
        with _STATE_LOCK:
            service = getattr(state, "outreach", None)
            if service is None:
                service = OutreachService()
                state.outreach = service
    return service
