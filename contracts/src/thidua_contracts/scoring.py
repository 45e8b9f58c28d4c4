from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from thidua_contracts.base import ContractModel, EventPayload
from thidua_contracts.envelope import Source

CriterionKind = Literal["base", "bonus", "penalty"]


class Criterion(ContractModel):
    code: str
    group: str
    title: str
    max_points: float
    kind: CriterionKind


class Target(ContractModel):
    code: str
    text: str
    measure: str | None = None


class RankEntry(ContractModel):
    unit_id: str
    rank: int
    total: float


class ScoringEvent(EventPayload):
    source: ClassVar[Source] = "scoring"


ScoringMethod = Literal["mean_of_cross", "verified_self"]


class ScoringTableAdopted(ScoringEvent):
    bloc_id: str
    year: int
    table_version: int
    criteria: list[Criterion]
    method: ScoringMethod = "mean_of_cross"
    """How final scores are computed (added to the contract): the mean of the cross-assessments, or the
    self-assessment as verified (adjusted) by the chair's secretariat."""
    reason: str | None = None
    """Why an adopted table was amended (added to the contract)."""


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
    bloc_id: str
    year: int
    unit_id: str
    scores: dict[str, float]
    evidence: list[str]
    submitted_on: date | None = None
    """The day it was submitted, checked against the window (added to the contract)."""


class CrossAssessmentSubmitted(ScoringEvent):
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


class UnitScored(ScoringEvent):
    bloc_id: str
    year: int
    unit_id: str
    total: float
    breakdown: dict[str, float]
    method: str


class RankingPublished(ScoringEvent):
    bloc_id: str
    year: int
    ranking: list[RankEntry]
    version: int = 1
    """1 for the first ranking; each correction publishes the next version (added to the contract)."""
    reason: str | None = None
    """Why a published ranking was corrected (added to the contract)."""


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
    UnitScored,
    RankingPublished,
    RankingCorrectionOpened,
)
