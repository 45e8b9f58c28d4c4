from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import Field

from thidua_contracts.base import ContractModel, EventPayload
from thidua_contracts.envelope import Source


class AwardForm(ContractModel):
    """An award form of a rulebook version; ``rules`` holds the form's tunable rules as data."""

    code: str
    name: str
    decided_by: str
    rules: dict[str, Any] = Field(default_factory=dict)


class VoteResult(ContractModel):
    unit_id: str
    votes_for: int


class RuleCheck(ContractModel):
    """One rule applied to one unit: met or not, its legal basis, and a message code with what was found."""

    rule: str
    ok: bool
    citation: str
    """The legal basis in Vietnamese words."""
    code: str
    params: dict[str, Any] = Field(default_factory=dict)
    alternatives: list[RuleCheck] = Field(default_factory=list)
    cite: dict[str, Any] | None = None
    """The legal basis as fields (document, article, clause, point, issuer, date), for rendering in another
    language (added; checks recorded before it have only ``citation``)."""


class DossierDocument(ContractModel):
    """A document of an award proposal's dossier: its kind (as the rulebook names it) and where it is."""

    kind: str
    ref: str


class ProposalBasis(ContractModel):
    rank: int | None = None
    total: float | None = None
    vote_id: str | None = None
    rule_version: str


class AwardsEvent(EventPayload):
    source: ClassVar[Source] = "awards"


class RulebookAdopted(AwardsEvent):
    version: str
    effective_from: date
    legal_basis: list[str]
    forms: list[AwardForm]
    exclusive: list[dict[str, Any]] = Field(default_factory=list)
    """Sets of forms a unit holds at most one of for a year's achievement: ``{"forms": [...], "citation": ...}``
    (one achievement, one form). Versions adopted before this field named none."""


class HonoringVoteOpened(AwardsEvent):
    act_date: ClassVar[str | None] = "opened_on"
    vote_id: str
    bloc_id: str
    year: int
    award_code: str
    candidates: list[str]
    members: int
    threshold: float
    quorum: float = 0.5
    rule_version: str | None = None
    more_than: bool = False
    """True: a candidate needs more than ``threshold`` of the members; False (and before it existed): at least."""
    places: int | None = None
    """How many units the vote may honour; a ballot names at most that many (added to the contract; none,
    before it existed: every candidate past the threshold)."""
    threshold_of: Literal["members", "present"] = "members"
    """Whether the threshold is a share of all the bloc's members or of those who cast a ballot (added)."""
    runoff_of: str | None = None
    """The vote whose tie at the last place this round decides (added to the contract)."""
    opened_on: date | None = None
    """The day of the bloc's meeting that opened the vote (added; none before: the day it was recorded)."""


class BallotCast(AwardsEvent):
    vote_id: str
    voter_unit_id: str


class HonoringVoteClosed(AwardsEvent):
    act_date: ClassVar[str | None] = "closed_on"
    vote_id: str
    ballots_cast: int
    results: list[VoteResult]
    """The valid ballots' count for each candidate."""
    honoured: list[str]
    invalid_ballots: int = 0
    """Ballots that named no candidate or more than the places (counted among those cast; added)."""
    tied: list[str] = Field(default_factory=list)
    """Candidates tied at the last place: a new round among them decides ``places_left`` (added)."""
    places_left: int = 0
    closed_on: date | None = None
    """The day the vote closed and its tally was read out (added; none before: the day it was recorded)."""


class AwardProposed(AwardsEvent):
    act_date: ClassVar[str | None] = "filed_on"
    proposal_id: str
    bloc_id: str | None = None
    year: int
    unit_id: str
    award_code: str
    basis: ProposalBasis
    filed_on: date | None = None
    documents: list[DossierDocument] = Field(default_factory=list)
    checks: list[RuleCheck] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    """The documents the rulebook requires that the dossier lacked when filed, named then (added)."""


class ProposalReturned(AwardsEvent):
    act_date: ClassVar[str | None] = "returned_on"
    proposal_id: str
    reason: str
    missing: list[str]
    returned_on: date | None = None


class ProposalResubmitted(AwardsEvent):
    act_date: ClassVar[str | None] = "resubmitted_on"
    proposal_id: str
    documents: list[DossierDocument]
    resubmitted_on: date


class CouncilVoteRecorded(AwardsEvent):
    act_date: ClassVar[str | None] = "held_on"
    proposal_id: str
    members: int
    present: int
    approve: int
    reject: int
    written_votes: int
    held_on: date | None = None
    required: int | None = None
    passed: bool | None = None
    rule_version: str | None = None


