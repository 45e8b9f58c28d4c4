"""Scoring use cases over the in-memory log and fake read-model ports: the bloc-year's rules, without a database.

Bloc ``k`` of 2025 has members a, b and c; the province's today is 2026-01-10, inside the window that
:func:`scoring_steps.opened` sets.
"""

from __future__ import annotations

from datetime import date

import pytest
from scoring_fakes import CONTEXT, HELD_FILE, FakeUnitOfWork
from scoring_steps import (
    BLOC,
    CRITERIA,
    TARGETS,
    YEAR,
    adjust,
    adopt,
    compute_finals,
    correct,
    cross_assess,
    opened,
    points,
    publish,
    record_final,
    refusal_of,
    register,
    self_assess,
    verify,
    window,
)

from scoring.application import assessments
from scoring.domain.bloc_year import BlocYear
from scoring.domain.commands import AdoptScoringTable, SubmitSelfAssessment
from scoring.domain.membership import Membership
from thidua_contracts.envelope import Actor
from thidua_contracts.scoring import (
    Criterion,
    ScoreAdjusted,
    ScoringTableAdopted,
    SelfAssessmentSubmitted,
    UnitScored,
)
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict, Invalid


async def test_recorded_events_carry_the_bloc_years_stream_the_actor_and_the_correlation_id() -> None:
    uow = await opened()
    assert [(e.event_type, e.stream_id, e.stream_version) for e in uow.committed] == [
        ("ScoringTableAdopted", "bloc-year:HNM:k:2025", 1), ("ScoringWindowSet", "bloc-year:HNM:k:2025", 2)]
    assert {(e.province, e.correlation_id, e.actor["id"]) for e in uow.committed} == {("HNM", "corr-1", "secretary")}
    assert uow.log == uow.committed


def test_a_table_needs_a_criterion_and_a_target_list_a_target_even_where_the_command_would_let_none_through() -> None:
    bloc_year = BlocYear("HNM", "k", 2025)
    with pytest.raises(Invalid) as no_criteria:
        bloc_year.adopt_table([], "mean_of_cross", None)
    with pytest.raises(Invalid) as no_targets:
        bloc_year.register_targets("a", [], Membership.MEMBER)
    assert (no_criteria.value.code, no_targets.value.code) == ("table.empty", "targets.empty")
    assert bloc_year.pending == ()


async def test_a_tables_criteria_have_distinct_codes() -> None:
    uow = FakeUnitOfWork()
    refused = await refusal_of(uow, adopt(uow, criteria=[CRITERIA[0], CRITERIA[0]]))
    assert (refused.code, refused.params) == ("table.duplicate_code", {"criterion": "C1"})


async def test_amending_a_table_before_scoring_needs_a_reason_and_makes_a_new_version() -> None:
    uow = FakeUnitOfWork()
    await adopt(uow, reason="not an amendment")
    refused = await refusal_of(uow, adopt(uow, reason="  "))
    assert (refused.code, refused.params) == ("table.amendment_needs_reason", {"version": 1})
    await adopt(uow, "verified_self", reason=" B1 dropped ", criteria=CRITERIA[:1])
    first, amended = (e.typed() for e in uow.committed)
    assert isinstance(first, ScoringTableAdopted)
    assert isinstance(amended, ScoringTableAdopted)
    assert (first.table_version, first.reason) == (1, None), "a first adoption amends nothing"
    assert (amended.table_version, amended.reason, amended.method) == (2, "B1 dropped", "verified_self")
    assert [c.code for c in amended.criteria] == ["C1"]


async def test_the_table_can_no_longer_change_once_a_unit_is_assessed() -> None:
    uow = await opened()
    await cross_assess(uow, "a", "b", points(50))
    refused = await refusal_of(uow, adopt(uow, reason="late"))
    assert isinstance(refused, Conflict)
    assert (refused.code, refused.params) == ("table.locked", {"bloc_id": "k", "year": 2025})


async def test_a_window_needs_a_table_and_closes_no_earlier_than_it_opens() -> None:
    uow = FakeUnitOfWork()
    assert (await refusal_of(uow, window(uow))).code == "table.none"
    await adopt(uow)
    backwards = await refusal_of(uow, window(uow, date(2026, 2, 1), date(2026, 1, 31)))
    assert (backwards.code, backwards.params) == ("window.backwards",
                                                  {"opens_on": "2026-02-01", "closes_on": "2026-01-31"})
    await window(uow, date(2026, 1, 10), date(2026, 1, 10))
    await self_assess(uow, "a", points(50))  # the window's days are inside it


