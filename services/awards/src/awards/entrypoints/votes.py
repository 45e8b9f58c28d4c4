"""The awards honouring-vote routes: the candidates of a bloc-year, opening a vote, ballots, closing, reading.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field

from awards.adapters import ballots, facts, queries
from awards.application import handlers, votes
from awards.application.unit_of_work import AwardsUnitOfWork
from awards.domain.commands import CastBallot, CloseHonoringVote, FormCode, OpenHonoringVote
from awards.domain.rulebook import filing_season, in_force
from awards.domain.vote import vote_stream
from awards.entrypoints.answers import Candidates, Vote
from awards.entrypoints.common import FormQuery, language, names_of, render_verdict
from thidua_shared.auth import Principal
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import Day, Identifier, Year
from thidua_shared.errors import Invalid, NotFound
from thidua_shared.history import LoggedEvent, history
from thidua_shared.http import Recorded, RequestBody, command_context
from thidua_shared.params import DayQuery, IdPath, IdQuery, YearPath, YearQuery
from thidua_shared.runtime import ServiceParts, caller_of, province_router


class OpenHonoringVoteBody(RequestBody):
    vote_id: Identifier
    bloc_id: Identifier
    year: Year
    award_code: FormCode
    candidates: list[Identifier] | None = Field(
        default=None, min_length=1, max_length=50, description="default: the members eligible for the form")
    threshold: float | None = Field(default=None, gt=0, le=1,
                                    description="share of the members' votes needed (default: the rulebook's)")
    opened_on: Day | None = Field(default=None, description="default: today; picks the rulebook in force")
    places: int | None = Field(default=None, ge=1, le=50,
                               description="how many units the vote may honour (default: one per candidate; a runoff: "
                                           "the places its vote left)")
    runoff_of: Identifier | None = Field(default=None, description="the vote whose tie at the last place this "
                                                                   "round decides, among the tied")


class CloseHonoringVoteBody(RequestBody):
    closed_on: Day | None = Field(default=None, description="the day the tally was read out (default: today)")


class CastBallotBody(RequestBody):
    voter_unit_id: Identifier
    choices: list[Identifier] = Field(max_length=50, description="the candidates this unit votes for")


def router(parts: ServiceParts, commands: CommandRunner[AwardsUnitOfWork]) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.get("/blocs/{bloc_id}/years/{year}/candidates", tags=["honouring votes"], response_model=Candidates,
             response_model_exclude_unset=True,
             summary="The bloc's members and whether each is eligible for the form, before the vote")
    async def list_candidates(province: str, bloc_id: IdPath, year: YearPath, award_code: FormQuery,
                              caller: Caller, request: Request, on: DayQuery | None = None) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            rulebook = in_force(on or filing_season(year), await facts.adopted_rulebooks(connection)(province))
            members = await ballots.members_of_year(connection)(province, bloc_id, year)
            gather = facts.gather_facts(connection)
            verdicts = [await handlers.verdict_for(gather, rulebook, province, unit_id, year, award_code, bloc_id,
                                                   "candidate", None) for unit_id in members]
            names = await names_of(connection, province, rulebook)
        if rulebook.form(award_code) is None:
            raise Invalid("proposal.unknown_form", award_code=award_code, forms=rulebook.codes())
        shown = [render_verdict(verdict, language(request), names) for verdict in verdicts if verdict is not None]
        return {"bloc_id": bloc_id, "year": year, "award_code": award_code, "rule_version": rulebook.version,
                "eligible": [verdict["unit_id"] for verdict in shown if verdict["eligible"]], "members": shown}

    @api.post("/votes", status_code=201, tags=["honouring votes"],
              summary="Open an honouring vote among the bloc's members (bloc secretariat)")
    async def open_vote(province: str, body: OpenHonoringVoteBody, caller: Caller) -> Recorded:
        caller.require_own_bloc(body.bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        return await commands(votes.open_vote, OpenHonoringVote(**body.model_dump()), context)

    @api.post("/votes/{vote_id}/ballots", status_code=201, tags=["honouring votes"],
              summary="A member unit casts its secret ballot (unit officer of that unit)")
    async def cast_ballot(province: str, vote_id: IdPath, body: CastBallotBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "unit_officer")
        caller.require_own_unit(body.voter_unit_id)
        command = CastBallot(vote_id=vote_id, **body.model_dump())
        return await commands(votes.cast_ballot, command, context)

    @api.post("/votes/{vote_id}/closing", status_code=201, tags=["honouring votes"],
              summary="Close the vote and publish the tally (bloc secretariat)")
    async def close_vote(province: str, vote_id: IdPath, caller: Caller,
                         body: CloseHonoringVoteBody | None = None) -> Recorded:
        async with parts.engine.connect() as connection:
            found = await queries.get_vote(connection, province, vote_id)
        if found is not None:
            caller.require_own_bloc(found["bloc_id"])
        context = command_context(province, caller, "admin", "bloc_secretary")
        closed_on = body.closed_on if body is not None else None
        return await commands(votes.close_vote, CloseHonoringVote(vote_id=vote_id, closed_on=closed_on), context)

    @api.get("/votes", tags=["honouring votes"], response_model=list[Vote],
             summary="The honouring votes, of a bloc, a year or in a state (open or closed); who voted, never what")
    async def list_votes(province: str, caller: Caller, bloc_id: IdQuery | None = None, year: YearQuery | None = None,
                         state: Annotated[Literal["open", "closed"] | None, Query()] = None) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await queries.list_votes(connection, province, bloc_id, year, state)

    @api.get("/votes/{vote_id}", tags=["honouring votes"], response_model=Vote,
             summary="A vote: candidates, who has voted (never what), and the tally once closed")
    async def get_vote(province: str, vote_id: IdPath, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            found = await queries.get_vote(connection, province, vote_id)
        if found is None:
            raise NotFound("vote.not_found", vote_id=vote_id)
        return found

    @api.get("/votes/{vote_id}/history", tags=["honouring votes"], response_model=list[LoggedEvent],
             summary="Every event of the vote as the log keeps it, with its hash chain (who voted, never what)")
    async def get_vote_history(province: str, vote_id: IdPath, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            if await queries.get_vote(connection, province, vote_id) is None:
                raise NotFound("vote.not_found", vote_id=vote_id)
            return await history(connection, "awards", vote_stream(province, vote_id))

    return api
