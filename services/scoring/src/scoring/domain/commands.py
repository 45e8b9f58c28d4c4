from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from thidua_shared.commands import CLEAN_LINE, Command, Day, Identifier, Line, Paragraph, Year

CriterionCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]{1,30}$")]
Points = Annotated[float, Field(ge=-1000, le=1000, description="a JSON number, e.g. 9.5")]


class RecordScore(Command):
    """Record a unit's final score for a bloc-year, criterion by criterion."""

    bloc_id: Identifier
    year: Year
    unit_id: Identifier
    breakdown: dict[CriterionCode, Points] = Field(max_length=200)
    method: Line = Field(default="secretariat", max_length=50)


class CriterionIn(Command):
    code: CriterionCode
    group: Line = Field(min_length=1, max_length=100)
    title: Line = Field(min_length=1, max_length=500)
    max_points: float = Field(gt=0, le=1000)
    kind: Literal["base", "bonus", "penalty"] = "base"


class AdoptScoringTable(Command):
    """The chair's secretariat adopts (or amends, with a reason) the bloc-year's scoring table."""

    bloc_id: Identifier
    year: Year
    criteria: list[CriterionIn] = Field(min_length=1, max_length=200)
    method: Literal["mean_of_cross", "verified_self"] = "mean_of_cross"
    reason: Paragraph | None = Field(default=None, max_length=500)


class SetScoringWindow(Command):
    bloc_id: Identifier
    year: Year
    opens_on: Day
    closes_on: Day


class SubmitSelfAssessment(Command):
    bloc_id: Identifier
    year: Year
    unit_id: Identifier
    scores: dict[CriterionCode, Points] = Field(max_length=200)
    evidence: list[Annotated[str, Field(max_length=1000), CLEAN_LINE]] = Field(default_factory=list, max_length=100,
                                description="links to the documents that back the scores")
    submitted_on: Day | None = Field(default=None, description="the day it was submitted, where staff record a "
                                                               "past submission (default: today)")


class SubmitCrossAssessment(Command):
    bloc_id: Identifier
    year: Year
    assessor_unit_id: Identifier
    unit_id: Identifier
    scores: dict[CriterionCode, Points] = Field(max_length=200)
    comments: Paragraph | None = Field(default=None, max_length=2000)
    submitted_on: Day | None = Field(default=None, description="the day it was submitted, where staff record a "
                                                               "past submission (default: today)")


class AdjustScore(Command):
    bloc_id: Identifier
    year: Year
    unit_id: Identifier
    code: CriterionCode
    to_points: Points
    reason: Paragraph = Field(min_length=1, max_length=1000)


class ComputeFinals(Command):
    bloc_id: Identifier
    year: Year


class PublishRanking(Command):
    bloc_id: Identifier
    year: Year


class OpenCorrection(Command):
    bloc_id: Identifier
    year: Year
    reason: Paragraph = Field(min_length=1, max_length=1000)


class TargetIn(Command):
    code: CriterionCode
    text: Paragraph = Field(min_length=1, max_length=1000)
    measure: Line | None = Field(default=None, max_length=200, description="how it is measured, e.g. '100%'")


class RegisterTargets(Command):
    """A member unit's emulation targets for the year (đăng ký thi đua)."""

    bloc_id: Identifier
    year: Year
    unit_id: Identifier
    targets: list[TargetIn] = Field(min_length=1, max_length=100)
