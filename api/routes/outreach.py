"""Outreach: whom a brand should contact first (``POST /v1/outreach/plan``) and how far the marketer's own
list would spread next to that plan (``POST /v1/outreach/simulate``). Both only read (role ``read``).

The model, the candidates and exclusions and the meaning of every number are documented in
:mod:`usecases.outreach`. Errors: unknown brand, profile, segment or community 404; community or segment
candidates before the first analysis run 409 ``no_analysis_run``; out-of-range ``k``, ``simulations``
or ``seed`` 422.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from api.deps import ReadAccess, Store
from usecases.inputs import PlainText, not_a_bool
from usecases.outreach import (
    DEFAULT_SIMULATIONS,
    MAX_K,
    MAX_SIMULATIONS,
    Plan,
    Simulation,
    service_for,
)

router = APIRouter(prefix="/v1", tags=["outreach"])

_MAX_IDS = 100_000
ProfileIds = list[PlainText]


# ----------------------------------------------------------------------------------------------- requests
def _exactly_one_source(schema: dict) -> None:
    """The document says what :meth:`Candidates._one_source` checks: exactly one field is not null."""
    names = ("segment", "community", "profile_ids")
    schema["oneOf"] = [
        {
            "required": [given],
            "properties": {
                name: {"not": {"type": "null"}} if name == given else {"type": "null"} for name in names
            },
        }
        for given in names
    ]


class Candidates(BaseModel):
    """Who may be chosen: one of a saved segment, a community of the current run, or explicit ids."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_exactly_one_source)

    segment: PlainText | None = Field(
        default=None, min_length=1, max_length=200, examples=["acme-advocates-recent"]
    )
    community: int | None = Field(default=None, ge=0, le=2**53)
    profile_ids: ProfileIds | None = Field(default=None, min_length=1, max_length=_MAX_IDS)

    _not_bool = field_validator("community", mode="before")(not_a_bool)

    @model_validator(mode="after")
    def _one_source(self) -> Candidates:
        given = [name for name in ("segment", "community", "profile_ids") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of `segment`, `community` and `profile_ids`")
        return self


class _Common(BaseModel):
    model_config = ConfigDict(extra="forbid")

    brand: PlainText = Field(min_length=1, max_length=256, examples=["acme"])
    model: Literal["ic", "lt"] = Field(default="ic", description="independent cascade or linear threshold")
    simulations: int = Field(
        default=DEFAULT_SIMULATIONS,
        ge=100,
        le=MAX_SIMULATIONS,
        description="cascades of the spread estimate",
    )
    seed: int = Field(default=0, ge=0, le=2**32 - 1, description="same seed, same answer")

    _not_bool = field_validator("simulations", "seed", mode="before")(not_a_bool)


class PlanRequest(_Common):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"brand": "acme", "k": 10, "candidates": {"community": 3}}]},
    )

    k: int = Field(ge=1, le=MAX_K, description="how many profiles to contact")

    _k_not_bool = field_validator("k", mode="before")(not_a_bool)
    candidates: Candidates | None = None
    exclude: ProfileIds = Field(default_factory=list, max_length=_MAX_IDS, description="already contacted")
    method: Literal["auto", "celf", "imm"] = Field(
        default="auto", description="auto: CELF up to 2000 eligible candidates, IMM above"
    )


class SimulateRequest(_Common):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"brand": "acme", "seeds": ["tw:ada", "tw:bob"]}]},
    )

    seeds: ProfileIds = Field(
        min_length=1,
        max_length=MAX_K,
        description="the marketer's list, in order (each profile once)",
        json_schema_extra={"uniqueItems": True},
    )
    compare: bool = Field(default=True, description="also plan for the same k and compare")
    candidates: Candidates | None = Field(default=None, description="restricts the comparison plan")
    exclude: ProfileIds = Field(default_factory=list, max_length=_MAX_IDS, description="kept out of the plan")
    method: Literal["auto", "celf", "imm"] = "auto"


# ---------------------------------------------------------------------------------------------- responses
class Spread(BaseModel):
    """Expected number of profiles reached (contacts included), with a 95 % interval."""

    model_config = ConfigDict(from_attributes=True)

    mean: float = Field(examples=[42.7])
    ci_low: float
    ci_high: float
    simulations: int
    std: float


class OutreachProfile(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(examples=["tw:ada"])
    handle: str | None = None
    platform: str | None = None
    community: int | None = None
    role: str | None = Field(default=None, description="customer | brand_owned | staff | placeholder")


class OutreachContact(BaseModel):
    """One contact, in order: what it adds, the running total, and whom it reaches most often."""

    model_config = ConfigDict(from_attributes=True)

    order: int = Field(examples=[1])
    profile: OutreachProfile
    marginal_gain: float = Field(description="profiles this contact adds (selection estimate)")
    cumulative_spread: float = Field(description="expected spread of the first `order` contacts (selection)")
    cumulative_estimate: Spread | None = Field(
        default=None, description="independent estimate of the first `order` contacts, 95 % interval"
    )
    reached: list[OutreachProfile] = Field(description="profiles this contact newly reaches most often")
    flags: list[str] = Field(
        default_factory=list, description="lists only: brand_profile, detractor, excluded"
    )


class OutreachExclusions(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    brand_profiles: int
    detractors: int
    listed: int


class OutreachPlan(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    brand: str
    model: str
    method: str = Field(examples=["celf"])
    k: int
    contacts: list[OutreachContact]
    expected_spread: Spread
    candidates: int = Field(description="eligible candidates after exclusions")
    excluded: OutreachExclusions
    run_id: str | None = Field(default=None, description="analysis run the model was built for")
    profiles: int = Field(description="profiles in the model")
    parameters: dict[str, str | int | float | bool | None]


class OutreachSimulation(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    brand: str
    model: str
    own_spread: Spread
    own: list[OutreachContact]
    plan: OutreachPlan | None = None
    difference: Spread | None = Field(
        default=None, description="plan minus list on the same simulations (positive: the plan reaches more)"
    )
    run_id: str | None = None


def plan_public(plan: Plan) -> OutreachPlan:
    return OutreachPlan.model_validate(plan)


def simulation_public(simulation: Simulation) -> OutreachSimulation:
    return OutreachSimulation.model_validate(simulation)


# ------------------------------------------------------------------------------------------------- routes
@router.post("/outreach/plan", response_model=OutreachPlan, summary="Whom to contact first for a brand")
def plan(request: Request, store: Store, caller: ReadAccess, body: PlanRequest) -> OutreachPlan:
    candidates = body.candidates or Candidates.model_construct()
    result = service_for(request.app.state).plan(
        store,
        brand=body.brand,
        k=body.k,
        segment=candidates.segment,
        community=candidates.community,
        profile_ids=candidates.profile_ids,
        exclude=body.exclude,
        model=body.model,
        method=body.method,
        simulations=body.simulations,
        seed=body.seed,
    )
    return plan_public(result)


@router.post(
    "/outreach/simulate",
    response_model=OutreachSimulation,
    summary="Expected spread of your own list, next to the plan for the same k",
)
def simulate(request: Request, store: Store, caller: ReadAccess, body: SimulateRequest) -> OutreachSimulation:
    candidates = body.candidates or Candidates.model_construct()
    result = service_for(request.app.state).simulate(
        store,
        brand=body.brand,
        seeds=body.seeds,
        model=body.model,
        method=body.method,
        compare=body.compare,
        segment=candidates.segment,
        community=candidates.community,
        profile_ids=candidates.profile_ids,
        exclude=body.exclude,
        simulations=body.simulations,
        seed=body.seed,
    )
    return simulation_public(result)
