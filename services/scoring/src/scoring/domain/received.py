"""What a bloc-year holds of its units' work: each unit's latest self-assessment and whether the chair's
team verified it, the latest cross-assessment of each pair, each unit's targets and their results; and the
points a table's method gives a unit from them, before the secretariat's adjustments.

- ``mean_of_cross`` and ``trimmed_mean``: the cross-assessments the unit received (see
  :mod:`scoring.domain.methods`);
- ``verified_self``: its self-assessment, once verified (a new submission needs verifying again);
- ``adjusted_self``: its self-assessment as it stands;
- criteria from the targets: the results of its targets (see :mod:`scoring.domain.targets`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from scoring.domain.methods import SELF_METHODS, cross_points
from scoring.domain.table import ScoringTable
from thidua_contracts.scoring import Target, TargetResult


@dataclass
class Received:
    self_scores: dict[str, dict[str, float]] = field(default_factory=dict)
    self_submitted_on: dict[str, date | None] = field(default_factory=dict)
    verified_on: dict[str, date] = field(default_factory=dict)
    """The day the chair's team verified each unit's latest self-assessment."""
    cross_scores: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)
    """The points of each (assessor, assessed) pair, the latest submission's."""
    targets: dict[str, list[Target]] = field(default_factory=dict)
    target_results: dict[str, list[TargetResult]] = field(default_factory=dict)

    @property
    def any_assessment(self) -> bool:
        return bool(self.self_scores or self.cross_scores)

    def assessed_points(self, unit_id: str, table: ScoringTable, verified: bool = True) -> dict[str, float] | None:
        """The points of the criteria that assessments score, by the table's method; None while the unit
        lacks the assessments it needs, or (``verified``) their verification."""
        codes = [criterion.code for criterion in table.assessed]
        if table.method in SELF_METHODS:
            if unit_id not in self.self_scores:
                return None
            if verified and table.method == "verified_self" and unit_id not in self.verified_on:
                return None
            return {code: self.self_scores[unit_id][code] for code in codes}
        received = [scores for (_, assessed), scores in self.cross_scores.items() if assessed == unit_id]
        return cross_points(received, codes, table.method) if received else None

    def target_points(self, unit_id: str, table: ScoringTable) -> dict[str, float] | None:
        """The points of the criteria from the targets ({} if the table has none); None without results."""
        if not table.from_targets:
            return {}
        results = self.target_results.get(unit_id)
        return None if results is None else table.points_from(results)

    def base_scores(self, unit_id: str, table: ScoringTable, verified: bool = True) -> dict[str, float] | None:
        """Every criterion's points before adjustments, or None while the unit lacks what they need."""
        assessed = self.assessed_points(unit_id, table, verified)
        from_targets = self.target_points(unit_id, table)
        if assessed is None or from_targets is None:
            return None
        points = {**assessed, **from_targets}
        return {criterion.code: points[criterion.code] for criterion in table.criteria}
