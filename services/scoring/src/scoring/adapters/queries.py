"""Reads of scoring's read models."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from scoring.adapters.tables import (
    assessments,
    blocs,
    lineage,
    members,
    rankings,
    scores,
    scoring_tables,
    targets,
    units,
)


class SqlIsMember:
    """The application's :class:`~scoring.application.unit_of_work.IsMember`: membership as the read model
    knows it, read in the command's own transaction."""

    def __init__(self, connection: AsyncConnection, province: str) -> None:
        self._connection = connection
        self._province = province

    async def __call__(self, bloc_id: str, year: int, unit_id: str) -> bool:
        found = await self._connection.scalar(
            select(members.c.unit_id).where(
                members.c.province == self._province, members.c.bloc_id == bloc_id,
                members.c.unit_id == unit_id, members.c.joined_on <= date(year, 12, 31),
                or_(members.c.left_on.is_(None), members.c.left_on > date(year, 1, 1))))
        return found is not None


async def bloc_members(connection: AsyncConnection, province: str, bloc_id: str,
                       year: int) -> list[dict[str, Any]]:
    """The bloc's members during ``year`` (for any part of it)."""
    rows = await connection.execute(
        select(members.c.unit_id, units.c.name, members.c.joined_on, members.c.left_on)
        .join(units, (units.c.province == members.c.province) & (units.c.unit_id == members.c.unit_id),
              isouter=True)
        .where(members.c.province == province, members.c.bloc_id == bloc_id,
               members.c.joined_on <= date(year, 12, 31),
               or_(members.c.left_on.is_(None), members.c.left_on > date(year, 1, 1)))
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
    members_of_year = await bloc_members(connection, province, bloc_id, year)
    table = (await connection.execute(select(scoring_tables).where(
        scoring_tables.c.province == province, scoring_tables.c.bloc_id == bloc_id,
        scoring_tables.c.year == year))).first()
    done = (await connection.execute(select(assessments).where(
        assessments.c.province == province, assessments.c.bloc_id == bloc_id, assessments.c.year == year))).all()
    unit_ids = sorted({member["unit_id"] for member in members_of_year})
    ranked = (await connection.execute(select(rankings).where(
        rankings.c.province == province, rankings.c.bloc_id == bloc_id, rankings.c.year == year))).first()
    selves = {row.unit_id: row for row in done if row.kind == "self"}
    registered = {row.unit_id: row.targets for row in (await connection.execute(select(targets).where(
        targets.c.province == province, targets.c.bloc_id == bloc_id, targets.c.year == year))).all()}
    crosses = {(row.assessor_unit_id, row.unit_id): row for row in done if row.kind == "cross"}
    return {
        "bloc_id": bloc_id, "bloc_name": bloc[0] if bloc else None, "year": year,
        "members": members_of_year,
        "table": {key: value for key, value in dict(table._mapping).items() if key != "province"} if table else None,
        "self_assessments": {unit_id: {"scores": row.scores, "submissions": row.submissions,
                                       "submitted_at": row.submitted_at} for unit_id, row in selves.items()},
        "cross_assessments": [{"assessor_unit_id": assessor, "unit_id": unit_id, "scores": row.scores}
                              for (assessor, unit_id), row in sorted(crosses.items())],
        "targets": registered,
        "missing": {
            "targets": [unit_id for unit_id in unit_ids if unit_id not in registered],
            "self": [unit_id for unit_id in unit_ids if unit_id not in selves],
            "cross": [{"assessor_unit_id": assessor, "unit_id": unit_id} for assessor in unit_ids
                      for unit_id in unit_ids if assessor != unit_id and (assessor, unit_id) not in crosses],
        },
        "scores": [dict(row._mapping) for row in rows],
        "ranking": {key: value for key, value in dict(ranked._mapping).items() if key != "province"}
        if ranked else None,
    }


class SqlMembersOfYear:
    """The application's :class:`~scoring.application.unit_of_work.MembersOfYear`: the bloc's members during a
    year, as the read model knows them, in the command's own transaction."""

    def __init__(self, connection: AsyncConnection, province: str) -> None:
        self._connection = connection
        self._province = province

    async def __call__(self, bloc_id: str, year: int) -> list[str]:
        members_of_year = await bloc_members(self._connection, self._province, bloc_id, year)
        return sorted({member["unit_id"] for member in members_of_year})


async def unit_scores(connection: AsyncConnection, province: str, unit_id: str) -> dict[str, Any]:
    """A unit's final scores and published ranks across years, its predecessors' included (mergers)."""
    found, frontier = [unit_id], [unit_id]
    while frontier:
        rows = await connection.execute(select(lineage.c.predecessor_id).where(
            lineage.c.province == province, lineage.c.unit_id.in_(frontier)))
        frontier = [str(each) for each in rows.scalars() if each not in found]
        found += frontier
    finals = (await connection.execute(
        select(scores.c.unit_id, scores.c.bloc_id, scores.c.year, scores.c.total, scores.c.method)
        .where(scores.c.province == province, scores.c.unit_id.in_(found))
        .order_by(scores.c.year, scores.c.bloc_id, scores.c.unit_id))).all()
    published = {(row.bloc_id, row.year): row.ranking for row in (await connection.execute(
        select(rankings.c.bloc_id, rankings.c.year, rankings.c.ranking)
        .where(rankings.c.province == province))).all()}
    rank_of = {(bloc, year, entry["unit_id"]): entry["rank"]
               for (bloc, year), ranking in published.items() for entry in ranking}
    return {"unit_id": unit_id, "lineage": found, "years": [
        {**dict(row._mapping), "rank": rank_of.get((row.bloc_id, row.year, row.unit_id))} for row in finals]}
