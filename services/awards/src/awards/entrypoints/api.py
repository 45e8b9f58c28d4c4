"""The awards HTTP API.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from awards.adapters import queries
from awards.application import handlers
from awards.domain.commands import ProposeAward
from thidua_shared.auth import Principal
from thidua_shared.http import ERROR_RESPONSES, Recorded, command_context
from thidua_shared.runtime import ServiceParts, caller_of
from thidua_shared.service import UnitOfWorkFactory, execute


def router(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> APIRouter:
    api = APIRouter(prefix="/provinces/{province}", responses=ERROR_RESPONSES)
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.post("/proposals", status_code=201, tags=["proposals"],
              summary="Propose a unit for an award (bloc secretariat for its bloc, or admin)")
    async def propose(province: str, body: ProposeAward, caller: Caller) -> Recorded:
        caller.require_own_bloc(body.bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        return await execute(unit_of_work, handlers.propose_award, body, context, queries.score_lookup,
                             queries.unit_lookup, lambda _: date.today())

    @api.get("/proposals", tags=["proposals"], summary="The province's proposals board")
    async def board(province: str, caller: Caller,
                    year: Annotated[int | None, Query()] = None) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await queries.proposals_board(connection, province, year)

    @api.get("/units", tags=["proposals"], summary="The units the registry has told awards of")
    async def units(province: str, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await queries.known_units(connection, province)

    @api.get("/scores", tags=["proposals"], summary="Final scores received from scoring")
    async def scores(province: str, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await queries.known_scores(connection, province)

    return api
