"""Awards use cases: the province's rulebooks, proposals from filing to decision, freezes and revocation."""

from __future__ import annotations

from datetime import date

from awards.application.ports import GatherFacts, Rulebooks, ScoreLookup, Today, UnitKnown
from awards.domain.adoption import ProvinceRulebooks, rulebooks_stream
from awards.domain.commands import (
    AdoptRulebook,
    DecideAward,
    Document,
    ForwardToCentral,
    Freeze,
    ProposeAward,
    RecordCouncilVote,
    RejectProposal,
    ResubmitProposal,
    ReturnProposal,
    RevokeAward,
)
from awards.domain.eligibility import Facts, Stage, Verdict, evaluate
from awards.domain.freeze import UnitFreezes, unit_freeze_stream
from awards.domain.model import Proposal, proposal_stream
from awards.domain.rulebook import NATIONAL_DEFAULTS, Rulebook, in_force
from thidua_contracts import EventPayload
from thidua_contracts.awards import DossierDocument
from thidua_shared.context import CommandContext
from thidua_shared.errors import Invalid
from thidua_shared.store import NewEvents, StoredEvent
from thidua_shared.unit_of_work import UnitOfWork


async def _record(uow: UnitOfWork, context: CommandContext, stream_id: str, version: int,
                  decided: list[EventPayload]) -> list[StoredEvent]:
    stored = await uow.record(NewEvents(
        province=context.province, stream_id=stream_id, expected_version=version, payloads=decided,
        actor=context.actor, correlation_id=context.correlation_id, causation_id=context.causation_id))
    await uow.commit()
    return stored


async def _record_proposal(uow: UnitOfWork, context: CommandContext, proposal: Proposal,
                           decided: list[EventPayload]) -> list[StoredEvent]:
    return await _record(uow, context, proposal_stream(context.province, proposal.proposal_id), proposal.version,
                         decided)


async def _proposal(uow: UnitOfWork, province: str, proposal_id: str) -> Proposal:
    history = await uow.events.read_stream(proposal_stream(province, proposal_id))
    return Proposal.from_history(proposal_id, (event.typed() for event in history))


def _not_in_future(on: date, today: date) -> date:
    if on > today:
        raise Invalid("date.in_future", on=on, today=today)
    return on


def _documents(documents: list[Document]) -> list[DossierDocument]:
    return [DossierDocument(kind=document.kind, ref=document.ref) for document in documents]


async def rulebook_on(rulebooks: Rulebooks, province: str, on: date) -> Rulebook:
    return in_force(on, await rulebooks(province))


async def adopt_rulebook(command: AdoptRulebook, context: CommandContext, uow: UnitOfWork) -> list[StoredEvent]:
    stream = rulebooks_stream(context.province)
    history = await uow.events.read_stream(stream)
    books = ProvinceRulebooks.from_history(event.typed() for event in history)
    rulebook = Rulebook(version=command.version, effective_from=command.effective_from,
                        legal_basis=command.legal_basis, forms=command.forms)
    return await _record(uow, context, stream, books.version, books.adopt(rulebook))


async def judge(gather: GatherFacts, rulebook: Rulebook, province: str, unit_id: str, year: int, award_code: str,
                bloc_id: str | None, stage: Stage, proposal_id: str | None) -> tuple[Verdict, Facts] | None:
    """The eligibility engine's verdict and the facts it judged, or None when the rulebook has no such form."""
    form = rulebook.form(award_code)
    if form is None:
        return None
    facts = await gather(province, unit_id, year, form, bloc_id, stage, proposal_id)
    return evaluate(rulebook, form, facts, stage), facts


async def verdict_for(gather: GatherFacts, rulebook: Rulebook, province: str, unit_id: str, year: int,
                      award_code: str, bloc_id: str | None, stage: Stage, proposal_id: str | None) -> Verdict | None:
    judged = await judge(gather, rulebook, province, unit_id, year, award_code, bloc_id, stage, proposal_id)
    return judged[0] if judged is not None else None


def form_year_lock(province: str, award_code: str, year: int) -> str:
    """The lock of a form's proposals and decisions of a year: taken before their quota and the unit's
    active proposals of the form are counted, so that two at once cannot both pass on the same count."""
    return f"form-year:{province}:{award_code}:{year}"


