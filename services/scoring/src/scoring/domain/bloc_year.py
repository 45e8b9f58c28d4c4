"""A bloc's scoring year: its table, its window, and every assessment, in one stream.

Rules (bloc charter, "quy chế, bảng chấm điểm"): the chair's secretariat adopts the table before
scoring opens; an amendment before the first assessment needs a reason, after it none is allowed.
Assessments are accepted only inside the window, for members of the bloc that year, within each
criterion's points; a unit may resubmit its self-assessment until the window closes (each version is
kept in the log); no unit assesses itself in a cross-assessment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from thidua_shared.contracts import EventPayload
from thidua_shared.contracts.scoring import (
    Criterion,
    CrossAssessmentSubmitted,
    ScoringMethod,
    ScoringTableAdopted,
    ScoringWindowSet,
    SelfAssessmentSubmitted,
)
from thidua_shared.errors import Conflict, Invalid


def bloc_year_stream(province: str, bloc_id: str, year: int) -> str:
    return f"bloc-year:{province}:{bloc_id}:{year}"


@dataclass
class BlocYear:
    bloc_id: str
    year: int
    version: int = 0
    criteria: list[Criterion] = field(default_factory=list)
    table_version: int = 0
    method: ScoringMethod = "mean_of_cross"
    window: tuple[date, date] | None = None
    self_scores: dict[str, dict[str, float]] = field(default_factory=dict)
    cross_scores: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)

    @classmethod
    def from_history(cls, bloc_id: str, year: int, history: Iterable[EventPayload]) -> BlocYear:
        bloc_year = cls(bloc_id, year)
        for event in history:
            bloc_year.apply(event)
        return bloc_year

    def apply(self, event: EventPayload) -> None:
        if isinstance(event, ScoringTableAdopted):
            self.criteria, self.table_version, self.method = list(event.criteria), event.table_version, event.method
        elif isinstance(event, ScoringWindowSet):
            self.window = (event.opens_on, event.closes_on)
        elif isinstance(event, SelfAssessmentSubmitted):
            self.self_scores[event.unit_id] = dict(event.scores)
        elif isinstance(event, CrossAssessmentSubmitted):
            self.cross_scores[(event.assessor_unit_id, event.unit_id)] = dict(event.scores)
        self.version += 1

    @property
    def assessed(self) -> bool:
        return bool(self.self_scores or self.cross_scores)

    def adopt_table(self, criteria: list[Criterion], method: ScoringMethod, reason: str | None) -> list[EventPayload]:
        if not criteria:
            raise Invalid("table.empty")
        codes = [criterion.code for criterion in criteria]
        duplicate = next((code for code in codes if codes.count(code) > 1), None)
        if duplicate is not None:
            raise Invalid("table.duplicate_code", criterion=duplicate)
        if self.assessed:
            raise Conflict("table.locked", bloc_id=self.bloc_id, year=self.year)
        reason = (reason or "").strip() or None
        if self.table_version and reason is None:
            raise Invalid("table.amendment_needs_reason", version=self.table_version)
        return [ScoringTableAdopted(bloc_id=self.bloc_id, year=self.year, table_version=self.table_version + 1,
                                    criteria=criteria, method=method, reason=reason if self.table_version else None)]

    def set_window(self, opens_on: date, closes_on: date) -> list[EventPayload]:
        self._require_table()
        if closes_on < opens_on:
            raise Invalid("window.backwards", opens_on=opens_on.isoformat(), closes_on=closes_on.isoformat())
        return [ScoringWindowSet(bloc_id=self.bloc_id, year=self.year, opens_on=opens_on, closes_on=closes_on)]

    def submit_self(self, unit_id: str, scores: Mapping[str, float], evidence: list[str], on: date,
                    is_member: bool) -> list[EventPayload]:
        self._require_open(on)
        self._require_member(unit_id, is_member)
        return [SelfAssessmentSubmitted(bloc_id=self.bloc_id, year=self.year, unit_id=unit_id,
                                        scores=self._checked(scores), evidence=evidence)]

    def submit_cross(self, assessor_unit_id: str, unit_id: str, scores: Mapping[str, float], comments: str | None,
                     on: date, assessor_is_member: bool, unit_is_member: bool) -> list[EventPayload]:
        if assessor_unit_id == unit_id:
            raise Invalid("cross.self", unit_id=unit_id)
        self._require_open(on)
        self._require_member(assessor_unit_id, assessor_is_member)
        self._require_member(unit_id, unit_is_member)
        return [CrossAssessmentSubmitted(bloc_id=self.bloc_id, year=self.year, assessor_unit_id=assessor_unit_id,
                                         unit_id=unit_id, scores=self._checked(scores), comments=comments)]

    def _checked(self, scores: Mapping[str, float]) -> dict[str, float]:
        """Points for every criterion of the table, each within 0 and its maximum."""
        by_code = {criterion.code: criterion for criterion in self.criteria}
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

    def _require_table(self) -> None:
        if not self.table_version:
            raise Conflict("table.none", bloc_id=self.bloc_id, year=self.year)

    def _require_open(self, on: date) -> None:
        self._require_table()
        if self.window is None:
            raise Conflict("window.none", bloc_id=self.bloc_id, year=self.year)
        opens_on, closes_on = self.window
        if not opens_on <= on <= closes_on:
            raise Conflict("window.closed", on=on.isoformat(), opens_on=opens_on.isoformat(),
                           closes_on=closes_on.isoformat())

    def _require_member(self, unit_id: str, is_member: bool) -> None:
        if not is_member:
            raise Conflict("score.not_member", unit_id=unit_id, bloc_id=self.bloc_id, year=self.year)
