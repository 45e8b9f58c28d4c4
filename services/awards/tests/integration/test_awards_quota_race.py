"""Two proposals at once for the last place of a quota: one is recorded, the other refused, on both backends."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import func, select

from awards.adapters import facts, queries
from awards.adapters.projections import OWN_EVENTS
from awards.adapters.tables import members, proposals, scores, units, votes
from awards.application import handlers
from awards.bootstrap import SERVICE
from awards.domain.commands import ProposeAward
from thidua_shared.context import CommandContext
from thidua_shared.envelope import Actor
from thidua_shared.errors import Conflict
from thidua_shared.projection import Projector
from thidua_shared.service import execute
from thidua_shared.store import migrate
from thidua_shared.store.db import create_engine
from thidua_shared.unit_of_work import SqlUnitOfWork


async def test_two_concurrent_proposals_cannot_both_take_the_one_provincial_flag(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations])
        async with engine.begin() as connection:
            await connection.execute(units.insert().values(province="HNM", unit_id="u", name="U"))
            await connection.execute(members.insert().values(province="HNM", bloc_id="k", unit_id="u",
                                                             joined_on=date(2023, 1, 1)))
            await connection.execute(scores.insert().values(province="HNM", bloc_id="k", year=2023, unit_id="u",
                                                            total=95.0, source_event_id="e", rank=1))
            await connection.execute(votes.insert().values(
                province="HNM", vote_id="v", bloc_id="k", year=2023, award_code="PROV_FLAG", candidates=["u"],
                members=1, threshold=0.5, voters=["u"], state="closed", honoured=["u"]))
        projector = Projector(OWN_EVENTS)
        context = CommandContext("HNM", Actor(id="secretary", role="bloc_secretary"), "race")

        async def propose(proposal_id: str) -> str:
            command = ProposeAward(proposal_id=proposal_id, unit_id="u", year=2023, award_code="PROV_FLAG",
                                   bloc_id="k", filed_on=date(2024, 1, 5))
            try:
                await execute(lambda: SqlUnitOfWork(engine, "awards", projector), handlers.propose_award, command,
                              context, queries.score_lookup, queries.unit_lookup, facts.adopted_rulebooks,
                              facts.gather_facts, facts.quota_lock, lambda _: date.today)
            except Conflict as refused:
                return str(refused.params["problems"][0]["params"]["used"])
            return "recorded"

        outcomes = await asyncio.gather(*(propose(f"p-{index}") for index in range(4)))
        async with engine.connect() as connection:
            recorded = await connection.scalar(select(func.count()).select_from(proposals))
    finally:
        await engine.dispose()
    assert sorted(outcomes) == ["1", "1", "1", "recorded"], "the others are told the quota is used: 1 of 1"
    assert recorded == 1
