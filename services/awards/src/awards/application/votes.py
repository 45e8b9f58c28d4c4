"""Honouring votes: open, cast a secret ballot, close with the tally."""

from __future__ import annotations

from typing import Any

from awards.application.handlers import rulebook_on, verdict_for
from awards.application.ports import GatherFacts
from awards.application.unit_of_work import AwardsUnitOfWork
from awards.domain.commands import CastBallot, CloseHonoringVote, OpenHonoringVote
from awards.domain.model import problems
from awards.domain.rulebook import Rulebook
from awards.domain.vote import vote_stream
from thidua_shared.context import CommandContext
from thidua_shared.errors import Conflict, Invalid


async def candidates_of(gather: GatherFacts, rulebook: Rulebook, province: str, bloc_id: str, year: int,
                        award_code: str, members: list[str]) -> list[str]:
    """The members eligible for the form before the vote (its own outcome aside): the default candidates."""
    eligible = []
    for unit_id in members:
        verdict = await verdict_for(gather, rulebook, province, unit_id, year, award_code, bloc_id, "candidate", None)
        if verdict is not None and verdict.eligible:
            eligible.append(unit_id)
    return eligible


async def _refuse_ineligible(gather: GatherFacts, rulebook: Rulebook, province: str, command: OpenHonoringVote,
                             members: list[str]) -> None:
    """Named candidates must be eligible for the form before the vote (its own outcome aside); members only
    (the vote says which are not)."""
    failed: list[dict[str, Any]] = []
    units = []
    for unit_id in command.candidates or []:
        if unit_id not in members:
            continue
        verdict = await verdict_for(gather, rulebook, province, unit_id, command.year, command.award_code,
                                    command.bloc_id, "candidate", None)
        if verdict is not None and not verdict.eligible:
            units.append(unit_id)
            failed.extend(problems(verdict))
    if units:
        raise Conflict("vote.ineligible_candidates", units=", ".join(units), award_code=command.award_code,
                       year=command.year, rule_version=rulebook.version, problems=failed)


async def open_vote(command: OpenHonoringVote, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    """Members, threshold and quorum come from the rulebook in force on the day the vote opens; without
    named candidates, the members the eligibility engine finds eligible are the candidates."""
    vote = await uow.votes.get(command.vote_id)
    members = await uow.members_of_year(context.province, command.bloc_id, command.year)
    today = uow.today()
    opened_on = command.opened_on or today
    if opened_on > today:
        raise Invalid("vote.opened_in_future", opened_on=opened_on, today=today)
    rulebook = await rulebook_on(uow.rulebooks, context.province, opened_on)
    first = None if command.runoff_of is None else await uow.votes.get(command.runoff_of)
    if first is not None and not first.exists:
        raise Conflict("vote.not_found", vote_id=command.runoff_of)
    candidates = command.candidates
    form = rulebook.form(command.award_code)
    if candidates is not None and first is None and form is not None and form.rules.vote is not None:
        await _refuse_ineligible(uow.gather_facts, rulebook, context.province, command, members)
    if candidates is None and first is None and rulebook.form(command.award_code) is not None:
        candidates = await candidates_of(uow.gather_facts, rulebook, context.province, command.bloc_id,
                                         command.year, command.award_code, members)
        if not candidates:
            raise Conflict("vote.no_eligible_candidates", bloc_id=command.bloc_id, award_code=command.award_code,
                           year=command.year)
    vote.open(command.bloc_id, command.year, command.award_code, candidates or [], members, command.threshold,
              rulebook, command.places, first, opened_on)
    await uow.save(vote)
    await uow.commit()


async def cast_ballot(command: CastBallot, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    """The ballot's choices are sealed apart from the voter, in the same transaction as BallotCast. The vote
    is locked first: members voting at once are recorded one after the other, none refused for the race."""
    await uow.lock(vote_stream(context.province, command.vote_id))
    vote = await uow.votes.get(command.vote_id)
    members = await uow.members_of_year(context.province, vote.bloc_id, vote.year) if vote.exists else []
    vote.cast(command.voter_unit_id, command.choices, command.voter_unit_id in members)
    await uow.seal(context.province, vote.vote_id, command.choices)
    await uow.save(vote)
    await uow.commit()


async def close_vote(command: CloseHonoringVote, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    """The tally counts the sealed ballots under the vote's lock: every ballot cast before it, none after."""
    await uow.lock(vote_stream(context.province, command.vote_id))
    vote = await uow.votes.get(command.vote_id)
    today = uow.today()
    closed_on = command.closed_on or today
    if closed_on > today:
        raise Invalid("vote.closed_in_future", closed_on=closed_on, today=today)
    vote.close(await uow.unseal(context.province, vote.vote_id), closed_on)
    await uow.save(vote)
    await uow.commit()
