"""Reads of the registry's read models and history."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from registry.adapters.tables import (
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
from thidua_shared.history import history as stream_history


async def province_codes(connection: AsyncConnection, code: str) -> list[str]:
    """The province and, transitively, every province that merged into it."""
    found, frontier = [code], [code]
    while frontier:
        rows = await connection.execute(select(province_lineage.c.predecessor_code)
                                        .where(province_lineage.c.code.in_(frontier)))
        frontier = [str(each) for each in rows.scalars() if each not in found]
        found += frontier
    return found


async def list_units(connection: AsyncConnection, province: str) -> list[dict[str, Any]]:
    """The province's units, with those of the provinces that merged into it."""
    codes = await province_codes(connection, province)
    rows = await connection.execute(
        select(units).where(units.c.province.in_(codes)).order_by(units.c.unit_id, units.c.province))
    return [dict(row._mapping) for row in rows]


async def get_unit(connection: AsyncConnection, province: str, unit_id: str) -> dict[str, Any] | None:
    """The unit (of the province, or of a province that merged into it), the units that merged into it
    and the unit it merged into, if any."""
    codes = await province_codes(connection, province)
    found = (await connection.execute(
        select(units).where(units.c.province.in_(codes), units.c.unit_id == unit_id))).all()
    if not found:
        return None
    row = min(found, key=lambda candidate: codes.index(candidate.province))
    province = row.province
    before = await connection.execute(
        select(lineage.c.predecessor_id, lineage.c.effective_on, lineage.c.decision_ref)
        .where(lineage.c.province == province, lineage.c.unit_id == unit_id).order_by(lineage.c.predecessor_id))
    after = (await connection.execute(
        select(lineage.c.unit_id, lineage.c.effective_on, lineage.c.decision_ref)
        .where(lineage.c.province == province, lineage.c.predecessor_id == unit_id))).first()
    return {**dict(row._mapping), "predecessors": [dict(item._mapping) for item in before],
            "merged_into": dict(after._mapping) if after else None}


async def lineage_of(connection: AsyncConnection, province: str, unit_id: str) -> list[str]:
    """The unit and, transitively, every unit that merged into it."""
    found, frontier = [unit_id], [unit_id]
    while frontier:
        rows = await connection.execute(select(lineage.c.predecessor_id).where(
            lineage.c.province == province, lineage.c.unit_id.in_(frontier)))
        frontier = [str(predecessor) for predecessor in rows.scalars() if predecessor not in found]
        found += frontier
    return found


async def unit_roles(connection: AsyncConnection, province: str, unit_id: str) -> dict[str, Any]:
    """A unit's blocs and roles over time."""
    joined = await connection.execute(
        select(memberships.c.bloc_id, blocs.c.kind, memberships.c.joined_on, memberships.c.left_on,
               memberships.c.decision_ref)
        .join(blocs, (blocs.c.province == memberships.c.province) & (blocs.c.bloc_id == memberships.c.bloc_id))
        .where(memberships.c.province == province, memberships.c.unit_id == unit_id)
        .order_by(memberships.c.joined_on))
    roles = await connection.execute(
        select(leadership.c.bloc_id, leadership.c.year, leadership.c.role, leadership.c.elected_on)
        .where(leadership.c.province == province, leadership.c.unit_id == unit_id)
        .order_by(leadership.c.year, leadership.c.role))
    return {"unit_id": unit_id, "memberships": [dict(row._mapping) for row in joined],
            "roles": [dict(row._mapping) for row in roles]}


async def blocs_of_year(connection: AsyncConnection, province: str, year: int) -> list[dict[str, Any]]:
    """The blocs that have members during ``year``, with their member counts."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows = await connection.execute(
        select(blocs.c.bloc_id, blocs.c.name, blocs.c.kind, func.count(memberships.c.unit_id).label("members"))
        .join(memberships, (memberships.c.province == blocs.c.province) & (memberships.c.bloc_id == blocs.c.bloc_id))
        .where(blocs.c.province == province, memberships.c.joined_on <= last,
               or_(memberships.c.left_on.is_(None), memberships.c.left_on > first))
        .group_by(blocs.c.bloc_id, blocs.c.name, blocs.c.kind).order_by(blocs.c.bloc_id))
    return [dict(row._mapping) for row in rows]


async def list_blocs(connection: AsyncConnection, province: str) -> list[dict[str, Any]]:
    """The province's blocs, with those of the provinces that merged into it."""
    codes = await province_codes(connection, province)
    rows = await connection.execute(
        select(blocs).where(blocs.c.province.in_(codes)).order_by(blocs.c.bloc_id, blocs.c.province))
    return [dict(row._mapping) for row in rows]


