"""Awards read models: scoring's final scores, and its own proposals board."""

from __future__ import annotations

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from awards.adapters.tables import members, proposals, scores, units, votes
from thidua_shared.contracts import EventPayload
from thidua_shared.contracts.awards import AwardProposed, BallotCast, HonoringVoteClosed, HonoringVoteOpened
from thidua_shared.contracts.registry import UnitJoinedBloc, UnitLeftBloc, UnitRegistered
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


async def unit_joined_bloc(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, UnitJoinedBloc)
    await connection.execute(members.insert().values(
        province=event.province, bloc_id=payload.bloc_id, unit_id=payload.unit_id, joined_on=payload.effective_on))


async def unit_left_bloc(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, UnitLeftBloc)
    await connection.execute(update(members).where(
        members.c.province == event.province, members.c.bloc_id == payload.bloc_id,
        members.c.unit_id == payload.unit_id, members.c.left_on.is_(None)).values(left_on=payload.effective_on))


def _vote(event: StoredEvent, vote_id: str) -> ColumnElement[bool]:
    return (votes.c.province == event.province) & (votes.c.vote_id == vote_id)


async def vote_opened(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, HonoringVoteOpened)
    await connection.execute(votes.insert().values(
        province=event.province, vote_id=payload.vote_id, bloc_id=payload.bloc_id, year=payload.year,
        award_code=payload.award_code, candidates=payload.candidates, members=payload.members,
        threshold=payload.threshold, voters=[], state="open"))


async def ballot_cast(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, BallotCast)
    voters = await connection.scalar(select(votes.c.voters).where(_vote(event, payload.vote_id)))
    await connection.execute(update(votes).where(_vote(event, payload.vote_id))
                             .values(voters=sorted([*(voters or []), payload.voter_unit_id])))


async def vote_closed(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, HonoringVoteClosed)
    await connection.execute(update(votes).where(_vote(event, payload.vote_id)).values(
        state="closed", results=[result.model_dump() for result in payload.results], honoured=payload.honoured))


OWN_EVENTS: dict[str, Handler] = {
    "AwardProposed": award_proposed,
    "HonoringVoteOpened": vote_opened,
    "BallotCast": ballot_cast,
    "HonoringVoteClosed": vote_closed,
}
REGISTRY_EVENTS: dict[str, Handler] = {
    "UnitRegistered": unit_registered,
    "UnitJoinedBloc": unit_joined_bloc,
    "UnitLeftBloc": unit_left_bloc,
}
SCORING_EVENTS: dict[str, Handler] = {"UnitScored": unit_scored, "RankingPublished": ranking_published}
