"""The awards routes about a unit's standing in a year: the quality rating the province gives it and the
standards attested as facts, which the eligibility rules read.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import Field

from awards.adapters import queries
from awards.application import standings
from awards.application.unit_of_work import AwardsUnitOfWork
from awards.domain.commands import AttestStandard, RateQuality, Reference, Text, WithdrawAttestation
from awards.entrypoints.answers import Standing
from awards.entrypoints.common import STAFF
from thidua_contracts.awards import QualityRating, StandardFact
from thidua_shared.auth import Principal
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import Day
from thidua_shared.errors import NotFound
from thidua_shared.http import Recorded, RequestBody, command_context
from thidua_shared.params import IdPath, YearPath
from thidua_shared.runtime import ServiceParts, caller_of, province_router


class RateQualityBody(RequestBody):
    rating: QualityRating = Field(description="excellent (hoàn thành xuất sắc), good (tốt), completed (hoàn thành) "
                                              "or not_completed (không hoàn thành nhiệm vụ)")
    ref: Reference = Field(description="the document that rates it")
    rated_on: Day | None = Field(default=None, description="the document's date (default: today)")


class AttestStandardBody(RequestBody):
    fact: StandardFact
    ref: Reference = Field(description="the attesting document")
    attested_on: Day | None = Field(default=None, description="the document's date (default: today)")
    note: Text | None = None


class WithdrawAttestationBody(RequestBody):
    fact: StandardFact
    reason: Text
    withdrawn_on: Day | None = None


def router(parts: ServiceParts, commands: CommandRunner[AwardsUnitOfWork]) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.put("/units/{unit_id}/years/{year}/quality-rating", status_code=201, tags=["standards"],
             summary="Record a unit's yearly quality rating (xếp loại chất lượng) (staff)")
    async def rate(province: str, unit_id: IdPath, year: YearPath, body: RateQualityBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, *STAFF)
        return await commands(standings.rate_quality,
                              RateQuality(unit_id=unit_id, year=year, **body.model_dump()), context)

    @api.post("/units/{unit_id}/years/{year}/attestations", status_code=201, tags=["standards"],
              summary="Record a standard of a unit's year as a fact, with the document attesting it (staff)")
    async def attest(province: str, unit_id: IdPath, year: YearPath, body: AttestStandardBody,
                     caller: Caller) -> Recorded:
        context = command_context(province, caller, *STAFF)
        return await commands(standings.attest_standard,
                              AttestStandard(unit_id=unit_id, year=year, **body.model_dump()), context)

    @api.post("/units/{unit_id}/years/{year}/attestations/withdrawal", status_code=201, tags=["standards"],
              summary="Withdraw an attested standard, with the reason (staff)")
    async def withdraw(province: str, unit_id: IdPath, year: YearPath, body: WithdrawAttestationBody,
                       caller: Caller) -> Recorded:
        context = command_context(province, caller, *STAFF)
        return await commands(standings.withdraw_attestation,
                              WithdrawAttestation(unit_id=unit_id, year=year, **body.model_dump()), context)

    @api.get("/units/{unit_id}/years/{year}/standing", tags=["standards"], response_model=Standing,
             summary="A unit's quality rating and attested standards of a year, with their history")
    async def get_standing(province: str, unit_id: IdPath, year: YearPath, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            found = await queries.get_standing(connection, province, unit_id, year)
        if found is None:
            raise NotFound("standing.not_found", unit_id=unit_id, year=year)
        return found

    return api
