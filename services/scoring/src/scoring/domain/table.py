"""A bloc-year's scoring table as adopted: its criteria (each scored by assessment or from the target
results), the method that turns assessments into points, and the classification bands (xếp loại).

Rules a table keeps: criteria have distinct codes; a criterion from the targets adds points (base or
bonus), it never subtracts them; bands have distinct names and distinct minimums. Points are given for every
criterion, each within 0 and its maximum; base and bonus points add, penalty points subtract, and a total
never goes below 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scoring.domain.ranking import band_of
from scoring.domain.targets import target_points
from thidua_contracts.scoring import ClassificationBand, Criterion, ScoringMethod, ScoringTableAdopted, TargetResult
from thidua_shared.errors import Invalid


def _first_duplicate(values: Sequence[object]) -> object | None:
    return next((value for value in values if values.count(value) > 1), None)


@dataclass(frozen=True, slots=True)
class ScoringTable:
    version: int = 0
    """0 while none is adopted."""
    criteria: tuple[Criterion, ...] = ()
    method: ScoringMethod = "mean_of_cross"
    bands: tuple[ClassificationBand, ...] = ()

    @classmethod
    def adopted(cls, event: ScoringTableAdopted) -> ScoringTable:
        return cls(event.table_version, tuple(event.criteria), event.method, tuple(event.bands))

    @staticmethod
    def check(criteria: Sequence[Criterion], bands: Sequence[ClassificationBand]) -> None:
        if not criteria:
            raise Invalid("table.empty")
        duplicate = _first_duplicate([criterion.code for criterion in criteria])
        if duplicate is not None:
            raise Invalid("table.duplicate_code", criterion=duplicate)
        penalty = next((c.code for c in criteria if c.source == "targets" and c.kind == "penalty"), None)
        if penalty is not None:
            raise Invalid("table.targets_penalty", criterion=penalty)
        duplicate = _first_duplicate([band.name for band in bands])
        if duplicate is not None:
            raise Invalid("table.duplicate_band", band=duplicate)
        duplicate = _first_duplicate([band.min_points for band in bands])
        if duplicate is not None:
            raise Invalid("table.duplicate_band_minimum", min_points=duplicate)

    @property
    def assessed(self) -> list[Criterion]:
        """The criteria that assessments score."""
        return [criterion for criterion in self.criteria if criterion.source == "assessment"]

    @property
    def from_targets(self) -> list[Criterion]:
        """The criteria that take their points from the target results."""
        return [criterion for criterion in self.criteria if criterion.source == "targets"]

    def criterion(self, code: str) -> Criterion | None:
        return next((criterion for criterion in self.criteria if criterion.code == code), None)

    def checked(self, scores: Mapping[str, float], every_criterion: bool = False) -> dict[str, float]:
        """Points for every criterion that assessments score (``every_criterion``: for every criterion of the
        table, as a final score recorded directly gives), each within 0 and its maximum."""
        criteria = list(self.criteria) if every_criterion else self.assessed
        by_code = {criterion.code: criterion for criterion in criteria}
        from_targets = sorted(set(scores) & {c.code for c in self.from_targets} - set(by_code))
        if from_targets:
            raise Invalid("assessment.from_targets", criteria=", ".join(from_targets))
        unknown = sorted(set(scores) - set(by_code))
        if unknown:
            raise Invalid("assessment.unknown_criteria", criteria=", ".join(unknown))
        missing = [code for code in by_code if code not in scores]
        if missing:
            raise Invalid("assessment.missing_criteria", criteria=", ".join(missing))
        for code, points in scores.items():
            if not 0 <= points <= by_code[code].max_points:
                raise Invalid("assessment.out_of_bounds", criterion=code, points=points,
                              max_points=by_code[code].max_points)
        return {code: float(scores[code]) for code in by_code}

    def points_from(self, results: list[TargetResult]) -> dict[str, float]:
        return {criterion.code: target_points(criterion, results) for criterion in self.from_targets}

    def total(self, breakdown: Mapping[str, float]) -> float:
        kinds = {criterion.code: criterion.kind for criterion in self.criteria}
        total = round(sum(-p if kinds.get(code) == "penalty" else p for code, p in breakdown.items()), 4)
        return max(total, 0.0)

    def band(self, total: float) -> str | None:
        return band_of(total, self.bands)
