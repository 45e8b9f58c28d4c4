"""Scoring's assessment routes: a member's targets, its self-assessment and its cross-assessments of others.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import Field

from scoring.application import assessments
from scoring.application.unit_of_work import ScoringUnitOfWork
from scoring.domain.commands import (
    CriterionCode,
    Points,
    RegisterTargets,
    SubmitCrossAssessment,
    SubmitSelfAssessment,
    TargetIn,
)
from thidua_shared.auth import Principal
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import CLEAN_LINE, Day, Identifier, Paragraph
from thidua_shared.http import Recorded, RequestBody, command_context
from thidua_shared.params import IdPath, YearPath
from thidua_shared.runtime import ServiceParts, caller_of, province_router


class RegisterTargetsBody(RequestBody):
    unit_id: Identifier
    targets: list[TargetIn] = Field(min_length=1, max_length=100)


class SubmitSelfAssessmentBody(RequestBody):
    unit_id: Identifier
    scores: dict[CriterionCode, Points] = Field(max_length=200)
    evidence: list[Annotated[str, Field(max_length=1000), CLEAN_LINE]] = Field(
        default_factory=list, max_length=100, description="links to the documents that back the scores")
    submitted_on: Day | None = Field(default=None, description="the day it was submitted, where staff record a "
                                                               "past submission (default: today)")


class SubmitCrossAssessmentBody(RequestBody):
    assessor_unit_id: Identifier
    unit_id: Identifier
    scores: dict[CriterionCode, Points] = Field(max_length=200)
    comments: Paragraph | None = Field(default=None, max_length=2000)
    submitted_on: Day | None = Field(default=None, description="the day it was submitted, where staff record a "
                                                               "past submission (default: today)")


def router(parts: ServiceParts, commands: CommandRunner[ScoringUnitOfWork]) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.post("/blocs/{bloc_id}/years/{year}/targets", status_code=201, tags=["assessments"],
              summary="A member unit registers its targets for the year (unit officer for its unit)")
    async def register_targets(province: str, bloc_id: IdPath, year: YearPath, body: RegisterTargetsBody,
                               caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin", "bloc_secretary", "unit_officer")
        caller.require_own_unit(body.unit_id)
        caller.require_own_bloc(bloc_id)
        command = RegisterTargets(bloc_id=bloc_id, year=year, **body.model_dump())
        return await commands(assessments.register_targets, command, context)

    @api.post("/blocs/{bloc_id}/years/{year}/self-assessments", status_code=201, tags=["assessments"],
              summary="A unit scores itself with evidence; it may resubmit until the window closes")
    async def submit_self_assessment(province: str, bloc_id: IdPath, year: YearPath, body: SubmitSelfAssessmentBody,
                                     caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin", "bloc_secretary", "unit_officer")
        caller.require_own_unit(body.unit_id)
        caller.require_own_bloc(bloc_id)
        command = SubmitSelfAssessment(bloc_id=bloc_id, year=year, **body.model_dump())
        return await commands(assessments.submit_self, command, context)

    @api.post("/blocs/{bloc_id}/years/{year}/cross-assessments", status_code=201, tags=["assessments"],
              summary="A member scores another member (never itself)")
    async def submit_cross_assessment(province: str, bloc_id: IdPath, year: YearPath,
                                      body: SubmitCrossAssessmentBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin", "bloc_secretary", "unit_officer")
        caller.require_own_unit(body.assessor_unit_id)
        caller.require_own_bloc(bloc_id)
        command = SubmitCrossAssessment(bloc_id=bloc_id, year=year, **body.model_dump())
        return await commands(assessments.submit_cross, command, context)

    return api
