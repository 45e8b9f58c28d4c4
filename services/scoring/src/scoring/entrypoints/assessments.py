"""Scoring's assessment routes: a member's targets and their results, its self-assessment and its verification,
its cross-assessments of others.

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
    RecordTargetResults,
    RegisterTargets,
    SubmitCrossAssessment,
    SubmitSelfAssessment,
    TargetIn,
    TargetResultIn,
    VerifySelfAssessment,
)
from thidua_shared.auth import Principal
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import CLEAN_LINE, Day, Identifier, Line, Paragraph
from thidua_shared.http import Recorded, RequestBody, command_context
from thidua_shared.params import IdPath, YearPath
from thidua_shared.runtime import ServiceParts, caller_of, province_router


class RegisterTargetsBody(RequestBody):
    unit_id: Identifier
    targets: list[TargetIn] = Field(min_length=1, max_length=100)


class RecordTargetResultsBody(RequestBody):
    unit_id: Identifier
    results: list[TargetResultIn] = Field(min_length=1, max_length=100)
    recorded_on: Day | None = Field(default=None, description="the day they were recorded, where staff record "
                                                              "a past one (default: today)")


class VerifySelfAssessmentBody(RequestBody):
    unit_id: Identifier
    verified_by: Line = Field(min_length=1, max_length=200, description="who verified it: a person or the team")
    notes: Paragraph | None = Field(default=None, max_length=2000)
    verified_on: Day | None = Field(default=None, description="the day it was verified (default: today)")


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

    @api.post("/blocs/{bloc_id}/years/{year}/target-results", status_code=201, tags=["assessments"],
              summary="A member unit's results against every target it registered, at the year's end "
                      "(unit officer for its unit, bloc secretariat, admin)")
    async def record_target_results(province: str, bloc_id: IdPath, year: YearPath, body: RecordTargetResultsBody,
                                    caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin", "bloc_secretary", "unit_officer")
        caller.require_own_unit(body.unit_id)
        caller.require_own_bloc(bloc_id)
        command = RecordTargetResults(bloc_id=bloc_id, year=year, **body.model_dump())
        return await commands(assessments.record_target_results, command, context)

    @api.post("/blocs/{bloc_id}/years/{year}/verifications", status_code=201, tags=["assessments"],
              summary="The chair's team verifies a unit's latest self-assessment, under the method verified_self "
                      "(bloc secretariat or admin)")
    async def verify_self_assessment(province: str, bloc_id: IdPath, year: YearPath, body: VerifySelfAssessmentBody,
                                     caller: Caller) -> Recorded:
        caller.require_own_bloc(bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        command = VerifySelfAssessment(bloc_id=bloc_id, year=year, **body.model_dump())
        return await commands(assessments.verify_self, command, context)

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
