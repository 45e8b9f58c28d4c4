"""Awards use cases, ``handle(command, context, uow)``: the province's rulebooks, proposals from filing to
decision, freezes and revocation. Each loads through the unit of work's repositories, reads what its rules ask
through the unit of work's ports, lets the aggregate decide, saves what it recorded and commits."""

from __future__ import annotations

from datetime import date

from awards.application.ports import GatherFacts, Rulebooks
from awards.application.unit_of_work import AwardsUnitOfWork
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
from awards.domain.freeze import UnitFreezes
from awards.domain.model import Proposal
from awards.domain.rulebook import NATIONAL_DEFAULTS, ExclusiveForms, Form, Rulebook, in_force
from thidua_contracts.awards import DossierDocument
from thidua_shared.context import CommandContext
from thidua_shared.errors import Invalid


def dated(on: date | None, uow: AwardsUnitOfWork) -> date:
    """The day an act is dated: the one given, no later than the province's today; today if none is given."""
    today = uow.today()
    if on is None:
        return today
    if on > today:
        raise Invalid("date.in_future", on=on, today=today)
    return on


def _documents(documents: list[Document]) -> list[DossierDocument]:
    return [DossierDocument(kind=document.kind, ref=document.ref) for document in documents]


async def rulebook_on(rulebooks: Rulebooks, province: str, on: date) -> Rulebook:
    return in_force(on, await rulebooks(province))


def national_exclusive(forms: list[Form]) -> list[ExclusiveForms]:
    """The national sets of exclusive forms, narrowed to the forms a province's version has."""
    codes = {form.code for form in forms}
    narrowed = [[code for code in group.forms if code in codes] for group in NATIONAL_DEFAULTS[-1].exclusive]
    return [ExclusiveForms(forms=kept, citation=group.citation)
            for kept, group in zip(narrowed, NATIONAL_DEFAULTS[-1].exclusive, strict=True) if len(kept) > 1]


