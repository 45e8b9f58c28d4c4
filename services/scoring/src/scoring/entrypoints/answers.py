"""What scoring's GET routes answer: the read models as ``scoring.adapters.queries`` gives them, so that the
OpenAPI describes them."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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


class ScoringTable(BaseModel):
    bloc_id: str
    year: int
    table_version: int
    criteria: list[Criterion]
    method: str
    opens_on: date | None
    closes_on: date | None


class SelfAssessment(BaseModel):
    scores: dict[str, float]
    submissions: int
    submitted_at: str


class CrossAssessment(BaseModel):
    assessor_unit_id: str
    unit_id: str
    scores: dict[str, float]


class Target(BaseModel):
    code: str
    text: str
    measure: str | None = None


class Pair(BaseModel):
    assessor_unit_id: str
    unit_id: str


class Missing(BaseModel):
    """What members have yet to send: targets, their self-assessment, each cross-assessment."""

    model_config = ConfigDict(populate_by_name=True)

    targets: list[str]
    self_: list[str] = Field(alias="self")
    cross: list[Pair]


class FinalScore(BaseModel):
    unit_id: str
    total: float
    breakdown: dict[str, float]
    method: str
    version: int


class RankEntry(BaseModel):
    unit_id: str
    rank: int
    total: float


class Ranking(BaseModel):
    bloc_id: str
    year: int
    version: int
    ranking: list[RankEntry]
    published_at: str
    reason: str | None
    locked: bool


class Scoreboard(BaseModel):
    """A bloc-year: members, table, assessments, targets, what is missing, final scores and ranking."""

    bloc_id: str
    bloc_name: str | None
    year: int
    members: list[Member]
    table: ScoringTable | None
    self_assessments: dict[str, SelfAssessment]
    cross_assessments: list[CrossAssessment]
    targets: dict[str, list[Target]]
    missing: Missing
    scores: list[FinalScore]
    ranking: Ranking | None


class UnitYear(BaseModel):
    unit_id: str
    bloc_id: str
    year: int
    total: float
    method: str
    rank: int | None


class UnitScores(BaseModel):
    """A unit's final scores and ranks across years; ``lineage`` names it and the units merged into it."""

    unit_id: str
    lineage: list[str]
    years: list[UnitYear]


class BlocYearEvent(BaseModel):
    position: int
    event_type: str
    recorded_at: str
    actor: dict[str, Any]
    payload: dict[str, Any]