class AwardDecided(AwardsEvent):
    act_date: ClassVar[str | None] = "decided_on"
    proposal_id: str
    unit_id: str
    award_code: str
    decision_no: str
    decided_on: date
    authority: str
    rule_version: str
    reward_vnd: int | None = None
    """The reward money in đồng: ``reward_multiple`` times the base salary in force on ``decided_on``, rounded
    up to tens of thousands (added to the contract; none where no base salary applies)."""
    reward_multiple: float | None = None
    base_salary_vnd: int | None = None
    base_salary_basis: str | None = None
    """The decree that set the base salary."""
    checks: list[RuleCheck] = Field(default_factory=list)
    """The facts judged again on the decision's day: the unit active, no freeze, the quota (added)."""


class AwardRejected(AwardsEvent):
    act_date: ClassVar[str | None] = "rejected_on"
    proposal_id: str
    reason: str
    rejected_on: date | None = None
    by: str | None = None


class ForwardedToCentral(AwardsEvent):
    act_date: ClassVar[str | None] = "forwarded_on"
    proposal_id: str
    dossier_ref: str
    forwarded_on: date
    documents: list[DossierDocument] = Field(default_factory=list)
    checks: list[RuleCheck] = Field(default_factory=list)
    """The facts and the quota judged at the forwarding (added; none before)."""


class _Freeze(AwardsEvent):
    """The fields of a freeze and of its lifting: not an event itself; :class:`AwardFrozen` and
    :class:`AwardUnfrozen` are siblings, told apart by class."""
    act_date: ClassVar[str | None] = "on"

    unit_id: str | None = None
    proposal_id: str | None = None
    reason: str
    ref: str
    on: date | None = None


class AwardFrozen(_Freeze):
    pass


class AwardUnfrozen(_Freeze):
    pass


RevocationGround = Literal["a", "b", "c", "d"]
"""The point of clause 2 of Article 93 of the Law on Emulation and Commendation 2022 that a revocation rests on."""


class AwardRevoked(AwardsEvent):
    act_date: ClassVar[str | None] = "revoked_on"
    proposal_id: str
    decision_no: str
    reason: str
    revoked_on: date
    ground: RevocationGround | None = None
    """Point a, b, c or d of Law 2022 art. 93 cl. 2 (added to the contract; none before it was asked)."""
    money_to_recover_vnd: int | None = None
    """The reward money the unit gives back (the decision's), none where it had none (added)."""
    artefact_to_recover: bool = False
    """The flag or certificate is recovered too (added)."""


FlagGround = Literal["quota_leader", "consecutive_titles"]
"""Why an award rests on another: the quota that allowed it counted the other's unit as a qualifying leader, or
its consecutive titles counted the other."""


class AwardFlagged(AwardsEvent):
    """An award (or proposal) that rested on an award since revoked, flagged for the province to review."""
    act_date: ClassVar[str | None] = "flagged_on"

    proposal_id: str
    unit_id: str
    award_code: str
    year: int
    rests_on: str
    """The revoked award's proposal."""
    rests_on_unit_id: str
    rests_on_award_code: str
    ground: FlagGround
    flagged_on: date
    revocation_no: str


QualityRating = Literal["excellent", "good", "completed", "not_completed"]
"""The yearly quality rating of a unit (xếp loại chất lượng): hoàn thành xuất sắc / tốt / hoàn thành /
không hoàn thành nhiệm vụ."""
StandardFact = Literal["internal_unity", "party_excellent", "new_models", "member_titles"]
"""A standard recorded as an attested fact: internal unity, the Party and mass organisations rated excellent,
new models, the members' individual titles."""


class QualityRatingRecorded(AwardsEvent):
    """The province rated a unit's year (the rating replaces any earlier one of the same unit and year)."""
    act_date: ClassVar[str | None] = "rated_on"

    unit_id: str
    year: int
    rating: QualityRating
    ref: str
    """The document that rates it (a decision or the province's list)."""
    rated_on: date


class StandardAttested(AwardsEvent):
    """A standard of a unit's year that thidua does not compute, recorded with the document attesting it."""
    act_date: ClassVar[str | None] = "attested_on"

    unit_id: str
    year: int
    fact: StandardFact
    ref: str
    attested_on: date
    note: str | None = None


class AttestationWithdrawn(AwardsEvent):
    act_date: ClassVar[str | None] = "withdrawn_on"
    unit_id: str
    year: int
    fact: StandardFact
    reason: str
    withdrawn_on: date


EVENTS: tuple[type[EventPayload], ...] = (
    RulebookAdopted,
    HonoringVoteOpened,
    BallotCast,
    HonoringVoteClosed,
    AwardProposed,
    ProposalReturned,
    ProposalResubmitted,
    CouncilVoteRecorded,
    AwardDecided,
    AwardRejected,
    ForwardedToCentral,
    AwardFrozen,
    AwardUnfrozen,
    AwardRevoked,
    QualityRatingRecorded,
    StandardAttested,
    AttestationWithdrawn,
    AwardFlagged,
)
