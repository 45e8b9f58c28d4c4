"""Proposals at once for the last place of a quota, or for the same award twice: one is recorded, the others
refused, on both backends."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from awards.adapters.projections import OWN_EVENTS
from awards.adapters.tables import members, proposals, scores, units, votes
from awards.application import handlers
from awards.bootstrap import SERVICE, commands
from awards.domain.commands import ProposeAward
from thidua_contracts.envelope import Actor
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict
from thidua_shared.store import migrate
from thidua_shared.store.db import create_engine
from thidua_shared.unit_of_work import SqlUnitOfWork

BLOCS = tuple(f"k{index}" for index in range(1, 11))


async def _province(engine: AsyncEngine) -> None:
    """Ten blocs, each led by its unit u-kN, honoured for both flags and holding a provincial-flag proposal."""
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations])
    async with engine.begin() as connection:
        for bloc_id in BLOCS:
            unit_id = f"u-{bloc_id}"
            await connection.execute(units.insert().values(province="HNM", unit_id=unit_id, name=unit_id))
            await connection.execute(members.insert().values(province="HNM", bloc_id=bloc_id, unit_id=unit_id,
                                                             joined_on=date(2023, 1, 1)))
            await connection.execute(scores.insert().values(province="HNM", bloc_id=bloc_id, year=2023,
                                                            unit_id=unit_id, total=95.0, source_event_id="e", rank=1))
            for code in ("PROV_FLAG", "GOV_FLAG"):
                await connection.execute(votes.insert().values(
                    province="HNM", vote_id=f"v-{bloc_id}-{code}", bloc_id=bloc_id, year=2023, award_code=code,
                    candidates=[unit_id], members=1, threshold=0.5, voters=[unit_id], state="closed",
                    honoured=[unit_id]))
            await connection.execute(proposals.insert().values(
                province="HNM", proposal_id=f"flag-{bloc_id}", bloc_id=bloc_id, year=2023, unit_id=unit_id,
                award_code="PROV_FLAG", state="proposed", rule_version="VN-98-2023", proposed_at="2024-01-05"))


async def _race(engine: AsyncEngine, proposed: list[tuple[str, str, str]]) -> list[str]:
    """Propose (proposal, unit, form) all at once; each one's outcome: recorded, or the refusal's code."""
    run_command = commands(lambda: SqlUnitOfWork(engine, "awards", OWN_EVENTS))
    context = CommandContext("HNM", Actor(id="staff", role="admin"), "race")

    async def propose(proposal_id: str, unit_id: str, award_code: str) -> str:
        command = ProposeAward(proposal_id=proposal_id, unit_id=unit_id, year=2023, award_code=award_code,
                               bloc_id=unit_id.removeprefix("u-"), filed_on=date(2024, 1, 5))
        try:
            await run_command(handlers.propose_award, command, context)
        except Conflict as refused:
            problems = refused.params.get("problems", [])
            return f"{refused.code}: {problems[0]['params']['used']} used" if problems else refused.code
        return "recorded"

    return list(await asyncio.gather(*(propose(*arguments) for arguments in proposed)))


async def test_the_government_flags_two_places_go_to_two_of_ten_leaders_proposed_at_once(
        database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await _province(engine)
        outcomes = await _race(engine, [(f"gov-{bloc}", f"u-{bloc}", "GOV_FLAG") for bloc in BLOCS])
        async with engine.connect() as connection:
            recorded = await connection.scalar(select(func.count()).select_from(proposals).where(
                proposals.c.award_code == "GOV_FLAG"))
    finally:
        await engine.dispose()
    assert sorted(outcomes) == ["proposal.not_eligible: 2 used"] * 8 + ["recorded"] * 2, "20% of 10 blocs is two flags"
    assert recorded == 2


async def test_the_same_award_proposed_ten_times_at_once_is_recorded_once(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await _province(engine)
        outcomes = await _race(engine, [(f"excellent-{index}", "u-k1", "EXCELLENT_COLLECTIVE") for index in range(10)])
    finally:
        await engine.dispose()
    assert sorted(outcomes) == ["proposal.duplicate"] * 9 + ["recorded"]