async def adopt_rulebook(command: AdoptRulebook, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    books = await uow.province_rulebooks.get(context.province)
    exclusive = command.exclusive if command.exclusive is not None else national_exclusive(command.forms)
    books.adopt(Rulebook(version=command.version, effective_from=command.effective_from,
                         legal_basis=command.legal_basis, forms=command.forms, exclusive=exclusive))
    await uow.save(books)
    await uow.commit()


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


async def propose_award(command: ProposeAward, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    """The form-year is locked first, so that no other proposal changes the counts judged here."""
    await uow.lock(form_year_lock(context.province, command.award_code, command.year))
    proposal = await uow.proposals.get(command.proposal_id)
    filed_on = dated(command.filed_on, uow)
    rulebook = await rulebook_on(uow.rulebooks, context.province, filed_on)
    score = None
    if command.bloc_id is not None:
        score = await uow.final_score(context.province, command.bloc_id, command.year, command.unit_id)
    judged = await judge(uow.gather_facts, rulebook, context.province, command.unit_id, command.year,
                         command.award_code, command.bloc_id, "proposal", command.proposal_id)
    verdict, facts = judged if judged is not None else (
        Verdict(command.unit_id, command.year, command.award_code, rulebook.version, []), None)
    proposal.propose(
        unit_id=command.unit_id, year=command.year, award_code=command.award_code, bloc_id=command.bloc_id,
        vote_id=command.vote_id, filed_on=filed_on, documents=_documents(command.documents), rulebook=rulebook,
        verdict=verdict, score=score, unit_known=await uow.unit_known(context.province, command.unit_id),
        same_award=facts.same_award if facts is not None else [],
        # Province staff may record a past dossier with its date; anyone else's dossier arrives today.
        received_on=filed_on if context.actor.role == "admin" else uow.today())
    await uow.save(proposal)
    await uow.commit()


async def _recorded_rulebook(rulebooks: Rulebooks, province: str, proposal: Proposal, on: date) -> Rulebook:
    """The rulebook the proposal was filed under (its dossier's requirements), or the one in force on ``on``."""
    adopted = await rulebooks(province)
    named = [book for book in (*NATIONAL_DEFAULTS, *adopted) if book.version == proposal.rule_version]
    return named[0] if named else in_force(on, adopted)


async def return_proposal(command: ReturnProposal, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    proposal = await uow.proposals.get(command.proposal_id)
    on = dated(command.returned_on, uow)
    form = proposal.form_in(await _recorded_rulebook(uow.rulebooks, context.province, proposal, on))
    proposal.return_for_completion(command.reason, command.missing, form, on)
    await uow.save(proposal)
    await uow.commit()


async def resubmit_proposal(command: ResubmitProposal, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    proposal = await uow.proposals.get(command.proposal_id)
    on = dated(command.resubmitted_on, uow)
    form = proposal.form_in(await _recorded_rulebook(uow.rulebooks, context.province, proposal, on))
    proposal.resubmit(_documents(command.documents), form, on)
    await uow.save(proposal)
    await uow.commit()


async def _unit_freezes(gather: GatherFacts, rulebook: Rulebook, province: str, proposal: Proposal) -> list[str]:
    form = rulebook.form(proposal.award_code)
    if form is None or not proposal.exists:
        return []
    facts = await gather(province, proposal.unit_id, proposal.year, form, proposal.bloc_id, "proposal",
                         proposal.proposal_id)
    return facts.freeze_refs()


async def record_council_vote(command: RecordCouncilVote, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    """The council's share and quorum are those of the rulebook the dossier was received under."""
    proposal = await uow.proposals.get(command.proposal_id)
    held_on = dated(command.held_on, uow)
    rulebook = await _recorded_rulebook(uow.rulebooks, context.province, proposal, held_on)
    proposal.record_council(
        members=command.members, present=command.present, approve=command.approve, reject=command.reject,
        written_votes=command.written_votes, held_on=held_on, rulebook=rulebook,
        unit_freezes=await _unit_freezes(uow.gather_facts, rulebook, context.province, proposal))
    await uow.save(proposal)
    await uow.commit()


async def forward_to_central(command: ForwardToCentral, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    """The central stage follows the rulebook in force on the forwarding date; its quota binds here (the form-year
    is locked while it is counted), with the facts (the unit active, no freeze) judged again."""
    proposal = await uow.proposals.get(command.proposal_id)
    await uow.lock(form_year_lock(context.province, proposal.award_code, proposal.year))
    on = dated(command.forwarded_on, uow)
    rulebook = await rulebook_on(uow.rulebooks, context.province, on)
    form = proposal.form_in(rulebook)
    facts = await uow.gather_facts(context.province, proposal.unit_id, proposal.year, form, proposal.bloc_id,
                                   "forward", proposal.proposal_id)
    proposal.forward(command.dossier_ref, on, _documents(command.documents), rulebook, facts.freeze_refs(),
                     evaluate(rulebook, form, facts, "forward"))
    await uow.save(proposal)
    await uow.commit()


async def decide_award(command: DecideAward, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    """The decision keeps the rulebook the dossier was received under; only facts are judged again (the unit
    active, no freeze, the quota among the decisions already made) and the authority in office signs."""
    proposal = await uow.proposals.get(command.proposal_id)
    await uow.lock(form_year_lock(context.province, proposal.award_code, proposal.year))
    decided_on = dated(command.decided_on, uow)
    rulebook = await _recorded_rulebook(uow.rulebooks, context.province, proposal, decided_on)
    form = proposal.form_in(rulebook)  # the proposal exists, and its form in the rulebook it was filed under
    facts = await uow.gather_facts(context.province, proposal.unit_id, proposal.year, form, proposal.bloc_id,
                                   "decision", proposal.proposal_id)
    verdict = evaluate(rulebook, form, facts, "decision")
    authority = command.authority or form.authority_in_office(
        await uow.province_in_office(context.province, decided_on))
    proposal.decide(
        decision_no=command.decision_no, decided_on=decided_on, authority=authority, rulebook=rulebook,
        verdict=verdict, unit_status=facts.unit_status,
        unit_freezes=facts.freeze_refs())
    await uow.save(proposal)
    await uow.commit()


async def reject_proposal(command: RejectProposal, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    proposal = await uow.proposals.get(command.proposal_id)
    proposal.reject(command.reason, dated(command.rejected_on, uow), command.by)
    await uow.save(proposal)
    await uow.commit()


async def revoke_award(command: RevokeAward, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    """The revocation, and a flag on every award or proposal that rested on the revoked award, in one
    transaction: the province reviews each."""
    proposal = await uow.proposals.get(command.proposal_id)
    on = dated(command.revoked_on, uow)
    proposal.revoke(command.decision_no, command.reason, on, command.ground)
    await uow.save(proposal)
    for dependent_id, ground in await uow.dependents(context.province, proposal.unit_id, proposal.year,
                                                     proposal.award_code, proposal.proposal_id):
        dependent = await uow.proposals.get(dependent_id)
        if dependent.flag(proposal, command.decision_no, ground, on):
            await uow.save(dependent)
    await uow.commit()


async def freeze(command: Freeze, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    """Freeze a unit (one the registry told awards of) or one proposal."""
    await _freeze_or_lift(command, context, uow, lift=False)


async def unfreeze(command: Freeze, context: CommandContext, uow: AwardsUnitOfWork) -> None:
    """Lift a unit's or a proposal's freeze, by its reference."""
    await _freeze_or_lift(command, context, uow, lift=True)


async def _freeze_or_lift(command: Freeze, context: CommandContext, uow: AwardsUnitOfWork, lift: bool) -> None:
    on = dated(command.on, uow)
    subject: Proposal | UnitFreezes
    if command.proposal_id is not None:
        subject = await uow.proposals.get(command.proposal_id)
        (subject.unfreeze if lift else subject.freeze)(command.reason, command.ref, on)
    else:
        subject = await uow.unit_freezes.get(command.unit_id or "")
        if lift:
            subject.unfreeze(command.reason, command.ref, on)
        else:
            subject.freeze(command.reason, command.ref, on, await uow.unit_known(context.province, subject.unit_id))
    await uow.save(subject)
    await uow.commit()
