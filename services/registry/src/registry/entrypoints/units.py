"""The registry's unit routes: register, rename, dissolve, import, read, history.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

import csv
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from registry.adapters import queries
from registry.adapters.import_snapshot import SqlRegistrySnapshot
from registry.adapters.import_template import template_workbook
from registry.application import handlers
from registry.application.importing import import_registry, preview_import
from registry.application.unit_of_work import RegistryUnitOfWork
from registry.domain.commands import (
    ChangeUnitEmails,
    DecisionRef,
    DissolveUnit,
    MergeUnits,
    RegisterUnit,
    RenameUnit,
)
from registry.domain.importing import ImportPlan, read_rows
from registry.domain.unit import unit_stream
from registry.entrypoints.answers import HistoryEvent, Unit, UnitDetail, UnitRoles
from thidua_contracts.registry import UnitKind
from thidua_shared.auth import Principal
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import Day, Email, Identifier, Line
from thidua_shared.downloads import content_disposition
from thidua_shared.errors import Invalid, NotFound
from thidua_shared.http import ErrorBody, Recorded, RequestBody, command_context, recorded
from thidua_shared.idempotency import answered_earlier, remember
from thidua_shared.params import IdPath
from thidua_shared.runtime import ServiceParts, caller_of, province_router
from thidua_shared.spreadsheet import DELIMITERS, XLSX, TooManyRows, UnreadableFile, read_table
from thidua_shared.uploads import TooLarge, read_limited


class ImportAnswer(BaseModel):
    """What an import did: the rows read, what the registry already had, the events it recorded."""

    rows: int
    unchanged: int
    recorded: Recorded


class PreviewChange(BaseModel):
    """One event the import would record."""

    event_type: str
    stream_id: str
    payload: dict[str, Any]


class ImportPreview(BaseModel):
    """What an import would do, decided against the registry as it is now; nothing was recorded."""

    rows: int
    unchanged: int
    changes: list[PreviewChange]


class RegisterUnitBody(RequestBody):
    unit_id: Identifier
    name: Line = Field(min_length=1, max_length=300)
    short_name: Line = Field(default="", max_length=100)
    kind: UnitKind = "other"
    parent_unit_id: Identifier | None = None
    emails: list[Email] = Field(default_factory=list, max_length=10)


class RenameUnitBody(RequestBody):
    name: Line = Field(min_length=1, max_length=300)
    effective_on: Day
    decision_ref: Line = DecisionRef


class ChangeUnitEmailsBody(RequestBody):
    emails: list[Email] = Field(max_length=10, description="all of the unit's addresses; none clears them")


class DissolveUnitBody(RequestBody):
    effective_on: Day
    decision_ref: Line = DecisionRef


class MergeUnitsBody(RequestBody):
    from_unit_ids: list[Identifier] = Field(min_length=1, max_length=50)
    into_unit_id: Identifier
    effective_on: Day
    decision_ref: Line = DecisionRef


def _refuse_other_delimiter(header: list[str]) -> None:
    """A CSV read with the wrong delimiter has one column holding them all: say which parameter to send."""
    if len(header) != 1:
        return
    for name, delimiter in DELIMITERS.items():
        if delimiter in header[0]:
            raise Invalid("import.wrong_delimiter", found=repr(delimiter), name=name)


Delimiter = Annotated[Literal["comma", "semicolon", "tab"], Query(
    description="what separates a CSV's columns: comma (the default), semicolon (as Excel writes CSV in "
                "Vietnamese locales) or tab; fields are quoted as RFC 4180 says")]


def router(parts: ServiceParts, commands: CommandRunner[RegistryUnitOfWork]) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.post("/imports", status_code=201, tags=["imports"],
              summary="Import blocs and units from a CSV or XLSX file: all rows or none (admin)",
              responses={413: {"model": ErrorBody, "description": "the file is larger, or has more rows, than "
                                                                  "THIDUA_IMPORT_MAX_BYTES / _ROWS allow"}},
              openapi_extra={"requestBody": {"required": True, "content": {
                  "text/csv": {"schema": {"type": "string"}},
                  XLSX: {"schema": {"type": "string", "format": "binary"}}}}})
    async def import_registry_file(
        province: str, request: Request, caller: Caller, delimiter: Delimiter = "comma",
    ) -> ImportAnswer:
        context = command_context(province, caller, "admin")
        rows, plan = await _read_file(request, delimiter)

        # The import decides outside any write transaction (a big file must not hold the database), so its
        # idempotency key is looked at first and kept after. Recording a file twice changes nothing anyway.
        earlier = await answered_earlier(parts.engine, province, caller.token_id, ImportAnswer)
        if earlier is not None:
            return earlier
        result = await import_registry(plan, context, SqlRegistrySnapshot(parts.engine),
                                       lambda: commands.open(context),
                                       parts.settings.import_max_problems)
        answer = ImportAnswer(rows=rows, unchanged=result.unchanged, recorded=recorded(result.recorded))
        await remember(parts.engine, province, caller.token_id, answer, result.recorded)
        return answer

    @api.post("/imports/preview", tags=["imports"],
              summary="What importing a CSV or XLSX file would record, each bad row named; records nothing (admin)",
              responses={413: {"model": ErrorBody, "description": "the file is larger, or has more rows, than "
                                                                  "THIDUA_IMPORT_MAX_BYTES / _ROWS allow"}},
              openapi_extra={"requestBody": {"required": True, "content": {
                  "text/csv": {"schema": {"type": "string"}},
                  XLSX: {"schema": {"type": "string", "format": "binary"}}}}})
    async def preview_registry_file(province: str, request: Request, caller: Caller,
                                    delimiter: Delimiter = "comma") -> ImportPreview:
        command_context(province, caller, "admin")
        rows, plan = await _read_file(request, delimiter)
        decided = await preview_import(plan, province, SqlRegistrySnapshot(parts.engine),
                                       parts.settings.import_max_problems)
        return ImportPreview(rows=rows, unchanged=decided.unchanged, changes=[
            PreviewChange(event_type=type(event).__name__, stream_id=aggregate.stream_id,
                          payload=event.model_dump(mode="json"))
            for aggregate in decided.changed.values() for event in aggregate.pending])

    @api.get("/imports/template.xlsx", tags=["imports"], response_class=Response,
             summary="The import template: an Excel workbook headed in Vietnamese, with lists of the kinds (admin)",
             responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}})
    async def import_template(province: str, caller: Caller) -> Response:
        command_context(province, caller, "admin")
        return Response(template_workbook(), media_type=XLSX, headers={
            "Content-Disposition": content_disposition("mau-nhap-don-vi-va-khoi.xlsx")})

    async def _read_file(request: Request, delimiter: str) -> tuple[int, ImportPlan]:
        settings = parts.settings
        content = await read_limited(request, settings.import_max_bytes, "import.too_large")
        try:
            header, rows = read_table(content, request.headers.get("content-type", ""), DELIMITERS[delimiter],
                                      settings.import_max_rows, settings.import_max_bytes)
        except (UnreadableFile, csv.Error) as error:
            raise Invalid("import.unreadable", reason=str(error)) from error
        except TooManyRows as error:
            raise TooLarge("import.too_many_rows", limit=error.limit) from error
        _refuse_other_delimiter(header)
        return len(rows), read_rows(rows, header)

    @api.post("/units", status_code=201, tags=["units"], summary="Register a unit (admin)")
    async def register_unit(province: str, body: RegisterUnitBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        return await commands(handlers.register_unit, RegisterUnit(**body.model_dump()), context)

    @api.post("/units/{unit_id}/renaming", status_code=201, tags=["units"],
              summary="Rename a unit from a date (admin)")
    async def rename_unit(province: str, unit_id: IdPath, body: RenameUnitBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = RenameUnit(unit_id=unit_id, **body.model_dump())
        return await commands(handlers.rename_unit, command, context)

    @api.put("/units/{unit_id}/emails", status_code=201, tags=["units"],
              summary="Set the addresses a unit's officers are told at (admin, or the unit's own officer)")
    async def change_unit_emails(province: str, unit_id: IdPath, body: ChangeUnitEmailsBody,
                                 caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin", "unit_officer")
        caller.require_own_unit(unit_id)
        command = ChangeUnitEmails(unit_id=unit_id, **body.model_dump())
        return await commands(handlers.change_unit_emails, command, context)

    @api.post("/units/{unit_id}/dissolution", status_code=201, tags=["units"],
              summary="Dissolve a unit by decision; it leaves its blocs that day (admin)")
    async def dissolve_unit(province: str, unit_id: IdPath, body: DissolveUnitBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = DissolveUnit(unit_id=unit_id, **body.model_dump())
        return await commands(handlers.dissolve_unit, command, context)

    @api.get("/units", tags=["units"], summary="The province's units", response_model=list[Unit])
    async def list_units(province: str, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await queries.list_units(connection, province)

    @api.get("/units/{unit_id}", tags=["units"], summary="A unit, the units merged into it and its successor",
             response_model=UnitDetail)
    async def get_unit(province: str, unit_id: IdPath, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            found = await queries.get_unit(connection, province, unit_id)
        if found is None:
            raise NotFound("unit.not_found", unit_id=unit_id)
        return found

    @api.get("/units/{unit_id}/history", tags=["units"], summary="Every event that shaped the unit",
             response_model=list[HistoryEvent])
    async def get_unit_history(province: str, unit_id: IdPath, caller: Caller,
                           lineage: Annotated[bool, Query(description="include the units merged into it")] = True,
                           ) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            unit = await queries.get_unit(connection, province, unit_id)
            home = unit["province"] if unit else province
            unit_ids = await queries.lineage_of(connection, home, unit_id) if lineage else [unit_id]
            found = await queries.history(connection, *(unit_stream(home, each) for each in unit_ids))
        if not found:
            raise NotFound("unit.not_found", unit_id=unit_id)
        return found

    @api.get("/units/{unit_id}/roles", tags=["units"], summary="The unit's blocs and roles over time",
             response_model=UnitRoles)
    async def get_unit_roles(province: str, unit_id: IdPath, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            if await queries.get_unit(connection, province, unit_id) is None:
                raise NotFound("unit.not_found", unit_id=unit_id)
            return await queries.unit_roles(connection, province, unit_id)

    @api.post("/mergers", status_code=201, tags=["units"],
              summary="Merge units into one by decision; they end and leave their blocs that day (admin)")
    async def merge_units(province: str, body: MergeUnitsBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        return await commands(handlers.merge_units, MergeUnits(**body.model_dump()), context)

    return api
