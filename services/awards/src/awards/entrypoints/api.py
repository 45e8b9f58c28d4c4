"""The awards HTTP API.

No ``from __future__ import annotations`` here: FastAPI resolves the local ``Caller`` alias at runtime.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from awards.adapters import ballots, facts, queries
from awards.application import handlers, votes
from awards.domain.commands import (
    AdoptRulebook,
    CastBallot,
    CloseHonoringVote,
    DecideAward,
    ForwardToCentral,
    Freeze,
    OpenHonoringVote,
    ProposeAward,
    RecordCouncilVote,
    RejectProposal,
    ResubmitProposal,
    ReturnProposal,
    RevokeAward,
)
from awards.domain.eligibility import RULE_NAMES, Verdict
from awards.domain.messages import CATALOGUE
from awards.domain.model import proposal_stream
from awards.domain.rulebook import NATIONAL_DEFAULTS, Rulebook, in_force
from awards.domain.vote import vote_stream
from thidua_contracts.awards import RuleCheck
from thidua_shared.auth import Principal
from thidua_shared.clock import province_today
from thidua_shared.commands import FIRST_DAY, LAST_DAY
from thidua_shared.errors import Invalid, NotFound
from thidua_shared.http import Recorded, command_context, named
from thidua_shared.i18n import pick_language, render
from thidua_shared.params import ID_FROM_PATH, DayQuery, IdPath, IdQuery, YearPath, YearQuery
from thidua_shared.runtime import ServiceParts, caller_of, province_router
from thidua_shared.service import UnitOfWorkFactory, execute
from thidua_shared.store import SqlEventStore

FormQuery = Annotated[str, Query(pattern=r"^[A-Z_]{2,40}$", description="e.g. PROV_FLAG")]
STAFF = ("admin",)
CONFIDENTIAL = ("admin", "auditor")
"""Who reads why a unit is frozen (discipline, inspection, complaint)."""


class CastBallotBody(CastBallot):
    vote_id: str = ID_FROM_PATH


class ReturnBody(ReturnProposal):
    proposal_id: str = ID_FROM_PATH


class ResubmitBody(ResubmitProposal):
    proposal_id: str = ID_FROM_PATH


class CouncilBody(RecordCouncilVote):
    proposal_id: str = ID_FROM_PATH


class ForwardBody(ForwardToCentral):
    proposal_id: str = ID_FROM_PATH


class DecideBody(DecideAward):
    proposal_id: str = ID_FROM_PATH


class RejectBody(RejectProposal):
    proposal_id: str = ID_FROM_PATH


class RevokeBody(RevokeAward):
    proposal_id: str = ID_FROM_PATH


def _today(_: object) -> Any:
    return province_today


def _language(request: Request) -> str:
    return pick_language(request.headers.get("accept-language"))


def render_check(check: RuleCheck, language: str) -> dict[str, Any]:
    names = RULE_NAMES if check.rule == "any_of" else {}
    params = named(CATALOGUE, language, {"params": check.params, "names": names})
    shown: dict[str, Any] = {"rule": check.rule, "ok": check.ok, "citation": check.citation,
                             "message": render(CATALOGUE, check.code, language, params)}
    if check.alternatives:
        shown["alternatives"] = [render_check(alternative, language) for alternative in check.alternatives]
    return shown


def render_verdict(verdict: Verdict, language: str) -> dict[str, Any]:
    return {"unit_id": verdict.unit_id, "year": verdict.year, "award_code": verdict.award_code,
            "rule_version": verdict.rule_version, "eligible": verdict.eligible,
            "checks": [render_check(check, language) for check in verdict.checks]}


def describe(rulebook: Rulebook, province_own: bool) -> dict[str, Any]:
    return {**rulebook.model_dump(mode="json"), "adopted_by_province": province_own}


def router(parts: ServiceParts, unit_of_work: UnitOfWorkFactory) -> APIRouter:
    api = province_router()
    Caller = Annotated[Principal, Depends(caller_of(parts))]

    async def load_proposal(province: str, proposal_id: str) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            found = await queries.get_proposal(connection, province, proposal_id)
        if found is None:
            raise NotFound("proposal.not_found", proposal_id=proposal_id)
        return found

    # --- rulebooks and eligibility ----------------------------------------------------------------

    @api.get("/rulebooks", tags=["rulebook"],
             summary="The rulebook versions (national defaults and the province's own) and the one in force")
    async def list_rulebooks(province: str, caller: Caller,
                             on: Annotated[date | None, Query(ge=FIRST_DAY, le=LAST_DAY,
                                                             description="default: today")] = None,
                             ) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            adopted = await facts.adopted_rulebooks(connection)(province)
        return {"in_force": in_force(on or province_today(), adopted).version,
                "versions": [describe(book, False) for book in NATIONAL_DEFAULTS]
                + [describe(book, True) for book in sorted(adopted, key=lambda book: book.effective_from)]}

    @api.post("/rulebooks", status_code=201, tags=["rulebook"],
              summary="Adopt the province's own rulebook version, in force from its effective date (admin)")
    async def adopt_rulebook(province: str, body: AdoptRulebook, caller: Caller) -> Recorded:
        context = command_context(province, caller, *STAFF)
        return await execute(unit_of_work, handlers.adopt_rulebook, body, context)

    @api.get("/eligibility", tags=["rulebook"],
             summary="Is a unit eligible for a form in a year? Rule by rule, with citations")
    async def eligibility(province: str, caller: Caller, request: Request, unit_id: IdQuery, year: YearQuery,
                          award_code: FormQuery, bloc_id: IdQuery | None = None,
                          on: Annotated[date | None, Query(ge=FIRST_DAY, le=LAST_DAY,
                                                       description="the rulebook of this day (default: today)")]
                          = None) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            rulebook = in_force(on or province_today(), await facts.adopted_rulebooks(connection)(province))
            verdict = await handlers.verdict_for(facts.gather_facts(connection), rulebook, province, unit_id, year,
                                                 award_code, bloc_id, "proposal", None)
        if verdict is None:
            raise Invalid("proposal.unknown_form", award_code=award_code, forms=rulebook.codes())
        return render_verdict(verdict, _language(request))

    @api.get("/blocs/{bloc_id}/years/{year}/candidates", tags=["honouring votes"],
             summary="The bloc's members and whether each is eligible for the form, before the vote")
    async def candidates(province: str, bloc_id: IdPath, year: YearPath, award_code: FormQuery, caller: Caller,
                         request: Request, on: DayQuery | None = None) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            rulebook = in_force(on or province_today(), await facts.adopted_rulebooks(connection)(province))
            members = await ballots.members_of_year(connection)(province, bloc_id, year)
            gather = facts.gather_facts(connection)
            verdicts = [await handlers.verdict_for(gather, rulebook, province, unit_id, year, award_code, bloc_id,
                                                   "candidate", None) for unit_id in members]
        if rulebook.form(award_code) is None:
            raise Invalid("proposal.unknown_form", award_code=award_code, forms=rulebook.codes())
        language = _language(request)
        shown = [render_verdict(verdict, language) for verdict in verdicts if verdict is not None]
        return {"bloc_id": bloc_id, "year": year, "award_code": award_code, "rule_version": rulebook.version,
                "eligible": [verdict["unit_id"] for verdict in shown if verdict["eligible"]], "members": shown}

    # --- honouring votes --------------------------------------------------------------------------

    @api.post("/votes", status_code=201, tags=["honouring votes"],
              summary="Open an honouring vote among the bloc's members (bloc secretariat)")
    async def open_vote(province: str, body: OpenHonoringVote, caller: Caller) -> Recorded:
        caller.require_own_bloc(body.bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        return await execute(unit_of_work, votes.open_vote, body, context, ballots.members_of_year,
                             facts.adopted_rulebooks, facts.gather_facts, _today)

    @api.post("/votes/{vote_id}/ballots", status_code=201, tags=["honouring votes"],
              summary="A member unit casts its secret ballot (unit officer of that unit)")
    async def cast_ballot(province: str, vote_id: IdPath, body: CastBallotBody, caller: Caller) -> Recorded:
        context = command_context(province, caller, "unit_officer")
        caller.require_own_unit(body.voter_unit_id)
        command = CastBallot(**{**body.model_dump(), "vote_id": vote_id})
        return await execute(unit_of_work, votes.cast_ballot, command, context, ballots.members_of_year,
                             ballots.seal)

    @api.post("/votes/{vote_id}/closing", status_code=201, tags=["honouring votes"],
              summary="Close the vote and publish the tally (bloc secretariat)")
    async def close_vote(province: str, vote_id: IdPath, caller: Caller) -> Recorded:
        async with parts.engine.connect() as connection:
            found = await queries.get_vote(connection, province, vote_id)
        if found is not None:
            caller.require_own_bloc(found["bloc_id"])
        context = command_context(province, caller, "admin", "bloc_secretary")
        return await execute(unit_of_work, votes.close_vote, CloseHonoringVote(vote_id=vote_id), context,
                             ballots.unseal)

    @api.get("/votes/{vote_id}", tags=["honouring votes"],
             summary="A vote: candidates, who has voted (never what), and the tally once closed")
    async def get_vote(province: str, vote_id: IdPath, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            found = await queries.get_vote(connection, province, vote_id)
        if found is None:
            raise NotFound("vote.not_found", vote_id=vote_id)
        return found

    # --- proposals --------------------------------------------------------------------------------

    @api.post("/proposals", status_code=201, tags=["proposals"],
              summary="Propose a unit for an award (bloc secretariat for its bloc, or the province's staff)")
    async def propose(province: str, body: ProposeAward, caller: Caller) -> Recorded:
        caller.require_own_bloc(body.bloc_id)
        context = command_context(province, caller, "admin", "bloc_secretary")
        return await execute(unit_of_work, handlers.propose_award, body, context, queries.score_lookup,
                             queries.unit_lookup, facts.adopted_rulebooks, facts.gather_facts, _today)

    @api.get("/proposals", tags=["proposals"],
             summary="The proposals board: filtered by year, state, bloc and form, with counts of each")
    async def board(province: str, caller: Caller, year: YearQuery | None = None,
                    state: Annotated[str | None, Query(pattern=r"^[a-z_]{1,40}$")] = None,
                    bloc_id: IdQuery | None = None,
                    award_code: FormQuery | None = None) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            return await queries.proposals_board(connection, province, year, state, bloc_id, award_code)

    @api.get("/proposals/{proposal_id}", tags=["proposals"], summary="One proposal as it stands")
    async def get_proposal(province: str, proposal_id: IdPath, caller: Caller) -> dict[str, Any]:
        return await load_proposal(province, proposal_id)

    @api.get("/proposals/{proposal_id}/explanation", tags=["proposals"],
             summary="Why: the ranking, the vote, the rules checked and each step to the decision")
    async def explain(province: str, proposal_id: IdPath, caller: Caller, request: Request) -> dict[str, Any]:
        proposal = await load_proposal(province, proposal_id)
        language = _language(request)
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
        timeline = []
        for stored in [*vote_steps, *steps]:
            payload = stored.typed()
            entry: dict[str, Any] = {"event_type": stored.event_type, "recorded_at": stored.recorded_at,
                                     "actor": stored.actor, "hash": stored.hash,
                                     "payload": payload.model_dump(mode="json")}
            if stored.event_type == "AwardProposed":
                entry["checks"] = [render_check(RuleCheck.model_validate(check), language)
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

    async def _staff_step(province: str, caller: Caller, handler: Any, command: Any, *reads: Any) -> Recorded:
        context = command_context(province, caller, *STAFF)
        return await execute(unit_of_work, handler, command, context, *reads)

    @api.post("/proposals/{proposal_id}/return", status_code=201, tags=["proposals"],
              summary="Return the dossier for completion, naming what is missing (province staff)")
    async def return_proposal(province: str, proposal_id: IdPath, body: ReturnBody, caller: Caller) -> Recorded:
        command = ReturnProposal(**{**body.model_dump(), "proposal_id": proposal_id})
        return await _staff_step(province, caller, handlers.return_proposal, command, facts.adopted_rulebooks, _today)

    @api.post("/proposals/{proposal_id}/resubmission", status_code=201, tags=["proposals"],
              summary="Resubmit a returned dossier with the missing documents (its bloc secretariat or staff)")
    async def resubmit(province: str, proposal_id: IdPath, body: ResubmitBody, caller: Caller) -> Recorded:
        proposal = await load_proposal(province, proposal_id)
        caller.require_own_bloc(proposal["bloc_id"])
        context = command_context(province, caller, "admin", "bloc_secretary")
        command = ResubmitProposal(**{**body.model_dump(), "proposal_id": proposal_id})
        return await execute(unit_of_work, handlers.resubmit_proposal, command, context, facts.adopted_rulebooks,
                             _today)

    @api.post("/proposals/{proposal_id}/council-votes", status_code=201, tags=["council and decision"],
              summary="Record the provincial council's vote; short of the rulebook's share it rejects (staff)")
    async def council_vote(province: str, proposal_id: IdPath, body: CouncilBody, caller: Caller) -> Recorded:
        command = RecordCouncilVote(**{**body.model_dump(), "proposal_id": proposal_id})
        return await _staff_step(province, caller, handlers.record_council_vote, command, facts.adopted_rulebooks,
                                 facts.gather_facts, _today)

    @api.post("/proposals/{proposal_id}/forwarding", status_code=201, tags=["council and decision"],
              summary="Forward an approved Government-flag dossier to the central level (staff)")
    async def forward(province: str, proposal_id: IdPath, body: ForwardBody, caller: Caller) -> Recorded:
        command = ForwardToCentral(**{**body.model_dump(), "proposal_id": proposal_id})
        return await _staff_step(province, caller, handlers.forward_to_central, command, facts.adopted_rulebooks,
                                 facts.gather_facts, _today)

    @api.post("/proposals/{proposal_id}/decision", status_code=201, tags=["council and decision"],
              summary="Record the decision (number, date, authority); the rule version of its date is recorded")
    async def decide(province: str, proposal_id: IdPath, body: DecideBody, caller: Caller) -> Recorded:
        command = DecideAward(**{**body.model_dump(), "proposal_id": proposal_id})
        return await _staff_step(province, caller, handlers.decide_award, command, facts.adopted_rulebooks,
                                 facts.gather_facts, _today)

    @api.post("/proposals/{proposal_id}/rejection", status_code=201, tags=["council and decision"],
              summary="Reject a proposal, by the province or the central level, with the reason (staff)")
    async def reject(province: str, proposal_id: IdPath, body: RejectBody, caller: Caller) -> Recorded:
        command = RejectProposal(**{**body.model_dump(), "proposal_id": proposal_id})
        return await _staff_step(province, caller, handlers.reject_proposal, command, _today)

    @api.post("/proposals/{proposal_id}/revocation", status_code=201, tags=["freeze and revoke"],
              summary="Revoke a decided award with a decision and reason (staff)")
    async def revoke(province: str, proposal_id: IdPath, body: RevokeBody, caller: Caller) -> Recorded:
        command = RevokeAward(**{**body.model_dump(), "proposal_id": proposal_id})
        return await _staff_step(province, caller, handlers.revoke_award, command, _today)

    # --- freezes ----------------------------------------------------------------------------------

    @api.post("/freezes", status_code=201, tags=["freeze and revoke"],
              summary="Freeze a unit's awards, or one proposal, while a review or complaint is pending (staff)")
    async def freeze(province: str, body: Freeze, caller: Caller) -> Recorded:
        context = command_context(province, caller, *STAFF)
        return await execute(unit_of_work, handlers.freeze, body, context, queries.unit_lookup, _today)

    @api.post("/freezes/lifting", status_code=201, tags=["freeze and revoke"],
              summary="Lift a freeze by its reference once cleared (staff)")
    async def unfreeze(province: str, body: Freeze, caller: Caller) -> Recorded:
        context = command_context(province, caller, *STAFF)
        return await execute(unit_of_work, handlers.unfreeze, body, context, queries.unit_lookup, _today)

    @api.get("/freezes", tags=["freeze and revoke"], summary="Every freeze, pending or lifted (admin, auditor)")
    async def freezes(province: str, caller: Caller) -> list[dict[str, Any]]:
        caller.require_role(*CONFIDENTIAL)
        async with parts.engine.connect() as connection:
            return await queries.list_freezes(connection, province)

    # --- units and scores as awards knows them ----------------------------------------------------

    @api.get("/units/{unit_id}/awards", tags=["proposals"],
             summary="A unit's proposals and awards across the years, its merged predecessors' included")
    async def unit_awards(province: str, unit_id: IdPath, caller: Caller) -> dict[str, Any]:
        async with parts.engine.connect() as connection:
            found = await queries.unit_awards(connection, province, unit_id)
        if found is None:
            raise NotFound("proposal.unknown_unit", unit_id=unit_id)
        if caller.role not in CONFIDENTIAL:
            found["freezes"] = [{"ref": row["ref"], "frozen_on": row["frozen_on"], "unfrozen_on": row["unfrozen_on"]}
                                for row in found["freezes"]]
        return found

    @api.get("/units", tags=["proposals"], summary="The units the registry has told awards of")
    async def units(province: str, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await queries.known_units(connection, province)

    @api.get("/scores", tags=["proposals"], summary="Final scores received from scoring")
    async def scores(province: str, caller: Caller) -> list[dict[str, Any]]:
        async with parts.engine.connect() as connection:
            return await queries.known_scores(connection, province)

    return api
