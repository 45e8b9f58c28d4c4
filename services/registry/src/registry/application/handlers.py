"""Registry use cases: load the aggregates from their streams, let them decide, record the decision."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date

from registry.domain.bloc import Bloc, bloc_stream
from registry.domain.commands import (
    AdmitUnit,
    AssignSupervisor,
    ChangeProvinceSettings,
    ConsentToMerge,
    DissolveUnit,
    ElectLeader,
    EstablishBloc,
    HandOverChair,
    MergeProvinces,
    MergeUnits,
    RegisterProvince,
    RegisterUnit,
    ReleaseUnit,
    RenameUnit,
)
from registry.domain.province import Province, merge_provinces, province_stream
from registry.domain.unit import Unit, merge, unit_stream
from thidua_contracts import EventPayload
from thidua_shared.clock import Today, province_today
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict, Invalid
from thidua_shared.store import NewEvents, StoredEvent
from thidua_shared.unit_of_work import UnitOfWork

BlocsOfUnit = Callable[[str, str, date], Awaitable[list[tuple[str, str]]]]
"""(province, unit_id, day) -> the (bloc_id, kind) the unit belongs to that day, from the read model.

A command that reads it, or that ends a unit, first takes the unit's lock (:func:`lock_units`): the
memberships it reads then stay as read until it commits."""


async def lock_units(uow: UnitOfWork, province: str, *unit_ids: str) -> None:
    """Serialise the commands that read or change a unit's blocs: admissions, dissolutions, mergers."""
    await uow.lock(*(unit_stream(province, unit_id) for unit_id in unit_ids))


async def load_unit(uow: UnitOfWork, province: str, unit_id: str) -> Unit:
    history = await uow.events.read_stream(unit_stream(province, unit_id))
    return Unit.from_history(unit_id, (event.typed() for event in history))


async def load_province(uow: UnitOfWork, code: str) -> Province:
    history = await uow.events.read_stream(province_stream(code))
    return Province.from_history(code, (event.typed() for event in history))


async def load_bloc(uow: UnitOfWork, province: str, bloc_id: str) -> Bloc:
    history = await uow.events.read_stream(bloc_stream(province, bloc_id))
    return Bloc.from_history(bloc_id, (event.typed() for event in history))


def new_events(context: CommandContext, stream_id: str, version: int,
           payloads: list[EventPayload]) -> NewEvents:
    return NewEvents(province=context.province, stream_id=stream_id, expected_version=version,
                     payloads=payloads, actor=context.actor, correlation_id=context.correlation_id,
                     causation_id=context.causation_id)


def _not_in_future(day: date, today: Today) -> date:
    """A past act (an election, a hand-over, a consent) is dated no later than the province's today."""
    if day > today():
        raise Invalid("date.in_future", on=day.isoformat(), today=today().isoformat())
    return day


async def _record(uow: UnitOfWork, context: CommandContext, stream_id: str, version: int,
                  decided: list[EventPayload]) -> list[StoredEvent]:
    stored = await uow.record(new_events(context, stream_id, version, decided))
    await uow.commit()
    return stored


async def register_unit(command: RegisterUnit, context: CommandContext,
                        uow: UnitOfWork) -> list[StoredEvent]:
    unit = await load_unit(uow, context.province, command.unit_id)
    parent = None
    if command.parent_unit_id is not None:
        parent = await load_unit(uow, context.province, command.parent_unit_id)
    decided = unit.register(command.name, command.short_name, command.kind, parent, command.emails)
    return await _record(uow, context, unit_stream(context.province, unit.unit_id), unit.version, decided)


async def rename_unit(command: RenameUnit, context: CommandContext, uow: UnitOfWork) -> list[StoredEvent]:
    unit = await load_unit(uow, context.province, command.unit_id)
    decided = unit.rename(command.name, command.effective_on, command.decision_ref)
    return await _record(uow, context, unit_stream(context.province, unit.unit_id), unit.version, decided)


