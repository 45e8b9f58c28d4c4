"""An awards instance that already holds proposals and units upgrades without losing any, on both backends."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from awards.adapters.facts import gather_facts
from awards.adapters.tables import proposals, units
from awards.bootstrap import SERVICE
from awards.domain.rulebook import NATIONAL_DEFAULTS
from thidua_shared.store import migrate
from thidua_shared.store.db import create_engine


async def test_proposals_and_units_of_before_the_workflow_keep_everything(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations], target="awards_0004")
        async with engine.begin() as connection:
            await connection.execute(units.insert().values(province="HNM", unit_id="ubkt", name="UBKT"))
            await connection.execute(proposals.insert().values(
                province="HNM", proposal_id="p-1", bloc_id="k", year=2023, unit_id="ubkt",
                award_code="EXCELLENT_COLLECTIVE", state="proposed", total=91.0, rank=3, rule_version="VN-98-2023",
                proposed_at="2024-01-05T00:00:00Z"))
        await migrate.upgrade(engine, [migrate.STORE_VERSIONS, SERVICE.migrations])
        async with engine.connect() as connection:
            unit = (await connection.execute(select(units))).one()
            proposal = (await connection.execute(select(proposals))).one()
            facts = await _facts(connection)
    finally:
        await engine.dispose()
    assert (unit.unit_id, unit.name, unit.status, unit.merged_into) == ("ubkt", "UBKT", "active", None)
    assert (proposal.proposal_id, proposal.state, proposal.total, proposal.rank) == ("p-1", "proposed", 91.0, 3)
    assert proposal.decision is None
    assert facts == ("active", {(2023, "EXCELLENT_COLLECTIVE"): "proposed"}), "the old rows feed the new rules"


async def _facts(connection: AsyncConnection) -> tuple[str, dict[tuple[int, str], str]]:
    form = NATIONAL_DEFAULTS[0].form("PROV_MERIT")
    assert form is not None
    found = await gather_facts(connection)("HNM", "ubkt", 2024, form, None, "proposal", None)
    return found.unit_status, found.held