async def propose_award(command: ProposeAward, context: CommandContext, uow: UnitOfWork, final_score: ScoreLookup,
                        unit_exists: UnitKnown, rulebooks: Rulebooks, gather: GatherFacts,
                        today: Today) -> list[StoredEvent]:
    """The form-year is locked first, so that no other proposal changes the counts judged here."""
    await uow.lock(form_year_lock(context.province, command.award_code, command.year))
    proposal = await _proposal(uow, context.province, command.proposal_id)
    filed_on = _not_in_future(command.filed_on or today(), today())
    rulebook = await rulebook_on(rulebooks, context.province, filed_on)
    score = None
    if command.bloc_id is not None:
        score = await final_score(context.province, command.bloc_id, command.year, command.unit_id)
    judged = await judge(gather, rulebook, context.province, command.unit_id, command.year, command.award_code,
                         command.bloc_id, "proposal", command.proposal_id)
    verdict, facts = judged if judged is not None else (
        Verdict(command.unit_id, command.year, command.award_code, rulebook.version, []), None)
    decided = proposal.propose(
        unit_id=command.unit_id, year=command.year, award_code=command.award_code, bloc_id=command.bloc_id,
        vote_id=command.vote_id, filed_on=filed_on, documents=_documents(command.documents), rulebook=rulebook,
        verdict=verdict, score=score, unit_known=await unit_exists(context.province, command.unit_id),
        same_award=facts.same_award if facts is not None else [],
        # Province staff may record a past dossier with its date; anyone else's dossier arrives today.
        received_on=filed_on if context.actor.role == "admin" else today())
    return await _record_proposal(uow, context, proposal, decided)


async def _recorded_rulebook(rulebooks: Rulebooks, province: str, proposal: Proposal, on: date) -> Rulebook:
    """The rulebook the proposal was filed under (its dossier's requirements), or the one in force on ``on``."""
    adopted = await rulebooks(province)
    named = [book for book in (*NATIONAL_DEFAULTS, *adopted) if book.version == proposal.rule_version]
    return named[0] if named else in_force(on, adopted)


async def return_proposal(command: ReturnProposal, context: CommandContext, uow: UnitOfWork, rulebooks: Rulebooks,
                          today: Today) -> list[StoredEvent]:
    proposal = await _proposal(uow, context.province, command.proposal_id)
    on = _not_in_future(command.returned_on or today(), today())
    form = proposal.form_in(await _recorded_rulebook(rulebooks, context.province, proposal, on))
    decided = proposal.return_for_completion(command.reason, command.missing, form, on)
    return await _record_proposal(uow, context, proposal, decided)


async def resubmit_proposal(command: ResubmitProposal, context: CommandContext, uow: UnitOfWork,
                            rulebooks: Rulebooks, today: Today) -> list[StoredEvent]:
    proposal = await _proposal(uow, context.province, command.proposal_id)
    on = _not_in_future(command.resubmitted_on or today(), today())
    form = proposal.form_in(await _recorded_rulebook(rulebooks, context.province, proposal, on))
    decided = proposal.resubmit(_documents(command.documents), form, on)
    return await _record_proposal(uow, context, proposal, decided)


async def _unit_freezes(gather: GatherFacts, rulebook: Rulebook, province: str, proposal: Proposal) -> list[str]:
    form = rulebook.form(proposal.award_code)
    if form is None or not proposal.version:
        return []
    facts = await gather(province, proposal.unit_id, proposal.year, form, proposal.bloc_id, "proposal",
                         proposal.proposal_id)
    return facts.freeze_refs()


async def record_council_vote(command: RecordCouncilVote, context: CommandContext, uow: UnitOfWork,
                              rulebooks: Rulebooks, gather: GatherFacts, today: Today) -> list[StoredEvent]:
    proposal = await _proposal(uow, context.province, command.proposal_id)
    held_on = _not_in_future(command.held_on, today())
    rulebook = await rulebook_on(rulebooks, context.province, held_on)
    decided = proposal.record_council(
        members=command.members, present=command.present, approve=command.approve, reject=command.reject,
        written_votes=command.written_votes, held_on=held_on, rulebook=rulebook,
        unit_freezes=await _unit_freezes(gather, rulebook, context.province, proposal))
    return await _record_proposal(uow, context, proposal, decided)


