"""Results of outreach planning: spread estimates, seed choices, plans and list comparisons (frozen)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


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
