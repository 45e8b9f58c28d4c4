from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field

from thidua_contracts.base import ContractModel, EventPayload
from thidua_contracts.envelope import Source

CriterionKind = Literal["base", "bonus", "penalty"]
CriterionSource = Literal["assessment", "targets"]
TieGround = Literal["decision", "vote"]


class Criterion(ContractModel):
    code: str
    group: str
    title: str
    max_points: float
    kind: CriterionKind
    source: CriterionSource = "assessment"
    """Where its points come from (added to the contract): the assessments (the default), or the unit's
    results against its registered targets: ``max_points`` × the share of its targets attained."""


class ClassificationBand(ContractModel):
    """A classification band (xếp loại) of a scoring table: a total of at least ``min_points`` earns it,
    unless a higher band's minimum is met too."""

    name: str
    min_points: float


class Target(ContractModel):
    code: str
    text: str
    measure: str | None = None


class TargetResult(ContractModel):
    """What came of one registered target at the year's end.

    ``achieved`` and ``planned`` are the measured value and the plan, for a target that has numbers (both
    absent for one that has none, e.g. "no disciplinary case"); ``percent`` is ``achieved`` as a percentage
    of ``planned`` (absent without numbers or with a plan of 0). A unit *exceeded its targets* when every
    result is ``attained`` and at least one has ``percent`` above 100."""

    code: str
    attained: bool
    achieved: float | None = None
    planned: float | None = None
    percent: float | None = None


class RankEntry(ContractModel):
    unit_id: str
    rank: int
    """Units with equal totals share a rank (1, 1, 3) until the bloc resolves their tie (``tied`` stays
    true then, and their ranks follow the bloc's order)."""
    total: float
    tied: bool = False
    """Its total equals another member's (added to the contract)."""
    band: str | None = None
    """Its classification band (xếp loại) by the table's bands, if the table has any (added to the contract)."""


class ResolvedTie(ContractModel):
    """A tie of a ranking as the bloc resolved it: the units in the order it decided, and on what ground."""

    total: float
    order: list[str]
    ground: TieGround
    reference: str


class ScoringEvent(EventPayload):
    source: ClassVar[Source] = "scoring"


ScoringMethod = Literal["mean_of_cross", "trimmed_mean", "verified_self", "adjusted_self"]


class ScoringTableAdopted(ScoringEvent):
    """Version 2 gave ``verified_self`` an explicit verification step; the tables of version 1 that said
    ``verified_self`` (the self-assessment with the secretariat's adjustments, nothing more) read as
    ``adjusted_self``."""

    schema_version: ClassVar[int] = 2
    act_date: ClassVar[str | None] = "adopted_on"

    bloc_id: str
    year: int
    table_version: int
    criteria: list[Criterion]
    method: ScoringMethod = "mean_of_cross"
    """How final scores are computed from the assessments (added to the contract):

    - ``mean_of_cross``: the mean of the cross-assessments a unit received, criterion by criterion;
    - ``trimmed_mean``: the same, without the highest and the lowest points of a criterion when it has at
      least three;
    - ``verified_self``: the self-assessment, once the chair's team has verified it
      (:class:`SelfAssessmentVerified`);
    - ``adjusted_self``: the self-assessment as it stands (what version 1 called ``verified_self``).

    The secretariat's adjustments (:class:`ScoreAdjusted`) apply to each."""
    reason: str | None = None
    """Why an adopted table was amended (added to the contract)."""
    bands: list[ClassificationBand] = Field(default_factory=list)
    """The classification bands (xếp loại), highest minimum first (added to the contract)."""
    adopted_on: date | None = None
    """The day the bloc adopted (or amended) the table (added; none before: the day it was recorded)."""


class ScoringWindowSet(ScoringEvent):
    """The dates between which assessments are accepted for a bloc-year (added to the contract)."""

    bloc_id: str
    year: int
    opens_on: date
    closes_on: date


class TargetsRegistered(ScoringEvent):
    bloc_id: str
    year: int
    unit_id: str
    targets: list[Target]


