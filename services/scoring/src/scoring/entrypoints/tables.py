"""Scoring's table routes: the bloc-year's scoring table and its scoring window.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import Field

from scoring.application import assessments
from scoring.application.unit_of_work import ScoringUnitOfWork
from scoring.domain.commands import (
    METHOD_HELP,
    AdoptScoringTable,
    BandIn,
    CriterionIn,
    ScoringMethodIn,
    SetScoringWindow,
)
from thidua_shared.auth import Principal
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import Day, Paragraph
from thidua_shared.http import Recorded, RequestBody, command_context
from thidua_shared.params import IdPath, YearPath
from thidua_shared.runtime import ServiceParts, caller_of, province_router


class AdoptScoringTableBody(RequestBody):
    criteria: list[CriterionIn] = Field(min_length=1, max_length=200)
    method: ScoringMethodIn = Field(default="mean_of_cross", description=METHOD_HELP)
    reason: Paragraph | None = Field(default=None, max_length=500)
    bands: list[BandIn] = Field(default_factory=list, max_length=20,
                                description="the classification bands (xếp loại), in any order")
    adopted_on: Day | None = Field(default=None, description="the day the bloc adopted it (default: today)")


class SetScoringWindowBody(RequestBody):
    opens_on: Day
    closes_on: Day


def router(parts: ServiceParts, commands: CommandRunner[ScoringUnitOfWork]) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.post("/blocs/{bloc_id}/years/{year}/table", status_code=201, tags=["scoring tables"],
              summary="Adopt or amend (with a reason) the bloc-year's scoring table: criteria, method, "
                      "classification bands (bloc secretariat or admin)")
    async def adopt_scoring_table(province: str, bloc_id: IdPath, year: YearPath, body: AdoptScoringTableBody,
                                  caller: Caller) -> Recorded:
        caller.require_own_bloc(bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        command = AdoptScoringTable(bloc_id=bloc_id, year=year, **body.model_dump())
        return await commands(assessments.adopt_table, command, context)

    @api.post("/blocs/{bloc_id}/years/{year}/window", status_code=201, tags=["scoring tables"],
              summary="Open scoring between two dates (bloc secretariat or admin)")
    async def set_scoring_window(province: str, bloc_id: IdPath, year: YearPath, body: SetScoringWindowBody,
                                 caller: Caller) -> Recorded:
        caller.require_own_bloc(bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        command = SetScoringWindow(bloc_id=bloc_id, year=year, **body.model_dump())
        return await commands(assessments.set_window, command, context)

    return api
