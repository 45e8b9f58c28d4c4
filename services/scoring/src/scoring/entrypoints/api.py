"""Scoring's HTTP API.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from scoring.adapters import queries
from scoring.application import assessments, handlers
from scoring.domain.commands import (
    AdoptScoringTable,
    RecordScore,
    SetScoringWindow,
    SubmitCrossAssessment,
    SubmitSelfAssessment,
)
from thidua_shared.auth import Principal
from thidua_shared.http import ERROR_RESPONSES, Recorded, command_context
from thidua_shared.runtime import ServiceParts, caller_of
from thidua_shared.service import UnitOfWorkFactory, execute


class RecordScoreBody(RecordScore):
    bloc_id: str = ""
    year: int = 2000


class AdoptScoringTableBody(AdoptScoringTable):
    bloc_id: str = ""
    year: int = 2000


class SetScoringWindowBody(SetScoringWindow):
    bloc_id: str = ""
    year: int = 2000


class SubmitSelfAssessmentBody(SubmitSelfAssessment):
    bloc_id: str = ""
    year: int = 2000


class SubmitCrossAssessmentBody(SubmitCrossAssessment):
    bloc_id: str = ""
    year: int = 2000


def today(_: object) -> Callable[[], date]:
    """The service's clock, as a read of the unit of work (tests of the domain pass their own days)."""
    return date.today


def router(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> APIRouter:
    api = APIRouter(prefix="/provinces/{province}", responses=ERROR_RESPONSES)
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.post("/blocs/{bloc_id}/years/{year}/scores", status_code=201, tags=["scores"],
              summary="Record a unit's final score, criterion by criterion (bloc secretariat or admin)")
    async def record_score(province: str, bloc_id: str, year: int, body: RecordScoreBody,
                           caller: Caller) -> Recorded:
        caller.require_own_bloc(bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        command = RecordScore(**{**body.model_dump(), "bloc_id": bloc_id, "year": year})
        return await execute(unit_of_work, handlers.record_score, command, context, queries.membership_check)

    @api.post("/blocs/{bloc_id}/years/{year}/table", status_code=201, tags=["scoring tables"],
              summary="Adopt or amend (with a reason) the bloc-year's scoring table (bloc secretariat or admin)")
    async def adopt_table(province: str, bloc_id: str, year: int, body: AdoptScoringTableBody,
                          caller: Caller) -> Recorded:
        caller.require_own_bloc(bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        command = AdoptScoringTable(**{**body.model_dump(), "bloc_id": bloc_id, "year": year})
        return await execute(unit_of_work, assessments.adopt_table, command, context)

    @api.post("/blocs/{bloc_id}/years/{year}/window", status_code=201, tags=["scoring tables"],
              summary="Open scoring between two dates (bloc secretariat or admin)")
    async def set_window(province: str, bloc_id: str, year: int, body: SetScoringWindowBody,
                         caller: Caller) -> Recorded:
        caller.require_own_bloc(bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        command = SetScoringWindow(**{**body.model_dump(), "bloc_id": bloc_id, "year": year})
        return await execute(unit_of_work, assessments.set_window, command, context)

    @api.post("/blocs/{bloc_id}/years/{year}/self-assessments", status_code=201, tags=["assessments"],
              summary="A unit scores itself with evidence; it may resubmit until the window closes")
    async def submit_self(province: str, bloc_id: str, year: int, body: SubmitSelfAssessmentBody,
                          caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin", "bloc_secretary", "unit_officer")
        caller.require_own_unit(body.unit_id)
        caller.require_own_bloc(bloc_id)
        command = SubmitSelfAssessment(**{**body.model_dump(), "bloc_id": bloc_id, "year": year})
        return await execute(unit_of_work, assessments.submit_self, command, context, queries.membership_check,
                             today)

    @api.post("/blocs/{bloc_id}/years/{year}/cross-assessments", status_code=201, tags=["assessments"],
              summary="A member scores another member (never itself)")
    async def submit_cross(province: str, bloc_id: str, year: int, body: SubmitCrossAssessmentBody,
                           caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin", "bloc_secretary", "unit_officer")
        caller.require_own_unit(body.assessor_unit_id)
        caller.require_own_bloc(bloc_id)
        command = SubmitCrossAssessment(**{**body.model_dump(), "bloc_id": bloc_id, "year": year})
        return await execute(unit_of_work, assessments.submit_cross, command, context, queries.membership_check,
                             today)

    @api.get("/blocs/{bloc_id}/years/{year}/scoreboard", tags=["scores"],
             summary="Members, scores and totals of a bloc-year, highest first")
    async def scoreboard(province: str, bloc_id: str, year: int, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            return await queries.scoreboard(connection, province, bloc_id, year)

    return api
