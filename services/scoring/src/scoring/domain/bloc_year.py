"""A bloc's scoring year: its table, its window, and every assessment, in one stream.

Rules (bloc charter, "quy chế, bảng chấm điểm"): the chair's secretariat adopts the table before
scoring opens; an amendment before the first assessment needs a reason, after it none is allowed.
Assessments are accepted only inside the window, for members of the bloc that year, within each
criterion's points; a unit may resubmit its self-assessment until the window closes (each version is
kept in the log); no unit assesses itself in a cross-assessment.

Each method checks its rules, then records the event that says what happened (see
:class:`thidua_shared.aggregate.Aggregate`); the handlers save what was recorded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from thidua_contracts.scoring import (
    Criterion,
    CrossAssessmentSubmitted,
    RankEntry,
    RankingCorrectionOpened,
    RankingPublished,
    ScoreAdjusted,
    ScoringMethod,
    ScoringTableAdopted,
    ScoringWindowSet,
    SelfAssessmentSubmitted,
    Target,
    TargetsRegistered,
    UnitScored,
)
from thidua_shared.aggregate import Aggregate, applies
from thidua_shared.errors import Conflict, Invalid

EVIDENCE = re.compile(r"https?://\S+|sha256:[0-9a-f]{64}")


def bloc_year_stream(province: str, bloc_id: str, year: int) -> str:
    return f"bloc-year:{province}:{bloc_id}:{year}"


class BlocYear(Aggregate):
    def __init__(self, province: str, bloc_id: str, year: int) -> None:
        super().__init__(bloc_year_stream(province, bloc_id, year), province)
        self.bloc_id = bloc_id
        self.year = year
        self.criteria: list[Criterion] = []
        self.table_version = 0
        self.method: ScoringMethod = "mean_of_cross"
        self.window: tuple[date, date] | None = None
        self.self_scores: dict[str, dict[str, float]] = {}
        self.cross_scores: dict[tuple[str, str], dict[str, float]] = {}
        """The points of each (assessor, assessed) pair, the latest submission's."""
        self.adjustments: dict[tuple[str, str], float] = {}
        """The secretariat's points of each (unit, criterion) it adjusted."""
        self.finals: dict[str, UnitScored] = {}
        """The final score of each unit, until a later assessment or adjustment makes it stale."""
        self.ranking_version = 0
        self.locked = False
        self.correction_reason: str | None = None

    @applies(ScoringTableAdopted)
    def _table_adopted(self, event: ScoringTableAdopted) -> None:
        self.criteria, self.table_version, self.method = list(event.criteria), event.table_version, event.method

    @applies(ScoringWindowSet)
    def _window_set(self, event: ScoringWindowSet) -> None:
        self.window = (event.opens_on, event.closes_on)

    @applies(TargetsRegistered)
    def _targets_registered(self, event: TargetsRegistered) -> None:
        """Targets are kept for the read model only: no rule of the bloc-year depends on them."""

    @applies(SelfAssessmentSubmitted)
    def _self_assessed(self, event: SelfAssessmentSubmitted) -> None:
        self.self_scores[event.unit_id] = dict(event.scores)
        self.finals.pop(event.unit_id, None)

    @applies(CrossAssessmentSubmitted)
    def _cross_assessed(self, event: CrossAssessmentSubmitted) -> None:
        self.cross_scores[(event.assessor_unit_id, event.unit_id)] = dict(event.scores)
        self.finals.pop(event.unit_id, None)

    @applies(ScoreAdjusted)
    def _adjusted(self, event: ScoreAdjusted) -> None:
        self.adjustments[(event.unit_id, event.code)] = event.to_points
        self.finals.pop(event.unit_id, None)

    @applies(UnitScored)
    def _scored(self, event: UnitScored) -> None:
        self.finals[event.unit_id] = event

    @applies(RankingPublished)
    def _ranking_published(self, event: RankingPublished) -> None:
        self.ranking_version, self.locked, self.correction_reason = event.version, True, None

    @applies(RankingCorrectionOpened)
    def _correction_opened(self, event: RankingCorrectionOpened) -> None:
        self.locked, self.correction_reason = False, event.reason

    @property
    def assessed(self) -> bool:
        return bool(self.self_scores or self.cross_scores)

    def adopt_table(self, criteria: list[Criterion], method: ScoringMethod, reason: str | None) -> None:
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
        self.record(ScoringTableAdopted(bloc_id=self.bloc_id, year=self.year, table_version=self.table_version + 1,
                                        criteria=criteria, method=method,
                                        reason=reason if self.table_version else None))

    def set_window(self, opens_on: date, closes_on: date) -> None:
        self._require_table()
        if closes_on < opens_on:
            raise Invalid("window.backwards", opens_on=opens_on.isoformat(), closes_on=closes_on.isoformat())
        self.record(ScoringWindowSet(bloc_id=self.bloc_id, year=self.year, opens_on=opens_on, closes_on=closes_on))

    def register_targets(self, unit_id: str, targets: list[Target], is_member: bool) -> None:
        """A member unit registers (or registers again) its targets for the year, until the ranking."""
        self._require_unlocked()
        self._require_member(unit_id, is_member)
        if not targets:
            raise Invalid("targets.empty")
        codes = [target.code for target in targets]
        duplicate = next((code for code in codes if codes.count(code) > 1), None)
        if duplicate is not None:
            raise Invalid("targets.duplicate_code", target=duplicate)
        self.record(TargetsRegistered(bloc_id=self.bloc_id, year=self.year, unit_id=unit_id, targets=targets))

    def submit_self(self, unit_id: str, scores: Mapping[str, float], evidence: list[str], on: date,
                    is_member: bool, missing_files: list[str] | None = None) -> None:
        """``evidence``: links (http/https) or stored files (``sha256:<hex>``); ``missing_files`` are the
        references to files the service does not hold."""
        self._require_unlocked()
        self._require_open(on)
        bad = [ref for ref in evidence if not EVIDENCE.fullmatch(ref)]
        if bad:
            raise Invalid("evidence.bad_ref", refs=", ".join(bad))
        if missing_files:
            raise Invalid("evidence.unknown", refs=", ".join(missing_files))
        self._require_member(unit_id, is_member)
        self.record(SelfAssessmentSubmitted(bloc_id=self.bloc_id, year=self.year, unit_id=unit_id,
                                            scores=self._checked(scores), evidence=evidence, submitted_on=on))

    def submit_cross(self, assessor_unit_id: str, unit_id: str, scores: Mapping[str, float], comments: str | None,
                     on: date, assessor_is_member: bool, unit_is_member: bool) -> None:
        if assessor_unit_id == unit_id:
            raise Invalid("cross.self", unit_id=unit_id)
        self._require_unlocked()
        self._require_open(on)
        self._require_member(assessor_unit_id, assessor_is_member)
        self._require_member(unit_id, unit_is_member)
        self.record(CrossAssessmentSubmitted(bloc_id=self.bloc_id, year=self.year, assessor_unit_id=assessor_unit_id,
                                             unit_id=unit_id, scores=self._checked(scores), comments=comments,
                                             submitted_on=on))

    def base_scores(self, unit_id: str) -> dict[str, float] | None:
        """The points the table's method gives ``unit_id`` before adjustments, or None if not assessed."""
        if self.method == "verified_self":
            return dict(self.self_scores[unit_id]) if unit_id in self.self_scores else None
        received = [scores for (_, assessed), scores in self.cross_scores.items() if assessed == unit_id]
        if not received:
            return None
        return {c.code: round(sum(s[c.code] for s in received) / len(received), 4) for c in self.criteria}

    def adjust(self, unit_id: str, code: str, to_points: float, reason: str) -> None:
        """The secretariat changes one criterion's points of one unit, always with a reason."""
        self._require_unlocked()
        self._require_table()
        criterion = next((c for c in self.criteria if c.code == code), None)
        if criterion is None:
            raise Invalid("assessment.unknown_criteria", criteria=code)
        if not reason.strip():
            raise Invalid("adjustment.reason_required")
        if not 0 <= to_points <= criterion.max_points:
            raise Invalid("assessment.out_of_bounds", criterion=code, points=to_points, max_points=criterion.max_points)
        base = self.base_scores(unit_id)
        if base is None:
            raise Conflict("final.not_assessed", unit_id=unit_id, method=self.method)
        current = self.adjustments.get((unit_id, code), base[code])
        self.record(ScoreAdjusted(bloc_id=self.bloc_id, year=self.year, unit_id=unit_id, code=code,
                                  from_points=current, to_points=to_points, reason=reason.strip()))

    def compute_finals(self, members: list[str]) -> None:
        """Every member's final score by the table's method, adjustments applied: base and bonus points
        add, penalty points subtract; refused while any member lacks the assessments it needs."""
        self._require_unlocked()
        self._require_table()
        members = sorted(set(members))
        if not members:
            raise Conflict("final.no_members", bloc_id=self.bloc_id, year=self.year)
        bases = {unit_id: self.base_scores(unit_id) for unit_id in members}
        missing = sorted(unit_id for unit_id, base in bases.items() if base is None)
        if missing:
            raise Conflict("final.missing_assessments", units=", ".join(missing), method=self.method)
        kinds = {c.code: c.kind for c in self.criteria}
        for unit_id, base in bases.items():
            assert base is not None
            breakdown = {code: self.adjustments.get((unit_id, code), points) for code, points in base.items()}
            total = round(sum(-p if kinds[code] == "penalty" else p for code, p in breakdown.items()), 4)
            self.record(UnitScored(bloc_id=self.bloc_id, year=self.year, unit_id=unit_id, total=max(total, 0.0),
                                   breakdown=breakdown, method=self.method))

    def record_final(self, unit_id: str, breakdown: Mapping[str, float], method: str,
                     is_member: bool) -> None:
        """A final score the secretariat records directly (scored outside the system), criterion by criterion."""
        self._require_unlocked()
        if not breakdown:
            raise Invalid("score.empty_breakdown")
        for code, points in breakdown.items():
            if points < 0:
                raise Invalid("score.negative", criterion=code, points=points)
        if self.criteria:
            breakdown = self._checked(breakdown)
        self._require_member(unit_id, is_member)
        kinds = {c.code: c.kind for c in self.criteria}
        total = round(sum(-p if kinds.get(code) == "penalty" else p for code, p in breakdown.items()), 4)
        self.record(UnitScored(bloc_id=self.bloc_id, year=self.year, unit_id=unit_id, total=max(total, 0.0),
                               breakdown=dict(sorted(breakdown.items())), method=method))

    def publish_ranking(self, members: list[str]) -> None:
        """Rank the members' final scores, highest first. Ties: the higher base points (without bonus
        and penalty) first, then the unit identifier. Publishing locks the bloc-year. A final score made
        stale by a later assessment or adjustment counts as missing until computed again."""
        self._require_unlocked()
        members = sorted(set(members))
        missing = sorted(unit_id for unit_id in members if unit_id not in self.finals)
        if missing or not members:
            raise Conflict("ranking.missing_finals", units=", ".join(missing) or "-")
        kinds = {c.code: c.kind for c in self.criteria}

        def base_points(final: UnitScored) -> float:
            return sum(p for code, p in final.breakdown.items() if kinds.get(code, "base") == "base")

        ordered = sorted((self.finals[unit_id] for unit_id in members),
                         key=lambda final: (-final.total, -base_points(final), final.unit_id))
        ranking = [RankEntry(unit_id=final.unit_id, rank=rank, total=final.total)
                   for rank, final in enumerate(ordered, start=1)]
        self.record(RankingPublished(bloc_id=self.bloc_id, year=self.year, ranking=ranking,
                                     version=self.ranking_version + 1, reason=self.correction_reason))

    def open_correction(self, reason: str) -> None:
        if not self.locked:
            raise Conflict("ranking.not_published", bloc_id=self.bloc_id, year=self.year)
        if not reason.strip():
            raise Invalid("ranking.correction_reason_required")
        self.record(RankingCorrectionOpened(bloc_id=self.bloc_id, year=self.year, reason=reason.strip()))

    def _require_unlocked(self) -> None:
        if self.locked:
            raise Conflict("ranking.locked", bloc_id=self.bloc_id, year=self.year, version=self.ranking_version)

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