async def get_bloc(connection: AsyncConnection, province: str, bloc_id: str,
                   on: date) -> dict[str, Any] | None:
    row = (await connection.execute(
        select(blocs).where(blocs.c.province == province, blocs.c.bloc_id == bloc_id))).first()
    if row is None:
        return None
    members = await connection.execute(
        select(memberships.c.unit_id, memberships.c.joined_on, memberships.c.left_on,
               memberships.c.decision_ref)
        .where(memberships.c.province == province, memberships.c.bloc_id == bloc_id,
               memberships.c.joined_on <= on,
               or_(memberships.c.left_on.is_(None), memberships.c.left_on > on))
        .order_by(memberships.c.unit_id))
    leaders = await connection.execute(
        select(leadership).where(leadership.c.province == province, leadership.c.bloc_id == bloc_id)
        .order_by(leadership.c.year, leadership.c.role))
    supervisor = (await connection.execute(
        select(supervisors.c.year, supervisors.c.person_name, supervisors.c.title)
        .where(supervisors.c.province == province, supervisors.c.bloc_id == bloc_id, supervisors.c.year == on.year)
    )).first()
    handed = await connection.execute(
        select(handovers.c.year, handovers.c.from_unit_id, handovers.c.to_unit_id, handovers.c.handed_over_on)
        .where(handovers.c.province == province, handovers.c.bloc_id == bloc_id).order_by(handovers.c.year))
    of_year = {leader.role: leader.unit_id for leader in (await connection.execute(
        select(leadership.c.role, leadership.c.unit_id).where(
            leadership.c.province == province, leadership.c.bloc_id == bloc_id, leadership.c.year == on.year)))}
    return {
        **dict(row._mapping),
        "as_of": on,
        "chair": of_year.get("chair"),
        "vice_chair": of_year.get("vice_chair"),
        "supervisor": dict(supervisor._mapping) if supervisor else None,
        "handovers": [dict(item._mapping) for item in handed],
        "members": [dict(member._mapping) for member in members],
        "leadership": [
            {key: value for key, value in dict(leader._mapping).items() if key != "province"}
            for leader in leaders
        ],
    }


async def history(connection: AsyncConnection, *stream_ids: str) -> list[dict[str, Any]]:
    """Every event of the streams, in the order they were recorded, with the hash chain."""
    return await stream_history(connection, "registry", *stream_ids)


class SqlBlocsOfUnit:
    """The application's :class:`~registry.application.unit_of_work.BlocsOfUnit`, read from the memberships
    read model in the command's own transaction."""

    def __init__(self, connection: AsyncConnection, province: str) -> None:
        self._connection = connection
        self._province = province

    async def __call__(self, unit_id: str, day: date) -> list[tuple[str, str]]:
        rows = await self._connection.execute(
            select(memberships.c.bloc_id, blocs.c.kind)
            .join(blocs, (blocs.c.province == memberships.c.province) & (blocs.c.bloc_id == memberships.c.bloc_id))
            .where(memberships.c.province == self._province, memberships.c.unit_id == unit_id,
                   or_(memberships.c.left_on.is_(None), memberships.c.left_on > day))
            .order_by(memberships.c.bloc_id))
        return [(str(bloc_id), str(kind)) for bloc_id, kind in rows]


async def get_province(connection: AsyncConnection, code: str) -> dict[str, Any] | None:
    """The province, its settings, the provinces merged into it and the one it merged into."""
    row = (await connection.execute(select(provinces).where(provinces.c.code == code))).first()
    if row is None:
        return None
    before = await connection.execute(
        select(province_lineage.c.predecessor_code, province_lineage.c.effective_on, province_lineage.c.legal_basis)
        .where(province_lineage.c.code == code).order_by(province_lineage.c.predecessor_code))
    after = (await connection.execute(
        select(province_lineage.c.code, province_lineage.c.effective_on, province_lineage.c.legal_basis)
        .where(province_lineage.c.predecessor_code == code))).first()
    return {**dict(row._mapping), "merged_from": [dict(item._mapping) for item in before],
            "merged_into": dict(after._mapping) if after else None}
