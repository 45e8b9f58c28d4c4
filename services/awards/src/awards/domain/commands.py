from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from awards.domain.rulebook import ExclusiveForms, Form
from thidua_contracts.awards import QualityRating, RevocationGround, StandardFact
from thidua_shared.commands import CLEAN_LINE, CLEAN_PARAGRAPH, Command, Day, Identifier, Line, Year

FormCode = Annotated[str, Field(pattern=r"^[A-Z_]{2,40}$", description="e.g. PROV_FLAG")]
Text = Annotated[str, Field(min_length=1, max_length=1000), CLEAN_PARAGRAPH]
Reference = Annotated[str, Field(min_length=1, max_length=200, description="a decision or document number"),
                      CLEAN_LINE]


DOCUMENT_KINDS = ("submission (tờ trình), achievement_report (báo cáo thành tích), vote_minutes (biên bản họp suy "
                  "tôn của khối), council_minutes (biên bản họp Hội đồng Thi đua - Khen thưởng); a province's "
                  "rulebook may name others")


class Document(Command):
    kind: str = Field(pattern=r"^[a-z_]{2,40}$", description=f"as the rulebook names it: {DOCUMENT_KINDS}",
                      examples=["submission", "achievement_report", "vote_minutes", "council_minutes"])
    ref: Reference


class AdoptRulebook(Command):
    """The province adopts its own rulebook version, in force from ``effective_from``."""

    version: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$", description="e.g. HNM-2025-1")
    effective_from: Day
    legal_basis: list[Reference] = Field(min_length=1, max_length=20)
    forms: list[Form] = Field(min_length=1, max_length=30)
    exclusive: list[ExclusiveForms] | None = Field(
        default=None, max_length=20, description="sets of forms a unit holds at most one of for a year's achievement "
                                                 "(one achievement, one form); default: the national sets")


class ProposeAward(Command):
    """Propose a unit for an award form for a year: from its bloc (with the honouring vote) or directly by
    the province for forms that need no vote."""

    proposal_id: Identifier
    unit_id: Identifier
    year: Year
    award_code: FormCode
    bloc_id: Identifier | None = None
    vote_id: Identifier | None = Field(default=None,
                                       description="the honouring vote (default: the one that honoured the unit)")
    filed_on: Day | None = Field(default=None, description="the dossier's date (default: today)")
    documents: list[Document] = Field(default_factory=list, max_length=30)


class ReturnProposal(Command):
    proposal_id: Identifier
    reason: Text
    missing: list[Annotated[str, Field(pattern=r"^[a-z_]{2,40}$")]] = Field(
        default_factory=list, max_length=30, description="documents to add beyond those the rulebook requires")
    returned_on: Day | None = None


class ResubmitProposal(Command):
    proposal_id: Identifier
    documents: list[Document] = Field(min_length=1, max_length=30)
    resubmitted_on: Day | None = None


class RecordCouncilVote(Command):
    """The provincial council's vote on one proposal; written votes come from members not present."""

    proposal_id: Identifier
    members: int = Field(ge=1, le=500)
    present: int = Field(ge=0, le=500)
    approve: int = Field(ge=0, le=500)
    reject: int = Field(ge=0, le=500)
    written_votes: int = Field(default=0, ge=0, le=500)
    held_on: Day


class ForwardToCentral(Command):
    proposal_id: Identifier
    dossier_ref: Reference
    forwarded_on: Day
    documents: list[Document] = Field(default_factory=list, max_length=30,
                                      description="added to the dossier now, e.g. the council's minutes")


class DecideAward(Command):
    proposal_id: Identifier
    decision_no: Reference
    decided_on: Day
    authority: Line | None = Field(default=None, max_length=200, description=(
        "default: the form's deciding authority in office on the decision's day (after a merger of provinces, "
        "the new province's)"))


class RejectProposal(Command):
    proposal_id: Identifier
    reason: Text
    rejected_on: Day | None = None
    by: str = Field(default="province", pattern=r"^(province|central)$")


class Freeze(Command):
    """Freeze a unit (all its awards) or one proposal while a review, inspection or complaint is pending."""

    unit_id: Identifier | None = None
    proposal_id: Identifier | None = None
    reason: Text
    ref: Reference
    on: Day | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> Freeze:
        if (self.unit_id is None) == (self.proposal_id is None):
            raise ValueError("name either unit_id or proposal_id")
        return self


class RevokeAward(Command):
    proposal_id: Identifier
    decision_no: Reference
    reason: Text
    revoked_on: Day
    ground: RevocationGround = Field(description="point a, b, c or d of Law 2022 art. 93 cl. 2")


class OpenHonoringVote(Command):
    """The bloc secretariat opens a vote on which members to propose for an award form."""

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


class CastBallot(Command):
    vote_id: Identifier
    voter_unit_id: Identifier
    choices: list[Identifier] = Field(max_length=50, description="the candidates this unit votes for")


class CloseHonoringVote(Command):
    vote_id: Identifier
    closed_on: Day | None = Field(default=None, description="the day the tally was read out (default: today)")


class RateQuality(Command):
    """The province records a unit's yearly quality rating (xếp loại chất lượng)."""

    unit_id: Identifier
    year: Year
    rating: QualityRating = Field(description="excellent (hoàn thành xuất sắc), good (tốt), completed (hoàn thành) "
                                              "or not_completed (không hoàn thành nhiệm vụ)")
    ref: Reference = Field(description="the document that rates it")
    rated_on: Day | None = Field(default=None, description="the document's date (default: today)")


class AttestStandard(Command):
    """A standard of a unit's year recorded as a fact, with the document that attests it."""

    unit_id: Identifier
    year: Year
    fact: StandardFact
    ref: Reference = Field(description="the attesting document")
    attested_on: Day | None = Field(default=None, description="the document's date (default: today)")
    note: Text | None = None


class WithdrawAttestation(Command):
    unit_id: Identifier
    year: Year
    fact: StandardFact
    reason: Text
    withdrawn_on: Day | None = None


class ImportQualityRatings(Command):
    """The yearly quality ratings of many units at once, all or none."""

    ratings: list[RateQuality] = Field(min_length=1, max_length=20_000)