async def forward_to_central(command: ForwardToCentral, context: CommandContext, uow: UnitOfWork,
                             rulebooks: Rulebooks, gather: GatherFacts, today: Today) -> list[StoredEvent]:
    proposal = await _proposal(uow, context.province, command.proposal_id)
    on = _not_in_future(command.forwarded_on, today())
    rulebook = await rulebook_on(rulebooks, context.province, on)
    decided = proposal.forward(command.dossier_ref, on, _documents(command.documents), rulebook,
                               await _unit_freezes(gather, rulebook, context.province, proposal))
    return await _record_proposal(uow, context, proposal, decided)


async def decide_award(command: DecideAward, context: CommandContext, uow: UnitOfWork, rulebooks: Rulebooks,
                       gather: GatherFacts, today: Today) -> list[StoredEvent]:
    """The decision records the rulebook version in force on the decision's own date."""
    proposal = await _proposal(uow, context.province, command.proposal_id)
    await uow.lock(form_year_lock(context.province, proposal.award_code, proposal.year))
    decided_on = _not_in_future(command.decided_on, today())
    rulebook = await rulebook_on(rulebooks, context.province, decided_on)
    form = proposal.form_in(rulebook)  # the proposal exists, and its form in the rulebook of the day
    facts = await gather(context.province, proposal.unit_id, proposal.year, form, proposal.bloc_id, "decision",
                         proposal.proposal_id)
    verdict = evaluate(rulebook, form, facts, "decision")
    decided = proposal.decide(
        decision_no=command.decision_no, decided_on=decided_on, authority=command.authority, rulebook=rulebook,
        verdict=verdict, unit_status=facts.unit_status,
        unit_freezes=facts.freeze_refs())
    return await _record_proposal(uow, context, proposal, decided)


async def reject_proposal(command: RejectProposal, context: CommandContext, uow: UnitOfWork,
                          today: Today) -> list[StoredEvent]:
    proposal = await _proposal(uow, context.province, command.proposal_id)
    on = _not_in_future(command.rejected_on or today(), today())
    decided = proposal.reject(command.reason, on, command.by)
    return await _record_proposal(uow, context, proposal, decided)


async def revoke_award(command: RevokeAward, context: CommandContext, uow: UnitOfWork,
                       today: Today) -> list[StoredEvent]:
    proposal = await _proposal(uow, context.province, command.proposal_id)
    on = _not_in_future(command.revoked_on, today())
    decided = proposal.revoke(command.decision_no, command.reason, on)
    return await _record_proposal(uow, context, proposal, decided)


async def freeze(command: Freeze, context: CommandContext, uow: UnitOfWork, unit_exists: UnitKnown,
                 today: Today, lift: bool = False) -> list[StoredEvent]:
    """Freeze (or, with ``lift``, unfreeze) a unit or one proposal."""
    on = _not_in_future(command.on or today(), today())
    if command.proposal_id is not None:
        proposal = await _proposal(uow, context.province, command.proposal_id)
        decided = (proposal.unfreeze if lift else proposal.freeze)(command.reason, command.ref, on)
        return await _record_proposal(uow, context, proposal, decided)
    unit_id = command.unit_id or ""
    stream = unit_freeze_stream(context.province, unit_id)
    history = await uow.events.read_stream(stream)
    freezes = UnitFreezes.from_history(unit_id, (event.typed() for event in history))
    if lift:
        decided = freezes.unfreeze(command.reason, command.ref, on)
    else:
        decided = freezes.freeze(command.reason, command.ref, on, await unit_exists(context.province, unit_id))
    return await _record(uow, context, stream, freezes.version, decided)


async def unfreeze(command: Freeze, context: CommandContext, uow: UnitOfWork, unit_exists: UnitKnown,
                   today: Today) -> list[StoredEvent]:
    return await freeze(command, context, uow, unit_exists, today, lift=True)