async def dissolve_unit(command: DissolveUnit, context: CommandContext, uow: UnitOfWork,
                        blocs_of_unit: BlocsOfUnit) -> list[StoredEvent]:
    """The unit ends, and leaves every bloc it belongs to on that day, in the same transaction."""
    await lock_units(uow, context.province, command.unit_id)
    unit = await load_unit(uow, context.province, command.unit_id)
    decided = unit.dissolve(command.effective_on, command.decision_ref)
    stored = await uow.record(new_events(context, unit_stream(context.province, unit.unit_id), unit.version, decided))
    stored += await _leave_blocs(uow, context, unit.unit_id, command.effective_on, command.decision_ref,
                                 blocs_of_unit)
    await uow.commit()
    return stored


async def _leave_blocs(uow: UnitOfWork, context: CommandContext, unit_id: str, day: date, decision_ref: str,
                       blocs_of_unit: BlocsOfUnit) -> list[StoredEvent]:
    stored: list[StoredEvent] = []
    for bloc_id, _ in await blocs_of_unit(context.province, unit_id, day):
        bloc = await load_bloc(uow, context.province, bloc_id)
        later = next((m for m in bloc.memberships if m.unit_id == unit_id and m.covers(day) and m.left_on), None)
        if later is not None and later.left_on is not None:
            raise Conflict("unit.left_after_end", unit_id=unit_id, bloc_id=bloc_id,
                           left_on=later.left_on.isoformat(), day=day.isoformat())
        if unit_id not in bloc.members_on(day):
            continue  # a membership that starts after the day is left to the bloc's own decision
        left = bloc.release(unit_id, day, decision_ref)
        stored += await uow.record(new_events(context, bloc_stream(context.province, bloc_id), bloc.version, left))
    return stored


async def merge_units(command: MergeUnits, context: CommandContext, uow: UnitOfWork,
                      blocs_of_unit: BlocsOfUnit) -> list[StoredEvent]:
    """The sources end and leave their blocs that day; the unit they merge into records the merger."""
    await lock_units(uow, context.province, *command.from_unit_ids, command.into_unit_id)
    sources = [await load_unit(uow, context.province, unit_id) for unit_id in command.from_unit_ids]
    into = await load_unit(uow, context.province, command.into_unit_id)
    ended, merged = merge(sources, into, command.effective_on, command.decision_ref)
    stored: list[StoredEvent] = []
    for source, decided in ended:
        stored += await uow.record(new_events(context, unit_stream(context.province, source.unit_id),
                                              source.version, decided))
        stored += await _leave_blocs(uow, context, source.unit_id, command.effective_on, command.decision_ref,
                                     blocs_of_unit)
    stored += await uow.record(new_events(context, unit_stream(context.province, into.unit_id), into.version, merged))
    await uow.commit()
    return stored


async def establish_bloc(command: EstablishBloc, context: CommandContext,
                         uow: UnitOfWork) -> list[StoredEvent]:
    bloc = await load_bloc(uow, context.province, command.bloc_id)
    decided = bloc.establish(command.name, command.kind, command.decision_ref)
    return await _record(uow, context, bloc_stream(context.province, bloc.bloc_id), bloc.version, decided)


async def admit_unit(command: AdmitUnit, context: CommandContext, uow: UnitOfWork,
                     blocs_of_unit: BlocsOfUnit) -> list[StoredEvent]:
    """One bloc of a kind at a time: the unit's lock keeps its other blocs as read until the commit."""
    await lock_units(uow, context.province, command.unit_id)
    bloc = await load_bloc(uow, context.province, command.bloc_id)
    unit = await load_unit(uow, context.province, command.unit_id)
    current = await blocs_of_unit(context.province, command.unit_id, command.effective_on)
    other = next((bloc_id for bloc_id, kind in current if kind == bloc.kind and bloc_id != bloc.bloc_id), None)
    decided = bloc.admit(unit, command.effective_on, command.decision_ref, other)
    return await _record(uow, context, bloc_stream(context.province, bloc.bloc_id), bloc.version, decided)


