"""The awards routes about units: a unit's awards over the years, and the units and scores awards was told of.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from awards.adapters import queries
from awards.entrypoints.answers import KnownScore, KnownUnit, UnitAwards
from awards.entrypoints.common import CONFIDENTIAL
from thidua_shared.auth import Principal
from thidua_shared.errors import NotFound
from thidua_shared.params import IdPath
from thidua_shared.runtime import ServiceParts, caller_of, province_router


def router(parts: ServiceParts) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.get("/units/{unit_id}/awards", tags=["proposals"], response_model=UnitAwards,
             response_model_exclude_unset=True,
             summary="A unit's proposals and awards across the years, its merged predecessors' included")
    async def get_unit_awards(province: str, unit_id: IdPath, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            found = await queries.unit_awards(connection, province, unit_id)
        if found is None:
            raise NotFound("proposal.unknown_unit", unit_id=unit_id)
        if caller.role not in CONFIDENTIAL:
            found["freezes"] = [{"ref": row["ref"], "frozen_on": row["frozen_on"], "unfrozen_on": row["unfrozen_on"]}
                                for row in found["freezes"]]
        return found

    @api.get("/units", tags=["proposals"], response_model=list[KnownUnit],
             summary="The units the registry has told awards of")
    async def list_units(province: str, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await queries.known_units(connection, province)

    @api.get("/scores", tags=["proposals"], response_model=list[KnownScore],
             summary="Final scores received from scoring")
    async def list_scores(province: str, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await queries.known_scores(connection, province)

    return api
