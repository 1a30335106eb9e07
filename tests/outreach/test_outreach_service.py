"""OutreachService on the embedded store: known answers on the star graph of outreach_data.py."""

from __future__ import annotations

import dataclasses

import pytest
from outreach_data import (
    AS_OF,
    BRAND_ACCOUNT,
    BRAND_ACCOUNT_LEAVES,
    COMMUNITY,
    P_EDGE,
    STARS,
    leaves,
    star_spread,
    write_run,
)

from graph.errors import InvalidInput, NoAnalysisRun, NotFound
from graph.model import Label
from graph.store import CypherGraphStore
from usecases.outreach import OutreachService


def plan_ids(plan) -> list[str]:
    return [c.profile.id for c in plan.contacts]


def test_the_centre_of_the_biggest_star_is_the_best_single_seed(stars: CypherGraphStore) -> None:
    plan = OutreachService().plan(stars, brand="globex", k=1, simulations=2000)
    assert plan_ids(plan) == ["tw:ada"]
    assert plan.method == "celf" and plan.run_id is None
    spread = plan.expected_spread
    assert spread.ci_low <= star_spread("tw:ada") <= spread.ci_high
    first = plan.contacts[0]
    assert first.profile.handle == "ada"
    assert set(r.id for r in first.reached) <= set(leaves("tw:ada")) and len(first.reached) == 5
    assert plan.profiles == sum(STARS.values()) + len(STARS) + 1 + BRAND_ACCOUNT_LEAVES


def test_the_why_names_customers_only(stars: CypherGraphStore) -> None:
    """A contact's ``reached`` leaves out brand accounts, staff and placeholders, which still count in
    the spread: ada's 12 leaves, 4 of them staff and 3 placeholders, leave 5 customers to name."""
    roles = ["staff"] * 4 + ["placeholder"] * 3
    others = dict(zip(leaves("tw:ada"), roles, strict=False))
    for profile, role in others.items():
        stars.execute_text(
            "MATCH (p:Profile {id: $id}) SET p.declared_role = $role",
            {"id": profile, "role": role},
            write=True,
        )
    plan = OutreachService().plan(stars, brand="globex", k=1, simulations=2000)
    first = plan.contacts[0]
    assert first.profile.id == "tw:ada"
    assert {r.id for r in first.reached} == set(leaves("tw:ada")) - set(others)
    assert {r.role for r in first.reached} == {"customer"}
    assert plan.expected_spread.ci_low <= star_spread("tw:ada") <= plan.expected_spread.ci_high


def test_accounts_flagged_by_screening_are_no_audience(stars: CypherGraphStore) -> None:
    """Three of ada's 12 leaves flagged by the run's screening: their engagement no longer makes them
    reachable, so ada's spread is 1 + 9 p (still above hub's 1 + 8 p), and they are never named."""
    write_run(stars)
    flagged = leaves("tw:ada")[:3]
    stars.execute_text(
        "UNWIND $ids AS id MATCH (p:Profile {id: id}) SET p.screening_weight = 0.1, "
        "p.screening_flags = ['coordinated_text']",
        {"ids": flagged},
        write=True,
    )
    plan = OutreachService().plan(stars, brand="globex", k=1, simulations=4000)
    first = plan.contacts[0]
    assert first.profile.id == "tw:ada"
    assert not {r.id for r in first.reached} & set(flagged)
    spread = plan.expected_spread
    assert spread.ci_low <= 1 + 9 * P_EDGE <= spread.ci_high
    assert not spread.ci_low <= star_spread("tw:ada") <= spread.ci_high


def test_greedy_order_follows_star_sizes_with_consistent_numbers(stars: CypherGraphStore) -> None:
    plan = OutreachService().plan(stars, brand="globex", k=3, simulations=2000)
    assert plan_ids(plan) == ["tw:ada", "tw:hub", "tw:hub2"]
    assert [c.order for c in plan.contacts] == [1, 2, 3]
    gains = [c.marginal_gain for c in plan.contacts]
    assert gains == sorted(gains, reverse=True)
    assert plan.contacts[-1].cumulative_spread == pytest.approx(sum(gains))
    total = sum(star_spread(c) for c in STARS)
    assert plan.expected_spread.ci_low <= total <= plan.expected_spread.ci_high
    estimates = [c.cumulative_estimate for c in plan.contacts]
    assert all(e is not None for e in estimates)
    assert estimates[-1] == plan.expected_spread
    assert estimates[0].ci_low <= star_spread("tw:ada") <= estimates[0].ci_high


