"""Awards read models: scoring's final scores, and its own proposals board."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncConnection

from awards.adapters.tables import proposals, scores, units
from thidua_shared.contracts import EventPayload
from thidua_shared.contracts.awards import AwardProposed
from thidua_shared.contracts.registry import UnitRegistered
from thidua_shared.contracts.scoring import RankingPublished, UnitScored
from thidua_shared.inbox import Handler
from thidua_shared.store import StoredEvent


async def unit_scored(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, UnitScored)
    await connection.execute(delete(scores).where(
        scores.c.province == event.province, scores.c.bloc_id == payload.bloc_id,
        scores.c.year == payload.year, scores.c.unit_id == payload.unit_id))
    await connection.execute(scores.insert().values(
        province=event.province, bloc_id=payload.bloc_id, year=payload.year, unit_id=payload.unit_id,
        total=payload.total, source_event_id=event.event_id))


async def award_proposed(connection: AsyncConnection, event: StoredEvent,
                         payload: EventPayload) -> None:
    assert isinstance(payload, AwardProposed)
    await connection.execute(proposals.insert().values(
        province=event.province, proposal_id=payload.proposal_id, bloc_id=payload.bloc_id,
        year=payload.year, unit_id=payload.unit_id, award_code=payload.award_code, state="proposed",
        total=payload.basis.total, rank=payload.basis.rank, rule_version=payload.basis.rule_version,
        proposed_at=event.recorded_at))


async def unit_registered(connection: AsyncConnection, event: StoredEvent,
                          payload: EventPayload) -> None:
    assert isinstance(payload, UnitRegistered)
    await connection.execute(units.insert().values(
        province=event.province, unit_id=payload.unit_id, name=payload.name))


async def ranking_published(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    """The published rank of each unit; totals come with it, so the ranking is the final word."""
    assert isinstance(payload, RankingPublished)
    for entry in payload.ranking:
        key = (scores.c.province == event.province) & (scores.c.bloc_id == payload.bloc_id) \
            & (scores.c.year == payload.year) & (scores.c.unit_id == entry.unit_id)
        changed = await connection.execute(update(scores).where(key).values(
            rank=entry.rank, total=entry.total, ranking_version=payload.version))
        if not changed.rowcount:
            await connection.execute(scores.insert().values(
                province=event.province, bloc_id=payload.bloc_id, year=payload.year, unit_id=entry.unit_id,
                total=entry.total, source_event_id=event.event_id, rank=entry.rank,
                ranking_version=payload.version))


OWN_EVENTS: dict[str, Handler] = {"AwardProposed": award_proposed}
REGISTRY_EVENTS: dict[str, Handler] = {"UnitRegistered": unit_registered}
SCORING_EVENTS: dict[str, Handler] = {"UnitScored": unit_scored, "RankingPublished": ranking_published}
