"""Forwardings at once for the last places of a quota, or proposals of the same award twice: the quota's number
is forwarded, one proposal is recorded, the others refused, on both backends."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from awards.adapters.projections import OWN_EVENTS
from awards.adapters.tables import members, proposals, scores, standings, target_results, units, votes
from awards.application import handlers
from awards.application.unit_of_work import AwardsUnitOfWork
from awards.bootstrap import SERVICE, commands
from awards.domain.commands import Document, ForwardToCentral, ProposeAward, RecordCouncilVote
from thidua_contracts.envelope import Actor
from thidua_shared.command_runner import CommandRunner
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict
from thidua_shared.store import migrate
from thidua_shared.store.db import create_engine
from thidua_shared.unit_of_work import SqlUnitOfWork

BLOCS = tuple(f"k{index}" for index in range(1, 11))
CONTEXT = CommandContext("HNM", Actor(id="staff", role="admin"), "race")


async def _province(engine: AsyncEngine) -> None:
    """Ten blocs, each led by its unit u-kN, honoured for the Government flag and meeting the provincial flag's
    standard (its targets exceeded, its unity and its Party organisation attested), rated excellent, its members'
    titles attested."""
    await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations])
    attested = {fact: {"ref": "BB 1", "on": "2024-01-03", "note": None}
                for fact in ("internal_unity", "party_excellent", "member_titles")}
    async with engine.begin() as connection:
        for bloc_id in BLOCS:
            unit_id = f"u-{bloc_id}"
            await connection.execute(units.insert().values(province="HNM", unit_id=unit_id, name=unit_id))
            await connection.execute(members.insert().values(province="HNM", bloc_id=bloc_id, unit_id=unit_id,
                                                             joined_on=date(2023, 1, 1)))
            await connection.execute(scores.insert().values(province="HNM", bloc_id=bloc_id, year=2023,
                                                            unit_id=unit_id, total=95.0, source_event_id="e", rank=1))
            await connection.execute(votes.insert().values(
                province="HNM", vote_id=f"v-{bloc_id}", bloc_id=bloc_id, year=2023, award_code="GOV_FLAG",
                candidates=[unit_id], members=1, threshold=0.5, voters=[unit_id], state="closed",
                honoured=[unit_id]))
            await connection.execute(standings.insert().values(province="HNM", unit_id=unit_id, year=2023,
                                                               rating="excellent", attested=attested, history=[]))
            await connection.execute(target_results.insert().values(
                province="HNM", unit_id=unit_id, year=2023, bloc_id=bloc_id, recorded_on=date(2023, 12, 20),
                results=[{"code": "t1", "attained": True, "percent": 110.0}]))


def _run(engine: AsyncEngine) -> CommandRunner[AwardsUnitOfWork]:
    return commands(lambda: SqlUnitOfWork(engine, "awards", OWN_EVENTS))


async def test_the_government_flags_two_places_go_to_two_of_ten_leaders_forwarded_at_once(
        database_url: str) -> None:
    """Ten nominees are filed and approved (the council compares them); 20% of ten qualifying leaders is two."""
    engine = create_engine(database_url)
    try:
        await _province(engine)
        run_command = _run(engine)
        for bloc_id in BLOCS:
            await run_command(handlers.propose_award, ProposeAward(
                proposal_id=f"gov-{bloc_id}", unit_id=f"u-{bloc_id}", year=2023, award_code="GOV_FLAG",
                bloc_id=bloc_id, filed_on=date(2024, 1, 5),
                documents=[Document(kind=kind, ref="TTr 1") for kind in ("submission", "achievement_report")]),
                CONTEXT)
            await run_command(handlers.record_council_vote, RecordCouncilVote(
                proposal_id=f"gov-{bloc_id}", members=20, present=20, approve=18, reject=2, written_votes=0,
                held_on=date(2024, 2, 1)), CONTEXT)

        async def forward(bloc_id: str) -> str:
            try:
                await run_command(handlers.forward_to_central, ForwardToCentral(
                    proposal_id=f"gov-{bloc_id}", dossier_ref="TTr 45", forwarded_on=date(2024, 3, 1),
                    documents=[Document(kind="council_minutes", ref="BB 7")]), CONTEXT)
            except Conflict as refused:
                return f"{refused.code}: {refused.params['problems'][0]['params']['used']} used"
            return "forwarded"

        outcomes = await asyncio.gather(*(forward(bloc_id) for bloc_id in BLOCS))
        async with engine.connect() as connection:
            forwarded = await connection.scalar(select(func.count()).select_from(proposals).where(
                proposals.c.award_code == "GOV_FLAG", proposals.c.state == "forwarded"))
    finally:
        await engine.dispose()
    assert sorted(outcomes) == ["forwarded"] * 2 + ["proposal.forward_over_quota: 2 used"] * 8
    assert forwarded == 2


async def _race(engine: AsyncEngine, proposed: list[tuple[str, str, str]]) -> list[str]:
    """Propose (proposal, unit, form) all at once; each one's outcome: recorded, or the refusal's code."""
    run_command = _run(engine)

    async def propose(proposal_id: str, unit_id: str, award_code: str) -> str:
        command = ProposeAward(proposal_id=proposal_id, unit_id=unit_id, year=2023, award_code=award_code,
                               bloc_id=unit_id.removeprefix("u-"), filed_on=date(2024, 1, 5))
        try:
            await run_command(handlers.propose_award, command, CONTEXT)
        except Conflict as refused:
            problems = refused.params.get("problems", [])
            return f"{refused.code}: {problems[0]['params']['used']} used" if problems else refused.code
        return "recorded"

    return list(await asyncio.gather(*(propose(*arguments) for arguments in proposed)))


async def test_the_same_award_proposed_ten_times_at_once_is_recorded_once(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await _province(engine)
        outcomes = await _race(engine, [(f"excellent-{index}", "u-k1", "EXCELLENT_COLLECTIVE") for index in range(10)])
    finally:
        await engine.dispose()
    assert sorted(outcomes) == ["proposal.duplicate"] * 9 + ["recorded"]
