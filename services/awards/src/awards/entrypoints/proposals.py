"""The awards proposal routes: proposing a unit, the board, one proposal and why, returning and resubmitting.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncEngine

from awards.adapters import facts, queries
from awards.application import handlers
from awards.application.unit_of_work import AwardsUnitOfWork
from awards.domain.commands import Document, FormCode, ProposeAward, ResubmitProposal, ReturnProposal, Text
from awards.domain.model import proposal_stream
from awards.domain.rulebook import NATIONAL_DEFAULTS
from awards.domain.vote import vote_stream
from awards.entrypoints.answers import Explanation, Proposal, ProposalsBoard
from awards.entrypoints.common import STAFF, FormQuery, language, names_of, render_check
from thidua_contracts.awards import RuleCheck
from thidua_shared.auth import Principal
from thidua_shared.command_runner import CommandRunner
from thidua_shared.commands import Day, Identifier, Year
from thidua_shared.errors import NotFound
from thidua_shared.history import LoggedEvent, history
from thidua_shared.http import Recorded, RequestBody, command_context
from thidua_shared.params import IdPath, IdQuery, YearQuery
from thidua_shared.runtime import ServiceParts, caller_of, province_router
from thidua_shared.store import SqlEventStore


class ProposeAwardBody(RequestBody):
    proposal_id: Identifier
    unit_id: Identifier
    year: Year
    award_code: FormCode
    bloc_id: Identifier | None = None
    vote_id: Identifier | None = Field(default=None,
                                       description="the honouring vote (default: the one that honoured the unit)")
    filed_on: Day | None = Field(default=None, description="the dossier's date (default: today)")
    documents: list[Document] = Field(default_factory=list, max_length=30)


class ReturnProposalBody(RequestBody):
    reason: Text
    missing: list[Annotated[str, Field(pattern=r"^[a-z_]{2,40}$")]] = Field(
        default_factory=list, max_length=30, description="documents to add beyond those the rulebook requires")
    returned_on: Day | None = None


class ResubmitProposalBody(RequestBody):
    documents: list[Document] = Field(min_length=1, max_length=30)
    resubmitted_on: Day | None = None


async def load_proposal(engine: AsyncEngine, province: str, proposal_id: str) -> dict[str, Any]:
    async with engine.connect() as connection:
        found = await queries.get_proposal(connection, province, proposal_id)
    if found is None:
        raise NotFound("proposal.not_found", proposal_id=proposal_id)
    return found


def router(parts: ServiceParts, commands: CommandRunner[AwardsUnitOfWork]) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    @api.post("/proposals", status_code=201, tags=["proposals"],
              summary="Propose a unit for an award (bloc secretariat for its bloc, or the province's staff)")
    async def propose_award(province: str, body: ProposeAwardBody, caller: Caller) -> Recorded:
        caller.require_own_bloc(body.bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        return await commands(handlers.propose_award, ProposeAward(**body.model_dump()), context)

    @api.get("/proposals", tags=["proposals"], response_model=ProposalsBoard,
             summary="The proposals board: filtered by year, state, bloc and form, with counts of each")
    async def list_proposals(province: str, caller: Caller, year: YearQuery | None = None,
                             state: Annotated[str | None, Query(pattern=r"^[a-z_]{1,40}$")] = None,
                             bloc_id: IdQuery | None = None,
                             award_code: FormQuery | None = None) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            return await queries.proposals_board(connection, province, year, state, bloc_id, award_code)

    @api.get("/proposals/{proposal_id}", tags=["proposals"], summary="One proposal as it stands",
             response_model=Proposal)
    async def get_proposal(province: str, proposal_id: IdPath, caller: Caller) -> dict[str, Any]:
        return await load_proposal(parts.engine, province, proposal_id)

    @api.get("/proposals/{proposal_id}/history", tags=["proposals"], response_model=list[LoggedEvent],
             summary="Every event of the proposal as the log keeps it, with its hash chain")
    async def get_proposal_history(province: str, proposal_id: IdPath, caller: Caller) -> list[dict[str, Any]]:
        await load_proposal(parts.engine, province, proposal_id)
        async with parts.engine.connect() as connection:
            return await history(connection, "awards", proposal_stream(province, proposal_id))

    @api.get("/proposals/{proposal_id}/explanation", tags=["proposals"], response_model=Explanation,
             response_model_exclude_unset=True,
             summary="Why: the ranking, the vote, the rules checked and each step to the decision")
    async def explain_proposal(province: str, proposal_id: IdPath, caller: Caller,
                               request: Request) -> dict[str, Any]:
        proposal = await load_proposal(parts.engine, province, proposal_id)
        shown_in = language(request)
        async with parts.engine.connect() as connection:
            store = SqlEventStore(connection, "awards")
            steps = await store.read_stream(proposal_stream(province, proposal_id))
            ranking = (await queries.bloc_ranking(connection, province, proposal["bloc_id"], proposal["year"])
                       if proposal["bloc_id"] else [])
            vote = await queries.get_vote(connection, province, proposal["vote_id"]) if proposal["vote_id"] else None
            vote_steps = (await store.read_stream(vote_stream(province, proposal["vote_id"]))
                          if proposal["vote_id"] else [])
            adopted = await facts.adopted_rulebooks(connection)(province)
            books = {book.version: book for book in (*NATIONAL_DEFAULTS, *adopted)}
            names = await names_of(connection, province, books.get(proposal["rule_version"]) or NATIONAL_DEFAULTS[-1])
        timeline = []
        for stored in [*vote_steps, *steps]:
            payload = stored.typed()
            entry: dict[str, Any] = {"event_type": stored.event_type, "recorded_at": stored.recorded_at,
                                     "actor": stored.actor, "hash": stored.hash,
                                     "payload": payload.model_dump(mode="json")}
            if stored.event_type in ("AwardProposed", "ForwardedToCentral", "AwardDecided") \
                    and entry["payload"].get("checks"):
                entry["checks"] = [render_check(RuleCheck.model_validate(check), shown_in, names)
                                   for check in entry["payload"]["checks"]]
            if stored.event_type == "BallotCast":
                entry["payload"] = {"vote_id": entry["payload"]["vote_id"], "voter_unit_id": "(secret)"}
                entry["actor"] = {}
            timeline.append(entry)
        decided_version = (proposal.get("decision") or {}).get("rule_version")
        rules = {version: books[version].form(proposal["award_code"]) for version in
                 {proposal["rule_version"], decided_version} if version in books}
        return {"proposal": proposal, "ranking": ranking, "vote": vote, "steps": timeline,
                "rules": {version: form.model_dump(mode="json") if form else None for version, form in rules.items()}}

    @api.post("/proposals/{proposal_id}/return", status_code=201, tags=["proposals"],
              summary="Return the dossier for completion, naming what is missing (province staff)")
    async def return_proposal(province: str, proposal_id: IdPath, body: ReturnProposalBody,
                              caller: Caller) -> Recorded:
        context = command_context(province, caller, *STAFF)
        command = ReturnProposal(proposal_id=proposal_id, **body.model_dump())
        return await commands(handlers.return_proposal, command, context)

    @api.post("/proposals/{proposal_id}/resubmission", status_code=201, tags=["proposals"],
              summary="Resubmit a returned dossier with the missing documents (its bloc secretariat or staff)")
    async def resubmit_proposal(province: str, proposal_id: IdPath, body: ResubmitProposalBody,
                                caller: Caller) -> Recorded:
        proposal = await load_proposal(parts.engine, province, proposal_id)
        caller.require_own_bloc(proposal["bloc_id"])
        context = command_context(province, caller, "admin", "bloc_secretary")
        command = ResubmitProposal(proposal_id=proposal_id, **body.model_dump())
        return await commands(handlers.resubmit_proposal, command, context)

    return api
