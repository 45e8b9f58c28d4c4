"""Sealed ballots: the choices of a vote, kept apart from who made them."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from awards.adapters.tables import members, sealed_ballots
from awards.application.ports import MembersOfYear, Seal, Unseal


def seal(connection: AsyncConnection) -> Seal:
    """Store one ballot's choices under a random key, with no voter and no time."""

    async def put(province: str, vote_id: str, choices: list[str]) -> None:
        await connection.execute(sealed_ballots.insert().values(
            province=province, vote_id=vote_id, ballot_id=str(uuid.uuid4()), choices=sorted(choices)))

    return put


def unseal(connection: AsyncConnection) -> Unseal:
    async def ballots(province: str, vote_id: str) -> list[list[str]]:
        rows = await connection.execute(select(sealed_ballots.c.choices).where(
            sealed_ballots.c.province == province, sealed_ballots.c.vote_id == vote_id))
        return [list(choices) for choices in rows.scalars()]

    return ballots


def members_of_year(connection: AsyncConnection) -> MembersOfYear:
    """The bloc's members during a year, as the registry told awards."""

    async def lookup(province: str, bloc_id: str, year: int) -> list[str]:
        rows = await connection.execute(select(members.c.unit_id).distinct().where(
            members.c.province == province, members.c.bloc_id == bloc_id,
            members.c.joined_on <= date(year, 12, 31),
            or_(members.c.left_on.is_(None), members.c.left_on > date(year, 1, 1))))
        return sorted(str(unit_id) for unit_id in rows.scalars())

    return lookup
