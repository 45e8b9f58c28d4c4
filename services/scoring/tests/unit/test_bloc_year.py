"""The bloc-year's rules, without a database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from scoring.domain.bloc_year import BlocYear
from thidua_contracts import EventPayload
from thidua_contracts.scoring import Criterion, RankingPublished, UnitScored
from thidua_shared.errors import Conflict, Invalid

CRITERIA = [Criterion(code="C1", group="g", title="t", max_points=60, kind="base"),
            Criterion(code="B1", group="g", title="t", max_points=10, kind="bonus"),
            Criterion(code="P1", group="g", title="t", max_points=20, kind="penalty")]
DAY = date(2026, 1, 10)


def opened() -> BlocYear:
    year = BlocYear("k", 2025)
    applied(year, year.adopt_table(CRITERIA, "verified_self", None))
    applied(year, year.set_window(date(2026, 1, 1), date(2026, 1, 31)))
    return year


def applied(year: BlocYear, events: list[EventPayload]) -> list[EventPayload]:
    for event in events:
        year.apply(event)
    return events


def test_verified_self_takes_the_self_assessment_with_the_secretariats_adjustments() -> None:
    year = opened()
    applied(year, year.submit_self("a", {"C1": 55, "B1": 5, "P1": 2}, [], DAY, True))
    applied(year, year.submit_self("b", {"C1": 50, "B1": 10, "P1": 0}, [], DAY, True))
    [adjusted] = applied(year, year.adjust("a", "P1", 12, "a disciplinary case came to light"))
    finals = applied(year, year.compute_finals(["a", "b"]))
    totals = {final.unit_id: final.total for final in finals if isinstance(final, UnitScored)}
    assert totals == {"a": 55 + 5 - 12, "b": 60.0}
    assert adjusted.model_dump()["from_points"] == 2


def test_an_adjustment_needs_a_reason_and_stays_within_the_criterions_points() -> None:
    year = opened()
    applied(year, year.submit_self("a", {"C1": 55, "B1": 5, "P1": 2}, [], DAY, True))
    with pytest.raises(Invalid) as refused:
        year.adjust("a", "C1", 50, "  ")
    assert refused.value.code == "adjustment.reason_required"
    with pytest.raises(Invalid) as refused:
        year.adjust("a", "C1", 61, "typo")
    assert refused.value.code == "assessment.out_of_bounds"
    with pytest.raises(Conflict) as not_assessed:
        year.adjust("b", "C1", 10, "no self-assessment yet")
    assert not_assessed.value.code == "final.not_assessed"


def test_a_total_never_goes_below_zero_and_the_published_ranking_locks_everything() -> None:
    year = opened()
    applied(year, year.submit_self("a", {"C1": 5, "B1": 0, "P1": 20}, [], DAY, True))
    [final] = applied(year, year.compute_finals(["a"]))
    assert isinstance(final, UnitScored)
    assert final.total == 0.0
    [published] = applied(year, year.publish_ranking(["a"]))
    assert isinstance(published, RankingPublished)
    assert published.version == 1
    attempts: list[Callable[[], list[EventPayload]]] = [
        lambda: year.submit_self("a", {"C1": 5, "B1": 0, "P1": 0}, [], DAY, True),
        lambda: year.compute_finals(["a"]),
        lambda: year.adjust("a", "C1", 6, "late"),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict) as refused:
            attempt()
        assert refused.value.code == "ranking.locked"


def test_a_final_score_made_stale_by_a_later_adjustment_must_be_computed_again() -> None:
    year = opened()
    applied(year, year.submit_self("a", {"C1": 55, "B1": 5, "P1": 0}, [], DAY, True))
    applied(year, year.compute_finals(["a"]))
    applied(year, year.adjust("a", "C1", 40, "evidence did not hold"))
    with pytest.raises(Conflict) as stale:
        year.publish_ranking(["a"])
    assert stale.value.code == "ranking.missing_finals"
    applied(year, year.compute_finals(["a"]))
    [published] = year.publish_ranking(["a", "a"])
    assert isinstance(published, RankingPublished)
    assert [(entry.unit_id, entry.total) for entry in published.ranking] == [("a", 45.0)]


def test_a_directly_recorded_score_follows_the_table_when_there_is_one() -> None:
    year = opened()
    [final] = year.record_final("a", {"C1": 50, "B1": 5, "P1": 10}, "secretariat", True)
    assert isinstance(final, UnitScored)
    assert final.total == 45.0, "penalty points subtract"
    with pytest.raises(Invalid) as unknown:
        year.record_final("a", {"C1": 50, "B1": 5, "P1": 0, "ZZZ": 999}, "secretariat", True)
    assert unknown.value.code == "assessment.unknown_criteria"
