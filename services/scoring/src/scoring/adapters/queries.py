"""Reads of scoring's read models."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, Table, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from scoring.adapters.tables import (
    assessments,
    blocs,
    lineage,
    members,
    rankings,
    scores,
    scoring_tables,
    target_results,
    targets,
    tie_resolutions,
    units,
)
from scoring.domain.membership import Membership


class SqlMembership:
    """The application's :class:`~scoring.application.unit_of_work.MembershipOf`: membership as the read model
    knows it, read in the command's own transaction."""

    def __init__(self, connection: AsyncConnection, province: str) -> None:
        self._connection = connection
        self._province = province

    async def __call__(self, bloc_id: str, year: int, unit_id: str) -> Membership:
        found = await self._connection.scalar(_MEMBER_IN_YEAR, {
            "province": self._province, "bloc_id": bloc_id, "unit_id": unit_id,
            "year_ends": date(year, 12, 31), "year_begins": date(year, 1, 1)})
        if found is not None:
            return Membership.MEMBER
        known = await self._connection.scalar(_UNIT_KNOWN, {"province": self._province, "unit_id": unit_id})
        return Membership.NOT_MEMBER if known is not None else Membership.UNKNOWN_UNIT


# Every score recorded asks these (built once: building an expression cost more than running it).
_IN_YEAR = (members.c.joined_on <= bindparam("year_ends"),
            or_(members.c.left_on.is_(None), members.c.left_on > bindparam("year_begins")))
_MEMBER_IN_YEAR = select(members.c.unit_id).where(
    members.c.province == bindparam("province"), members.c.bloc_id == bindparam("bloc_id"),
    members.c.unit_id == bindparam("unit_id"), *_IN_YEAR)
_UNIT_KNOWN = select(units.c.unit_id).where(units.c.province == bindparam("province"),
                                            units.c.unit_id == bindparam("unit_id"))


class SqlBlocKnown:
    """The application's :class:`~scoring.application.unit_of_work.BlocKnown`, in the command's transaction."""

    def __init__(self, connection: AsyncConnection, province: str) -> None:
        self._connection = connection
        self._province = province

    async def __call__(self, bloc_id: str) -> bool:
        found = await self._connection.scalar(_BLOC_KNOWN, {"province": self._province, "bloc_id": bloc_id})
        return found is not None


_BLOC_KNOWN = select(blocs.c.bloc_id).where(blocs.c.province == bindparam("province"),
                                            blocs.c.bloc_id == bindparam("bloc_id"))
_BLOC_MEMBERS = (
    select(members.c.unit_id, units.c.name, members.c.joined_on, members.c.left_on)
    .join(units, (units.c.province == members.c.province) & (units.c.unit_id == members.c.unit_id), isouter=True)
    .where(members.c.province == bindparam("province"), members.c.bloc_id == bindparam("bloc_id"), *_IN_YEAR)
    .order_by(members.c.unit_id))


async def bloc_members(connection: AsyncConnection, province: str, bloc_id: str,
                       year: int) -> list[dict[str, Any]]:
    """The bloc's members during ``year`` (for any part of it)."""
    rows = await connection.execute(_BLOC_MEMBERS, {
        "province": province, "bloc_id": bloc_id, "year_ends": date(year, 12, 31), "year_begins": date(year, 1, 1)})
    return [dict(row._mapping) for row in rows]


def _without_province(row: Row[Any]) -> dict[str, Any]:
    """A read model's row as its answer gives it (rows written before a column was added hold null in it)."""
    return {key: value for key, value in dict(row._mapping).items() if key != "province"}


