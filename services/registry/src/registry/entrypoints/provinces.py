"""The registry's province routes: registration and settings.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import Field

from registry.adapters import queries
from registry.application import handlers
from registry.application.unit_of_work import RegistryUnitOfWork
from registry.domain.commands import (
    ChangeProvinceSettings,
    ConsentToMerge,
    MajorityPercent,
    MergeProvinces,
    PreferVice,
    RegisterProvince,
    RestYears,
)
from registry.entrypoints.answers import Province
from thidua_shared.auth import Principal
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import Day, Line, Paragraph
from thidua_shared.errors import NotFound
from thidua_shared.http import Recorded, RequestBody, command_context
from thidua_shared.runtime import ServiceParts, caller_of, province_router


class RegisterProvinceBody(RequestBody):
    name: Line = Field(min_length=1, max_length=200)


class ChangeProvinceSettingsBody(RequestBody):
    """The settings to change; those left out stay as they are."""

    chair_rest_years: int | None = RestYears
    election_majority_percent: int | None = MajorityPercent
    outgoing_vice_chair_preferred: bool | None = PreferVice


class ConsentToMergeBody(RequestBody):
    into_code: str = Field(pattern=r"^[A-Z]{2,8}$")
    legal_basis: Paragraph = Field(min_length=1, max_length=500)
    consented_on: Day


class MergeProvincesBody(RequestBody):
    from_codes: list[Annotated[str, Field(pattern=r"^[A-Z]{2,8}$")]] = Field(min_length=1, max_length=10)
    effective_on: Day
    legal_basis: Paragraph = Field(min_length=1, max_length=500)


def router(parts: ServiceParts, commands: CommandRunner[RegistryUnitOfWork]) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.post("/registration", status_code=201, tags=["provinces"],
              summary="Register the province in this instance (admin)")
    async def register_province(province: str, body: RegisterProvinceBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = RegisterProvince(**body.model_dump())
        return await commands(handlers.register_province, command, context)

    @api.post("/settings", status_code=201, tags=["provinces"],
              summary="Change the province's rules of bloc elections; settings left out stay (admin)")
    async def change_province_settings(province: str, body: ChangeProvinceSettingsBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = ChangeProvinceSettings(**body.model_dump())
        return await commands(handlers.change_province_settings, command, context)

    @api.post("/merger-consents", status_code=201, tags=["provinces"],
              summary="This province agrees to merge into another, by law (its own admin)")
    async def consent_to_merge(province: str, body: ConsentToMergeBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = ConsentToMerge(**body.model_dump())
        return await commands(handlers.consent_to_merge, command, context)

    @api.post("/province-mergers", status_code=201, tags=["provinces"],
              summary="Other provinces, each having consented, merge into this one, by law (admin)")
    async def merge_provinces(province: str, body: MergeProvincesBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = MergeProvinces(**body.model_dump())
        return await commands(handlers.merge_provinces_into, command, context)

    @api.get("", tags=["provinces"], summary="The province and its settings", response_model=Province)
    async def get_province(province: str, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            found = await queries.get_province(connection, province)
        if found is None:
            raise NotFound("province.not_registered", province=province)
        return found

    return api
