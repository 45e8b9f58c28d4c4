"""Scoring's HTTP API.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from scoring.adapters import evidence, export, queries
from scoring.application import assessments, handlers
from scoring.domain.bloc_year import bloc_year_stream
from scoring.domain.commands import (
    AdjustScore,
    AdoptScoringTable,
    ComputeFinals,
    OpenCorrection,
    PublishRanking,
    RecordScore,
    RegisterTargets,
    SetScoringWindow,
    SubmitCrossAssessment,
    SubmitSelfAssessment,
)
from thidua_shared.auth import Principal
from thidua_shared.clock import province_today
from thidua_shared.context import CommandContext
from thidua_shared.downloads import SAFE_FILE_HEADERS, content_disposition
from thidua_shared.errors import NotFound
from thidua_shared.http import ErrorBody, Recorded, command_context
from thidua_shared.i18n import pick_language
from thidua_shared.idempotency import CommandUnitOfWork, answer_once
from thidua_shared.params import ID_FROM_PATH, YEAR_FROM_PATH, IdPath, YearPath
from thidua_shared.runtime import ServiceParts, caller_of, province_router
from thidua_shared.service import UnitOfWorkFactory, execute
from thidua_shared.store import SqlEventStore
from thidua_shared.uploads import read_limited


class RecordScoreBody(RecordScore):
    bloc_id: str = ID_FROM_PATH
    year: int = YEAR_FROM_PATH


class AdoptScoringTableBody(AdoptScoringTable):
    bloc_id: str = ID_FROM_PATH
    year: int = YEAR_FROM_PATH


class SetScoringWindowBody(SetScoringWindow):
    bloc_id: str = ID_FROM_PATH
    year: int = YEAR_FROM_PATH


class SubmitSelfAssessmentBody(SubmitSelfAssessment):
    bloc_id: str = ID_FROM_PATH
    year: int = YEAR_FROM_PATH


class SubmitCrossAssessmentBody(SubmitCrossAssessment):
    bloc_id: str = ID_FROM_PATH
    year: int = YEAR_FROM_PATH


class RegisterTargetsBody(RegisterTargets):
    bloc_id: str = ID_FROM_PATH
    year: int = YEAR_FROM_PATH


class AdjustScoreBody(AdjustScore):
    bloc_id: str = ID_FROM_PATH
    year: int = YEAR_FROM_PATH


class OpenCorrectionBody(OpenCorrection):
    bloc_id: str = ID_FROM_PATH
    year: int = YEAR_FROM_PATH


class EvidenceStored(BaseModel):
    """The reference to put in an assessment's evidence, and whether the file was already held."""

    ref: str
    sha256: str
    size: int
    stored_before: bool


def _header_text(value: str) -> str:
    """A header's text as the client sent it: UTF-8 when its bytes are (HTTP hands them over as latin-1)."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def today(_: object) -> Callable[[], date]:
    """The province's clock, as a read of the unit of work (tests of the domain pass their own days)."""
    return province_today


