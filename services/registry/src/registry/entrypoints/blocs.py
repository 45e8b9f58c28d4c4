"""The registry's bloc routes: establish, members, leaders, supervisors, handovers.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import Field, Strict

from registry.adapters import queries
from registry.application import handlers
from registry.application.unit_of_work import RegistryUnitOfWork
from registry.domain.bloc import Role, bloc_stream
from registry.domain.commands import (
    AdmitUnit,
    AssignSupervisor,
    ConfirmElection,
    DecisionRef,
    ElectLeader,
    EstablishBloc,
    HandOverChair,
    ReleaseUnit,
)
from registry.entrypoints.answers import Bloc, BlocDetail, BlocOfYear, HistoryEvent
from thidua_contracts.registry import BlocKind
from thidua_shared.auth import Principal
from thidua_shared.clock import province_today
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import FIRST_YEAR, LAST_YEAR, Day, Identifier, Line, Paragraph, Year
from thidua_shared.errors import NotFound
from thidua_shared.http import Recorded, RequestBody, command_context
from thidua_shared.params import DayQuery, IdPath
from thidua_shared.runtime import ServiceParts, caller_of, province_router


class EstablishBlocBody(RequestBody):
    bloc_id: Identifier
    name: Line = Field(min_length=1, max_length=300)
    kind: BlocKind
    decision_ref: Line = DecisionRef
    established_on: Day | None = Field(default=None, description="the date of the decision that established it")


class AdmitUnitBody(RequestBody):
    unit_id: Identifier
    effective_on: Day
    decision_ref: Line = DecisionRef


class ReleaseUnitBody(RequestBody):
    unit_id: Identifier
    effective_on: Day
    decision_ref: Line = DecisionRef


class ElectLeaderBody(RequestBody):
    role: Annotated[Role, Strict(False)]
    year: Year
    unit_id: Identifier
    votes_for: int = Field(ge=0, le=10_000)
    votes_cast: int = Field(ge=0, le=10_000)
    members: int = Field(ge=1, le=10_000)
    elected_on: Day
    replaces_reason: Paragraph | None = Field(default=None, max_length=500,
                                              description="required when the bloc-year already has this role")
    passed_over_reason: Paragraph | None = Field(
        default=None, max_length=500,
        description="required when the province prefers the outgoing vice-chair and another unit is elected chair")


class ConfirmElectionBody(RequestBody):
    role: Annotated[Role, Strict(False)]
    year: Year
    confirmed_on: Day
    decision_ref: Line = DecisionRef


class AssignSupervisorBody(RequestBody):
    year: Year
    person_name: Line = Field(min_length=1, max_length=200)
    title: Line = Field(min_length=1, max_length=300, description="e.g. Phó Bí thư Thường trực Tỉnh ủy")


class HandOverChairBody(RequestBody):
    from_unit_id: Identifier
    to_unit_id: Identifier
    handed_over_on: Day


def router(parts: ServiceParts, commands: CommandRunner[RegistryUnitOfWork]) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.post("/blocs", status_code=201, tags=["blocs"], summary="Establish a bloc by decision (admin)")
    async def establish_bloc(province: str, body: EstablishBlocBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        return await commands(handlers.establish_bloc, EstablishBloc(**body.model_dump()), context)

    @api.get("/blocs", tags=["blocs"], summary="The province's blocs, or those with members in a year",
             response_model=list[Bloc] | list[BlocOfYear])
    async def list_blocs(province: str, caller: Caller,
                         year: Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR,
                                                           description="only blocs with members that year")] = None,
                         ) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            if year is not None:
                return await queries.blocs_of_year(connection, province, year)
            return await queries.list_blocs(connection, province)

    @api.get("/blocs/{bloc_id}", tags=["blocs"], summary="A bloc with its members and leaders on a date",
             response_model=BlocDetail)
    async def get_bloc(province: str, bloc_id: IdPath, caller: Caller,
                       on: DayQuery | None = None,
                       ) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            found = await queries.get_bloc(connection, province, bloc_id, on or province_today())
        if found is None:
            raise NotFound("bloc.not_found", bloc_id=bloc_id)
        return found

    @api.get("/blocs/{bloc_id}/history", tags=["blocs"], summary="Every event that shaped the bloc",
             response_model=list[HistoryEvent])
    async def get_bloc_history(province: str, bloc_id: IdPath, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            found = await queries.history(connection, bloc_stream(province, bloc_id))
        if not found:
            raise NotFound("bloc.not_found", bloc_id=bloc_id)
        return found

    @api.post("/blocs/{bloc_id}/members", status_code=201, tags=["blocs"],
              summary="A unit joins the bloc from a date, by decision (admin)")
    async def admit_unit(province: str, bloc_id: IdPath, body: AdmitUnitBody,
                         caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = AdmitUnit(bloc_id=bloc_id, **body.model_dump())
        return await commands(handlers.admit_unit, command, context)

    @api.post("/blocs/{bloc_id}/departures", status_code=201, tags=["blocs"],
              summary="A unit leaves the bloc on a date, by decision (admin)")
    async def release_unit(province: str, bloc_id: IdPath, body: ReleaseUnitBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = ReleaseUnit(bloc_id=bloc_id, **body.model_dump())
        return await commands(handlers.release_unit, command, context)

    @api.post("/blocs/{bloc_id}/supervisors", status_code=201, tags=["blocs"],
              summary="Name the provincial leader in charge of the bloc for a year (admin)")
    async def assign_supervisor(province: str, bloc_id: IdPath, body: AssignSupervisorBody,
                                caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = AssignSupervisor(bloc_id=bloc_id, **body.model_dump())
        return await commands(handlers.assign_supervisor, command, context)

    @api.post("/blocs/{bloc_id}/handovers", status_code=201, tags=["blocs"],
              summary="The outgoing chair hands over to the new one (bloc secretariat or admin)")
    async def hand_over_chair(province: str, bloc_id: IdPath, body: HandOverChairBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin", "bloc_secretary")
        caller.require_own_bloc(bloc_id)
        command = HandOverChair(bloc_id=bloc_id, **body.model_dump())
        return await commands(handlers.hand_over_chair, command, context)

    @api.post("/blocs/{bloc_id}/elections", status_code=201, tags=["blocs"],
              summary="Record the election of the chair or vice-chair for a year")
    async def elect_leader(province: str, bloc_id: IdPath, body: ElectLeaderBody,
                           caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin", "bloc_secretary")
        caller.require_own_bloc(bloc_id)
        command = ElectLeader(bloc_id=bloc_id, **body.model_dump())
        return await commands(handlers.elect_leader, command, context)

    @api.post("/blocs/{bloc_id}/election-confirmations", status_code=201, tags=["blocs"],
              summary="The province confirms the bloc's election of its chair or vice-chair (admin)")
    async def confirm_election(province: str, bloc_id: IdPath, body: ConfirmElectionBody,
                               caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin")
        command = ConfirmElection(bloc_id=bloc_id, **body.model_dump())
        return await commands(handlers.confirm_election, command, context)

    return api