async def test_assessments_need_a_table_and_a_window_open_on_the_provinces_today() -> None:
    uow = FakeUnitOfWork()
    assert (await refusal_of(uow, self_assess(uow, "a", points(50)))).code == "table.none"
    await adopt(uow)
    assert (await refusal_of(uow, cross_assess(uow, "a", "b", points(50)))).code == "window.none"
    await window(uow, date(2026, 1, 1), date(2026, 1, 9))
    closed = await refusal_of(uow, self_assess(uow, "a", points(50)))
    assert isinstance(closed, Conflict)
    assert (closed.code, closed.params) == ("window.closed", {"on": "2026-01-10", "opens_on": "2026-01-01",
                                                              "closes_on": "2026-01-09"})
    uow.day = date(2026, 1, 9)
    await self_assess(uow, "a", points(50))


@pytest.mark.parametrize(("scores", "code", "params"), [
    ({"C1": 61, "B1": 0, "P1": 0}, "assessment.out_of_bounds", {"criterion": "C1", "points": 61, "max_points": 60}),
    ({"C1": 50, "B1": 0}, "assessment.missing_criteria", {"criteria": "P1"}),
    ({"C1": 50, "B1": 0, "P1": 0, "X9": 1, "A0": 1}, "assessment.unknown_criteria", {"criteria": "A0, X9"}),
])
async def test_an_assessment_scores_every_criterion_of_the_table_within_its_points(
    scores: dict[str, float], code: str, params: dict[str, object],
) -> None:
    uow = await opened()
    for attempt in (self_assess(uow, "a", scores), cross_assess(uow, "b", "a", scores)):
        refused = await refusal_of(uow, attempt)
        assert (refused.code, refused.params) == (code, params)


async def test_evidence_is_a_link_or_a_file_the_province_holds() -> None:
    uow = await opened()
    bad = await refusal_of(uow, self_assess(uow, "a", points(50), ["see the drawer", "ftp://x"]))
    assert (bad.code, bad.params) == ("evidence.bad_ref", {"refs": "see the drawer, ftp://x"})
    unknown_file = "sha256:" + "0" * 64
    unknown = await refusal_of(uow, self_assess(uow, "a", points(50), [HELD_FILE, unknown_file]))
    assert (unknown.code, unknown.params) == ("evidence.unknown", {"refs": unknown_file})
    await self_assess(uow, "a", points(50), [HELD_FILE, "https://hanam.gov.vn/bc-2025"])


async def test_a_unit_resubmits_its_self_assessment_until_the_window_closes_and_the_latest_counts() -> None:
    uow = await opened("verified_self")
    await self_assess(uow, "a", points(50))
    await self_assess(uow, "a", points(55, 5))
    assert [e.stream_version for e in uow.committed if e.event_type == "SelfAssessmentSubmitted"] == [3, 4]
    uow.registry.members[("k", 2025)] = ["a"]
    await verify(uow, "a")
    [final] = await compute_finals(uow)
    assert (final.unit_id, final.total, final.method) == ("a", 60.0, "verified_self")


async def test_only_members_of_the_bloc_that_year_assess_or_are_assessed_and_never_themselves() -> None:
    uow = await opened()
    outsider = await refusal_of(uow, self_assess(uow, "z", points(50)))
    assert (outsider.code, outsider.params) == ("score.not_member", {"unit_id": "z", "bloc_id": "k", "year": 2025})
    assert (await refusal_of(uow, cross_assess(uow, "z", "a", points(50)))).params["unit_id"] == "z"
    assert (await refusal_of(uow, cross_assess(uow, "a", "z", points(50)))).params["unit_id"] == "z"
    itself = await refusal_of(uow, cross_assess(uow, "a", "a", points(50)))
    assert isinstance(itself, Invalid)
    assert (itself.code, itself.params) == ("cross.self", {"unit_id": "a"})
    uow.day = date(2026, 3, 1)
    assert (await refusal_of(uow, cross_assess(uow, "a", "a", points(50)))).code == "cross.self", "whatever the day"


async def test_members_register_their_targets_again_as_they_like_until_the_ranking() -> None:
    uow = FakeUnitOfWork()
    outsider = await refusal_of(uow, register(uow, "z", TARGETS))
    assert outsider.code == "score.not_member"
    twice = await refusal_of(uow, register(uow, "b", [TARGETS[0], TARGETS[0]]))
    assert (twice.code, twice.params) == ("targets.duplicate_code", {"target": "T1"})
    await register(uow, "b", TARGETS)
    await register(uow, "b", TARGETS[:1])
    assert [e.event_type for e in uow.committed] == ["TargetsRegistered", "TargetsRegistered"]
    uow.registry.members[("k", 2025)] = ["b"]
    await record_final(uow, "b", {"C1": 50})
    await publish(uow)
    assert (await refusal_of(uow, register(uow, "b", TARGETS))).code == "ranking.locked"


