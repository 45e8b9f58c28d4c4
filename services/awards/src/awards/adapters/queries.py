"""Reads of the awards read models."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from awards.adapters.tables import proposals, scores, units, votes


def score_lookup(connection: AsyncConnection,
                 ) -> Callable[[str, str, int, str], Awaitable[tuple[float, int | None] | None]]:
    """A unit's final score and published rank, as the read model knows them, in the command's transaction."""

    async def final_score(province: str, bloc_id: str, year: int, unit_id: str) -> tuple[float, int | None] | None:
        row = (await connection.execute(select(scores.c.total, scores.c.rank).where(
            scores.c.province == province, scores.c.bloc_id == bloc_id, scores.c.year == year,
            scores.c.unit_id == unit_id))).first()
        return (float(row.total), row.rank) if row is not None else None

    return final_score


def unit_lookup(connection: AsyncConnection) -> Callable[[str, str], Awaitable[bool]]:
    """Whether the registry has told awards of the unit (read in the command's own transaction)."""

    async def unit_exists(province: str, unit_id: str) -> bool:
        found = await connection.scalar(
            select(units.c.unit_id).where(units.c.province == province, units.c.unit_id == unit_id))
        return found is not None

    return unit_exists


async def proposals_board(connection: AsyncConnection, province: str,
                          year: int | None) -> list[dict[str, Any]]:
    query = select(proposals).where(proposals.c.province == province)
    if year is not None:
        query = query.where(proposals.c.year == year)
    rows = await connection.execute(query.order_by(proposals.c.year, proposals.c.proposal_id))
    return [dict(row._mapping) for row in rows]


async def known_scores(connection: AsyncConnection, province: str) -> list[dict[str, Any]]:
    rows = await connection.execute(select(scores).where(scores.c.province == province)
                                    .order_by(scores.c.bloc_id, scores.c.year, scores.c.total.desc()))
    return [dict(row._mapping) for row in rows]


async def known_units(connection: AsyncConnection, province: str) -> list[dict[str, Any]]:
    rows = await connection.execute(select(units).where(units.c.province == province).order_by(units.c.unit_id))
    return [dict(row._mapping) for row in rows]


async def get_vote(connection: AsyncConnection, province: str, vote_id: str) -> dict[str, Any] | None:
    row = (await connection.execute(select(votes).where(votes.c.province == province,
                                                        votes.c.vote_id == vote_id))).first()
    if row is None:
        return None
    return {key: value for key, value in dict(row._mapping).items() if key != "province"}
