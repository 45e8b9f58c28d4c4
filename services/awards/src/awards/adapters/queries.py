"""Reads of the awards read models."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from awards.adapters.facts import lineage
from awards.adapters.tables import blocs, freezes, proposals, scores, standings, units, votes
from awards.application.ports import ScoreLookup, UnitKnown
from awards.domain.what_if import FiledProposal


def score_lookup(connection: AsyncConnection) -> ScoreLookup:
    """A unit's final score and published rank, as the read model knows them, in the command's transaction."""

    async def final_score(province: str, bloc_id: str, year: int, unit_id: str) -> tuple[float, int | None] | None:
        row = (await connection.execute(select(scores.c.total, scores.c.rank).where(
            scores.c.province == province, scores.c.bloc_id == bloc_id, scores.c.year == year,
            scores.c.unit_id == unit_id))).first()
        return (float(row.total), row.rank) if row is not None else None

    return final_score


def unit_lookup(connection: AsyncConnection) -> UnitKnown:
    """Whether the registry has told awards of the unit (read in the command's own transaction)."""

    async def unit_exists(province: str, unit_id: str) -> bool:
        found = await connection.scalar(
            select(units.c.unit_id).where(units.c.province == province, units.c.unit_id == unit_id))
        return found is not None

    return unit_exists


def _plain(row: Any) -> dict[str, Any]:
    return {key: value for key, value in dict(row._mapping).items() if key != "province"}


async def proposals_board(connection: AsyncConnection, province: str, year: int | None = None,
                          state: str | None = None, bloc_id: str | None = None,
                          award_code: str | None = None) -> dict[str, Any]:
    """The province's proposals, filtered, with counts by state, by bloc and by form."""
    query = select(proposals).where(proposals.c.province == province)
    for column, value in ((proposals.c.year, year), (proposals.c.state, state), (proposals.c.bloc_id, bloc_id),
                          (proposals.c.award_code, award_code)):
        if value is not None:
            query = query.where(column == value)
    rows = [_plain(row) for row in await connection.execute(
        query.order_by(proposals.c.year, proposals.c.bloc_id, proposals.c.award_code, proposals.c.proposal_id))]
    counts: dict[str, dict[str, int]] = {"by_state": {}, "by_bloc": {}, "by_form": {}}
    for row in rows:
        for group, key in (("by_state", row["state"]), ("by_bloc", row["bloc_id"] or "-"),
                           ("by_form", row["award_code"])):
            counts[group][key] = counts[group].get(key, 0) + 1
    return {"proposals": rows, **counts}


async def get_proposal(connection: AsyncConnection, province: str, proposal_id: str) -> dict[str, Any] | None:
    row = (await connection.execute(select(proposals).where(
        proposals.c.province == province, proposals.c.proposal_id == proposal_id))).first()
    return _plain(row) if row is not None else None


async def unit_awards(connection: AsyncConnection, province: str, unit_id: str) -> dict[str, Any] | None:
    """A unit's proposals and awards over the years, its predecessors' (merged into it) included."""
    found = await connection.scalar(select(units.c.unit_id).where(units.c.province == province,
                                                                  units.c.unit_id == unit_id))
    if found is None:
        return None
    family = await lineage(connection, province, unit_id)
    rows = await connection.execute(select(proposals).where(
        proposals.c.province == province, proposals.c.unit_id.in_(family)).order_by(
        proposals.c.year, proposals.c.award_code, proposals.c.proposal_id))
    frozen = await connection.execute(select(freezes).where(
        freezes.c.province == province, freezes.c.subject == "unit", freezes.c.subject_id == unit_id))
    return {"unit_id": unit_id, "predecessors": [other for other in family if other != unit_id],
            "awards": [{**_plain(row), "via": row.unit_id if row.unit_id != unit_id else None} for row in rows],
            "freezes": [_plain(row) for row in frozen]}


async def bloc_ranking(connection: AsyncConnection, province: str, bloc_id: str, year: int) -> list[dict[str, Any]]:
    rows = await connection.execute(select(scores.c.unit_id, scores.c.rank, scores.c.total,
                                           scores.c.ranking_version).where(
        scores.c.province == province, scores.c.bloc_id == bloc_id, scores.c.year == year)
        .order_by(scores.c.rank, scores.c.unit_id))
    return [dict(row._mapping) for row in rows]


async def list_freezes(connection: AsyncConnection, province: str) -> list[dict[str, Any]]:
    rows = await connection.execute(select(freezes).where(freezes.c.province == province)
                                    .order_by(freezes.c.unit_id, freezes.c.frozen_on))
    return [_plain(row) for row in rows]


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


async def list_votes(connection: AsyncConnection, province: str, bloc_id: str | None = None, year: int | None = None,
                     state: str | None = None) -> list[dict[str, Any]]:
    """The province's honouring votes, a bloc's or a year's or in one state, by bloc, year and vote."""
    query = select(votes).where(votes.c.province == province)
    for column, value in ((votes.c.bloc_id, bloc_id), (votes.c.year, year), (votes.c.state, state)):
        if value is not None:
            query = query.where(column == value)
    rows = await connection.execute(query.order_by(votes.c.bloc_id, votes.c.year, votes.c.vote_id))
    return [{key: value for key, value in dict(row._mapping).items() if key != "province"} for row in rows]


async def get_standing(connection: AsyncConnection, province: str, unit_id: str, year: int) -> dict[str, Any] | None:
    row = (await connection.execute(select(standings).where(
        standings.c.province == province, standings.c.unit_id == unit_id, standings.c.year == year))).first()
    return _plain(row) if row is not None else None


async def unit_names(connection: AsyncConnection, province: str) -> dict[str, str]:
    rows = await connection.execute(select(units.c.unit_id, units.c.name).where(units.c.province == province))
    return {str(row.unit_id): str(row.name) for row in rows}


async def bloc_names(connection: AsyncConnection, province: str) -> dict[str, str]:
    rows = await connection.execute(select(blocs.c.bloc_id, blocs.c.name).where(blocs.c.province == province))
    return {str(row.bloc_id): str(row.name) for row in rows}


async def filed_proposals(connection: AsyncConnection, province: str, bloc_id: str,
                          year: int | None = None) -> list[FiledProposal]:
    """The bloc's proposals (of ``year``, or of every year), whatever became of them, each with the rulebook
    version pinned on it at filing."""
    query = select(proposals.c.proposal_id, proposals.c.unit_id, proposals.c.year, proposals.c.award_code,
                   proposals.c.bloc_id, proposals.c.rule_version).where(
        proposals.c.province == province, proposals.c.bloc_id == bloc_id)
    if year is not None:
        query = query.where(proposals.c.year == year)
    rows = await connection.execute(query.order_by(proposals.c.year, proposals.c.award_code, proposals.c.proposal_id))
    return [FiledProposal(str(row.proposal_id), str(row.unit_id), int(row.year), str(row.award_code),
                          None if row.bloc_id is None else str(row.bloc_id), str(row.rule_version)) for row in rows]
