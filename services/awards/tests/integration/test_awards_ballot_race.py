"""Ballots of one honouring vote cast at once: every member's is counted, a second one of the same member
refused for having voted, and the tally sees every ballot; on both backends."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from awards.adapters.projections import OWN_EVENTS
from awards.adapters.tables import members, sealed_ballots, units
from awards.application import votes
from awards.application.unit_of_work import AwardsUnitOfWork
from awards.bootstrap import SERVICE, commands
from awards.domain.commands import CastBallot, CloseHonoringVote, OpenHonoringVote
from thidua_contracts.envelope import Actor
from thidua_shared.command_runner import CommandRunner
from thidua_shared.context import CommandContext
from thidua_shared.errors import UserError
from thidua_shared.store import ConcurrencyConflict, migrate
from thidua_shared.store.db import create_engine
from thidua_shared.store.tables import events
from thidua_shared.unit_of_work import SqlUnitOfWork

MEMBERS = [f"m{index}" for index in range(10)]


def _commands(engine: AsyncEngine) -> CommandRunner[AwardsUnitOfWork]:
    """Commands run as the service runs them (its bootstrap's wiring), on ``engine``."""
    return commands(lambda: SqlUnitOfWork(engine, "awards", OWN_EVENTS))


def _context(unit_id: str) -> CommandContext:
    return CommandContext("HNM", Actor(id=unit_id, role="unit_officer"), "race")


async def _open_vote(engine: AsyncEngine) -> None:
    """Ten members of bloc k in 2023, and an open vote on the certificate of merit for m0."""
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations])
    async with engine.begin() as connection:
        await connection.execute(units.insert(), [{"province": "HNM", "unit_id": unit_id, "name": unit_id}
                                                  for unit_id in MEMBERS])
        await connection.execute(members.insert(), [
            {"province": "HNM", "bloc_id": "k", "unit_id": unit_id, "joined_on": date(2023, 1, 1)}
            for unit_id in MEMBERS])
    command = OpenHonoringVote(vote_id="v", bloc_id="k", year=2023, award_code="PROV_MERIT", candidates=["m0"])
    await _commands(engine)(votes.open_vote, command,
                            CommandContext("HNM", Actor(id="secretary", role="bloc_secretary"), "open"))


async def _cast(engine: AsyncEngine, voters: list[str]) -> list[str]:
    """Each voter's ballot for m0, all at once: recorded, or the refusal's status and code."""

    run_command = _commands(engine)

    async def cast(voter: str) -> str:
        try:
            await run_command(votes.cast_ballot, CastBallot(vote_id="v", voter_unit_id=voter, choices=["m0"]),
                              _context(voter))
        except UserError as refused:
            return f"{refused.status} {refused.code}"
        except ConcurrencyConflict:
            return "409 store.conflict"
        return "recorded"

    return list(await asyncio.gather(*(cast(voter) for voter in voters)))


async def _counts(engine: AsyncEngine) -> tuple[int, int]:
    """The sealed ballots and the BallotCast events."""
    async with engine.connect() as connection:
        sealed = await connection.scalar(select(func.count()).select_from(sealed_ballots))
        cast = await connection.scalar(select(func.count()).select_from(events).where(
            events.c.event_type == "BallotCast"))
    return int(sealed or 0), int(cast or 0)


async def test_ten_members_voting_at_once_are_all_counted(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await _open_vote(engine)
        outcomes = await _cast(engine, MEMBERS)
        counts = await _counts(engine)
        closed = await _commands(engine)(votes.close_vote, CloseHonoringVote(vote_id="v"), _context("secretary"))
    finally:
        await engine.dispose()
    assert outcomes == ["recorded"] * 10, "no member's ballot is refused because another voted at the same time"
    assert counts == (10, 10)
    assert [event.event_type for event in closed.events] == ["HonoringVoteClosed"]


async def test_a_member_voting_ten_times_at_once_is_counted_once(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await _open_vote(engine)
        outcomes = await _cast(engine, ["m3"] * 10)
        counts = await _counts(engine)
    finally:
        await engine.dispose()
    assert sorted(outcomes) == ["409 vote.already_voted"] * 9 + ["recorded"]
    assert counts == (1, 1), "nothing of a refused ballot is kept"