async def release_unit(command: ReleaseUnit, context: CommandContext, uow: UnitOfWork) -> list[StoredEvent]:
    bloc = await load_bloc(uow, context.province, command.bloc_id)
    decided = bloc.release(command.unit_id, command.effective_on, command.decision_ref)
    return await _record(uow, context, bloc_stream(context.province, bloc.bloc_id), bloc.version, decided)


async def elect_leader(command: ElectLeader, context: CommandContext,
                       uow: UnitOfWork, today: Today = province_today) -> list[StoredEvent]:
    """Elections of one bloc run one after the other (the bloc's lock): of two recorded at once, the second
    is judged against the first and told the role is taken, not that the bloc changed meanwhile."""
    _not_in_future(command.elected_on, today)
    await uow.lock(bloc_stream(context.province, command.bloc_id))
    bloc = await load_bloc(uow, context.province, command.bloc_id)
    province = await load_province(uow, context.province)
    decided = bloc.elect(command.role, command.year, command.unit_id, command.votes_for,
                         command.votes_cast, command.members, command.elected_on, command.replaces_reason,
                         province.chair_may_serve_consecutive_years)
    return await _record(uow, context, bloc_stream(context.province, bloc.bloc_id), bloc.version, decided)


async def assign_supervisor(command: AssignSupervisor, context: CommandContext,
                            uow: UnitOfWork) -> list[StoredEvent]:
    bloc = await load_bloc(uow, context.province, command.bloc_id)
    decided = bloc.assign_supervisor(command.person_name, command.title, command.year)
    return await _record(uow, context, bloc_stream(context.province, bloc.bloc_id), bloc.version, decided)


async def hand_over_chair(command: HandOverChair, context: CommandContext, uow: UnitOfWork,
                          today: Today = province_today) -> list[StoredEvent]:
    _not_in_future(command.handed_over_on, today)
    await uow.lock(bloc_stream(context.province, command.bloc_id))
    bloc = await load_bloc(uow, context.province, command.bloc_id)
    decided = bloc.hand_over(command.from_unit_id, command.to_unit_id, command.handed_over_on)
    return await _record(uow, context, bloc_stream(context.province, bloc.bloc_id), bloc.version, decided)


async def register_province(command: RegisterProvince, context: CommandContext,
                            uow: UnitOfWork) -> list[StoredEvent]:
    province = await load_province(uow, context.province)
    return await _record(uow, context, province_stream(province.code), province.version,
                         province.register(command.name))


async def consent_to_merge(command: ConsentToMerge, context: CommandContext, uow: UnitOfWork,
                           today: Today = province_today) -> list[StoredEvent]:
    _not_in_future(command.consented_on, today)
    province = await load_province(uow, context.province)
    decided = province.consent_to_merge(command.into_code, command.legal_basis, command.consented_on)
    return await _record(uow, context, province_stream(province.code), province.version, decided)


async def merge_provinces_into(command: MergeProvinces, context: CommandContext,
                               uow: UnitOfWork) -> list[StoredEvent]:
    sources = [await load_province(uow, code) for code in command.from_codes]
    into = await load_province(uow, context.province)
    stored: list[StoredEvent] = []
    for province, decided in merge_provinces(sources, into, command.effective_on, command.legal_basis):
        batch = new_events(context, province_stream(province.code), province.version, decided)
        stored += await uow.record(replace(batch, province=province.code))
    await uow.commit()
    return stored


async def change_province_settings(command: ChangeProvinceSettings, context: CommandContext,
                                   uow: UnitOfWork) -> list[StoredEvent]:
    province = await load_province(uow, context.province)
    decided = province.change_settings(command.chair_may_serve_consecutive_years)
    return await _record(uow, context, province_stream(province.code), province.version, decided)
