"""The awards council-and-decision routes: the council's vote, forwarding to the central level, the decision,
rejection and revocation; each a step of the province's staff on one proposal.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends
from pydantic import Field

from awards.application import handlers
from awards.application.unit_of_work import AwardsUnitOfWork
from awards.domain.commands import (
    DecideAward,
    Document,
    ForwardToCentral,
    RecordCouncilVote,
    Reference,
    RejectProposal,
    RevokeAward,
    Text,
)
from awards.entrypoints.common import STAFF
from thidua_contracts.awards import RevocationGround
from thidua_shared.auth import Principal
from thidua_shared.command_runner import CommandRunner, Handler
from thidua_shared.commands import Day, Line
from thidua_shared.http import Recorded, RequestBody, command_context
from thidua_shared.params import IdPath
from thidua_shared.runtime import ServiceParts, caller_of, province_router

C = TypeVar("C")


class RecordCouncilVoteBody(RequestBody):
    members: int = Field(ge=1, le=500)
    present: int = Field(ge=0, le=500)
    approve: int = Field(ge=0, le=500)
    reject: int = Field(ge=0, le=500)
    written_votes: int = Field(default=0, ge=0, le=500)
    held_on: Day


class ForwardToCentralBody(RequestBody):
    dossier_ref: Reference
    forwarded_on: Day
    documents: list[Document] = Field(default_factory=list, max_length=30,
                                      description="added to the dossier now, e.g. the council's minutes")


class DecideAwardBody(RequestBody):
    decision_no: Reference
    decided_on: Day
    authority: Line | None = Field(default=None, max_length=200, description=(
        "default: the form's deciding authority in office on the decision's day (after a merger of provinces, "
        "the new province's)"))


class RejectProposalBody(RequestBody):
    reason: Text
    rejected_on: Day | None = None
    by: str = Field(default="province", pattern=r"^(province|central)$")


class RevokeAwardBody(RequestBody):
    decision_no: Reference
    reason: Text
    revoked_on: Day
    ground: RevocationGround = Field(description="point a, b, c or d of Law 2022 art. 93 cl. 2")


def router(parts: ServiceParts, commands: CommandRunner[AwardsUnitOfWork]) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    async def staff_step(province: str, caller: Principal, handler: Handler[C, AwardsUnitOfWork],
                         command: C) -> Recorded:
        return await commands(handler, command, command_context(province, caller, *STAFF))

    @api.post("/proposals/{proposal_id}/council-votes", status_code=201, tags=["council and decision"],
              summary="Record the provincial council's vote; short of the rulebook's share it rejects (staff)")
    async def record_council_vote(province: str, proposal_id: IdPath, body: RecordCouncilVoteBody,
                                  caller: Caller) -> Recorded:
        command = RecordCouncilVote(proposal_id=proposal_id, **body.model_dump())
        return await staff_step(province, caller, handlers.record_council_vote, command)

    @api.post("/proposals/{proposal_id}/forwarding", status_code=201, tags=["council and decision"],
              summary="Forward an approved Government-flag dossier to the central level (staff)")
    async def forward_to_central(province: str, proposal_id: IdPath, body: ForwardToCentralBody,
                                 caller: Caller) -> Recorded:
        command = ForwardToCentral(proposal_id=proposal_id, **body.model_dump())
        return await staff_step(province, caller, handlers.forward_to_central, command)

    @api.post("/proposals/{proposal_id}/decision", status_code=201, tags=["council and decision"],
              summary="Record the decision (number, date, authority); the rule version of its date is recorded")
    async def decide_award(province: str, proposal_id: IdPath, body: DecideAwardBody, caller: Caller) -> Recorded:
        command = DecideAward(proposal_id=proposal_id, **body.model_dump())
        return await staff_step(province, caller, handlers.decide_award, command)

    @api.post("/proposals/{proposal_id}/rejection", status_code=201, tags=["council and decision"],
              summary="Reject a proposal, by the province or the central level, with the reason (staff)")
    async def reject_proposal(province: str, proposal_id: IdPath, body: RejectProposalBody,
                              caller: Caller) -> Recorded:
        command = RejectProposal(proposal_id=proposal_id, **body.model_dump())
        return await staff_step(province, caller, handlers.reject_proposal, command)

    @api.post("/proposals/{proposal_id}/revocation", status_code=201, tags=["freeze and revoke"],
              summary="Revoke a decided award with a decision and reason (staff)")
    async def revoke_award(province: str, proposal_id: IdPath, body: RevokeAwardBody, caller: Caller) -> Recorded:
        command = RevokeAward(proposal_id=proposal_id, **body.model_dump())
        return await staff_step(province, caller, handlers.revoke_award, command)

    return api
