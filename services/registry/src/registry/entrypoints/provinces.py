"""The registry's province routes: registration and settings.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from registry.adapters import queries
from registry.application import handlers
from registry.domain.commands import (
    ChangeProvinceSettings,
    ConsentToMerge,
    MergeProvinces,
    RegisterProvince,
)
from thidua_shared.auth import Principal
from thidua_shared.errors import NotFound
from thidua_shared.http import Recorded, command_context
from thidua_shared.runtime import ServiceParts, caller_of, province_router
from thidua_shared.service import UnitOfWorkFactory, execute


def router(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.post("/registration", status_code=201, tags=["provinces"],
              summary="Register the province in this instance (admin)")
    async def register_province(province: str, body: RegisterProvince, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        return await execute(unit_of_work, handlers.register_province, body, context)

    @api.post("/settings", status_code=201, tags=["provinces"],
              summary="Change the province's registry settings (admin)")
    async def change_settings(province: str, body: ChangeProvinceSettings, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        return await execute(unit_of_work, handlers.change_province_settings, body, context)

    @api.post("/merger-consents", status_code=201, tags=["provinces"],
              summary="This province agrees to merge into another, by law (its own admin)")
    async def consent(province: str, body: ConsentToMerge, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        return await execute(unit_of_work, handlers.consent_to_merge, body, context)

    @api.post("/province-mergers", status_code=201, tags=["provinces"],
              summary="Other provinces, each having consented, merge into this one, by law (admin)")
    async def merge_into(province: str, body: MergeProvinces, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        return await execute(unit_of_work, handlers.merge_provinces_into, body, context)

    @api.get("", tags=["provinces"], summary="The province and its settings")
    async def get_province(province: str, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            found = await queries.get_province(connection, province)
        if found is None:
            raise NotFound("province.not_registered", province=province)
        return found

    return api
