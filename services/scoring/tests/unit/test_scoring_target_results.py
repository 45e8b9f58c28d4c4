"""Issue 11, item 4 (scoring's part) and item 8: targets registered at the start of the year get their results
at its end, target by target; a criterion of the table may take its points from them."""

from __future__ import annotations

from datetime import date

from scoring_fakes import FakeUnitOfWork
from scoring_steps import (
    CRITERIA,
    TARGETS,
    adjust,
    adopt,
    compute_finals,
    cross_assess,
    opened,
    points,
    publish,
    record_final,
    record_results,
    refusal_of,
    register,
)

from scoring.domain.commands import CriterionIn, TargetIn
from thidua_contracts.envelope import Actor
from thidua_contracts.scoring import TargetResult, TargetResultsRecorded
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict, Invalid

THREE = [TargetIn(code="T1", text="Thu ngân sách", measure="tỷ đồng"), TargetIn(code="T2", text="Không vi phạm"),
         TargetIn(code="T3", text="Đào tạo cán bộ", measure="người")]
RESULTS = [{"code": "T1", "attained": True, "achieved": 1250, "planned": 1000},
           {"code": "T2", "attained": True},
           {"code": "T3", "attained": False, "achieved": 45, "planned": 50}]
FROM_TARGETS = [*CRITERIA, CriterionIn(code="CT", group="Chỉ tiêu", title="Hoàn thành chỉ tiêu", max_points=15,
                                       source="targets")]


async def test_results_are_recorded_for_every_registered_target_with_their_percentage_of_the_plan() -> None:
    uow = FakeUnitOfWork()
    await register(uow, "a", THREE)
    recorded = await record_results(uow, "a", [*RESULTS[:2], {"code": "T3", "attained": False, "achieved": 0,
                                                               "planned": 0}])
    assert recorded == TargetResultsRecorded(bloc_id="k", year=2025, unit_id="a", recorded_on=date(2026, 1, 10),
                                             results=[
        TargetResult(code="T1", attained=True, achieved=1250, planned=1000, percent=125.0),
        TargetResult(code="T2", attained=True),
        TargetResult(code="T3", attained=False, achieved=0, planned=0, percent=None)])
    again = await record_results(uow, "a", RESULTS, on=date(2025, 12, 20))
    assert (again.recorded_on, again.results[2].percent) == (date(2025, 12, 20), 90.0), "the latest counts"


async def test_a_unit_that_exceeded_its_targets_can_be_told_from_the_event_alone() -> None:
    """What awards reads for "exceeded its targets": every target attained, at least one above the plan."""
    uow = FakeUnitOfWork()
    await register(uow, "a", THREE)
    await register(uow, "b", THREE)
    exceeded = await record_results(uow, "a", [{**result, "attained": True} for result in RESULTS])
    only_met = await record_results(uow, "b", [{"code": "T1", "attained": True, "achieved": 1000, "planned": 1000},
                                               {"code": "T2", "attained": True},
                                               {"code": "T3", "attained": True, "achieved": 50, "planned": 50}])

    def exceeded_its_targets(event: TargetResultsRecorded) -> bool:
        return all(r.attained for r in event.results) and any((r.percent or 0) > 100 for r in event.results)

    assert (exceeded_its_targets(exceeded), exceeded_its_targets(only_met)) == (True, False)


async def test_results_name_each_registered_target_once_and_a_value_with_its_plan() -> None:
    uow = FakeUnitOfWork()
    no_targets = await refusal_of(uow, record_results(uow, "a", RESULTS))
    assert isinstance(no_targets, Conflict)
    assert (no_targets.code, no_targets.params) == ("results.no_targets", {"unit_id": "a"})
    await register(uow, "a", THREE)
    unknown = await refusal_of(uow, record_results(uow, "a", [*RESULTS, {"code": "T9", "attained": True}]))
    assert (unknown.code, unknown.params) == ("results.unknown_target", {"unit_id": "a", "targets": "T9"})
    missing = await refusal_of(uow, record_results(uow, "a", RESULTS[:1]))
    assert (missing.code, missing.params) == ("results.missing_targets", {"unit_id": "a", "targets": "T2, T3"})
    twice = await refusal_of(uow, record_results(uow, "a", [*RESULTS, RESULTS[0]]))
    assert (twice.code, twice.params) == ("results.duplicate_code", {"target": "T1"})
    half = await refusal_of(uow, record_results(uow, "a", [{"code": "T1", "attained": True, "achieved": 5},
                                                            *RESULTS[1:]]))
    assert (half.code, half.params) == ("results.value_without_plan", {"target": "T1"})


