"""The registry's own events, applied to its read models (in the command's transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, update
from sqlalchemy.ext.asyncio import AsyncConnection

from registry.adapters.tables import (
    accounts,
    blocs,
    handovers,
    leadership,
    lineage,
    memberships,
    province_lineage,
    provinces,
    supervisors,
    units,
)
from thidua_contracts.registry import (
    AccountCreated,
    AccountDisabled,
    AccountLocked,
    AccountPasswordChanged,
    AccountSignedIn,
    AccountSignInFailed,
    AccountUnlocked,
    BlocEstablished,
    BlocSupervisorAssigned,
    ChairElected,
    ChairHandedOver,
    LeaderElectionConfirmed,
    ProvinceRegistered,
    ProvinceSettingsChanged,
    ProvincesMerged,
    UnitDissolved,
    UnitEmailsChanged,
    UnitJoinedBloc,
    UnitLeftBloc,
    UnitRegistered,
    UnitRenamed,
    UnitsMerged,
    ViceChairElected,
)
from thidua_shared.projection import Projection
from thidua_shared.store import StoredEvent

OWN_EVENTS = Projection()


@OWN_EVENTS.handles_runs(UnitRegistered)
async def units_registered(connection: AsyncConnection, run: Sequence[tuple[StoredEvent, UnitRegistered]]) -> None:
    rows = []
    for event, payload in run:
        rows.append({"province": event.province, "unit_id": payload.unit_id, "name": payload.name,
                     "short_name": payload.short_name, "kind": payload.kind,
                     "parent_unit_id": payload.parent_unit_id, "emails": payload.emails,
                     "version": event.stream_version})
    await connection.execute(units.insert(), rows)


@OWN_EVENTS.handles_runs(BlocEstablished)
async def blocs_established(connection: AsyncConnection,
                            run: Sequence[tuple[StoredEvent, BlocEstablished]]) -> None:
    rows = []
    for event, payload in run:
        rows.append({"province": event.province, "bloc_id": payload.bloc_id, "name": payload.name,
                     "kind": payload.kind, "decision_ref": payload.decision_ref, "version": event.stream_version})
    await connection.execute(blocs.insert(), rows)


async def _touch_bloc(connection: AsyncConnection, event: StoredEvent, bloc_id: str) -> None:
    await connection.execute(
        update(blocs).where(blocs.c.province == event.province, blocs.c.bloc_id == bloc_id)
        .values(version=event.stream_version))


@OWN_EVENTS.handles_runs(UnitJoinedBloc)
async def units_joined_blocs(connection: AsyncConnection,
                             run: Sequence[tuple[StoredEvent, UnitJoinedBloc]]) -> None:
    rows, versions = [], {}
    for event, payload in run:
        rows.append({"province": event.province, "bloc_id": payload.bloc_id, "unit_id": payload.unit_id,
                     "joined_on": payload.effective_on, "decision_ref": payload.decision_ref})
        versions[(event.province, payload.bloc_id)] = event.stream_version
    await connection.execute(memberships.insert(), rows)
    await connection.execute(
        update(blocs).where(blocs.c.province == bindparam("p"), blocs.c.bloc_id == bindparam("b"))
        .values(version=bindparam("v")),
        [{"p": province, "b": bloc_id, "v": version} for (province, bloc_id), version in versions.items()])


@OWN_EVENTS.handles(ChairElected)
async def chair_elected(connection: AsyncConnection, event: StoredEvent, payload: ChairElected) -> None:
    await _leader_elected(connection, event, payload, "chair")


@OWN_EVENTS.handles(ViceChairElected)
async def vice_chair_elected(connection: AsyncConnection, event: StoredEvent, payload: ViceChairElected) -> None:
    await _leader_elected(connection, event, payload, "vice_chair")


async def _leader_elected(connection: AsyncConnection, event: StoredEvent,
                          payload: ChairElected | ViceChairElected, role: str) -> None:
    await connection.execute(delete(leadership).where(
        leadership.c.province == event.province, leadership.c.bloc_id == payload.bloc_id,
        leadership.c.year == payload.year, leadership.c.role == role))
    await connection.execute(leadership.insert().values(
        replaces_reason=payload.replaces_reason, passed_over_reason=payload.passed_over_reason,
        province=event.province, bloc_id=payload.bloc_id, year=payload.year, role=role,
        unit_id=payload.unit_id, votes_for=payload.votes_for, votes_cast=payload.votes_cast,
        members=payload.members, elected_on=payload.elected_on))
    await _touch_bloc(connection, event, payload.bloc_id)


@OWN_EVENTS.handles(LeaderElectionConfirmed)
async def election_confirmed(connection: AsyncConnection, event: StoredEvent,
                             payload: LeaderElectionConfirmed) -> None:
    await connection.execute(update(leadership).where(
        leadership.c.province == event.province, leadership.c.bloc_id == payload.bloc_id,
        leadership.c.year == payload.year, leadership.c.role == payload.role,
    ).values(confirmed_on=payload.confirmed_on, confirmation_ref=payload.decision_ref))
    await _touch_bloc(connection, event, payload.bloc_id)


@OWN_EVENTS.handles(UnitRenamed)
async def unit_renamed(connection: AsyncConnection, event: StoredEvent, payload: UnitRenamed) -> None:
    await connection.execute(update(units).where(units.c.province == event.province, units.c.unit_id == payload.unit_id)
                             .values(name=payload.name, version=event.stream_version))


@OWN_EVENTS.handles(UnitEmailsChanged)
async def unit_emails_changed(connection: AsyncConnection, event: StoredEvent, payload: UnitEmailsChanged) -> None:
    await connection.execute(update(units).where(units.c.province == event.province, units.c.unit_id == payload.unit_id)
                             .values(emails=payload.emails, version=event.stream_version))


@OWN_EVENTS.handles(UnitDissolved)
async def unit_dissolved(connection: AsyncConnection, event: StoredEvent, payload: UnitDissolved) -> None:
    await connection.execute(update(units).where(units.c.province == event.province, units.c.unit_id == payload.unit_id)
                             .values(dissolved_on=payload.effective_on, version=event.stream_version))


@OWN_EVENTS.handles(UnitLeftBloc)
async def unit_left_bloc(connection: AsyncConnection, event: StoredEvent, payload: UnitLeftBloc) -> None:
    await connection.execute(update(memberships).where(
        memberships.c.province == event.province, memberships.c.bloc_id == payload.bloc_id,
        memberships.c.unit_id == payload.unit_id, memberships.c.left_on.is_(None),
    ).values(left_on=payload.effective_on))
    await _touch_bloc(connection, event, payload.bloc_id)


@OWN_EVENTS.handles(BlocSupervisorAssigned)
async def supervisor_assigned(connection: AsyncConnection, event: StoredEvent, payload: BlocSupervisorAssigned) -> None:
    await connection.execute(delete(supervisors).where(
        supervisors.c.province == event.province, supervisors.c.bloc_id == payload.bloc_id,
        supervisors.c.year == payload.year))
    await connection.execute(supervisors.insert().values(
        province=event.province, bloc_id=payload.bloc_id, year=payload.year, person_name=payload.person_name,
        title=payload.title))
    await _touch_bloc(connection, event, payload.bloc_id)


@OWN_EVENTS.handles(ChairHandedOver)
async def chair_handed_over(connection: AsyncConnection, event: StoredEvent, payload: ChairHandedOver) -> None:
    await connection.execute(handovers.insert().values(
        province=event.province, bloc_id=payload.bloc_id, year=payload.handed_over_on.year,
        from_unit_id=payload.from_unit_id, to_unit_id=payload.to_unit_id, handed_over_on=payload.handed_over_on))
    await _touch_bloc(connection, event, payload.bloc_id)


@OWN_EVENTS.handles(ProvinceRegistered)
async def province_registered(connection: AsyncConnection, event: StoredEvent, payload: ProvinceRegistered) -> None:
    await connection.execute(provinces.insert().values(code=payload.code, name=payload.name, chair_rest_years=1,
                                                       election_majority_percent=50,
                                                       outgoing_vice_chair_preferred=False))


@OWN_EVENTS.handles(ProvinceSettingsChanged)
async def province_settings_changed(connection: AsyncConnection, event: StoredEvent,
                                    payload: ProvinceSettingsChanged) -> None:
    await connection.execute(update(provinces).where(provinces.c.code == payload.code).values(
        chair_rest_years=payload.chair_rest_years, election_majority_percent=payload.election_majority_percent,
        outgoing_vice_chair_preferred=payload.outgoing_vice_chair_preferred))


@OWN_EVENTS.handles(UnitsMerged)
async def units_merged(connection: AsyncConnection, event: StoredEvent, payload: UnitsMerged) -> None:
    await connection.execute(lineage.insert(), [
        {"province": event.province, "unit_id": payload.into_unit_id, "predecessor_id": source,
         "effective_on": payload.effective_on, "decision_ref": payload.decision_ref}
        for source in payload.from_unit_ids])
    await connection.execute(update(units).where(units.c.province == event.province,
                                                 units.c.unit_id == payload.into_unit_id)
                             .values(version=event.stream_version))


@OWN_EVENTS.handles(ProvincesMerged)
async def provinces_merged(connection: AsyncConnection, event: StoredEvent, payload: ProvincesMerged) -> None:
    """Recorded on every province involved; the lineage is written once, from the new province's record."""
    if event.province != payload.into_code:
        return
    await connection.execute(province_lineage.insert(), [
        {"code": payload.into_code, "predecessor_code": code, "effective_on": payload.effective_on,
         "legal_basis": payload.legal_basis}
        for code in payload.from_codes])


