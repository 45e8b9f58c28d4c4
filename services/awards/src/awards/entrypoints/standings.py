"""The awards routes about a unit's standing in a year: the quality rating the province gives it and the
standards attested as facts, which the eligibility rules read.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import Field, ValidationError

from awards.adapters import queries
from awards.application import standings
from awards.application.unit_of_work import AwardsUnitOfWork
from awards.domain.commands import (
    AttestStandard,
    ImportQualityRatings,
    RateQuality,
    Reference,
    Text,
    WithdrawAttestation,
)
from awards.domain.rating_import import COLUMNS, read_ratings
from awards.entrypoints.answers import Standing
from awards.entrypoints.common import STAFF
from thidua_contracts.awards import QualityRating, StandardFact
from thidua_shared.auth import Principal
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import Day
from thidua_shared.errors import Invalid, NotFound
from thidua_shared.http import Recorded, RequestBody, command_context
from thidua_shared.params import IdPath, YearPath, YearQuery
from thidua_shared.runtime import ServiceParts, caller_of, province_router
from thidua_shared.spreadsheet import XLSX, TooManyRows, UnreadableFile, read_table, write_xlsx
from thidua_shared.uploads import TooLarge, read_limited


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

    @api.post("/quality-ratings/imports", status_code=201, tags=["standards"],
              summary="Record the yearly quality ratings of many units from an XLSX or CSV table: all rows or none "
                      "(staff)",
              openapi_extra={"requestBody": {"required": True, "content": {
                  XLSX: {"schema": {"type": "string", "format": "binary"}},
                  "text/csv": {"schema": {"type": "string"}}}}})
    async def import_ratings(province: str, request: Request, caller: Caller) -> Recorded:
        context = command_context(province, caller, *STAFF)
        settings = parts.settings
        content = await read_limited(request, settings.import_max_bytes, "import.too_large")
        try:
            header, rows = read_table(content, request.headers.get("content-type", ""), ",",
                                      settings.import_max_rows, settings.import_max_bytes)
        except UnreadableFile as error:
            raise Invalid("import.unreadable", reason=str(error)) from error
        except TooManyRows as error:
            raise TooLarge("import.too_many_rows", limit=error.limit) from error
        async with parts.engine.connect() as connection:
            known = await queries.known_units(connection, province)
        names = {**{str(unit["name"]): str(unit["unit_id"]) for unit in known},
                 **{str(unit["unit_id"]): str(unit["unit_id"]) for unit in known}}
        found = read_ratings(header, rows, names)
        try:
            command = ImportQualityRatings(ratings=[RateQuality(
                unit_id=row.unit_id, year=row.year, rating=row.rating, ref=row.ref, rated_on=row.rated_on)
                for row in found])
        except ValidationError as error:
            raise Invalid("import.unreadable", reason=str(error.errors()[0]["msg"])) from error
        return await commands(standings.import_quality_ratings, command, context)

    @api.get("/quality-ratings/template.xlsx", tags=["standards"],
             summary="The table to fill in for an import of quality ratings, with the province's units",
             response_class=Response, responses={200: {"content": {XLSX: {}}}})
    async def ratings_template(province: str, year: YearQuery, caller: Caller) -> Response:
        caller.require_role(*STAFF)
        async with parts.engine.connect() as connection:
            known = await queries.known_units(connection, province)
        table: list[list[Any]] = [list(COLUMNS)]
        table += [[str(unit["name"]), year, "", "", ""] for unit in known if unit["status"] == "active"]
        return Response(write_xlsx(table, f"Xếp loại {year}"), media_type=XLSX, headers={
            "Content-Disposition": f'attachment; filename="xep-loai-chat-luong-{year}.xlsx"'})

    return api