def test_imm_picks_the_same_centres(stars: CypherGraphStore) -> None:
    plan = OutreachService().plan(stars, brand="globex", k=2, method="imm")
    assert plan.method == "imm"
    assert plan_ids(plan) == ["tw:ada", "tw:hub"]


def test_linear_threshold_model(stars: CypherGraphStore) -> None:
    # Each leaf has a single in-neighbour with weight 1: under LT the centre reaches every leaf.
    plan = OutreachService().plan(stars, brand="globex", k=1, model="lt")
    assert plan_ids(plan) == ["tw:ada"]
    assert plan.expected_spread.mean == pytest.approx(1 + STARS["tw:ada"])


def test_no_brand_account_is_ever_chosen_not_even_a_competitors(stars: CypherGraphStore) -> None:
    for brand in ("acme", "globex"):  # tw:acme leads the biggest star: best seed were it eligible
        plan = OutreachService().plan(stars, brand=brand, k=3)
        assert BRAND_ACCOUNT not in plan_ids(plan) and plan_ids(plan)[0] == "tw:ada"
        assert plan.excluded.brand_profiles == 1


def test_detractors_of_the_current_run_are_excluded(stars: CypherGraphStore) -> None:
    write_run(stars, "run-1", detractors=("tw:ada",))
    plan = OutreachService().plan(stars, brand="acme", k=1)
    assert plan_ids(plan) == ["tw:hub"]
    assert plan.run_id == "run-1" and plan.excluded.detractors == 1
    # Detractors of acme are not detractors of globex.
    assert plan_ids(OutreachService().plan(stars, brand="globex", k=2)) == ["tw:ada", "tw:hub"]


def test_detractors_of_an_older_run_are_ignored(stars: CypherGraphStore) -> None:
    write_run(stars, "run-1", detractors=("tw:ada",))
    write_run(stars, "run-2")
    assert plan_ids(OutreachService().plan(stars, brand="acme", k=1)) == ["tw:ada"]


def test_explicit_exclusions_are_honoured(stars: CypherGraphStore) -> None:
    plan = OutreachService().plan(stars, brand="globex", k=2, exclude=["tw:ada", "nobody"])
    assert plan_ids(plan) == ["tw:hub", "tw:hub2"]
    assert plan.excluded.listed == 1


def test_candidates_restricted_to_a_community(stars: CypherGraphStore) -> None:
    write_run(stars)
    plan = OutreachService().plan(stars, brand="globex", k=2, community=COMMUNITY["tw:hub2"])
    assert plan_ids(plan)[0] == "tw:hub2"
    assert set(plan_ids(plan)) <= {"tw:hub2", *leaves("tw:hub2")}
    assert plan.candidates == 1 + STARS["tw:hub2"]
    assert plan.contacts[0].profile.community == COMMUNITY["tw:hub2"]
    with pytest.raises(NotFound):
        OutreachService().plan(stars, brand="globex", k=1, community=99)


def test_community_candidates_need_an_analysis_run(stars: CypherGraphStore) -> None:
    with pytest.raises(NoAnalysisRun):
        OutreachService().plan(stars, brand="globex", k=1, community=0)


def test_candidates_from_a_saved_segment(stars: CypherGraphStore) -> None:
    write_run(stars)
    stars.run_write(
        "api.segment_create",
        {"id": "c1", "filter_json": '{"community": 1}', "description": "", "created_at": AS_OF},
    )
    plan = OutreachService().plan(stars, brand="globex", k=1, segment="c1")
    assert plan_ids(plan) == ["tw:hub2"] and plan.candidates == 1 + STARS["tw:hub2"]
    with pytest.raises(NotFound):
        OutreachService().plan(stars, brand="globex", k=1, segment="missing")


