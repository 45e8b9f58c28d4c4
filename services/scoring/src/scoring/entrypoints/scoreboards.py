"""Scoring's read routes: a bloc-year's scoreboard, its export and history, and a unit's scores over the years.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from scoring.adapters import export, queries
from scoring.domain.bloc_year import bloc_year_stream
from scoring.entrypoints.answers import BlocYearEvent, Scoreboard, UnitScores
from thidua_shared.auth import Principal
from thidua_shared.downloads import content_disposition
from thidua_shared.history import history
from thidua_shared.i18n import pick_language
from thidua_shared.params import IdPath, YearPath
from thidua_shared.runtime import ServiceParts, caller_of, province_router
from thidua_shared.spreadsheet import XLSX


def router(parts: ServiceParts) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.get("/blocs/{bloc_id}/years/{year}/scoreboard", tags=["scores"], response_model=Scoreboard,
             summary="Members, scores and totals of a bloc-year, highest first")
    async def get_scoreboard(province: str, bloc_id: IdPath, year: YearPath, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            return await queries.scoreboard(connection, province, bloc_id, year)

    @api.get("/blocs/{bloc_id}/years/{year}/export", tags=["scores"],
             summary="The scoreboard and ranking as CSV or XLSX, in the caller's language",
             response_class=Response,
             responses={200: {"content": {"text/csv": {}, XLSX: {}}}})
    async def export_scoreboard(province: str, bloc_id: IdPath, year: YearPath, caller: Caller, request: Request,
                                format: Annotated[Literal["csv", "xlsx"], Query()] = "csv") -> Response:
        async with parts.engine.connect() as connection:
            board = await queries.scoreboard(connection, province, bloc_id, year)
        table = export.rows_of(board, pick_language(request.headers.get("accept-language")))
        name = f"{province}-{bloc_id}-{year}"
        if format == "xlsx":
            return Response(export.to_xlsx(table, name), media_type=XLSX,
                            headers={"Content-Disposition": content_disposition(f"{name}.xlsx")})
        return Response(export.to_csv(table), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": content_disposition(f"{name}.csv")})

    @api.get("/blocs/{bloc_id}/years/{year}/history", tags=["scores"], response_model=list[BlocYearEvent],
             summary="Every event of the bloc-year: table, window, assessments, adjustments, scores, rankings")
    async def get_bloc_year_history(province: str, bloc_id: IdPath, year: YearPath,
                                    caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await history(connection, "scoring", bloc_year_stream(province, bloc_id, year))

    @api.get("/units/{unit_id}/scores", tags=["scores"], response_model=UnitScores,
             summary="A unit's final scores and ranks across years, following mergers")
    async def get_unit_scores(province: str, unit_id: IdPath, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            return await queries.unit_scores(connection, province, unit_id)

    return api
