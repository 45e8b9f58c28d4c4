"""Registry use cases, ``handle(command, context, uow)``: load the aggregates through the unit of work's
repositories, let them decide, save what they recorded, commit."""

from __future__ import annotations

from datetime import date

from registry.application.unit_of_work import RegistryUnitOfWork
from registry.domain.bloc import Bloc, bloc_stream
from registry.domain.commands import (
    AdmitUnit,
    AssignSupervisor,
    ChangeProvinceSettings,
    ChangeUnitEmails,
    ConfirmElection,
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
from registry.domain.province import merge_provinces
from registry.domain.unit import merge, unit_stream
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict, Invalid


async def lock_units(uow: RegistryUnitOfWork, *unit_ids: str) -> None:
    """Serialise the commands that read or change a unit's blocs: admissions, dissolutions, mergers."""
    await uow.lock(*(unit_stream(uow.context.province, unit_id) for unit_id in unit_ids))


def _not_in_future(day: date, uow: RegistryUnitOfWork) -> None:
    """A past act (an election, a hand-over, a consent) is dated no later than the province's today."""
    today = uow.today()
    if day > today:
        raise Invalid("date.in_future", on=day.isoformat(), today=today.isoformat())


async def register_unit(command: RegisterUnit, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    unit = await uow.units.get(command.unit_id)
    parent = None if command.parent_unit_id is None else await uow.units.get(command.parent_unit_id)
    unit.register(command.name, command.short_name, command.kind, parent, command.emails)
    await uow.save(unit)
    await uow.commit()


async def rename_unit(command: RenameUnit, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    unit = await uow.units.get(command.unit_id)
    unit.rename(command.name, command.effective_on, command.decision_ref)
    await uow.save(unit)
    await uow.commit()


async def change_unit_emails(command: ChangeUnitEmails, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    unit = await uow.units.get(command.unit_id)
    unit.change_emails(command.emails, uow.today())
    await uow.save(unit)
    await uow.commit()


async def dissolve_unit(command: DissolveUnit, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    """The unit ends, and leaves every bloc it belongs to on that day, in the same transaction."""
    await lock_units(uow, command.unit_id)
    unit = await uow.units.get(command.unit_id)
    unit.dissolve(command.effective_on, command.decision_ref)
    left = await _leave_blocs(uow, unit.unit_id, command.effective_on, command.decision_ref)
    await uow.save(unit, *left)
    await uow.commit()


async def _leave_blocs(uow: RegistryUnitOfWork, unit_id: str, day: date, decision_ref: str) -> list[Bloc]:
    """The blocs the unit leaves on ``day``, each having recorded it."""
    left: list[Bloc] = []
    for bloc_id, _ in await uow.blocs_of_unit(unit_id, day):
        bloc = await uow.blocs.get(bloc_id)
        later = next((m for m in bloc.memberships if m.unit_id == unit_id and m.covers(day) and m.left_on), None)
        if later is not None and later.left_on is not None:
            raise Conflict("unit.left_after_end", unit_id=unit_id, bloc_id=bloc_id,
                           left_on=later.left_on.isoformat(), day=day.isoformat())
        if unit_id not in bloc.members_on(day):
            continue  # a membership that starts after the day is left to the bloc's own decision
        bloc.release(unit_id, day, decision_ref)
        left.append(bloc)
    return left


async def merge_units(command: MergeUnits, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    """The sources end and leave their blocs that day; the unit they merge into records the merger."""
    await lock_units(uow, *command.from_unit_ids, command.into_unit_id)
    sources = [await uow.units.get(unit_id) for unit_id in command.from_unit_ids]
    into = await uow.units.get(command.into_unit_id)
    merge(sources, into, command.effective_on, command.decision_ref)
    for source in sources:
        await uow.save(source, *await _leave_blocs(uow, source.unit_id, command.effective_on, command.decision_ref))
    await uow.save(into)
    await uow.commit()


async def establish_bloc(command: EstablishBloc, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    if command.established_on is not None:
        _not_in_future(command.established_on, uow)
    bloc = await uow.blocs.get(command.bloc_id)
    bloc.establish(command.name, command.kind, command.decision_ref, command.established_on)
    await uow.save(bloc)
    await uow.commit()


async def admit_unit(command: AdmitUnit, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    """One bloc of a kind at a time: the unit's lock keeps its other blocs as read until the commit."""
    await lock_units(uow, command.unit_id)
    bloc = await uow.blocs.get(command.bloc_id)
    unit = await uow.units.get(command.unit_id)
    current = await uow.blocs_of_unit(command.unit_id, command.effective_on)
    other = next((bloc_id for bloc_id, kind in current if kind == bloc.kind and bloc_id != bloc.bloc_id), None)
    bloc.admit(unit, command.effective_on, command.decision_ref, other)
    await uow.save(bloc)
    await uow.commit()


async def release_unit(command: ReleaseUnit, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    bloc = await uow.blocs.get(command.bloc_id)
    bloc.release(command.unit_id, command.effective_on, command.decision_ref)
    await uow.save(bloc)
    await uow.commit()


async def elect_leader(command: ElectLeader, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    """Elections of one bloc run one after the other (the bloc's lock): of two recorded at once, the second
    is judged against the first and told the role is taken, not that the bloc changed meanwhile."""
    _not_in_future(command.elected_on, uow)
    await uow.lock(bloc_stream(context.province, command.bloc_id))
    bloc = await uow.blocs.get(command.bloc_id)
    province = await uow.provinces.get(context.province)
    bloc.elect(command.role, command.year, command.unit_id, command.votes_for, command.votes_cast,
               command.members, command.elected_on, province.election_rules, command.replaces_reason,
               command.passed_over_reason)
    await uow.save(bloc)
    await uow.commit()


async def confirm_election(command: ConfirmElection, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    """Under the bloc's lock, as elections are: a confirmation names the unit elected when it commits."""
    _not_in_future(command.confirmed_on, uow)
    await uow.lock(bloc_stream(context.province, command.bloc_id))
    bloc = await uow.blocs.get(command.bloc_id)
    bloc.confirm_election(command.role, command.year, command.confirmed_on, command.decision_ref)
    await uow.save(bloc)
    await uow.commit()


async def assign_supervisor(command: AssignSupervisor, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    bloc = await uow.blocs.get(command.bloc_id)
    bloc.assign_supervisor(command.person_name, command.title, command.year)
    await uow.save(bloc)
    await uow.commit()


async def hand_over_chair(command: HandOverChair, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    _not_in_future(command.handed_over_on, uow)
    await uow.lock(bloc_stream(context.province, command.bloc_id))
    bloc = await uow.blocs.get(command.bloc_id)
    bloc.hand_over(command.from_unit_id, command.to_unit_id, command.handed_over_on)
    await uow.save(bloc)
    await uow.commit()


async def register_province(command: RegisterProvince, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    province = await uow.provinces.get(context.province)
    province.register(command.name)
    await uow.save(province)
    await uow.commit()


async def consent_to_merge(command: ConsentToMerge, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    _not_in_future(command.consented_on, uow)
    province = await uow.provinces.get(context.province)
    province.consent_to_merge(command.into_code, command.legal_basis, command.consented_on)
    await uow.save(province)
    await uow.commit()


async def merge_provinces_into(command: MergeProvinces, context: CommandContext, uow: RegistryUnitOfWork) -> None:
    """Each province's event is recorded in that province (its stream and its topic)."""
    sources = [await uow.provinces.get(code) for code in command.from_codes]
    into = await uow.provinces.get(context.province)
    merge_provinces(sources, into, command.effective_on, command.legal_basis)
    await uow.save(*sources, into)
    await uow.commit()


async def change_province_settings(command: ChangeProvinceSettings, context: CommandContext,
                                   uow: RegistryUnitOfWork) -> None:
    province = await uow.provinces.get(context.province)
    province.change_settings(command.chair_rest_years, command.election_majority_percent,
                             command.outgoing_vice_chair_preferred)
    await uow.save(province)
    await uow.commit()
