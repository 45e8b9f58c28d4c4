"""The registry's HTTP API: thin routes that authorise, then call a use case or a query.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""


from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from registry.adapters import queries
from registry.adapters.spreadsheet import XLSX, UnreadableFile, read_table
from registry.application import handlers
from registry.application.importing import import_registry
from registry.domain.bloc import bloc_stream
from registry.domain.commands import (
    AdmitUnit,
    AssignSupervisor,
    ChangeProvinceSettings,
    DissolveUnit,
    ElectLeader,
    EstablishBloc,
    HandOverChair,
    RegisterProvince,
    RegisterUnit,
    ReleaseUnit,
    RenameUnit,
)
from registry.domain.importing import read_rows
from registry.domain.unit import unit_stream
from thidua_shared.auth import Principal
from thidua_shared.errors import Invalid, NotFound
from thidua_shared.http import ERROR_RESPONSES, Recorded, command_context, recorded
from thidua_shared.runtime import ServiceParts, caller_of
from thidua_shared.service import UnitOfWorkFactory


class AdmitUnitBody(AdmitUnit):
    bloc_id: str = ""


class ElectLeaderBody(ElectLeader):
    bloc_id: str = ""


class ImportAnswer(BaseModel):
    """What an import did: the rows read, what the registry already had, the events it recorded."""

    rows: int
    unchanged: int
    recorded: Recorded


class AssignSupervisorBody(AssignSupervisor):
    bloc_id: str = ""


class HandOverChairBody(HandOverChair):
    bloc_id: str = ""


class RenameUnitBody(RenameUnit):
    unit_id: str = ""


class DissolveUnitBody(DissolveUnit):
    unit_id: str = ""


class ReleaseUnitBody(ReleaseUnit):
    bloc_id: str = ""


def router(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> APIRouter:
    api = APIRouter(prefix="/provinces/{province}", responses=ERROR_RESPONSES)
    authenticated = caller_of(parts)
    Caller = Annotated[Principal, Depends(authenticated)]

    @api.post("/registration", status_code=201, tags=["provinces"],
              summary="Register the province in this instance (admin)")
    async def register_province(province: str, body: RegisterProvince, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        async with unit_of_work() as uow:
            return recorded(await handlers.register_province(body, context, uow))

    @api.post("/settings", status_code=201, tags=["provinces"],
              summary="Change the province's registry settings (admin)")
    async def change_settings(province: str, body: ChangeProvinceSettings, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        async with unit_of_work() as uow:
            return recorded(await handlers.change_province_settings(body, context, uow))

    @api.get("", tags=["provinces"], summary="The province and its settings")
    async def get_province(province: str, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            found = await queries.get_province(connection, province)
        if found is None:
            raise NotFound("province.not_registered", province=province)
        return found

    @api.post("/imports", status_code=201, tags=["imports"],
              summary="Import blocs and units from a CSV or XLSX file: all rows or none (admin)",
              openapi_extra={"requestBody": {"required": True, "content": {
                  "text/csv": {"schema": {"type": "string"}},
                  XLSX: {"schema": {"type": "string", "format": "binary"}}}}})
    async def import_file(province: str, request: Request, caller: Caller) -> ImportAnswer:
        context = command_context(province, caller, "admin")
        try:
            header, rows = read_table(await request.body(), request.headers.get("content-type", ""))
        except UnreadableFile as error:
            raise Invalid("import.unreadable", reason=str(error)) from error
        plan = read_rows(rows, header)
        async with unit_of_work() as uow:
            result = await import_registry(plan, context, uow, queries.blocs_of_unit(uow.connection))
        return ImportAnswer(rows=len(rows), unchanged=result.unchanged, recorded=recorded(result.recorded))

    @api.post("/units", status_code=201, tags=["units"], summary="Register a unit (admin)")
    async def register_unit(province: str, body: RegisterUnit, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        async with unit_of_work() as uow:
            return recorded(await handlers.register_unit(body, context, uow))

    @api.post("/units/{unit_id}/renaming", status_code=201, tags=["units"],
              summary="Rename a unit from a date (admin)")
    async def rename_unit(province: str, unit_id: str, body: RenameUnitBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = RenameUnit(**{**body.model_dump(), "unit_id": unit_id})
        async with unit_of_work() as uow:
            return recorded(await handlers.rename_unit(command, context, uow))

    @api.post("/units/{unit_id}/dissolution", status_code=201, tags=["units"],
              summary="Dissolve a unit by decision; it leaves its blocs that day (admin)")
    async def dissolve_unit(province: str, unit_id: str, body: DissolveUnitBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = DissolveUnit(**{**body.model_dump(), "unit_id": unit_id})
        async with unit_of_work() as uow:
            return recorded(await handlers.dissolve_unit(command, context, uow, queries.blocs_of_unit(uow.connection)))

    @api.get("/units", tags=["units"], summary="The province's units")
    async def list_units(province: str, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await queries.list_units(connection, province)

    @api.get("/units/{unit_id}", tags=["units"])
    async def get_unit(province: str, unit_id: str, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            found = await queries.get_unit(connection, province, unit_id)
        if found is None:
            raise NotFound("unit.not_found", unit_id=unit_id)
        return found

    @api.get("/units/{unit_id}/history", tags=["units"], summary="Every event that shaped the unit")
    async def unit_history(province: str, unit_id: str, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            found = await queries.history(connection, unit_stream(province, unit_id))
        if not found:
            raise NotFound("unit.not_found", unit_id=unit_id)
        return found

    @api.post("/blocs", status_code=201, tags=["blocs"], summary="Establish a bloc by decision (admin)")
    async def establish_bloc(province: str, body: EstablishBloc, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        async with unit_of_work() as uow:
            return recorded(await handlers.establish_bloc(body, context, uow))

    @api.get("/blocs", tags=["blocs"])
    async def list_blocs(province: str, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await queries.list_blocs(connection, province)

    @api.get("/blocs/{bloc_id}", tags=["blocs"], summary="A bloc with its members and leaders on a date")
    async def get_bloc(province: str, bloc_id: str, caller: Caller,
                       on: Annotated[date | None, Query(description="as of this date; today if absent")] = None,
                       ) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            found = await queries.get_bloc(connection, province, bloc_id, on or date.today())
        if found is None:
            raise NotFound("bloc.not_found", bloc_id=bloc_id)
        return found

    @api.get("/blocs/{bloc_id}/history", tags=["blocs"], summary="Every event that shaped the bloc")
    async def bloc_history(province: str, bloc_id: str, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            found = await queries.history(connection, bloc_stream(province, bloc_id))
        if not found:
            raise NotFound("bloc.not_found", bloc_id=bloc_id)
        return found

    @api.post("/blocs/{bloc_id}/members", status_code=201, tags=["blocs"],
              summary="A unit joins the bloc from a date, by decision (admin)")
    async def admit_unit(province: str, bloc_id: str, body: AdmitUnitBody,
                         caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = AdmitUnit(**{**body.model_dump(), "bloc_id": bloc_id})
        async with unit_of_work() as uow:
            return recorded(await handlers.admit_unit(command, context, uow, queries.blocs_of_unit(uow.connection)))

    @api.post("/blocs/{bloc_id}/departures", status_code=201, tags=["blocs"],
              summary="A unit leaves the bloc on a date, by decision (admin)")
    async def release_unit(province: str, bloc_id: str, body: ReleaseUnitBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = ReleaseUnit(**{**body.model_dump(), "bloc_id": bloc_id})
        async with unit_of_work() as uow:
            return recorded(await handlers.release_unit(command, context, uow))

    @api.post("/blocs/{bloc_id}/supervisors", status_code=201, tags=["blocs"],
              summary="Name the provincial leader in charge of the bloc for a year (admin)")
    async def assign_supervisor(province: str, bloc_id: str, body: AssignSupervisorBody,
                                caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = AssignSupervisor(**{**body.model_dump(), "bloc_id": bloc_id})
        async with unit_of_work() as uow:
            return recorded(await handlers.assign_supervisor(command, context, uow))

    @api.post("/blocs/{bloc_id}/handovers", status_code=201, tags=["blocs"],
              summary="The outgoing chair hands over to the new one (bloc secretariat or admin)")
    async def hand_over(province: str, bloc_id: str, body: HandOverChairBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin", "bloc_secretary")
        caller.require_own_bloc(bloc_id)
        command = HandOverChair(**{**body.model_dump(), "bloc_id": bloc_id})
        async with unit_of_work() as uow:
            return recorded(await handlers.hand_over_chair(command, context, uow))

    @api.post("/blocs/{bloc_id}/elections", status_code=201, tags=["blocs"],
              summary="Record the election of the chair or vice-chair for a year")
    async def elect_leader(province: str, bloc_id: str, body: ElectLeaderBody,
                           caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin", "bloc_secretary")
        caller.require_own_bloc(bloc_id)
        command = ElectLeader(**{**body.model_dump(), "bloc_id": bloc_id})
        async with unit_of_work() as uow:
            return recorded(await handlers.elect_leader(command, context, uow))

    return api
