"""Steps of a bloc-year through scoring's use cases, over :class:`FakeUnitOfWork`: bloc ``k`` of 2025 has
members a, b and c; the province's today is 2026-01-10, inside the window that :func:`opened` sets.

Each step runs one command as the bloc's secretary; :func:`refused` runs one expected to be refused and
checks the log kept nothing of it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from datetime import date
from typing import Any

import pytest
from scoring_fakes import FakeUnitOfWork

from scoring.application import assessments, handlers
from scoring.domain.commands import (
    AdjustScore,
    AdoptScoringTable,
    ComputeFinals,
    CriterionIn,
    OpenCorrection,
    PublishRanking,
    RecordScore,
    RecordTargetResults,
    RegisterTargets,
    ResolveTie,
    SetScoringWindow,
    SubmitCrossAssessment,
    SubmitSelfAssessment,
    TargetIn,
    VerifySelfAssessment,
)
from thidua_contracts.scoring import RankingPublished, TargetResultsRecorded, UnitScored
from thidua_shared.errors import UserError

CRITERIA = [CriterionIn(code="C1", group="g", title="t", max_points=60),
            CriterionIn(code="B1", group="g", title="t", max_points=10, kind="bonus"),
            CriterionIn(code="P1", group="g", title="t", max_points=20, kind="penalty")]
TARGETS = [TargetIn(code="T1", text="Hoàn thành 100% nhiệm vụ", measure="100%"),
           TargetIn(code="T2", text="Không có vi phạm")]
BLOC, YEAR = "k", 2025


def points(c1: float, b1: float = 0, p1: float = 0) -> dict[str, float]:
    return {"C1": c1, "B1": b1, "P1": p1}


async def adopt(uow: FakeUnitOfWork, method: str = "mean_of_cross", reason: str | None = None,
                criteria: list[CriterionIn] = CRITERIA, bands: list[dict[str, Any]] | None = None) -> None:
    command = AdoptScoringTable.model_validate({"bloc_id": BLOC, "year": YEAR, "criteria": criteria, "method": method,
                                                "reason": reason, "bands": bands or []})
    await assessments.adopt_table(command, uow.context, uow)


async def window(uow: FakeUnitOfWork, opens_on: date = date(2026, 1, 1), closes_on: date = date(2026, 1, 31)) -> None:
    command = SetScoringWindow(bloc_id=BLOC, year=YEAR, opens_on=opens_on, closes_on=closes_on)
    await assessments.set_window(command, uow.context, uow)


async def opened(method: str = "mean_of_cross", criteria: list[CriterionIn] = CRITERIA,
                 members: dict[tuple[str, int], list[str]] | None = None) -> FakeUnitOfWork:
    uow = FakeUnitOfWork(members)
    await adopt(uow, method, criteria=criteria)
    await window(uow)
    return uow


async def verify(uow: FakeUnitOfWork, unit_id: str, on: date | None = None) -> None:
    command = VerifySelfAssessment(bloc_id=BLOC, year=YEAR, unit_id=unit_id, verified_by="Tổ thẩm định", verified_on=on)
    await assessments.verify_self(command, uow.context, uow)


async def self_assess(uow: FakeUnitOfWork, unit_id: str, scores: dict[str, float],
                      evidence: list[str] | None = None) -> None:
    command = SubmitSelfAssessment(bloc_id=BLOC, year=YEAR, unit_id=unit_id, scores=scores, evidence=evidence or [])
    await assessments.submit_self(command, uow.context, uow)


async def cross_assess(uow: FakeUnitOfWork, assessor: str, unit_id: str, scores: dict[str, float]) -> None:
    command = SubmitCrossAssessment(bloc_id=BLOC, year=YEAR, assessor_unit_id=assessor, unit_id=unit_id, scores=scores)
    await assessments.submit_cross(command, uow.context, uow)


async def register(uow: FakeUnitOfWork, unit_id: str, targets: list[TargetIn]) -> None:
    command = RegisterTargets(bloc_id=BLOC, year=YEAR, unit_id=unit_id, targets=targets)
    await assessments.register_targets(command, uow.context, uow)


async def record_results(uow: FakeUnitOfWork, unit_id: str, results: list[dict[str, Any]],
                         on: date | None = None) -> TargetResultsRecorded:
    command = RecordTargetResults.model_validate({"bloc_id": BLOC, "year": YEAR, "unit_id": unit_id,
                                                  "results": results, "recorded_on": on})
    await assessments.record_target_results(command, uow.context, uow)
    recorded = uow.committed[-1].typed()
    assert isinstance(recorded, TargetResultsRecorded)
    return recorded


async def resolve(uow: FakeUnitOfWork, order: list[str], ground: str = "decision", reference: str = "QĐ 01",
                  on: date | None = None) -> None:
    command = ResolveTie.model_validate({"bloc_id": BLOC, "year": YEAR, "order": order, "ground": ground,
                                         "reference": reference, "resolved_on": on})
    await handlers.resolve_tie(command, uow.context, uow)


async def adjust(uow: FakeUnitOfWork, unit_id: str, code: str, to_points: float, reason: str = "evidence") -> None:
    await handlers.adjust_score(AdjustScore(bloc_id=BLOC, year=YEAR, unit_id=unit_id, code=code, to_points=to_points,
                                            reason=reason), uow.context, uow)


async def record_final(uow: FakeUnitOfWork, unit_id: str, breakdown: Mapping[str, float]) -> None:
    command = RecordScore(bloc_id=BLOC, year=YEAR, unit_id=unit_id, breakdown=dict(breakdown))
    await handlers.record_score(command, uow.context, uow)


async def compute_finals(uow: FakeUnitOfWork) -> list[UnitScored]:
    committed = len(uow.committed)
    await handlers.compute_finals(ComputeFinals(bloc_id=BLOC, year=YEAR), uow.context, uow)
    return [final for final in (e.typed() for e in uow.committed[committed:]) if isinstance(final, UnitScored)]


async def publish(uow: FakeUnitOfWork, on: date | None = None) -> RankingPublished:
    await handlers.publish_ranking(PublishRanking(bloc_id=BLOC, year=YEAR, published_on=on), uow.context, uow)
    published = uow.committed[-1].typed()
    assert isinstance(published, RankingPublished)
    return published


async def correct(uow: FakeUnitOfWork, reason: str) -> None:
    await handlers.open_correction(OpenCorrection(bloc_id=BLOC, year=YEAR, reason=reason), uow.context, uow)


async def refusal_of(uow: FakeUnitOfWork, attempt: Awaitable[object]) -> UserError:
    """The error the command raises; the log keeps nothing of it."""
    before = list(uow.log)
    with pytest.raises(UserError) as refused:
        async with uow:
            await attempt
    assert uow.log == before
    return refused.value