def router(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.post("/blocs/{bloc_id}/years/{year}/scores", status_code=201, tags=["scores"],
              summary="Record a unit's final score, criterion by criterion (bloc secretariat or admin)")
    async def record_score(province: str, bloc_id: IdPath, year: YearPath, body: RecordScoreBody,
                           caller: Caller) -> Recorded:
        caller.require_own_bloc(bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        command = RecordScore(**{**body.model_dump(), "bloc_id": bloc_id, "year": year})
        return await execute(unit_of_work, handlers.record_score, command, context, queries.membership_check)

    @api.post("/blocs/{bloc_id}/years/{year}/table", status_code=201, tags=["scoring tables"],
              summary="Adopt or amend (with a reason) the bloc-year's scoring table (bloc secretariat or admin)")
    async def adopt_table(province: str, bloc_id: IdPath, year: YearPath, body: AdoptScoringTableBody,
                          caller: Caller) -> Recorded:
        caller.require_own_bloc(bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        command = AdoptScoringTable(**{**body.model_dump(), "bloc_id": bloc_id, "year": year})
        return await execute(unit_of_work, assessments.adopt_table, command, context)

    @api.post("/blocs/{bloc_id}/years/{year}/window", status_code=201, tags=["scoring tables"],
              summary="Open scoring between two dates (bloc secretariat or admin)")
    async def set_window(province: str, bloc_id: IdPath, year: YearPath, body: SetScoringWindowBody,
                         caller: Caller) -> Recorded:
        caller.require_own_bloc(bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        command = SetScoringWindow(**{**body.model_dump(), "bloc_id": bloc_id, "year": year})
        return await execute(unit_of_work, assessments.set_window, command, context)

    @api.post("/blocs/{bloc_id}/years/{year}/targets", status_code=201, tags=["assessments"],
              summary="A member unit registers its targets for the year (unit officer for its unit)")
    async def register_targets(province: str, bloc_id: IdPath, year: YearPath, body: RegisterTargetsBody,
                               caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin", "bloc_secretary", "unit_officer")
        caller.require_own_unit(body.unit_id)
        caller.require_own_bloc(bloc_id)
        command = RegisterTargets(**{**body.model_dump(), "bloc_id": bloc_id, "year": year})
        return await execute(unit_of_work, assessments.register_targets, command, context, queries.membership_check)

    @api.post("/blocs/{bloc_id}/years/{year}/self-assessments", status_code=201, tags=["assessments"],
              summary="A unit scores itself with evidence; it may resubmit until the window closes")
    async def submit_self(province: str, bloc_id: IdPath, year: YearPath, body: SubmitSelfAssessmentBody,
                          caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin", "bloc_secretary", "unit_officer")
        caller.require_own_unit(body.unit_id)
        caller.require_own_bloc(bloc_id)
        command = SubmitSelfAssessment(**{**body.model_dump(), "bloc_id": bloc_id, "year": year})
        return await execute(unit_of_work, assessments.submit_self, command, context, queries.membership_check,
                             today, evidence.missing_files)

    @api.post("/blocs/{bloc_id}/years/{year}/cross-assessments", status_code=201, tags=["assessments"],
              summary="A member scores another member (never itself)")
    async def submit_cross(province: str, bloc_id: IdPath, year: YearPath, body: SubmitCrossAssessmentBody,
                           caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin", "bloc_secretary", "unit_officer")
        caller.require_own_unit(body.assessor_unit_id)
        caller.require_own_bloc(bloc_id)
        command = SubmitCrossAssessment(**{**body.model_dump(), "bloc_id": bloc_id, "year": year})
        return await execute(unit_of_work, assessments.submit_cross, command, context, queries.membership_check,
                             today)

    def secretariat(province: str, bloc_id: str, caller: Principal) -> CommandContext:
        caller.require_own_bloc(bloc_id)
        return command_context(province, caller, "admin", "bloc_secretary")

    @api.post("/blocs/{bloc_id}/years/{year}/adjustments", status_code=201, tags=["scores"],
              summary="Change one criterion's points of one unit, with a reason (bloc secretariat)")
    async def adjust(province: str, bloc_id: IdPath, year: YearPath, body: AdjustScoreBody, caller: Caller) -> Recorded:
        context = secretariat(province, bloc_id, caller)
        command = AdjustScore(**{**body.model_dump(), "bloc_id": bloc_id, "year": year})
        return await execute(unit_of_work, handlers.adjust_score, command, context)

    @api.post("/blocs/{bloc_id}/years/{year}/finals", status_code=201, tags=["scores"],
              summary="Compute every member's final score by the table's method (bloc secretariat)")
    async def compute_finals(province: str, bloc_id: IdPath, year: YearPath, caller: Caller) -> Recorded:
        context = secretariat(province, bloc_id, caller)
        return await execute(unit_of_work, handlers.compute_finals, ComputeFinals(bloc_id=bloc_id, year=year),
                             context, queries.members_of_year)

    @api.post("/blocs/{bloc_id}/years/{year}/ranking", status_code=201, tags=["scores"],
              summary="Publish the ranking; the bloc-year is locked from then on (bloc secretariat)")
    async def publish_ranking(province: str, bloc_id: IdPath, year: YearPath, caller: Caller) -> Recorded:
        context = secretariat(province, bloc_id, caller)
        return await execute(unit_of_work, handlers.publish_ranking, PublishRanking(bloc_id=bloc_id, year=year),
                             context, queries.members_of_year)

    @api.post("/blocs/{bloc_id}/years/{year}/corrections", status_code=201, tags=["scores"],
              summary="Reopen a published ranking, with a reason, to publish a corrected version (admin)")
    async def open_correction(province: str, bloc_id: IdPath, year: YearPath, body: OpenCorrectionBody,
                              caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = OpenCorrection(**{**body.model_dump(), "bloc_id": bloc_id, "year": year})
        return await execute(unit_of_work, handlers.open_correction, command, context)

    @api.get("/blocs/{bloc_id}/years/{year}/history", tags=["scores"],
             summary="Every event of the bloc-year: table, window, assessments, adjustments, scores, rankings")
    async def history(province: str, bloc_id: IdPath, year: YearPath, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            stored = await SqlEventStore(connection, "scoring").read_stream(bloc_year_stream(province, bloc_id, year))
        return [{"position": e.position, "event_type": e.event_type, "recorded_at": e.recorded_at, "actor": e.actor,
                 "payload": e.typed().model_dump(mode="json")} for e in stored]

    @api.post("/evidence", status_code=201, tags=["assessments"],
              summary="Upload an evidence file; it is stored once under its SHA-256 (any role of the province)",
              responses={413: {"model": ErrorBody, "description": "larger than THIDUA_EVIDENCE_MAX_BYTES"}},
              openapi_extra={"requestBody": {"required": True, "content": {"application/octet-stream": {}}}})
    async def upload_evidence(province: str, caller: Caller, request: Request) -> EvidenceStored:
        content = await read_limited(request, parts.settings.evidence_max_bytes, "evidence.too_large")

        async def work(uow: CommandUnitOfWork) -> EvidenceStored:
            stored = EvidenceStored(**await evidence.store(
                uow.connection, province, content, request.headers.get("content-type", "application/octet-stream"),
                _header_text(request.headers.get("x-filename", ""))))
            await uow.commit()
            return stored

        return await answer_once(unit_of_work, province, caller.token_id, work, EvidenceStored)

    @api.get("/evidence/{sha256}", tags=["assessments"], summary="An evidence file, as uploaded")
    async def get_evidence(province: str, sha256: str, caller: Caller) -> Response:
        found = await evidence.fetch(parts.engine, province, sha256.removeprefix(evidence.PREFIX))
        if found is None:
            raise NotFound("evidence.not_found", sha256=sha256)
        return Response(found.content, media_type=found.content_type, headers={
            "Content-Disposition": content_disposition(found.filename or found.sha256), **SAFE_FILE_HEADERS})

    @api.get("/units/{unit_id}/scores", tags=["scores"],
             summary="A unit's final scores and ranks across years, following mergers")
    async def unit_scores(province: str, unit_id: IdPath, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            return await queries.unit_scores(connection, province, unit_id)

    @api.get("/blocs/{bloc_id}/years/{year}/export", tags=["scores"],
             summary="The scoreboard and ranking as CSV or XLSX, in the caller's language",
             responses={200: {"content": {"text/csv": {}, export.XLSX: {}}}})
    async def export_board(province: str, bloc_id: IdPath, year: YearPath, caller: Caller, request: Request,
                           format: Annotated[Literal["csv", "xlsx"], Query()] = "csv") -> Response:
        async with parts.engine.connect() as connection:
            board = await queries.scoreboard(connection, province, bloc_id, year)
        table = export.rows_of(board, pick_language(request.headers.get("accept-language")))
        name = f"{province}-{bloc_id}-{year}"
        if format == "xlsx":
            return Response(export.to_xlsx(table, name), media_type=export.XLSX,
                            headers={"Content-Disposition": content_disposition(f"{name}.xlsx")})
        return Response(export.to_csv(table), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": content_disposition(f"{name}.csv")})

    @api.get("/blocs/{bloc_id}/years/{year}/scoreboard", tags=["scores"],
             summary="Members, scores and totals of a bloc-year, highest first")
    async def scoreboard(province: str, bloc_id: IdPath, year: YearPath, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            return await queries.scoreboard(connection, province, bloc_id, year)

    return api
