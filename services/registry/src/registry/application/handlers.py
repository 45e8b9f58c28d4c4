"""Registry use cases: load the aggregate from its stream, let it decide, record what it decided."""

from __future__ import annotations

from registry.domain.commands import AdmitUnit, ElectLeader, EstablishBloc, RegisterUnit
from registry.domain.model import Bloc, Unit, bloc_stream, unit_stream
from thidua_shared.context import CommandContext
from thidua_shared.contracts import EventPayload
from thidua_shared.store import NewEvents, StoredEvent
from thidua_shared.unit_of_work import UnitOfWork


async def _unit(uow: UnitOfWork, province: str, unit_id: str) -> Unit:
    history = await uow.events.read_stream(unit_stream(province, unit_id))
    return Unit.from_history(unit_id, (event.typed() for event in history))


async def _bloc(uow: UnitOfWork, province: str, bloc_id: str) -> Bloc:
    history = await uow.events.read_stream(bloc_stream(province, bloc_id))
    return Bloc.from_history(bloc_id, (event.typed() for event in history))


def _batch(context: CommandContext, stream_id: str, version: int,
           payloads: list[EventPayload]) -> NewEvents:
    return NewEvents(province=context.province, stream_id=stream_id, expected_version=version,
                     payloads=payloads, actor=context.actor, correlation_id=context.correlation_id,
                     causation_id=context.causation_id)


async def register_unit(command: RegisterUnit, context: CommandContext,
                        uow: UnitOfWork) -> list[StoredEvent]:
    unit = await _unit(uow, context.province, command.unit_id)
    parent = None
    if command.parent_unit_id is not None:
        parent = await _unit(uow, context.province, command.parent_unit_id)
    decided = unit.register(command.name, command.short_name, command.kind, parent)
    stored = await uow.record(_batch(context, unit_stream(context.province, unit.unit_id),
                                     unit.version, decided))
    await uow.commit()
    return stored


async def establish_bloc(command: EstablishBloc, context: CommandContext,
                         uow: UnitOfWork) -> list[StoredEvent]:
    bloc = await _bloc(uow, context.province, command.bloc_id)
    decided = bloc.establish(command.name, command.kind, command.decision_ref)
    stored = await uow.record(_batch(context, bloc_stream(context.province, bloc.bloc_id),
                                     bloc.version, decided))
    await uow.commit()
    return stored


async def admit_unit(command: AdmitUnit, context: CommandContext,
                     uow: UnitOfWork) -> list[StoredEvent]:
    bloc = await _bloc(uow, context.province, command.bloc_id)
    unit = await _unit(uow, context.province, command.unit_id)
    decided = bloc.admit(unit, command.effective_on, command.decision_ref)
    stored = await uow.record(_batch(context, bloc_stream(context.province, bloc.bloc_id),
                                     bloc.version, decided))
    await uow.commit()
    return stored


async def elect_leader(command: ElectLeader, context: CommandContext,
                       uow: UnitOfWork) -> list[StoredEvent]:
    bloc = await _bloc(uow, context.province, command.bloc_id)
    decided = bloc.elect(command.role, command.year, command.unit_id, command.votes_for,
                         command.votes_cast, command.members, command.elected_on)
    stored = await uow.record(_batch(context, bloc_stream(context.province, bloc.bloc_id),
                                     bloc.version, decided))
    await uow.commit()
    return stored
