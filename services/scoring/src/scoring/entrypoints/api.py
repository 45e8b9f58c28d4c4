"""Scoring's HTTP API.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from scoring.adapters import queries
from scoring.application import handlers
from scoring.domain.commands import RecordScore
from thidua_shared.auth import Principal
from thidua_shared.http import ERROR_RESPONSES, Recorded, command_context
from thidua_shared.runtime import ServiceParts, caller_of
from thidua_shared.service import UnitOfWorkFactory, execute


class RecordScoreBody(RecordScore):
    bloc_id: str = ""
    year: int = 2000


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

    @api.get("/blocs/{bloc_id}/years/{year}/scoreboard", tags=["scores"],
             summary="Members, scores and totals of a bloc-year, highest first")
    async def scoreboard(province: str, bloc_id: str, year: int, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            return await queries.scoreboard(connection, province, bloc_id, year)

    return api