async def scoreboard(connection: AsyncConnection, province: str, bloc_id: str,
                     year: int) -> dict[str, Any]:
    def of_bloc_year(table: Table) -> ColumnElement[bool]:
        return (table.c.province == province) & (table.c.bloc_id == bloc_id) & (table.c.year == year)

    bloc = (await connection.execute(
        select(blocs.c.name).where(blocs.c.province == province, blocs.c.bloc_id == bloc_id))).first()
    finals = [dict(row._mapping) for row in await connection.execute(
        select(scores.c.unit_id, scores.c.total, scores.c.breakdown, scores.c.method, scores.c.version, scores.c.band)
        .where(of_bloc_year(scores)).order_by(scores.c.total.desc(), scores.c.unit_id))]
    totals = [final["total"] for final in finals]
    members_of_year = await bloc_members(connection, province, bloc_id, year)
    table = (await connection.execute(select(scoring_tables).where(of_bloc_year(scoring_tables)))).first()
    done = (await connection.execute(select(assessments).where(of_bloc_year(assessments)))).all()
    unit_ids = sorted({member["unit_id"] for member in members_of_year})
    ranked = (await connection.execute(select(rankings).where(of_bloc_year(rankings)))).first()
    selves = {row.unit_id: row for row in done if row.kind == "self"}
    registered = {row.unit_id: row.targets for row in (await connection.execute(
        select(targets).where(of_bloc_year(targets)))).all()}
    results = {row.unit_id: {"results": row.results, "recorded_on": row.recorded_on} for row in (
        await connection.execute(select(target_results).where(of_bloc_year(target_results)))).all()}
    resolutions = [{"total": row.total, "order": row.unit_ids, "ground": row.ground, "reference": row.reference,
                    "resolved_on": row.resolved_on, "notes": row.notes} for row in (await connection.execute(
                        select(tie_resolutions).where(of_bloc_year(tie_resolutions))
                        .order_by(tie_resolutions.c.stream_version))).all()]
    crosses = {(row.assessor_unit_id, row.unit_id): row for row in done if row.kind == "cross"}
    verifying = table is not None and table.method == "verified_self"
    return {
        "bloc_id": bloc_id, "bloc_name": bloc[0] if bloc else None, "year": year,
        "members": members_of_year,
        "table": {**_without_province(table), "bands": table.bands or []} if table else None,
        "self_assessments": {unit_id: {"scores": row.scores, "submissions": row.submissions,
                                       "submitted_at": row.submitted_at, "verified_on": row.verified_on,
                                       "verified_by": row.verified_by, "verification_notes": row.verification_notes}
                             for unit_id, row in selves.items()},
        "cross_assessments": [{"assessor_unit_id": assessor, "unit_id": unit_id, "scores": row.scores}
                              for (assessor, unit_id), row in sorted(crosses.items())],
        "targets": registered,
        "target_results": results,
        "missing": {
            "targets": [unit_id for unit_id in unit_ids if unit_id not in registered],
            "target_results": [unit_id for unit_id in unit_ids if unit_id not in results],
            "self": [unit_id for unit_id in unit_ids if unit_id not in selves],
            "verifications": [unit_id for unit_id in unit_ids
                              if verifying and unit_id in selves and selves[unit_id].verified_on is None],
            "cross": [{"assessor_unit_id": assessor, "unit_id": unit_id} for assessor in unit_ids
                      for unit_id in unit_ids if assessor != unit_id and (assessor, unit_id) not in crosses],
        },
        "scores": [{**final, "tied": totals.count(final["total"]) > 1} for final in finals],
        "ranking": {**_without_province(ranked), "resolved_ties": ranked.resolved_ties or []} if ranked else None,
        "tie_resolutions": resolutions,
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
        select(scores.c.unit_id, scores.c.bloc_id, scores.c.year, scores.c.total, scores.c.method, scores.c.band)
        .where(scores.c.province == province, scores.c.unit_id.in_(found))
        .order_by(scores.c.year, scores.c.bloc_id, scores.c.unit_id))).all()
    published = {(row.bloc_id, row.year): row.ranking for row in (await connection.execute(
        select(rankings.c.bloc_id, rankings.c.year, rankings.c.ranking)
        .where(rankings.c.province == province))).all()}
    rank_of = {(bloc, year, entry["unit_id"]): entry["rank"]
               for (bloc, year), ranking in published.items() for entry in ranking}
    return {"unit_id": unit_id, "lineage": found, "years": [
        {**dict(row._mapping), "rank": rank_of.get((row.bloc_id, row.year, row.unit_id))} for row in finals]}
