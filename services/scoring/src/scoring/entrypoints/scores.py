"""Scoring's score routes: final scores, adjustments, computing the finals, the ranking, its ties and its
corrections.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import Field

from scoring.application import handlers
from scoring.application.unit_of_work import ScoringUnitOfWork
from scoring.domain.commands import (
    AdjustScore,
    ComputeFinals,
    CriterionCode,
    OpenCorrection,
    Points,
    PublishRanking,
    RecordScore,
    ResolveTie,
)
from thidua_shared.auth import Principal
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import Day, Identifier, Line, Paragraph
from thidua_shared.context import CommandContext
from thidua_shared.http import Recorded, RequestBody, command_context
from thidua_shared.params import IdPath, YearPath
from thidua_shared.runtime import ServiceParts, caller_of, province_router


class RecordScoreBody(RequestBody):
    unit_id: Identifier
    breakdown: dict[CriterionCode, Points] = Field(max_length=200)
    method: Line = Field(default="secretariat", max_length=50)


class AdjustScoreBody(RequestBody):
    unit_id: Identifier
    code: CriterionCode
    to_points: Points
    reason: Paragraph = Field(min_length=1, max_length=1000)


class OpenCorrectionBody(RequestBody):
    reason: Paragraph = Field(min_length=1, max_length=1000)


class PublishRankingBody(RequestBody):
    published_on: Day | None = Field(default=None, description="the day the bloc published it (default: today)")


class ResolveTieBody(RequestBody):
    order: list[Identifier] = Field(min_length=2, max_length=100, description="every tied unit, first to last")
    ground: Literal["decision", "vote"]
    reference: Line = Field(min_length=1, max_length=200,
                            description="the decision's number, or the vote's identifier")
    notes: Paragraph | None = Field(default=None, max_length=2000)
    resolved_on: Day | None = Field(default=None, description="the day of the decision or the vote "
                                                              "(default: today)")


def secretariat(province: str, bloc_id: str, caller: Principal) -> CommandContext:
    caller.require_own_bloc(bloc_id)
    return command_context(province, caller, "admin", "bloc_secretary")


def router(parts: ServiceParts, commands: CommandRunner[ScoringUnitOfWork]) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.post("/blocs/{bloc_id}/years/{year}/scores", status_code=201, tags=["scores"],
              summary="Record a unit's final score, criterion by criterion (bloc secretariat or admin)")
    async def record_score(province: str, bloc_id: IdPath, year: YearPath, body: RecordScoreBody,
                           caller: Caller) -> Recorded:
        context = secretariat(province, bloc_id, caller)
        command = RecordScore(bloc_id=bloc_id, year=year, **body.model_dump())
        return await commands(handlers.record_score, command, context)

    @api.post("/blocs/{bloc_id}/years/{year}/adjustments", status_code=201, tags=["scores"],
              summary="Change one criterion's points of one unit, with a reason (bloc secretariat)")
    async def adjust_score(province: str, bloc_id: IdPath, year: YearPath, body: AdjustScoreBody,
                           caller: Caller) -> Recorded:
        context = secretariat(province, bloc_id, caller)
        command = AdjustScore(bloc_id=bloc_id, year=year, **body.model_dump())
        return await commands(handlers.adjust_score, command, context)

    @api.post("/blocs/{bloc_id}/years/{year}/finals", status_code=201, tags=["scores"],
              summary="Compute every member's final score by the table's method (bloc secretariat)")
    async def compute_finals(province: str, bloc_id: IdPath, year: YearPath, caller: Caller) -> Recorded:
        context = secretariat(province, bloc_id, caller)
        return await commands(handlers.compute_finals, ComputeFinals(bloc_id=bloc_id, year=year), context)

    @api.post("/blocs/{bloc_id}/years/{year}/ranking", status_code=201, tags=["scores"],
              summary="Publish the ranking, equal totals tied unless the bloc resolved them; the bloc-year is "
                      "locked from then on (bloc secretariat)")
    async def publish_ranking(province: str, bloc_id: IdPath, year: YearPath, caller: Caller,
                              body: PublishRankingBody | None = None) -> Recorded:
        context = secretariat(province, bloc_id, caller)
        command = PublishRanking(bloc_id=bloc_id, year=year, published_on=body.published_on if body else None)
        return await commands(handlers.publish_ranking, command, context)

    @api.post("/blocs/{bloc_id}/years/{year}/tie-resolutions", status_code=201, tags=["scores"],
              summary="The bloc ranks units tied on their total, by a recorded decision or its vote; after the "
                      "ranking's publication, its next version follows (bloc secretariat or admin)")
    async def resolve_tie(province: str, bloc_id: IdPath, year: YearPath, body: ResolveTieBody,
                          caller: Caller) -> Recorded:
        context = secretariat(province, bloc_id, caller)
        command = ResolveTie(bloc_id=bloc_id, year=year, **body.model_dump())
        return await commands(handlers.resolve_tie, command, context)

    @api.post("/blocs/{bloc_id}/years/{year}/corrections", status_code=201, tags=["scores"],
              summary="Reopen a published ranking, with a reason, to publish a corrected version (admin)")
    async def open_correction(province: str, bloc_id: IdPath, year: YearPath, body: OpenCorrectionBody,
                              caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = OpenCorrection(bloc_id=bloc_id, year=year, **body.model_dump())
        return await commands(handlers.open_correction, command, context)

    return api