CROSS = {  # (assessor, assessed): C1, B1, P1; hand-computed means and totals below
    ("a", "b"): (50, 4, 0), ("c", "b"): (54, 6, 2),    # b: 52, 5, 1 -> 56
    ("b", "a"): (58, 8, 0), ("c", "a"): (56, 6, 0),    # a: 57, 7, 0 -> 64
    ("a", "c"): (60, 0, 4), ("b", "c"): (54, 10, 0),   # c: 57, 5, 2 -> 60
}


async def test_final_scores_are_the_mean_of_the_cross_assessments_once_every_member_has_them() -> None:
    uow = await opened()
    await self_assess(uow, "a", points(60, 10))  # a self-assessment does not count in mean_of_cross
    early = await refusal_of(uow, compute_finals(uow))
    assert (early.code, early.params) == ("final.missing_assessments", {"units": "a, b, c", "method": "mean_of_cross"})
    for (assessor, assessed), (c1, b1, p1) in CROSS.items():
        await cross_assess(uow, assessor, assessed, points(c1, b1, p1))
    finals = await compute_finals(uow)
    assert {f.unit_id: (f.total, f.breakdown) for f in finals} == {
        "a": (64.0, points(57, 7, 0)), "b": (56.0, points(52, 5, 1)), "c": (60.0, points(57, 5, 2))}
    published = await publish(uow)
    assert [(r.unit_id, r.rank, r.total) for r in published.ranking] == [("a", 1, 64.0), ("c", 2, 60.0),
                                                                          ("b", 3, 56.0)]


async def test_finals_need_a_table_and_members() -> None:
    uow = FakeUnitOfWork()
    assert (await refusal_of(uow, compute_finals(uow))).code == "table.none"
    bloc_year = BlocYear("HNM", "k", 2025)
    bloc_year.adopt_table([Criterion(code="C1", group="g", title="t", max_points=60, kind="base")], "mean_of_cross",
                          None)
    with pytest.raises(Conflict) as nobody:
        bloc_year.compute_finals([])
    assert (nobody.value.code, nobody.value.params) == ("final.no_members", {"bloc_id": "k", "year": 2025})


async def test_verified_self_takes_the_self_assessment_with_the_secretariats_adjustments() -> None:
    uow = await opened("verified_self")
    uow.registry.members[("k", 2025)] = ["a", "b"]
    await self_assess(uow, "a", points(55, 5, 2))
    await self_assess(uow, "b", points(50, 10, 0))
    await verify(uow, "b")
    await adjust(uow, "a", "P1", 12, "a disciplinary case came to light")
    await adjust(uow, "a", "P1", 10, "the case was smaller")
    adjustments = [e.typed() for e in uow.committed if e.event_type == "ScoreAdjusted"]
    assert [(a.from_points, a.to_points) for a in adjustments if isinstance(a, ScoreAdjusted)] == [(2, 12), (12, 10)]
    await verify(uow, "a")  # adjusted before it was verified: the adjustment holds
    totals = {final.unit_id: final.total for final in await compute_finals(uow)}
    assert totals == {"a": 55 + 5 - 10, "b": 60.0}


async def test_an_adjustment_names_a_criterion_gives_a_reason_stays_within_its_points_of_an_assessed_unit() -> None:
    uow = FakeUnitOfWork()
    assert (await refusal_of(uow, adjust(uow, "a", "C1", 50))).code == "table.none"
    await adopt(uow, "verified_self")
    await window(uow)
    await self_assess(uow, "a", points(55, 5, 2))
    unknown = await refusal_of(uow, adjust(uow, "a", "X9", 1))
    assert (unknown.code, unknown.params) == ("assessment.unknown_criteria", {"criteria": "X9"})
    assert (await refusal_of(uow, adjust(uow, "a", "C1", 50, "  "))).code == "adjustment.reason_required"
    beyond = await refusal_of(uow, adjust(uow, "a", "C1", 61, "typo"))
    assert (beyond.code, beyond.params) == ("assessment.out_of_bounds",
                                            {"criterion": "C1", "points": 61, "max_points": 60})
    not_assessed = await refusal_of(uow, adjust(uow, "b", "C1", 10, "no self-assessment yet"))
    assert (not_assessed.code, not_assessed.params) == ("final.not_assessed",
                                                        {"unit_id": "b", "method": "verified_self"})


