"""Honouring votes: open, cast a secret ballot, close with the tally."""

from __future__ import annotations

from awards.application.handlers import rulebook_on, verdict_for
from awards.application.ports import GatherFacts, MembersOfYear, Rulebooks, Seal, Today, Unseal
from awards.domain.commands import CastBallot, CloseHonoringVote, OpenHonoringVote
from awards.domain.rulebook import Rulebook
from awards.domain.vote import HonoringVote, vote_stream
from thidua_contracts import EventPayload
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict, Invalid
from thidua_shared.store import NewEvents, StoredEvent
from thidua_shared.unit_of_work import UnitOfWork


async def _load(uow: UnitOfWork, province: str, vote_id: str) -> HonoringVote:
    history = await uow.events.read_stream(vote_stream(province, vote_id))
    return HonoringVote.from_history(vote_id, (event.typed() for event in history))


async def _record(uow: UnitOfWork, context: CommandContext, vote: HonoringVote,
                  decided: list[EventPayload]) -> list[StoredEvent]:
    stored = await uow.record(NewEvents(
        province=context.province, stream_id=vote_stream(context.province, vote.vote_id),
        expected_version=vote.version, payloads=decided, actor=context.actor,
        correlation_id=context.correlation_id, causation_id=context.causation_id))
    await uow.commit()
    return stored


async def candidates_of(gather: GatherFacts, rulebook: Rulebook, province: str, bloc_id: str, year: int,
                        award_code: str, members: list[str]) -> list[str]:
    """The members eligible for the form before the vote (its own outcome aside): the default candidates."""
    eligible = []
    for unit_id in members:
        verdict = await verdict_for(gather, rulebook, province, unit_id, year, award_code, bloc_id, "candidate", None)
        if verdict is not None and verdict.eligible:
            eligible.append(unit_id)
    return eligible


async def open_vote(command: OpenHonoringVote, context: CommandContext, uow: UnitOfWork,
                    members_of_year: MembersOfYear, rulebooks: Rulebooks, gather: GatherFacts,
                    today: Today) -> list[StoredEvent]:
    """Members, threshold and quorum come from the rulebook in force on the day the vote opens; without
    named candidates, the members the eligibility engine finds eligible are the candidates."""
    vote = await _load(uow, context.province, command.vote_id)
    members = await members_of_year(context.province, command.bloc_id, command.year)
    opened_on = command.opened_on or today()
    if opened_on > today():
        raise Invalid("vote.opened_in_future", opened_on=opened_on, today=today())
    rulebook = await rulebook_on(rulebooks, context.province, opened_on)
    candidates = command.candidates
    if candidates is None and rulebook.form(command.award_code) is not None:
        candidates = await candidates_of(gather, rulebook, context.province, command.bloc_id, command.year,
                                         command.award_code, members)
        if not candidates:
            raise Conflict("vote.no_eligible_candidates", bloc_id=command.bloc_id, award_code=command.award_code,
                           year=command.year)
    decided = vote.open(command.bloc_id, command.year, command.award_code, candidates or [], members,
                        command.threshold, rulebook)
    return await _record(uow, context, vote, decided)


async def cast_ballot(command: CastBallot, context: CommandContext, uow: UnitOfWork,
                      members_of_year: MembersOfYear, seal: Seal) -> list[StoredEvent]:
    """The ballot's choices are sealed apart from the voter, in the same transaction as BallotCast. The vote
    is locked first: members voting at once are recorded one after the other, none refused for the race."""
    await uow.lock(vote_stream(context.province, command.vote_id))
    vote = await _load(uow, context.province, command.vote_id)
    members = await members_of_year(context.province, vote.bloc_id, vote.year) if vote.version else []
    decided = vote.cast(command.voter_unit_id, command.choices, command.voter_unit_id in members)
    await seal(context.province, vote.vote_id, command.choices)
    return await _record(uow, context, vote, decided)


async def close_vote(command: CloseHonoringVote, context: CommandContext, uow: UnitOfWork,
                     unseal: Unseal) -> list[StoredEvent]:
    """The tally counts the sealed ballots under the vote's lock: every ballot cast before it, none after."""
    await uow.lock(vote_stream(context.province, command.vote_id))
    vote = await _load(uow, context.province, command.vote_id)
    return await _record(uow, context, vote, vote.close(await unseal(context.province, vote.vote_id)))
