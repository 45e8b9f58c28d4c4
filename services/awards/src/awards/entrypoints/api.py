"""The awards HTTP API.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from awards.adapters import ballots, queries
from awards.application import handlers, votes
from awards.domain.commands import CastBallot, CloseHonoringVote, OpenHonoringVote, ProposeAward
from thidua_shared.auth import Principal
from thidua_shared.errors import NotFound
from thidua_shared.http import ERROR_RESPONSES, Recorded, command_context
from thidua_shared.runtime import ServiceParts, caller_of
from thidua_shared.service import UnitOfWorkFactory, execute


class CastBallotBody(CastBallot):
    vote_id: str = ""


def router(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> APIRouter:
    api = APIRouter(prefix="/provinces/{province}", responses=ERROR_RESPONSES)
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.post("/proposals", status_code=201, tags=["proposals"],
              summary="Propose a unit for an award (bloc secretariat for its bloc, or admin)")
    async def propose(province: str, body: ProposeAward, caller: Caller) -> Recorded:
        caller.require_own_bloc(body.bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        return await execute(unit_of_work, handlers.propose_award, body, context, queries.score_lookup,
                             queries.unit_lookup, lambda _: date.today())

    @api.post("/votes", status_code=201, tags=["honouring votes"],
              summary="Open an honouring vote among the bloc's members (bloc secretariat)")
    async def open_vote(province: str, body: OpenHonoringVote, caller: Caller) -> Recorded:
        caller.require_own_bloc(body.bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        return await execute(unit_of_work, votes.open_vote, body, context, ballots.members_of_year)

    @api.post("/votes/{vote_id}/ballots", status_code=201, tags=["honouring votes"],
              summary="A member unit casts its secret ballot (unit officer of that unit)")
    async def cast_ballot(province: str, vote_id: str, body: CastBallotBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "unit_officer")
        caller.require_own_unit(body.voter_unit_id)
        command = CastBallot(**{**body.model_dump(), "vote_id": vote_id})
        return await execute(unit_of_work, votes.cast_ballot, command, context, ballots.members_of_year,
                             ballots.seal)

    @api.post("/votes/{vote_id}/closing", status_code=201, tags=["honouring votes"],
              summary="Close the vote and publish the tally (bloc secretariat)")
    async def close_vote(province: str, vote_id: str, caller: Caller) -> Recorded:
        context = command_context(province, caller, "admin", "bloc_secretary")
        return await execute(unit_of_work, votes.close_vote, CloseHonoringVote(vote_id=vote_id), context,
                             ballots.unseal)

    @api.get("/votes/{vote_id}", tags=["honouring votes"],
             summary="A vote: candidates, who has voted (never what), and the tally once closed")
    async def get_vote(province: str, vote_id: str, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            found = await queries.get_vote(connection, province, vote_id)
        if found is None:
            raise NotFound("vote.not_found", vote_id=vote_id)
        return found

    @api.get("/proposals", tags=["proposals"], summary="The province's proposals board")
    async def board(province: str, caller: Caller,
                    year: Annotated[int | None, Query()] = None) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await queries.proposals_board(connection, province, year)

    @api.get("/units", tags=["proposals"], summary="The units the registry has told awards of")
    async def units(province: str, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await queries.known_units(connection, province)

    @api.get("/scores", tags=["proposals"], summary="Final scores received from scoring")
    async def scores(province: str, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await queries.known_scores(connection, province)

    return api