async def test_a_total_never_goes_below_zero_and_the_published_ranking_locks_the_bloc_year() -> None:
    uow = await opened("verified_self")
    uow.registry.members[("k", 2025)] = ["a", "b"]
    await self_assess(uow, "a", points(5, 0, 20))
    await self_assess(uow, "b", points(6))
    await verify(uow, "a")
    await verify(uow, "b")
    finals = await compute_finals(uow)
    assert [(f.unit_id, f.total) for f in finals] == [("a", 0.0), ("b", 6.0)]
    published = await publish(uow)
    assert (published.version, published.reason) == (1, None)
    locked = [self_assess(uow, "a", points(5)), cross_assess(uow, "a", "b", points(5)), compute_finals(uow),
              publish(uow), adjust(uow, "a", "C1", 6, "late"), record_final(uow, "a", {"C1": 6})]
    for attempt in locked:
        refused = await refusal_of(uow, attempt)
        assert (refused.code, refused.params) == ("ranking.locked", {"bloc_id": "k", "year": 2025, "version": 1})


async def test_a_final_score_made_stale_by_a_later_assessment_or_adjustment_must_be_computed_again() -> None:
    uow = await opened("verified_self")
    uow.registry.members[("k", 2025)] = ["a"]
    await self_assess(uow, "a", points(55, 5))
    await verify(uow, "a")
    await compute_finals(uow)
    await adjust(uow, "a", "C1", 40, "evidence did not hold")
    stale = await refusal_of(uow, publish(uow))
    assert (stale.code, stale.params) == ("ranking.missing_finals", {"units": "a"})
    await compute_finals(uow)
    await self_assess(uow, "a", points(50, 5))
    assert (await refusal_of(uow, publish(uow))).code == "ranking.missing_finals"
    unverified = await refusal_of(uow, compute_finals(uow))
    assert (unverified.code, unverified.params) == ("final.not_verified", {"units": "a"}), "a new submission"
    await verify(uow, "a")
    await compute_finals(uow)
    published = await publish(uow)
    assert [(entry.unit_id, entry.total) for entry in published.ranking] == [("a", 45.0)], "the adjustment holds"


async def test_a_ranking_needs_members_each_with_a_final_score() -> None:
    with pytest.raises(Conflict) as nobody:
        BlocYear("HNM", "k", 2025).publish_ranking([])
    assert (nobody.value.code, nobody.value.params) == ("ranking.missing_finals", {"units": "-"})
    uow = FakeUnitOfWork()
    await record_final(uow, "b", {"C1": 50})
    assert (await refusal_of(uow, publish(uow))).params == {"units": "a, c"}


async def test_a_recorded_score_checks_its_input_first_then_membership_and_follows_the_table_if_any() -> None:
    uow = FakeUnitOfWork()
    assert (await refusal_of(uow, record_final(uow, "z", {}))).code == "score.empty_breakdown"
    negative = await refusal_of(uow, record_final(uow, "z", {"C1": -3}))
    assert (negative.code, negative.params) == ("score.negative", {"criterion": "C1", "points": -3})
    assert (await refusal_of(uow, record_final(uow, "z", {"C1": 3}))).code == "score.not_member"
    await record_final(uow, "a", {"Z2": 30, "A1": 20})
    await adopt(uow)
    unknown = await refusal_of(uow, record_final(uow, "b", {"C1": 50, "B1": 5, "P1": 0, "ZZZ": 999}))
    assert unknown.code == "assessment.unknown_criteria"
    await record_final(uow, "b", {"C1": 50, "B1": 5, "P1": 10})
    scored = [e.typed() for e in uow.committed if e.event_type == "UnitScored"]
    assert [(s.unit_id, s.total, s.breakdown, s.method) for s in scored if isinstance(s, UnitScored)] == [
        ("a", 50.0, {"A1": 20, "Z2": 30}, "secretariat"), ("b", 45.0, points(50, 5, 10), "secretariat")]


async def test_equal_totals_are_a_tie_sharing_a_rank_whatever_their_base_points_or_identifiers() -> None:
    """The review settled it: ties are ties, resolved by the bloc, not by base points or a unit's id."""
    uow = FakeUnitOfWork(members={("k", 2025): ["a", "b", "c", "d"]})
    for unit_id, breakdown in (("c", {"C1": 50, "B1": 10}), ("b", {"C1": 55, "B1": 5}), ("a", {"C1": 55, "B1": 5}),
                               ("d", {"C1": 40})):
        await record_final(uow, unit_id, breakdown)
    await adopt(uow)
    published = await publish(uow)
    assert [(r.unit_id, r.rank, r.total, r.tied) for r in published.ranking] == [
        ("a", 1, 60.0, True), ("b", 1, 60.0, True), ("c", 1, 60.0, True), ("d", 4, 40.0, False)]
    assert published.resolved_ties == []


