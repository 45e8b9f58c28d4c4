"""Reads of scoring's read models."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from scoring.adapters.tables import blocs, members, scores, units


def membership_check(connection: AsyncConnection) -> Callable[[str, str, int, str], Awaitable[bool]]:
    """Membership as the read model knows it, read in the command's own transaction."""

    async def is_member(province: str, bloc_id: str, year: int, unit_id: str) -> bool:
        """Member of the bloc on any day of the year."""
        found = await connection.scalar(
            select(members.c.unit_id).where(
                members.c.province == province, members.c.bloc_id == bloc_id,
                members.c.unit_id == unit_id, members.c.joined_on <= date(year, 12, 31),
                or_(members.c.left_on.is_(None), members.c.left_on > date(year, 1, 1))))
        return found is not None

    return is_member


async def bloc_members(connection: AsyncConnection, province: str, bloc_id: str) -> list[dict[str, Any]]:
    rows = await connection.execute(
        select(members.c.unit_id, units.c.name, members.c.joined_on, members.c.left_on)
        .join(units, (units.c.province == members.c.province) & (units.c.unit_id == members.c.unit_id),
              isouter=True)
        .where(members.c.province == province, members.c.bloc_id == bloc_id)
        .order_by(members.c.unit_id))
    return [dict(row._mapping) for row in rows]


async def scoreboard(connection: AsyncConnection, province: str, bloc_id: str,
                     year: int) -> dict[str, Any]:
    bloc = (await connection.execute(
        select(blocs.c.name).where(blocs.c.province == province, blocs.c.bloc_id == bloc_id))).first()
    rows = await connection.execute(
        select(scores.c.unit_id, scores.c.total, scores.c.breakdown, scores.c.method, scores.c.version)
        .where(scores.c.province == province, scores.c.bloc_id == bloc_id, scores.c.year == year)
        .order_by(scores.c.total.desc(), scores.c.unit_id))
    return {
        "bloc_id": bloc_id, "bloc_name": bloc[0] if bloc else None, "year": year,
        "members": await bloc_members(connection, province, bloc_id),
        "scores": [dict(row._mapping) for row in rows],
    }
