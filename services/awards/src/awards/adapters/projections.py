"""Awards read models: scoring's final scores, and its own proposals board."""

from __future__ import annotations

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from awards.adapters.tables import freezes, members, proposals, rulebooks, scores, units, votes
from thidua_contracts import EventPayload
from thidua_contracts.awards import (
    AwardDecided,
    AwardFrozen,
    AwardProposed,
    AwardRejected,
    AwardRevoked,
    AwardUnfrozen,
    BallotCast,
    CouncilVoteRecorded,
    ForwardedToCentral,
    HonoringVoteClosed,
    HonoringVoteOpened,
    ProposalResubmitted,
    ProposalReturned,
    RulebookAdopted,
)
from thidua_contracts.registry import UnitDissolved, UnitJoinedBloc, UnitLeftBloc, UnitRegistered, UnitsMerged
from thidua_contracts.scoring import RankingPublished, UnitScored
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
        proposed_at=event.recorded_at, filed_on=payload.filed_on, vote_id=payload.basis.vote_id,
        documents={document.kind: document.ref for document in payload.documents}, missing=[], frozen=[]))


def _proposal(event: StoredEvent, proposal_id: str) -> ColumnElement[bool]:
    return (proposals.c.province == event.province) & (proposals.c.proposal_id == proposal_id)


async def proposal_returned(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, ProposalReturned)
    await connection.execute(update(proposals).where(_proposal(event, payload.proposal_id)).values(
        state="returned", missing=payload.missing))


async def proposal_resubmitted(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, ProposalResubmitted)
    documents = await connection.scalar(select(proposals.c.documents).where(_proposal(event, payload.proposal_id)))
    merged = {**(documents or {}), **{document.kind: document.ref for document in payload.documents}}
    await connection.execute(update(proposals).where(_proposal(event, payload.proposal_id)).values(
        state="proposed", missing=[], documents=merged))


async def council_voted(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, CouncilVoteRecorded)
    await connection.execute(update(proposals).where(_proposal(event, payload.proposal_id)).values(
        # Short of the share, AwardRejected follows in the same batch and says "rejected".
        **({"state": "approved"} if payload.passed is not False else {}),
        council=payload.model_dump(mode="json", exclude={"proposal_id"})))


STEPS: dict[str, tuple[str, str]] = {
    "ForwardedToCentral": ("forwarded", "forwarding"),
    "AwardDecided": ("decided", "decision"),
    "AwardRejected": ("rejected", "rejection"),
    "AwardRevoked": ("revoked", "revocation"),
}
"""The steps that move a proposal to a state and are kept whole in a column of the board."""


async def proposal_step(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, ForwardedToCentral | AwardDecided | AwardRejected | AwardRevoked)
    state, column = STEPS[event.event_type]
    await connection.execute(update(proposals).where(_proposal(event, payload.proposal_id)).values(
        {"state": state, column: payload.model_dump(mode="json", exclude={"proposal_id"})}))


def _freeze_key(event: StoredEvent, payload: AwardFrozen) -> tuple[str, str]:
    return ("proposal", payload.proposal_id) if payload.proposal_id else ("unit", payload.unit_id or "")


async def award_frozen(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, AwardFrozen)
    subject, subject_id = _freeze_key(event, payload)
    key = (freezes.c.province == event.province) & (freezes.c.subject == subject) \
        & (freezes.c.subject_id == subject_id) & (freezes.c.ref == payload.ref)
    if isinstance(payload, AwardUnfrozen):
        await connection.execute(update(freezes).where(key).values(
            unfrozen_on=payload.on, lift_reason=payload.reason))
    else:
        await connection.execute(delete(freezes).where(key))
        await connection.execute(freezes.insert().values(
            province=event.province, subject=subject, subject_id=subject_id, ref=payload.ref,
            unit_id=payload.unit_id or "", reason=payload.reason, frozen_on=payload.on))
    if payload.proposal_id:
        frozen = await connection.scalar(select(proposals.c.frozen).where(_proposal(event, payload.proposal_id)))
        refs = [ref for ref in (frozen or []) if ref != payload.ref]
        if not isinstance(payload, AwardUnfrozen):
            refs.append(payload.ref)
        await connection.execute(update(proposals).where(_proposal(event, payload.proposal_id)).values(frozen=refs))


async def rulebook_adopted(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, RulebookAdopted)
    await connection.execute(rulebooks.insert().values(
        province=event.province, version=payload.version, effective_from=payload.effective_from,
        body=payload.model_dump(mode="json")))


async def unit_registered(connection: AsyncConnection, event: StoredEvent,
                          payload: EventPayload) -> None:
    assert isinstance(payload, UnitRegistered)
    await connection.execute(units.insert().values(
        province=event.province, unit_id=payload.unit_id, name=payload.name, status="active"))


async def unit_dissolved(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    assert isinstance(payload, UnitDissolved)
    # A merger also dissolves its sources (on their own streams, in no set order with UnitsMerged): "merged"
    # says more and stays.
    await connection.execute(update(units).where(
        units.c.province == event.province, units.c.unit_id == payload.unit_id, units.c.status != "merged",
    ).values(status="dissolved"))


async def units_merged(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    """The merged units' award history carries over to the unit they merged into."""
    assert isinstance(payload, UnitsMerged)
    await connection.execute(update(units).where(
        units.c.province == event.province, units.c.unit_id.in_(payload.from_unit_ids),
        units.c.unit_id != payload.into_unit_id).values(status="merged", merged_into=payload.into_unit_id))


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
    "ProposalReturned": proposal_returned,
    "ProposalResubmitted": proposal_resubmitted,
    "CouncilVoteRecorded": council_voted,
    **{event_type: proposal_step for event_type in STEPS},
    "AwardFrozen": award_frozen,
    "AwardUnfrozen": award_frozen,
    "RulebookAdopted": rulebook_adopted,
}
REGISTRY_EVENTS: dict[str, Handler] = {
    "UnitRegistered": unit_registered,
    "UnitJoinedBloc": unit_joined_bloc,
    "UnitLeftBloc": unit_left_bloc,
    "UnitDissolved": unit_dissolved,
    "UnitsMerged": units_merged,
}
SCORING_EVENTS: dict[str, Handler] = {"UnitScored": unit_scored, "RankingPublished": ranking_published}
