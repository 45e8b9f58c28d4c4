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


ScoringMethodIn = Literal["mean_of_cross", "trimmed_mean", "verified_self"]
"""The methods a table may adopt (``adjusted_self`` is what tables adopted before ``verified_self`` had its
verification step say; it stays readable, not chosen anew)."""
METHOD_HELP = ("how assessments become points: mean_of_cross (the mean of the cross-assessments), trimmed_mean "
               "(the same without each criterion's highest and lowest when it has three or more), verified_self "
               "(the self-assessment, once the chair's team verifies it)")
Amount = Annotated[float, Field(ge=-1e12, le=1e12, description="a JSON number, e.g. 1250.5")]


class CriterionIn(Command):
    code: CriterionCode
    group: Line = Field(min_length=1, max_length=100)
    title: Line = Field(min_length=1, max_length=500)
    max_points: float = Field(gt=0, le=1000)
    kind: Literal["base", "bonus", "penalty"] = "base"
    source: Literal["assessment", "targets"] = Field(
        default="assessment", description="where its points come from: the assessments, or the unit's target "
                                          "results (max_points × the share of its targets attained)")


class BandIn(Command):
    name: Line = Field(min_length=1, max_length=100, description="e.g. 'Xuất sắc'")
    min_points: float = Field(ge=0, le=100000, description="the lowest total that earns it")


class AdoptScoringTable(Command):
    """The chair's secretariat adopts (or amends, with a reason) the bloc-year's scoring table."""

    bloc_id: Identifier
    year: Year
    criteria: list[CriterionIn] = Field(min_length=1, max_length=200)
    method: ScoringMethodIn = Field(default="mean_of_cross", description=METHOD_HELP)
    reason: Paragraph | None = Field(default=None, max_length=500)
    bands: list[BandIn] = Field(default_factory=list, max_length=20,
                                description="the classification bands (xếp loại), in any order")
    adopted_on: Day | None = Field(default=None, description="the day the bloc adopted it (default: today)")


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
    published_on: Day | None = Field(default=None, description="the day the bloc published it (default: today)")


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


class TargetResultIn(Command):
    code: CriterionCode
    attained: bool
    achieved: Amount | None = Field(default=None, description="the value achieved, for a target with numbers")
    planned: Amount | None = Field(default=None, description="the plan, given with the value achieved")


class RecordTargetResults(Command):
    """A member unit's results against every target it registered, at the year's end."""

    bloc_id: Identifier
    year: Year
    unit_id: Identifier
    results: list[TargetResultIn] = Field(min_length=1, max_length=100)
    recorded_on: Day | None = Field(default=None, description="the day they were recorded, where staff record "
                                                              "a past one (default: today)")


class VerifySelfAssessment(Command):
    """The chair's team verifies a unit's latest self-assessment (under the method verified_self)."""

    bloc_id: Identifier
    year: Year
    unit_id: Identifier
    verified_by: Line = Field(min_length=1, max_length=200, description="who verified it: a person or the team")
    notes: Paragraph | None = Field(default=None, max_length=2000)
    verified_on: Day | None = Field(default=None, description="the day it was verified (default: today)")


class ResolveTie(Command):
    """The bloc ranks units tied on their total, by a recorded decision or by its vote."""

    bloc_id: Identifier
    year: Year
    order: list[Identifier] = Field(min_length=2, max_length=100, description="every tied unit, first to last")
    ground: Literal["decision", "vote"]
    reference: Line = Field(min_length=1, max_length=200,
                            description="the decision's number, or the vote's identifier")
    notes: Paragraph | None = Field(default=None, max_length=2000)
    resolved_on: Day | None = Field(default=None, description="the day of the decision or the vote "
                                                              "(default: today)")
