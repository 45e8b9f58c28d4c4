"""Issue 11, item 8: how assessments become points, as the table's data says: the mean of the cross-assessments,
the trimmed mean, and the self-assessment verified by the chair's team; old tables keep their meaning."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from scoring_steps import (
    adjust,
    compute_finals,
    cross_assess,
    opened,
    points,
    refusal_of,
    self_assess,
    verify,
)

from scoring.application import assessments
from scoring.domain.bloc_year import BlocYear
from scoring.domain.commands import AdoptScoringTable, VerifySelfAssessment
from scoring.domain.membership import Membership
from scoring.domain.methods import cross_points, trimmed
from thidua_contracts import read_payload
from thidua_contracts.scoring import ScoringTableAdopted, SelfAssessmentVerified, UnitScored
from thidua_shared.errors import Conflict, Invalid

FOUR = {("k", 2025): ["a", "b", "c", "d"]}


async def test_the_trimmed_mean_sets_aside_each_criterions_highest_and_lowest_from_three_assessments() -> None:
    uow = await opened("trimmed_mean", members=FOUR)
    for assessor, c1, b1 in (("b", 40, 2), ("c", 50, 9), ("d", 58, 4)):   # a: C1 50, B1 4 (not 49.33, 5)
        await cross_assess(uow, assessor, "a", points(c1, b1))
    for assessor, c1 in (("a", 30), ("c", 50)):                           # b: two, so the plain mean
        await cross_assess(uow, assessor, "b", points(c1))
    for unit_id in ("c", "d"):
        for assessor in ("a", "b"):
            await cross_assess(uow, assessor, unit_id, points(45))
    finals = {final.unit_id: final for final in await compute_finals(uow)}
    assert (finals["a"].breakdown, finals["a"].total, finals["a"].method) == (points(50, 4), 54.0, "trimmed_mean")
    assert finals["b"].breakdown == points(40)


@given(st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1, max_size=12))
def test_a_trimmed_mean_stays_within_the_points_given_and_is_the_mean_below_three(values: list[float]) -> None:
    received = [{"C1": value} for value in values]
    trimmed_mean = cross_points(received, ["C1"], "trimmed_mean")["C1"]
    assert min(values) - 1e-4 <= trimmed_mean <= max(values) + 1e-4
    if len(values) < 3:
        assert trimmed_mean == cross_points(received, ["C1"], "mean_of_cross")["C1"]
    else:
        assert len(trimmed(values)) == len(values) - 2
    assert cross_points(list(reversed(received)), ["C1"], "trimmed_mean")["C1"] == trimmed_mean, "order-free"


async def test_under_verified_self_a_self_assessment_counts_once_the_chairs_team_verified_it() -> None:
    uow = await opened("verified_self", members={("k", 2025): ["a", "b"]})
    await self_assess(uow, "a", points(55, 5, 2))
    await self_assess(uow, "b", points(50))
    await verify(uow, "a", on=date(2026, 1, 10))
    unverified = await refusal_of(uow, compute_finals(uow))
    assert isinstance(unverified, Conflict)
    assert (unverified.code, unverified.params) == ("final.not_verified", {"units": "b"})
    command = VerifySelfAssessment(bloc_id="k", year=2025, unit_id="b", verified_by=" Tổ thẩm định khối ",
                                   notes=" Đã đối chiếu minh chứng ")
    await assessments.verify_self(command, uow.context, uow)
    verified = uow.committed[-1].typed()
    assert verified == SelfAssessmentVerified(bloc_id="k", year=2025, unit_id="b", scores=points(50),
                                              verified_by="Tổ thẩm định khối", verified_on=date(2026, 1, 10),
                                              notes="Đã đối chiếu minh chứng")
    totals = {final.unit_id: (final.total, final.method) for final in await compute_finals(uow)}
    assert totals == {"a": (58.0, "verified_self"), "b": (50.0, "verified_self")}


async def test_a_verification_is_of_a_members_latest_self_assessment_once_on_or_after_its_day() -> None:
    uow = await opened("verified_self")
    no_self = await refusal_of(uow, verify(uow, "a"))
    assert (no_self.code, no_self.params) == ("verification.no_self_assessment", {"unit_id": "a"})
    outsider = await refusal_of(uow, verify(uow, "z"))
    assert outsider.code == "score.not_member"
    await self_assess(uow, "a", points(55))
    early = await refusal_of(uow, verify(uow, "a", on=date(2026, 1, 9)))
    assert isinstance(early, Invalid)
    assert (early.code, early.params) == ("verification.before_submission",
                                          {"on": "2026-01-09", "submitted_on": "2026-01-10"})
    assert (await refusal_of(uow, verify(uow, "a", on=date(2026, 1, 11)))).code == "date.in_future"
    await verify(uow, "a")
    twice = await refusal_of(uow, verify(uow, "a"))
    assert (twice.code, twice.params) == ("verification.already", {"unit_id": "a", "verified_on": "2026-01-10"})
    await self_assess(uow, "a", points(56))
    await verify(uow, "a")  # a new submission is verified anew


async def test_a_verification_needs_the_verified_self_method_and_says_who_verified() -> None:
    uow = await opened("mean_of_cross")
    await self_assess(uow, "a", points(55))
    not_needed = await refusal_of(uow, verify(uow, "a"))
    assert (not_needed.code, not_needed.params) == ("verification.not_needed", {"method": "mean_of_cross"})
    bloc_year = BlocYear("HNM", "k", 2025).replay(event.typed() for event in (await opened("verified_self")).committed)
    with pytest.raises(Invalid) as blank:
        bloc_year.verify_self("a", "  ", date(2026, 1, 10), None, Membership.MEMBER)
    assert blank.value.code == "verification.verifier_required"


async def test_adjustments_with_reasons_apply_to_every_method() -> None:
    for method in ("mean_of_cross", "trimmed_mean", "verified_self"):
        uow = await opened(method, members={("k", 2025): ["a", "b"]})
        await self_assess(uow, "a", points(50))
        await self_assess(uow, "b", points(50))
        await cross_assess(uow, "a", "b", points(50))
        await cross_assess(uow, "b", "a", points(50))
        if method == "verified_self":
            await verify(uow, "a")
            await verify(uow, "b")
        await adjust(uow, "a", "C1", 40, "the evidence covered part of it")
        assert {f.unit_id: f.total for f in await compute_finals(uow)} == {"a": 40.0, "b": 50.0}, method


def test_a_table_of_version_1_saying_verified_self_keeps_its_meaning_the_self_assessment_as_it_stands() -> None:
    """Before the verification step, ``verified_self`` meant the self-assessment with the secretariat's
    adjustments: an old bloc-year is read as ``adjusted_self`` and computes its finals without verifying."""
    table_v1 = {"bloc_id": "k", "year": 2024, "table_version": 1, "method": "verified_self",
                "criteria": [{"code": "C1", "group": "g", "title": "t", "max_points": 60, "kind": "base"}]}
    adopted = read_payload("ScoringTableAdopted", 1, table_v1)
    assert isinstance(adopted, ScoringTableAdopted)
    assert (adopted.method, adopted.bands, adopted.criteria[0].source) == ("adjusted_self", [], "assessment")
    assert read_payload("ScoringTableAdopted", 2, table_v1) == adopted.model_copy(update={"method": "verified_self"})
    final_v1 = {"bloc_id": "k", "year": 2024, "unit_id": "a", "total": 50, "breakdown": {"C1": 50},
                "method": "verified_self"}
    old_final = read_payload("UnitScored", 1, final_v1)
    assert isinstance(old_final, UnitScored)
    assert (old_final.method, old_final.band) == ("adjusted_self", None)
    assert read_payload("UnitScored", 1, {**final_v1, "method": "secretariat"}) == old_final.model_copy(
        update={"method": "secretariat"})

    bloc_year = BlocYear("HNM", "k", 2024).replay([adopted])
    bloc_year.set_window(date(2025, 1, 1), date(2025, 1, 31))
    bloc_year.submit_self("a", {"C1": 50}, [], date(2025, 1, 10), Membership.MEMBER)
    bloc_year.compute_finals(["a"])
    final = bloc_year.pending[-1]
    assert isinstance(final, UnitScored)
    assert (final.method, final.total) == ("adjusted_self", 50.0)


def test_a_new_table_chooses_among_the_three_methods_only() -> None:
    body = {"bloc_id": "k", "year": 2025, "criteria": [{"code": "C1", "group": "g", "title": "t", "max_points": 5}]}
    for method in ("mean_of_cross", "trimmed_mean", "verified_self"):
        assert AdoptScoringTable.model_validate({**body, "method": method}).method == method
    with pytest.raises(ValidationError):
        AdoptScoringTable.model_validate({**body, "method": "adjusted_self"})
