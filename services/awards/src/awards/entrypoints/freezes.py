"""The awards freeze routes: freezing a unit's awards or one proposal while a review is pending, and lifting it.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from awards.adapters import queries
from awards.application import handlers
from awards.application.unit_of_work import AwardsUnitOfWork
from awards.domain.commands import Freeze, Reference, Text
from awards.entrypoints.answers import FreezeRecord
from awards.entrypoints.common import CONFIDENTIAL, STAFF
from thidua_shared.auth import Principal
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import Day, Identifier
from thidua_shared.http import Recorded, RequestBody, command_context
from thidua_shared.runtime import ServiceParts, caller_of, province_router


class FreezeBody(RequestBody):
    """Name either ``unit_id`` or ``proposal_id``."""

    unit_id: Identifier | None = None
    proposal_id: Identifier | None = None
    reason: Text
    ref: Reference
    on: Day | None = None


def router(parts: ServiceParts, commands: CommandRunner[AwardsUnitOfWork]) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.post("/freezes", status_code=201, tags=["freeze and revoke"],
              summary="Freeze a unit's awards, or one proposal, while a review or complaint is pending (staff)")
    async def freeze(province: str, body: FreezeBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, *STAFF)
        return await commands(handlers.freeze, Freeze(**body.model_dump()), context)

    @api.post("/freezes/lifting", status_code=201, tags=["freeze and revoke"],
              summary="Lift a freeze by its reference once cleared (staff)")
    async def unfreeze(province: str, body: FreezeBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, *STAFF)
        return await commands(handlers.unfreeze, Freeze(**body.model_dump()), context)

    @api.get("/freezes", tags=["freeze and revoke"], response_model=list[FreezeRecord],
             summary="Every freeze, pending or lifted (admin, auditor)")
    async def list_freezes(province: str, caller: Caller) -> list[dict[str, Any]]:
        caller.require_role(*CONFIDENTIAL)
        async with parts.engine.connect() as connection:
            return await queries.list_freezes(connection, province)

    return api