async def test_a_published_ranking_is_corrected_with_a_reason_into_its_next_version() -> None:
    uow = FakeUnitOfWork()
    not_published = await refusal_of(uow, correct(uow, "typo"))
    assert (not_published.code, not_published.params) == ("ranking.not_published", {"bloc_id": "k", "year": 2025})
    for unit_id, c1 in (("a", 50), ("b", 58), ("c", 54)):
        await record_final(uow, unit_id, {"C1": c1})
    await publish(uow)
    assert (await refusal_of(uow, correct(uow, "  "))).code == "ranking.correction_reason_required"
    await correct(uow, " b's evidence arrived late ")
    assert (await refusal_of(uow, correct(uow, "again"))).code == "ranking.not_published"
    await record_final(uow, "a", {"C1": 60})
    corrected = await publish(uow)
    assert (corrected.version, corrected.reason) == (2, "b's evidence arrived late")
    assert [entry.unit_id for entry in corrected.ranking] == ["a", "b", "c"]
    await correct(uow, "one more")
    third = await publish(uow)
    assert (third.version, third.reason) == (3, "one more")


async def test_staff_record_a_past_submission_on_its_own_day_which_the_window_judges() -> None:
    """Issue 11, item 9: the 2025 review recorded when the window has closed, dated the day it was made."""
    uow = FakeUnitOfWork()
    await adopt(uow)
    await window(uow, date(2026, 1, 1), date(2026, 1, 9))
    late = SubmitSelfAssessment(bloc_id=BLOC, year=YEAR, unit_id="a", scores=points(50),
                                submitted_on=date(2026, 1, 5))
    await assessments.submit_self(late, CONTEXT, uow)
    [recorded] = [event.typed() for event in uow.committed[-1:]]
    assert isinstance(recorded, SelfAssessmentSubmitted)
    assert recorded.submitted_on == date(2026, 1, 5)
    officer = FakeUnitOfWork(context=CommandContext("HNM", Actor(id="o", role="unit_officer", unit_id="b"), "c-2"))
    by_unit = SubmitSelfAssessment(bloc_id=BLOC, year=YEAR, unit_id="b", scores=points(40),
                                   submitted_on=date(2026, 1, 5))
    refused = await refusal_of(officer, assessments.submit_self(by_unit, officer.context, officer))
    assert refused.code == "date.past_by_staff_only"
    future = SubmitSelfAssessment(bloc_id=BLOC, year=YEAR, unit_id="b", scores=points(40),
                                  submitted_on=date(2026, 2, 1))
    assert (await refusal_of(uow, assessments.submit_self(future, CONTEXT, uow))).code == "date.in_future"
    outside = SubmitSelfAssessment(bloc_id=BLOC, year=YEAR, unit_id="b", scores=points(40),
                                   submitted_on=date(2025, 12, 31))
    assert (await refusal_of(uow, assessments.submit_self(outside, CONTEXT, uow))).code == "window.closed"


async def test_a_ranking_is_dated_by_the_day_the_bloc_published_it_never_a_day_to_come() -> None:
    uow = FakeUnitOfWork()
    for unit_id, c1 in (("a", 50), ("b", 58), ("c", 54)):
        await record_final(uow, unit_id, {"C1": c1})
    tomorrow = await refusal_of(uow, publish(uow, date(2026, 1, 11)))
    published = await publish(uow, date(2026, 1, 5))

    assert tomorrow.code == "date.in_future"
    assert published.published_on == date(2026, 1, 5)
    assert published.occurred_on() == date(2026, 1, 5), "its envelope occurred on the conference's day"
    await correct(uow, "b's evidence arrived late")
    assert (await publish(uow)).published_on == date(2026, 1, 10), "by default, today in the province"


async def test_a_table_is_dated_by_the_day_the_bloc_adopted_it() -> None:
    uow = FakeUnitOfWork()
    table = AdoptScoringTable(bloc_id=BLOC, year=YEAR, criteria=CRITERIA, adopted_on=date(2025, 1, 8))
    await assessments.adopt_table(table, uow.context, uow)
    adopted = uow.committed[-1].typed()

    assert isinstance(adopted, ScoringTableAdopted)
    assert adopted.adopted_on == date(2025, 1, 8)
    assert adopted.occurred_on() == date(2025, 1, 8)
    later = table.model_copy(update={"adopted_on": date(2026, 1, 11), "reason": "thêm tiêu chí"})
    assert (await refusal_of(uow, assessments.adopt_table(later, uow.context, uow))).code == "date.in_future"