def test_candidates_as_explicit_ids(stars: CypherGraphStore) -> None:
    plan = OutreachService().plan(stars, brand="globex", k=1, profile_ids=["tw:hub2", "tw:hub-leaf00"])
    assert plan_ids(plan) == ["tw:hub2"] and plan.candidates == 2
    with pytest.raises(NotFound):
        OutreachService().plan(stars, brand="globex", k=1, profile_ids=["tw:ghost"])
    with pytest.raises(InvalidInput):
        OutreachService().plan(stars, brand="globex", k=1, profile_ids=["tw:hub"], community=1)


def test_same_seed_same_plan(stars: CypherGraphStore) -> None:
    first = OutreachService().plan(stars, brand="globex", k=4, seed=7)
    second = OutreachService().plan(stars, brand="globex", k=4, seed=7)
    assert dataclasses.asdict(first) == dataclasses.asdict(second)


def test_unknown_brand_and_bad_numbers(stars: CypherGraphStore) -> None:
    service = OutreachService()
    with pytest.raises(NotFound):
        service.plan(stars, brand="initech", k=1)
    for k in (0, 101):
        with pytest.raises(InvalidInput):
            service.plan(stars, brand="globex", k=k)
    with pytest.raises(InvalidInput):
        service.plan(stars, brand="globex", k=1, simulations=0)


def test_the_model_is_cached_per_run_and_rebuilt_for_a_new_one(stars: CypherGraphStore) -> None:
    service = OutreachService()
    service.plan(stars, brand="globex", k=1)
    service.plan(stars, brand="globex", k=1, model="lt")
    assert service.builds == 1  # no run yet: keyed on the projection, which did not change
    write_run(stars, "run-1")
    service.plan(stars, brand="globex", k=1)
    service.simulate(stars, brand="globex", seeds=["tw:hub"])
    assert service.builds == 2
    write_run(stars, "run-2")
    service.plan(stars, brand="globex", k=1)
    assert service.builds == 3


def test_simulate_compares_a_list_with_the_plan(stars: CypherGraphStore) -> None:
    write_run(stars, detractors=("tw:hub2",))
    result = OutreachService().simulate(
        stars, brand="acme", seeds=["tw:hub2", "tw:hub-leaf00"], simulations=2000
    )
    assert [c.profile.id for c in result.own] == ["tw:hub2", "tw:hub-leaf00"]
    assert result.own[0].flags == ("detractor",) and result.own[1].flags == ()
    own = result.own_spread
    assert own.ci_low <= star_spread("tw:hub2") + 1 <= own.ci_high
    # The plan skips the brand's account and the detractor: the two biggest remaining stars.
    assert result.plan is not None and plan_ids(result.plan) == ["tw:ada", "tw:hub"]
    assert result.difference is not None and result.difference.ci_low > 0
    assert result.own[-1].cumulative_estimate == own


def test_simulate_checks_the_list(stars: CypherGraphStore) -> None:
    service = OutreachService()
    with pytest.raises(NotFound):
        service.simulate(stars, brand="globex", seeds=["tw:ghost"])
    with pytest.raises(InvalidInput):
        service.simulate(stars, brand="globex", seeds=["tw:hub", "tw:hub"])
    result = service.simulate(stars, brand="globex", seeds=["tw:hub"], compare=False)
    assert result.plan is None and result.difference is None


def test_after_a_real_analysis_run(stars: CypherGraphStore) -> None:
    from usecases.analysis import AnalysisParams, run_analysis

    summary = run_analysis(stars, AnalysisParams(seed=1))
    community = stars.get_node(Label.PROFILE, "tw:hub2")["community"]
    plan = OutreachService().plan(stars, brand="globex", k=1, community=community)
    assert plan.run_id == summary.run_id
    assert plan_ids(plan) == ["tw:hub2"] and plan.candidates == 1 + STARS["tw:hub2"]
    assert plan.parameters["as_of"] == summary.as_of_ms == AS_OF
