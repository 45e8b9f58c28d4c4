"""What scoring's GET routes answer: the read models as ``scoring.adapters.queries`` gives them, so that the
OpenAPI describes them."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from thidua_shared.history import LoggedEvent


class Member(BaseModel):
    unit_id: str
    name: str | None
    joined_on: date
    left_on: date | None


class Criterion(BaseModel):
    code: str
    group: str
    title: str
    max_points: float
    kind: str
    source: str = "assessment"


class Band(BaseModel):
    name: str
    min_points: float


class ScoringTable(BaseModel):
    bloc_id: str
    year: int
    table_version: int
    criteria: list[Criterion]
    method: str
    opens_on: date | None
    closes_on: date | None
    bands: list[Band]


class SelfAssessment(BaseModel):
    scores: dict[str, float]
    submissions: int
    submitted_at: str
    verified_on: date | None
    """When the chair's team verified the latest submission (under verified_self), if it did."""
    verified_by: str | None
    verification_notes: str | None


class CrossAssessment(BaseModel):
    assessor_unit_id: str
    unit_id: str
    scores: dict[str, float]


class Target(BaseModel):
    code: str
    text: str
    measure: str | None = None


class TargetResult(BaseModel):
    code: str
    attained: bool
    achieved: float | None = None
    planned: float | None = None
    percent: float | None = None


class TargetResults(BaseModel):
    results: list[TargetResult]
    recorded_on: date


class Pair(BaseModel):
    assessor_unit_id: str
    unit_id: str


class Missing(BaseModel):
    """What members have yet to send: targets and their results, their self-assessment and its verification
    (under verified_self), each cross-assessment."""

    model_config = ConfigDict(populate_by_name=True)

    targets: list[str]
    target_results: list[str]
    self_: list[str] = Field(alias="self")
    verifications: list[str]
    cross: list[Pair]


class FinalScore(BaseModel):
    unit_id: str
    total: float
    breakdown: dict[str, float]
    method: str
    version: int
    band: str | None
    """Its classification band (xếp loại), if the table has bands."""
    tied: bool
    """Another final score has the same total."""


class RankEntry(BaseModel):
    unit_id: str
    rank: int
    """Tied units share it until the bloc resolves their tie."""
    total: float
    tied: bool = False
    band: str | None = None


class ResolvedTie(BaseModel):
    total: float
    order: list[str]
    ground: str
    reference: str


class Ranking(BaseModel):
    bloc_id: str
    year: int
    version: int
    ranking: list[RankEntry]
    published_at: str
    """When it was recorded."""
    published_on: date | None = None
    """The day the bloc published it (none for a ranking recorded before the read model kept it)."""
    reason: str | None
    locked: bool
    resolved_ties: list[ResolvedTie]


class TieResolution(BaseModel):
    """The bloc's resolution of a tie: the tied units in its order, on the ground of a decision or a vote."""

    total: float
    order: list[str]
    ground: str
    reference: str
    resolved_on: date
    notes: str | None


class Scoreboard(BaseModel):
    """A bloc-year: members, table, assessments, targets and their results, what is missing, final scores
    (each with its band, and whether it is tied), the ranking and the bloc's resolutions of its ties."""

    bloc_id: str
    bloc_name: str | None
    year: int
    members: list[Member]
    table: ScoringTable | None
    self_assessments: dict[str, SelfAssessment]
    cross_assessments: list[CrossAssessment]
    targets: dict[str, list[Target]]
    target_results: dict[str, TargetResults]
    missing: Missing
    scores: list[FinalScore]
    ranking: Ranking | None
    tie_resolutions: list[TieResolution]


class UnitYear(BaseModel):
    unit_id: str
    bloc_id: str
    year: int
    total: float
    method: str
    band: str | None
    rank: int | None


class UnitScores(BaseModel):
    """A unit's final scores and ranks across years; ``lineage`` names it and the units merged into it."""

    unit_id: str
    lineage: list[str]
    years: list[UnitYear]


BlocYearEvent = LoggedEvent
"""An event of the bloc-year, with its hash chain."""
