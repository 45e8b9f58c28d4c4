"""An award proposal, from the bloc (or the province) to a decision, and what may happen to it after.

States (:class:`ProposalState`): ``proposed`` → ``returned`` (for completion) → ``proposed`` again on
resubmission; the council's vote makes it ``approved`` or ``rejected``; an approved Government flag is
``forwarded`` to the central level; the decision makes it ``decided``, a refusal ``rejected``; a decided award
can be ``revoked``. A proposal frozen (discipline, inspection, complaint pending) goes no further until it is
unfrozen. Each method checks its rules, then records the event that says what happened.
"""

from __future__ import annotations

import math
from datetime import date
from enum import StrEnum
from typing import Any

from awards.domain.citation import citation_of
from awards.domain.eligibility import LISTED_RULES, Stage, Verdict
from awards.domain.money import reward_on
from awards.domain.reliance import reliances
from awards.domain.rulebook import Form, Quota, Rulebook
from thidua_contracts.awards import (
    AwardDecided,
    AwardFlagged,
    AwardFrozen,
    AwardProposed,
    AwardRejected,
    AwardRevoked,
    AwardUnfrozen,
    CouncilVoteRecorded,
    DossierDocument,
    FlagGround,
    ForwardedToCentral,
    ProposalBasis,
    ProposalResubmitted,
    ProposalReturned,
    RevocationGround,
)
from thidua_shared.aggregate import Aggregate, applies
from thidua_shared.errors import Conflict, Invalid, NotFound


class ProposalState(StrEnum):
    """Where a proposal stands; the proposals board shows the same names."""

    NEW = "new"
    PROPOSED = "proposed"
    RETURNED = "returned"
    APPROVED = "approved"
    FORWARDED = "forwarded"
    DECIDED = "decided"
    REJECTED = "rejected"
    REVOKED = "revoked"


ACTIVE: tuple[ProposalState, ...] = (ProposalState.PROPOSED, ProposalState.RETURNED, ProposalState.APPROVED,
                                     ProposalState.FORWARDED, ProposalState.DECIDED)
"""Proposals that keep their place: each counts against its form's quota and as the unit's proposal (or award)
of its form and year, so that no second one is filed beside it."""
REJECTABLE_BY_PROVINCE: tuple[ProposalState, ...] = (ProposalState.PROPOSED, ProposalState.RETURNED,
                                                     ProposalState.APPROVED)
"""The province rejects before it decides and before the central level has the dossier."""
SETTLED: tuple[ProposalState, ...] = (ProposalState.DECIDED, ProposalState.REJECTED, ProposalState.REVOKED)
"""Nothing is left to freeze: the proposal ended, or was decided (a decided award is revoked instead)."""


def counted_by_quota(quota: Quota, stage: Stage) -> tuple[ProposalState, ...]:
    """The proposals a quota counts at a stage: those decided at the decision; those forwarded or decided at the
    forwarding, where a quota of qualifying leaders binds; otherwise every proposal that keeps its place."""
    if stage == "decision":
        return (ProposalState.DECIDED,)
    if stage == "forward" and quota.of == "qualifying_leaders":
        return (ProposalState.FORWARDED, ProposalState.DECIDED)
    return ACTIVE


def state_for_decision(form: Form) -> ProposalState:
    """The step a proposal of ``form`` must have reached to be decided: forwarded for a form the central level
    decides, approved where the form has a council, otherwise proposed."""
    if form.rules.central:
        return ProposalState.FORWARDED
    if form.rules.council is not None:
        return ProposalState.APPROVED
    return ProposalState.PROPOSED


def proposal_stream(province: str, proposal_id: str) -> str:
    return f"proposal:{province}:{proposal_id}"


def problems(verdict: Verdict) -> list[dict[str, Any]]:
    """The rules a verdict found unmet, as problems the HTTP layer renders in the caller's language."""
    return [{"rule": check.rule, "citation": citation_of(check), "code": check.code, "params": check.params,
             **({"names": LISTED_RULES[check.rule]} if check.rule in LISTED_RULES else {})}
            for check in verdict.failed()]


def _documents(documents: list[DossierDocument]) -> dict[str, str]:
    return {document.kind: document.ref for document in documents}