class SelfAssessmentSubmitted(ScoringEvent):
    act_date: ClassVar[str | None] = "submitted_on"
    bloc_id: str
    year: int
    unit_id: str
    scores: dict[str, float]
    evidence: list[str]
    submitted_on: date | None = None
    """The day it was submitted, checked against the window (added to the contract)."""


class CrossAssessmentSubmitted(ScoringEvent):
    act_date: ClassVar[str | None] = "submitted_on"
    bloc_id: str
    year: int
    assessor_unit_id: str
    unit_id: str
    scores: dict[str, float]
    comments: str | None = None
    submitted_on: date | None = None
    """The day it was submitted, checked against the window (added to the contract)."""


class ScoreAdjusted(ScoringEvent):
    bloc_id: str
    year: int
    unit_id: str
    code: str
    from_points: float
    to_points: float
    reason: str


class SelfAssessmentVerified(ScoringEvent):
    """The chair's team verified a unit's latest self-assessment against its evidence: under the method
    ``verified_self`` it counts from then on (until the unit submits again). ``scores`` are the points
    verified; ``verified_by`` who verified them (a person or the team)."""
    act_date: ClassVar[str | None] = "verified_on"

    bloc_id: str
    year: int
    unit_id: str
    scores: dict[str, float]
    verified_by: str
    verified_on: date
    notes: str | None = None


class TargetResultsRecorded(ScoringEvent):
    """A member unit's results against every target it registered for the year, as recorded on
    ``recorded_on`` (the latest recording counts)."""
    act_date: ClassVar[str | None] = "recorded_on"

    bloc_id: str
    year: int
    unit_id: str
    results: list[TargetResult]
    recorded_on: date


class UnitScored(ScoringEvent):
    """Version 2: ``method`` ``verified_self`` means a verified self-assessment; version 1's
    ``verified_self`` reads as ``adjusted_self`` (see :class:`ScoringTableAdopted`)."""

    schema_version: ClassVar[int] = 2

    bloc_id: str
    year: int
    unit_id: str
    total: float
    breakdown: dict[str, float]
    method: str
    band: str | None = None
    """Its classification band (xếp loại) by the table's bands, if the table has any (added to the contract)."""


class RankingPublished(ScoringEvent):
    act_date: ClassVar[str | None] = "published_on"
    bloc_id: str
    year: int
    ranking: list[RankEntry]
    version: int = 1
    """1 for the first ranking; each correction publishes the next version (added to the contract)."""
    reason: str | None = None
    """Why a published ranking was corrected (added to the contract)."""
    resolved_ties: list[ResolvedTie] = Field(default_factory=list)
    """The ties the bloc resolved, whose units' ranks follow its order (added to the contract)."""
    published_on: date | None = None
    """The day the bloc published the ranking (added; none before: the day it was recorded)."""


class RankingTieResolved(ScoringEvent):
    """The bloc resolved a tie of its ranking (never by a unit's identifier or name): ``order`` lists the
    tied units, all of them, as the bloc ranks them, on the ground of a recorded decision or of the vote
    (``reference``: the decision's number, or the vote's identifier). Recorded after the ranking was
    published, it is followed by the ranking's next version."""
    act_date: ClassVar[str | None] = "resolved_on"

    bloc_id: str
    year: int
    total: float
    order: list[str]
    ground: TieGround
    reference: str
    resolved_on: date
    notes: str | None = None


class RankingCorrectionOpened(ScoringEvent):
    """A published ranking is reopened, for a stated reason, to publish a corrected version."""

    bloc_id: str
    year: int
    reason: str


EVENTS: tuple[type[EventPayload], ...] = (
    ScoringTableAdopted,
    ScoringWindowSet,
    TargetsRegistered,
    SelfAssessmentSubmitted,
    CrossAssessmentSubmitted,
    ScoreAdjusted,
    SelfAssessmentVerified,
    TargetResultsRecorded,
    UnitScored,
    RankingPublished,
    RankingCorrectionOpened,
    RankingTieResolved,
)