async def test_results_are_a_members_recorded_in_or_after_their_year_and_never_in_the_future() -> None:
    uow = FakeUnitOfWork()
    await register(uow, "a", THREE)
    outsider = await refusal_of(uow, record_results(uow, "z", RESULTS))
    assert (outsider.code, outsider.params) == ("score.not_member", {"unit_id": "z", "bloc_id": "k", "year": 2025})
    stranger = await refusal_of(uow, record_results(uow, "nobody", RESULTS))
    assert isinstance(stranger, Invalid)
    assert (stranger.code, stranger.params) == ("registry.unknown_unit", {"unit_id": "nobody"})
    early = await refusal_of(uow, record_results(uow, "a", RESULTS, on=date(2024, 12, 31)))
    assert (early.code, early.params) == ("results.before_year", {"on": "2024-12-31", "year": 2025})
    future = await refusal_of(uow, record_results(uow, "a", RESULTS, on=date(2026, 1, 11)))
    assert future.code == "date.in_future"
    officer = FakeUnitOfWork(context=CommandContext("HNM", Actor(id="o", role="unit_officer", unit_id="a"), "c-2"))
    await register(officer, "a", THREE)
    backdated = await refusal_of(officer, record_results(officer, "a", RESULTS, on=date(2025, 12, 31)))
    assert backdated.code == "date.past_by_staff_only", "a unit records its results on the day it sends them"
    await record_results(officer, "a", RESULTS)


async def test_targets_with_results_are_not_registered_again_and_nothing_changes_once_ranked() -> None:
    uow = FakeUnitOfWork(members={("k", 2025): ["a"]})
    await register(uow, "a", THREE)
    await record_results(uow, "a", RESULTS)
    again = await refusal_of(uow, register(uow, "a", TARGETS))
    assert (again.code, again.params) == ("targets.results_recorded", {"unit_id": "a"})
    await record_final(uow, "a", {"C1": 50})
    await publish(uow)
    assert (await refusal_of(uow, record_results(uow, "a", RESULTS))).code == "ranking.locked"


async def test_a_criterion_from_the_targets_gives_its_maximum_times_the_share_attained() -> None:
    uow = await opened(criteria=FROM_TARGETS, members={("k", 2025): ["a", "b"]})
    await register(uow, "a", THREE)
    await register(uow, "b", THREE[:2])
    await cross_assess(uow, "a", "b", points(50))
    await cross_assess(uow, "b", "a", points(50))
    no_results = await refusal_of(uow, compute_finals(uow))
    assert (no_results.code, no_results.params) == ("final.missing_target_results", {"units": "a, b"})
    await record_results(uow, "a", RESULTS)                      # 2 of 3 attained: 15 × 2/3
    await record_results(uow, "b", [{"code": "T1", "attained": True}, {"code": "T2", "attained": True}])
    finals = {final.unit_id: final for final in await compute_finals(uow)}
    assert (finals["a"].breakdown["CT"], finals["a"].total) == (10.0, 60.0)
    assert (finals["b"].breakdown["CT"], finals["b"].total) == (15.0, 65.0)
    await record_results(uow, "a", [{**result, "attained": True} for result in RESULTS])
    stale = await refusal_of(uow, publish(uow))
    assert (stale.code, stale.params) == ("ranking.missing_finals", {"units": "a"}), "new results, a new final"
    await adjust(uow, "a", "CT", 12, "T1 was counted twice in the report")
    assert {final.unit_id: final.breakdown["CT"] for final in await compute_finals(uow)} == {"a": 12.0, "b": 15.0}


async def test_assessments_do_not_score_a_criterion_that_the_targets_score() -> None:
    uow = await opened(criteria=FROM_TARGETS)
    scored = await refusal_of(uow, cross_assess(uow, "a", "b", {**points(50), "CT": 15}))
    assert isinstance(scored, Invalid)
    assert (scored.code, scored.params) == ("assessment.from_targets", {"criteria": "CT"})
    await cross_assess(uow, "a", "b", points(50))


async def test_a_criterion_from_the_targets_adds_points_and_never_takes_them_away() -> None:
    uow = FakeUnitOfWork()
    penalty = CriterionIn(code="PT", group="g", title="t", max_points=5, kind="penalty", source="targets")
    refused = await refusal_of(uow, adopt(uow, criteria=[*CRITERIA, penalty]))
    assert (refused.code, refused.params) == ("table.targets_penalty", {"criterion": "PT"})