@OWN_EVENTS.handles(AccountCreated)
async def account_created(connection: AsyncConnection, event: StoredEvent, payload: AccountCreated) -> None:
    await connection.execute(accounts.insert().values(
        province=event.province, username=payload.username, full_name=payload.full_name, role=payload.role,
        unit_id=payload.unit_id, bloc_id=payload.bloc_id, locked=False, disabled=False, failures=0,
        created_at=event.recorded_at, version=event.stream_version))


async def _account_changes(connection: AsyncConnection, event: StoredEvent, username: str, **values: Any) -> None:
    await connection.execute(update(accounts).where(accounts.c.province == event.province,
                                                    accounts.c.username == username)
                             .values(version=event.stream_version, **values))


@OWN_EVENTS.handles(AccountPasswordChanged)
async def account_password_changed(connection: AsyncConnection, event: StoredEvent,
                                   payload: AccountPasswordChanged) -> None:
    await _account_changes(connection, event, payload.username)


@OWN_EVENTS.handles(AccountSignInFailed)
async def account_sign_in_failed(connection: AsyncConnection, event: StoredEvent,
                                 payload: AccountSignInFailed) -> None:
    await _account_changes(connection, event, payload.username, failures=payload.failures)


@OWN_EVENTS.handles(AccountLocked)
async def account_locked(connection: AsyncConnection, event: StoredEvent, payload: AccountLocked) -> None:
    await _account_changes(connection, event, payload.username, locked=True, failures=payload.failures)


@OWN_EVENTS.handles(AccountSignedIn)
async def account_signed_in(connection: AsyncConnection, event: StoredEvent, payload: AccountSignedIn) -> None:
    await _account_changes(connection, event, payload.username, failures=0, last_signed_in_at=event.recorded_at)


@OWN_EVENTS.handles(AccountUnlocked)
async def account_unlocked(connection: AsyncConnection, event: StoredEvent, payload: AccountUnlocked) -> None:
    await _account_changes(connection, event, payload.username, locked=False, failures=0)


@OWN_EVENTS.handles(AccountDisabled)
async def account_disabled(connection: AsyncConnection, event: StoredEvent, payload: AccountDisabled) -> None:
    await _account_changes(connection, event, payload.username, disabled=True)
