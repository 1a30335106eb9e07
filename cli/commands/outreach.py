"""``rapport outreach plan|simulate``: whom to contact first for a brand, and how far your own list spreads.

The numbers and their meaning are documented in :mod:`usecases.outreach`; ``--json`` prints the same body as
``POST /v1/outreach/plan`` / ``/simulate``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import TypeAdapter
from rich.table import Table

from cli.options import settings_from
from cli.output import console, stdout
from cli.process import terminate_on_sigterm
from graph.errors import InvalidInput
from graph.store import open_store
from usecases.outreach import DEFAULT_SIMULATIONS, MAX_K, MAX_SIMULATIONS, OutreachService, Plan, Simulation

ModelOption = Annotated[
    str, typer.Option("--model", help="ic (independent cascade) or lt (linear threshold)")
]
MethodOption = Annotated[
    str, typer.Option("--method", help="auto (CELF up to 2000 candidates, else IMM), celf, imm")
]
SimulationsOption = Annotated[
    int, typer.Option("--simulations", min=1, max=MAX_SIMULATIONS, help="cascades of the spread estimate")
]
SeedOption = Annotated[int, typer.Option("--seed", min=0, help="random seed: same seed, same answer")]
DataDirOption = Annotated[Path | None, typer.Option("--data-dir", help="embedded store's data directory")]
JsonOption = Annotated[bool, typer.Option("--json", help="print the API's JSON body")]


def _ids(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise InvalidInput(f"{option} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _spread(estimate: Any) -> str:
    return (
        f"{estimate.mean:.1f} (95% {estimate.ci_low:.1f}–{estimate.ci_high:.1f}, {estimate.simulations} runs)"
    )


def _contact_table(title: str, contacts: Any, *, flags: bool = False) -> Any:
    # The selection's own gains add up to its own total; the independent re-simulation (its own random
    # stream) is another estimate of the same total, shown beside it with its interval, never mixed in.
    estimated = any(contact.cumulative_estimate is not None for contact in contacts)
    columns = ["#", "profile", "community", "gain", "total"] + (["re-simulated [95%]"] if estimated else [])
    caption = "gain, total: the selection's own estimate (the gains add up to the total)"
    if estimated:
        caption += "; re-simulated: an independent estimate of the same total, with its 95% interval"
    table = Table(title=title, title_justify="left", caption=caption, caption_justify="left")
    for column in (*columns, "reached"):
        table.add_column(column, justify="left" if column in ("profile", "reached") else "right")
    if flags:
        table.add_column("flags")
    for contact in contacts:
        profile = contact.profile
        label = profile.id + (f" (@{profile.handle})" if profile.handle else "")
        reached = ", ".join(  # profile id, not handle: one customer's handle recurs across platforms
            r.id + (f"/c{r.community}" if r.community is not None else "") for r in contact.reached
        )
        row = [
            str(contact.order),
            label,
            "" if profile.community is None else str(profile.community),
            f"{contact.marginal_gain:.2f}",
            f"{contact.cumulative_spread:.2f}",
        ]
        if estimated:
            est = contact.cumulative_estimate
            row.append("" if est is None else f"{est.mean:.1f} [{est.ci_low:.1f}, {est.ci_high:.1f}]")
        row.append(reached)
        if flags:
            row.append(", ".join(contact.flags))
        table.add_row(*row)
    return table


def _print_plan(plan: Any, stdout: Any, console: Any) -> None:
    stdout.print(
        _contact_table(f"outreach plan for {plan.brand} ({plan.model}, {plan.method})", plan.contacts)
    )
    console.print(
        f"expected spread {_spread(plan.expected_spread)}; {plan.candidates:,} eligible candidates "
        f"of {plan.profiles:,} profiles; excluded: {plan.excluded.brand_profiles} brand accounts, staff and placeholders, "
        f"{plan.excluded.detractors} detractors, {plan.excluded.listed} listed; "
        f"run {plan.run_id or '(none yet)'}",
        highlight=False,
    )


def register(app: typer.Typer, *, reports_errors: Any) -> None:
    outreach = typer.Typer(
        name="outreach", help="Whom to contact first so a campaign spreads furthest.", no_args_is_help=True
    )
    app.add_typer(outreach, name="outreach")

    @outreach.command("plan")
    @reports_errors
    def plan(
        brand: Annotated[str, typer.Option("--brand", help="brand id")],
        k: Annotated[int, typer.Option("--k", min=1, max=MAX_K, help="how many profiles to contact")] = 10,
        community: Annotated[
            int | None, typer.Option("--community", min=0, help="candidates: a community")
        ] = None,
        segment: Annotated[str | None, typer.Option("--segment", help="candidates: a saved segment")] = None,
        profiles: Annotated[str | None, typer.Option("--profiles", help="candidates: id,id,...")] = None,
        exclude: Annotated[str | None, typer.Option("--exclude", help="already contacted: id,id,...")] = None,
        model: ModelOption = "ic",
        method: MethodOption = "auto",
        simulations: SimulationsOption = DEFAULT_SIMULATIONS,
        seed: SeedOption = 0,
        as_json: JsonOption = False,
        data_dir: DataDirOption = None,
    ) -> None:
        """The k profiles to contact first for a brand, in order, with why."""
        kind = _choice(model, ("ic", "lt"), "--model")
        how = _choice(method, ("auto", "celf", "imm"), "--method")
        terminate_on_sigterm()
        with open_store(settings_from(data_dir)) as store:
            result = OutreachService().plan(
                store,
                brand=brand,
                k=k,
                segment=segment,
                community=community,
                profile_ids=_ids(profiles) if profiles is not None else None,
                exclude=_ids(exclude),
                model=kind,  # type: ignore[arg-type]
                method=how,  # type: ignore[arg-type]
                simulations=simulations,
                seed=seed,
            )
        if as_json:
            stdout.out(TypeAdapter(Plan).dump_json(result).decode(), highlight=False)
        else:
            _print_plan(result, stdout, console)

    @outreach.command("simulate")
    @reports_errors
    def simulate(
        brand: Annotated[str, typer.Option("--brand", help="brand id")],
        seeds: Annotated[str, typer.Option("--seeds", help="your list, in contact order: id,id,...")],
        exclude: Annotated[
            str | None, typer.Option("--exclude", help="kept out of the plan: id,id,...")
        ] = None,
        compare: Annotated[bool, typer.Option("--compare/--no-compare", help="plan for the same k")] = True,
        model: ModelOption = "ic",
        method: MethodOption = "auto",
        simulations: SimulationsOption = DEFAULT_SIMULATIONS,
        seed: SeedOption = 0,
        as_json: JsonOption = False,
        data_dir: DataDirOption = None,
    ) -> None:
        """Expected spread of your own list, next to the plan for the same number of contacts."""
        kind = _choice(model, ("ic", "lt"), "--model")
        how = _choice(method, ("auto", "celf", "imm"), "--method")
        terminate_on_sigterm()
        with open_store(settings_from(data_dir)) as store:
            result = OutreachService().simulate(
                store,
                brand=brand,
                seeds=_ids(seeds),
                exclude=_ids(exclude),
                compare=compare,
                model=kind,  # type: ignore[arg-type]
                method=how,  # type: ignore[arg-type]
                simulations=simulations,
                seed=seed,
            )
        if as_json:
            stdout.out(TypeAdapter(Simulation).dump_json(result).decode(), highlight=False)
            return
        stdout.print(_contact_table(f"your list for {result.brand} ({result.model})", result.own, flags=True))
        console.print(f"your list: expected spread {_spread(result.own_spread)}", highlight=False)
        if result.plan is not None:
            _print_plan(result.plan, stdout, console)
        if result.difference is not None:
            console.print(f"plan minus your list (paired): {_spread(result.difference)}", highlight=False)