class Proposal(Aggregate):
    def __init__(self, province: str, proposal_id: str) -> None:
        super().__init__(proposal_stream(province, proposal_id), province)
        self.proposal_id = proposal_id
        self.state = ProposalState.NEW
        self.unit_id = ""
        self.year = 0
        self.award_code = ""
        self.bloc_id: str | None = None
        self.filed_on: date | None = None
        self.documents: dict[str, str] = {}
        self.missing: list[str] = []
        self.frozen: dict[str, str] = {}
        """The proposal's own pending freezes: reference -> reason."""
        self.decided_on: date | None = None
        self.reward_vnd: int | None = None
        self.rule_version = ""
        self.flags: list[str] = []
        """The revoked awards this one rested on."""
        self.reliances: list[dict[str, Any]] = []
        """What its checks rested on (:func:`awards.domain.reliance.reliances`)."""

    @applies(AwardProposed)
    def _proposed(self, event: AwardProposed) -> None:
        self.state, self.unit_id, self.year = ProposalState.PROPOSED, event.unit_id, event.year
        self.award_code, self.bloc_id, self.filed_on = event.award_code, event.bloc_id, event.filed_on
        self.documents = _documents(event.documents)
        self.missing = list(event.missing)
        self.rule_version = event.basis.rule_version
        self.reliances = reliances(event.year, event.checks)

    @applies(ProposalReturned)
    def _returned(self, event: ProposalReturned) -> None:
        self.state, self.missing = ProposalState.RETURNED, list(event.missing)

    @applies(ProposalResubmitted)
    def _resubmitted(self, event: ProposalResubmitted) -> None:
        self.state, self.missing = ProposalState.PROPOSED, []
        self.documents.update(_documents(event.documents))

    @applies(CouncilVoteRecorded)
    def _council_voted(self, event: CouncilVoteRecorded) -> None:
        if event.passed is not False:  # short of the share, AwardRejected follows in the same batch
            self.state = ProposalState.APPROVED

    @applies(ForwardedToCentral)
    def _forwarded(self, event: ForwardedToCentral) -> None:
        self.state = ProposalState.FORWARDED
        self.documents.update(_documents(event.documents))
        self.reliances.extend(reliances(self.year, event.checks))

    @applies(AwardDecided)
    def _decided(self, event: AwardDecided) -> None:
        self.state, self.decided_on = ProposalState.DECIDED, event.decided_on
        self.reward_vnd = event.reward_vnd
        self.reliances.extend(reliances(self.year, event.checks))

    @applies(AwardRejected)
    def _rejected(self, event: AwardRejected) -> None:
        self.state = ProposalState.REJECTED

    @applies(AwardRevoked)
    def _revoked(self, event: AwardRevoked) -> None:
        self.state = ProposalState.REVOKED

    @applies(AwardFrozen)
    def _frozen(self, event: AwardFrozen) -> None:
        self.frozen[event.ref] = event.reason

    @applies(AwardFlagged)
    def _flagged(self, event: AwardFlagged) -> None:
        self.flags.append(event.rests_on)

    @applies(AwardUnfrozen)
    def _unfrozen(self, event: AwardUnfrozen) -> None:
        self.frozen.pop(event.ref, None)

    # --- filing -------------------------------------------------------------------------------------

    def propose(self, *, unit_id: str, year: int, award_code: str, bloc_id: str | None, vote_id: str | None,
                filed_on: date, documents: list[DossierDocument], rulebook: Rulebook, verdict: Verdict,
                score: tuple[float, int | None] | None, unit_known: bool,
                same_award: list[str] | None = None, received_on: date | None = None) -> None:
        """A proposal rests on the rulebook in force on its filing date: the form must exist there, every
        eligibility rule and the quota must hold, and a bloc's proposal carries the unit's score and rank.
        The filing deadline is met by ``received_on`` (default: the dossier's date)."""
        if self.exists:
            raise Conflict("proposal.exists", proposal_id=self.proposal_id)
        form = rulebook.form(award_code)
        if form is None:
            raise Invalid("proposal.unknown_form", award_code=award_code, forms=rulebook.codes())
        if not unit_known:
            raise NotFound("proposal.unknown_unit", unit_id=unit_id)
        if bloc_id is not None and score is None:
            raise Conflict("proposal.no_score", unit_id=unit_id, bloc_id=bloc_id, year=year)
        if filed_on.year < year:
            raise Invalid("proposal.filed_before_year", filed_on=filed_on, year=year)
        received = received_on or filed_on
        if form.rules.file_by is not None and received > form.rules.file_by.for_year(year):
            raise Conflict("proposal.late", award_code=award_code, year=year,
                           deadline=form.rules.file_by.for_year(year), citation=form.rules.file_by.citation,
                           filed_on=received)
        kinds = [document.kind for document in documents]
        if len(set(kinds)) != len(kinds):
            raise Invalid("proposal.duplicate_documents", kinds=", ".join(sorted(kinds)))
        if same_award:
            raise Conflict("proposal.duplicate", unit_id=unit_id, award_code=award_code, year=year,
                           proposals=", ".join(same_award))
        if vote_id is not None and vote_id not in verdict.honoured_by:
            raise Conflict("proposal.vote_mismatch", vote_id=vote_id, unit_id=unit_id, award_code=award_code,
                           year=year)
        if not verdict.eligible:
            raise Conflict("proposal.not_eligible", unit_id=unit_id, award_code=award_code, year=year,
                           rule_version=rulebook.version, problems=problems(verdict))
        total, rank = score if score is not None else (None, None)
        basis = ProposalBasis(total=total, rank=rank, vote_id=vote_id or next(iter(verdict.honoured_by), None),
                              rule_version=rulebook.version)
        missing = [kind for kind in form.rules.documents if kind not in kinds]
        self.record(AwardProposed(proposal_id=self.proposal_id, bloc_id=bloc_id, year=year, unit_id=unit_id,
                                  award_code=award_code, basis=basis, filed_on=filed_on, documents=documents,
                                  checks=verdict.checks, missing=missing))

    def missing_documents(self, form: Form) -> list[str]:
        return [kind for kind in form.rules.documents if kind not in self.documents]

    def return_for_completion(self, reason: str, named: list[str], form: Form, on: date) -> None:
        """The Department returns the dossier: the missing documents the rulebook requires, and those the
        reviewer names."""
        self._require(ProposalState.PROPOSED)
        missing = sorted({*self.missing_documents(form), *named})
        if not missing:
            raise Invalid("proposal.nothing_missing", proposal_id=self.proposal_id,
                          required=", ".join(form.rules.documents) or "-")
        self.record(ProposalReturned(proposal_id=self.proposal_id, reason=reason, missing=missing,
                                     returned_on=on))

    def resubmit(self, documents: list[DossierDocument], form: Form, on: date) -> None:
        self._require(ProposalState.RETURNED)
        given = {document.kind for document in documents}
        still = sorted(kind for kind in self.missing if kind not in given)
        if still:
            raise Invalid("proposal.still_missing", proposal_id=self.proposal_id, missing=", ".join(still))
        self.record(ProposalResubmitted(proposal_id=self.proposal_id, documents=documents, resubmitted_on=on))

    # --- council, forwarding, decision --------------------------------------------------------------

    def record_council(self, *, members: int, present: int, approve: int, reject: int, written_votes: int,
                       held_on: date, rulebook: Rulebook, unit_freezes: list[str]) -> None:
        """The council's vote on the proposal; the rulebook in force on the session's date sets the share
        (flags: at least 80% of all members) and any quorum. A vote short of the share rejects it."""
        self._require(ProposalState.PROPOSED)
        form = self.form_in(rulebook)
        council = form.rules.council
        if council is None:
            raise Conflict("council.not_needed", award_code=self.award_code, rule_version=rulebook.version)
        self._require_complete(form)
        self._require_unfrozen(unit_freezes)
        if present > members or written_votes > members - present:
            raise Invalid("council.bad_attendance", members=members, present=present, written_votes=written_votes)
        if approve + reject > present + written_votes:
            raise Invalid("council.too_many_votes", approve=approve, reject=reject,
                          voters=present + written_votes)
        if council.quorum is not None and present < math.ceil(council.quorum * members - 1e-9):
            raise Conflict("council.no_quorum", present=present, members=members,
                           needed=math.ceil(council.quorum * members - 1e-9), citation=council.citation)
        if council.of == "members":
            required = math.ceil(council.share * members - 1e-9)
        else:
            required = math.floor(council.share * (approve + reject) + 1e-9) + 1
        passed = approve >= required
        self.record(CouncilVoteRecorded(
            proposal_id=self.proposal_id, members=members, present=present, approve=approve, reject=reject,
            written_votes=written_votes, held_on=held_on, required=required, passed=passed,
            rule_version=rulebook.version))
        if not passed:
            self.record(AwardRejected(
                proposal_id=self.proposal_id, rejected_on=held_on, by="council",
                reason=f"{approve}/{members if council.of == 'members' else approve + reject} approve; "
                       f"{required} needed ({council.citation})"))

    def forward(self, dossier_ref: str, forwarded_on: date, documents: list[DossierDocument], rulebook: Rulebook,
                unit_freezes: list[str], verdict: Verdict) -> None:
        """An approved central form goes on with what the central level needs (the council's minutes), within
        the quota that binds the forwarding (the Government flag's share of the qualifying leaders)."""
        form = self.form_in(rulebook)
        if not form.rules.central:
            raise Conflict("proposal.not_central", award_code=self.award_code)
        self._require(ProposalState.APPROVED)
        self._require_unfrozen(unit_freezes)
        if not verdict.eligible:
            raise Conflict("proposal.forward_over_quota" if all(check.rule.startswith("quota")
                                                                for check in verdict.failed())
                           else "proposal.forward_not_eligible",
                           award_code=self.award_code, year=self.year, rule_version=rulebook.version,
                           problems=problems(verdict))
        given = {*self.documents, *(document.kind for document in documents)}
        missing = [kind for kind in form.rules.forward_documents if kind not in given]
        if missing:
            raise Conflict("proposal.forward_incomplete", missing=", ".join(missing))
        deadline = form.rules.forward_by
        if deadline is not None and forwarded_on > deadline.for_year(self.year):
            raise Conflict("proposal.forward_late", deadline=deadline.for_year(self.year),
                           citation=deadline.citation, forwarded_on=forwarded_on)
        self.record(ForwardedToCentral(proposal_id=self.proposal_id, dossier_ref=dossier_ref,
                                       forwarded_on=forwarded_on, documents=documents, checks=verdict.checks))

    def decide(self, *, decision_no: str, decided_on: date, authority: str | None, rulebook: Rulebook,
               verdict: Verdict, unit_status: str, unit_freezes: list[str]) -> None:
        """The decision records the rule version the dossier was received under. It needs the council's approval
        where the form has a council, the central forwarding for central forms, an active unit with no freeze
        pending (the law, whatever the rulebook lists), and the quota among the decisions already made: the
        facts judged again on the decision's day (the standards were judged when the dossier was received)."""
        form = self.form_in(rulebook)
        self._require(state_for_decision(form))
        if self.filed_on is not None and decided_on < self.filed_on:
            raise Invalid("decision.before_filing", decided_on=decided_on, filed_on=self.filed_on)
        if unit_status != "active":
            raise Conflict("decision.unit_inactive", unit_id=self.unit_id, status=unit_status)
        self._require_unfrozen(unit_freezes)
        failed = verdict.failed()
        if failed and all(check.rule.startswith("quota") for check in failed):
            raise Conflict("decision.over_quota", award_code=self.award_code, year=self.year,
                           rule_version=rulebook.version, problems=problems(verdict))
        if failed:
            raise Conflict("decision.not_eligible", award_code=self.award_code, year=self.year,
                           rule_version=rulebook.version, problems=problems(verdict))
        reward = reward_on(form.rules.base_multiple, decided_on)
        self.record(AwardDecided(proposal_id=self.proposal_id, unit_id=self.unit_id, award_code=self.award_code,
                                 decision_no=decision_no, decided_on=decided_on,
                                 authority=authority or form.decided_by, rule_version=rulebook.version,
                                 reward_vnd=reward.vnd if reward else None,
                                 reward_multiple=reward.multiple if reward else None,
                                 base_salary_vnd=reward.base_salary.vnd if reward else None,
                                 base_salary_basis=reward.base_salary.basis if reward else None,
                                 checks=verdict.checks))

    def reject(self, reason: str, on: date, by: str) -> None:
        """The province rejects before it decides; the central level rejects what was forwarded to it."""
        if by == "central":
            self._require_exists()
            if self.state is not ProposalState.FORWARDED:
                raise Conflict("proposal.not_forwarded", proposal_id=self.proposal_id)
        else:
            self._require(*REJECTABLE_BY_PROVINCE)
        self.record(AwardRejected(proposal_id=self.proposal_id, reason=reason, rejected_on=on, by=by))

    # --- freeze and revoke --------------------------------------------------------------------------

    def freeze(self, reason: str, ref: str, on: date) -> None:
        self._require_exists()
        if self.state in SETTLED:
            raise Conflict("freeze.final", proposal_id=self.proposal_id, state=self.state.value)
        if ref in self.frozen:
            raise Conflict("freeze.exists", ref=ref)
        self.record(AwardFrozen(proposal_id=self.proposal_id, unit_id=self.unit_id, reason=reason, ref=ref,
                                on=on))

    def unfreeze(self, reason: str, ref: str, on: date) -> None:
        self._require_exists()
        if ref not in self.frozen:
            raise Conflict("freeze.not_frozen", ref=ref, refs=", ".join(sorted(self.frozen)) or "-")
        self.record(AwardUnfrozen(proposal_id=self.proposal_id, unit_id=self.unit_id, reason=reason, ref=ref,
                                  on=on))

    def revoke(self, decision_no: str, reason: str, revoked_on: date, ground: RevocationGround) -> None:
        """A revocation by decision, on a ground of Law 2022 art. 93 cl. 2: the unit gives back the reward money
        the decision gave and the flag or certificate."""
        self._require(ProposalState.DECIDED)
        if self.decided_on is not None and revoked_on < self.decided_on:
            raise Invalid("revoke.before_decision", revoked_on=revoked_on, decided_on=self.decided_on)
        self.record(AwardRevoked(proposal_id=self.proposal_id, decision_no=decision_no, reason=reason,
                                 revoked_on=revoked_on, ground=ground, money_to_recover_vnd=self.reward_vnd,
                                 artefact_to_recover=True))

    def flag(self, revoked: Proposal, revocation_no: str, ground: FlagGround, on: date) -> bool:
        """Flag this award (or proposal) for review: it rested on ``revoked``, now revoked. An ended proposal is
        left as it is; the answer says whether it was flagged."""
        if not self.exists or self.state in (ProposalState.REJECTED, ProposalState.REVOKED):
            return False
        self.record(AwardFlagged(proposal_id=self.proposal_id, unit_id=self.unit_id, award_code=self.award_code,
                                 year=self.year, rests_on=revoked.proposal_id, rests_on_unit_id=revoked.unit_id,
                                 rests_on_award_code=revoked.award_code, ground=ground, flagged_on=on,
                                 revocation_no=revocation_no))
        return True

    # --- guards -------------------------------------------------------------------------------------

    def form_in(self, rulebook: Rulebook) -> Form:
        self._require_exists()
        form = rulebook.form(self.award_code)
        if form is None:
            raise Conflict("proposal.form_gone", award_code=self.award_code, rule_version=rulebook.version)
        return form

    def _require_exists(self) -> None:
        if not self.exists:
            raise NotFound("proposal.not_found", proposal_id=self.proposal_id)

    def _require(self, *states: ProposalState) -> None:
        self._require_exists()
        if self.state not in states:
            raise Conflict("proposal.wrong_state", proposal_id=self.proposal_id, state=self.state.value,
                           needed=", ".join(state.value for state in states))

    def _require_complete(self, form: Form) -> None:
        missing = self.missing_documents(form)
        if missing:
            raise Conflict("proposal.dossier_incomplete", proposal_id=self.proposal_id, missing=", ".join(missing))

    def _require_unfrozen(self, unit_freezes: list[str]) -> None:
        refs = [*(f"{ref} ({reason})" for ref, reason in sorted(self.frozen.items())), *filter(None, unit_freezes)]
        if refs:
            raise Conflict("proposal.frozen", proposal_id=self.proposal_id, refs="; ".join(refs))

