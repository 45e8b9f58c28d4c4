"""Scoring's read models: its own scores, and the registry's units, blocs and memberships."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncConnection

from scoring.adapters.tables import blocs, members, scores, units
from thidua_shared.contracts import EventPayload
from thidua_shared.contracts.registry import (
    BlocEstablished,
    UnitJoinedBloc,
    UnitLeftBloc,
    UnitRegistered,
    UnitRenamed,
)
from thidua_shared.contracts.scoring import UnitScored
from thidua_shared.inbox import Handler
from thidua_shared.store import StoredEvent


async def unit_scored(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, UnitScored)
    key = (scores.c.province == event.province) & (scores.c.bloc_id == payload.bloc_id) \
        & (scores.c.year == payload.year) & (scores.c.unit_id == payload.unit_id)
    await connection.execute(delete(scores).where(key))
    await connection.execute(scores.insert().values(
        province=event.province, bloc_id=payload.bloc_id, year=payload.year, unit_id=payload.unit_id,
        total=payload.total, breakdown=payload.breakdown, method=payload.method,
        version=event.stream_version))


async def unit_registered(connection: AsyncConnection, event: StoredEvent,
                          payload: EventPayload) -> None:
    assert isinstance(payload, UnitRegistered)
    await connection.execute(units.insert().values(
        province=event.province, unit_id=payload.unit_id, name=payload.name))


async def bloc_established(connection: AsyncConnection, event: StoredEvent,
                           payload: EventPayload) -> None:
    assert isinstance(payload, BlocEstablished)
    await connection.execute(blocs.insert().values(
        province=event.province, bloc_id=payload.bloc_id, name=payload.name))


async def unit_joined_bloc(connection: AsyncConnection, event: StoredEvent,
                           payload: EventPayload) -> None:
    assert isinstance(payload, UnitJoinedBloc)
    await connection.execute(members.insert().values(
        province=event.province, bloc_id=payload.bloc_id, unit_id=payload.unit_id,
        joined_on=payload.effective_on))


OWN_EVENTS: dict[str, Handler] = {"UnitScored": unit_scored}
async def unit_renamed(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, UnitRenamed)
    await connection.execute(update(units).where(units.c.province == event.province, units.c.unit_id == payload.unit_id)
                             .values(name=payload.name))


async def unit_left_bloc(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, UnitLeftBloc)
    await connection.execute(update(members).where(
        members.c.province == event.province, members.c.bloc_id == payload.bloc_id,
        members.c.unit_id == payload.unit_id, members.c.left_on.is_(None),
    ).values(left_on=payload.effective_on))


REGISTRY_EVENTS: dict[str, Handler] = {
    "UnitRegistered": unit_registered,
    "UnitRenamed": unit_renamed,
    "BlocEstablished": bloc_established,
    "UnitJoinedBloc": unit_joined_bloc,
    "UnitLeftBloc": unit_left_bloc,
}
