"""A bloc's scoring year: its table, its window, targets and their results, every assessment and its
verification, final scores, the ranking and the bloc's resolution of its ties, in one stream.

Rules (bloc charter, "quy chế, bảng chấm điểm"): the chair's secretariat adopts the table (criteria, the
method, the classification bands) before scoring opens; an amendment before the first assessment needs a
reason, after it none is allowed. Assessments are accepted only inside the window, for members of the bloc
that year, within each criterion's points; a unit may resubmit its self-assessment until the window closes
(each version is kept in the log); no unit assesses itself in a cross-assessment. Under ``verified_self``
a self-assessment counts once the chair's team has verified it. Targets registered at the start of the
year get their results at its end. A published ranking locks the bloc-year.

Each method checks its rules, then records the event that says what happened (see
:class:`thidua_shared.aggregate.Aggregate`); the handlers save what was recorded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from scoring.domain import ranking, targets
from scoring.domain.membership import Membership, require_member
from scoring.domain.ranking import Standing, TieKey
from scoring.domain.received import Received
from scoring.domain.table import ScoringTable
from thidua_contracts.scoring import (
    ClassificationBand,
    Criterion,
    CrossAssessmentSubmitted,
    RankingCorrectionOpened,
    RankingPublished,
    RankingTieResolved,
    ScoreAdjusted,
    ScoringMethod,
    ScoringTableAdopted,
    ScoringWindowSet,
    SelfAssessmentSubmitted,
    SelfAssessmentVerified,
    Target,
    TargetResult,
    TargetResultsRecorded,
    TargetsRegistered,
    TieGround,
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
        self.table = ScoringTable()
        self.window: tuple[date, date] | None = None
        self.received = Received()
        self.adjustments: dict[tuple[str, str], float] = {}
        """The secretariat's points of each (unit, criterion) it adjusted."""
        self.finals: dict[str, UnitScored] = {}
        """The final score of each unit, until a later assessment, result or adjustment makes it stale."""
        self.tie_resolutions: dict[TieKey, RankingTieResolved] = {}
        self.published: RankingPublished | None = None
        self.ranking_version = 0
        self.locked = False
        self.correction_reason: str | None = None

    @applies(ScoringTableAdopted)
    def _table_adopted(self, event: ScoringTableAdopted) -> None:
        self.table = ScoringTable.adopted(event)

    @applies(ScoringWindowSet)
    def _window_set(self, event: ScoringWindowSet) -> None:
        self.window = (event.opens_on, event.closes_on)

    @applies(TargetsRegistered)
    def _targets_registered(self, event: TargetsRegistered) -> None:
        self.received.targets[event.unit_id] = list(event.targets)

    @applies(TargetResultsRecorded)
    def _results_recorded(self, event: TargetResultsRecorded) -> None:
        self.received.target_results[event.unit_id] = list(event.results)
        self.finals.pop(event.unit_id, None)

    @applies(SelfAssessmentSubmitted)
    def _self_assessed(self, event: SelfAssessmentSubmitted) -> None:
        self.received.self_scores[event.unit_id] = dict(event.scores)
        self.received.self_submitted_on[event.unit_id] = event.submitted_on
        self.received.verified_on.pop(event.unit_id, None)
        self.finals.pop(event.unit_id, None)

    @applies(SelfAssessmentVerified)
    def _self_verified(self, event: SelfAssessmentVerified) -> None:
        self.received.verified_on[event.unit_id] = event.verified_on
        self.finals.pop(event.unit_id, None)

    @applies(CrossAssessmentSubmitted)
    def _cross_assessed(self, event: CrossAssessmentSubmitted) -> None:
        self.received.cross_scores[(event.assessor_unit_id, event.unit_id)] = dict(event.scores)
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
        self.published = event

    @applies(RankingCorrectionOpened)
    def _correction_opened(self, event: RankingCorrectionOpened) -> None:
        self.locked, self.correction_reason = False, event.reason

    @applies(RankingTieResolved)
    def _tie_resolved(self, event: RankingTieResolved) -> None:
        self.tie_resolutions[ranking.tie_key(event.total, event.order)] = event

    def adopt_table(self, criteria: list[Criterion], method: ScoringMethod, reason: str | None,
                    bands: Sequence[ClassificationBand] = (), adopted_on: date | None = None) -> None:
        """``bands`` in any order; the table keeps them highest minimum first."""
        ScoringTable.check(criteria, bands)
        if self.received.any_assessment:
            raise Conflict("table.locked", bloc_id=self.bloc_id, year=self.year)
        reason = (reason or "").strip() or None
        if self.table.version and reason is None:
            raise Invalid("table.amendment_needs_reason", version=self.table.version)
        self.record(ScoringTableAdopted(bloc_id=self.bloc_id, year=self.year, table_version=self.table.version + 1,
                                        criteria=criteria, method=method,
                                        reason=reason if self.table.version else None,
                                        bands=sorted(bands, key=lambda band: -band.min_points),
                                        adopted_on=adopted_on))

    def set_window(self, opens_on: date, closes_on: date) -> None:
        self._require_table()
        if closes_on < opens_on:
            raise Invalid("window.backwards", opens_on=opens_on.isoformat(), closes_on=closes_on.isoformat())
        self.record(ScoringWindowSet(bloc_id=self.bloc_id, year=self.year, opens_on=opens_on, closes_on=closes_on))

    def register_targets(self, unit_id: str, registered: list[Target], membership: Membership) -> None:
        """A member unit registers (or registers again) its targets for the year, until their results are
        recorded or the ranking is published."""
        self._require_unlocked()
        self._require_member(unit_id, membership)
        if not registered:
            raise Invalid("targets.empty")
        codes = [target.code for target in registered]
        duplicate = next((code for code in codes if codes.count(code) > 1), None)
        if duplicate is not None:
            raise Invalid("targets.duplicate_code", target=duplicate)
        if unit_id in self.received.target_results:
            raise Conflict("targets.results_recorded", unit_id=unit_id)
        self.record(TargetsRegistered(bloc_id=self.bloc_id, year=self.year, unit_id=unit_id, targets=registered))

    def record_target_results(self, unit_id: str, results: list[TargetResult], on: date,
                              membership: Membership) -> None:
        """The results of every target the unit registered, as of ``on`` (a day of the year or after);
        recorded again, the latest count. Each result's percentage of the plan is computed here."""
        self._require_unlocked()
        checked = targets.check_form(results)
        if on < date(self.year, 1, 1):
            raise Invalid("results.before_year", on=on.isoformat(), year=self.year)
        self._require_member(unit_id, membership)
        targets.check_against(unit_id, self.received.targets.get(unit_id), checked)
        self.record(TargetResultsRecorded(bloc_id=self.bloc_id, year=self.year, unit_id=unit_id, results=checked,
                                          recorded_on=on))

    def submit_self(self, unit_id: str, scores: Mapping[str, float], evidence: list[str], on: date,
                    membership: Membership, missing_files: list[str] | None = None) -> None:
        """``evidence``: links (http/https) or stored files (``sha256:<hex>``); ``missing_files`` are the
        references to files the service does not hold."""
        self._require_unlocked()
        self._require_open(on)
        bad = [ref for ref in evidence if not EVIDENCE.fullmatch(ref)]
        if bad:
            raise Invalid("evidence.bad_ref", refs=", ".join(bad))
        if missing_files:
            raise Invalid("evidence.unknown", refs=", ".join(missing_files))
        self._require_member(unit_id, membership)
        self.record(SelfAssessmentSubmitted(bloc_id=self.bloc_id, year=self.year, unit_id=unit_id,
                                            scores=self.table.checked(scores), evidence=evidence, submitted_on=on))

    def verify_self(self, unit_id: str, verified_by: str, on: date, notes: str | None,
                    membership: Membership) -> None:
        """The chair's team verifies the unit's latest self-assessment, on a day no earlier than it was
        submitted; under ``verified_self`` it counts from then on. A resubmission needs verifying again."""
        self._require_unlocked()
        self._require_table()
        if self.table.method != "verified_self":
            raise Conflict("verification.not_needed", method=self.table.method)
        if not verified_by.strip():
            raise Invalid("verification.verifier_required")
        self._require_member(unit_id, membership)
        scores = self.received.self_scores.get(unit_id)
        if scores is None:
            raise Conflict("verification.no_self_assessment", unit_id=unit_id)
        verified_on = self.received.verified_on.get(unit_id)
        if verified_on is not None:
            raise Conflict("verification.already", unit_id=unit_id, verified_on=verified_on.isoformat())
        submitted_on = self.received.self_submitted_on.get(unit_id)
        if submitted_on is not None and on < submitted_on:
            raise Invalid("verification.before_submission", on=on.isoformat(), submitted_on=submitted_on.isoformat())
        self.record(SelfAssessmentVerified(bloc_id=self.bloc_id, year=self.year, unit_id=unit_id, scores=scores,
                                           verified_by=verified_by.strip(), verified_on=on,
                                           notes=(notes or "").strip() or None))

    def submit_cross(self, assessor_unit_id: str, unit_id: str, scores: Mapping[str, float], comments: str | None,
                     on: date, assessor: Membership, assessed: Membership) -> None:
        if assessor_unit_id == unit_id:
            raise Invalid("cross.self", unit_id=unit_id)
        self._require_unlocked()
        self._require_open(on)
        self._require_member(assessor_unit_id, assessor)
        self._require_member(unit_id, assessed)
        self.record(CrossAssessmentSubmitted(bloc_id=self.bloc_id, year=self.year, assessor_unit_id=assessor_unit_id,
                                             unit_id=unit_id, scores=self.table.checked(scores), comments=comments,
                                             submitted_on=on))

    def base_scores(self, unit_id: str, verified: bool = True) -> dict[str, float] | None:
        """The points the table's method gives ``unit_id`` before adjustments, or None while it lacks what
        the method needs (see :class:`~scoring.domain.received.Received`)."""
        return self.received.base_scores(unit_id, self.table, verified)

    def adjust(self, unit_id: str, code: str, to_points: float, reason: str, membership: Membership) -> None:
        """The secretariat changes one criterion's points of one unit, always with a reason (before or after
        the unit's self-assessment is verified)."""
        self._require_unlocked()
        self._require_table()
        criterion = self.table.criterion(code)
        if criterion is None:
            raise Invalid("assessment.unknown_criteria", criteria=code)
        if not reason.strip():
            raise Invalid("adjustment.reason_required")
        if not 0 <= to_points <= criterion.max_points:
            raise Invalid("assessment.out_of_bounds", criterion=code, points=to_points, max_points=criterion.max_points)
        self._require_member(unit_id, membership)
        base = self.base_scores(unit_id, verified=False)
        if base is None:
            raise Conflict("final.not_assessed", unit_id=unit_id, method=self.table.method)
        current = self.adjustments.get((unit_id, code), base[code])
        self.record(ScoreAdjusted(bloc_id=self.bloc_id, year=self.year, unit_id=unit_id, code=code,
                                  from_points=current, to_points=to_points, reason=reason.strip()))

    def compute_finals(self, members: list[str]) -> None:
        """Every member's final score by the table's method, adjustments applied, with its band; refused
        while any member lacks its assessments, their verification (``verified_self``) or the results of
        its targets (for the criteria from the targets)."""
        self._require_unlocked()
        self._require_table()
        members = sorted(set(members))
        if not members:
            raise Conflict("final.no_members", bloc_id=self.bloc_id, year=self.year)
        received, table = self.received, self.table
        missing = [unit_id for unit_id in members if received.assessed_points(unit_id, table, verified=False) is None]
        if missing:
            raise Conflict("final.missing_assessments", units=", ".join(missing), method=table.method)
        unverified = [unit_id for unit_id in members if received.assessed_points(unit_id, table) is None]
        if unverified:
            raise Conflict("final.not_verified", units=", ".join(unverified))
        no_results = [unit_id for unit_id in members if received.target_points(unit_id, table) is None]
        if no_results:
            raise Conflict("final.missing_target_results", units=", ".join(no_results))
        for unit_id in members:
            base = self.base_scores(unit_id)
            assert base is not None
            self._score(unit_id, {code: self.adjustments.get((unit_id, code), points) for code, points in base.items()},
                        table.method)

    def record_final(self, unit_id: str, breakdown: Mapping[str, float], method: str,
                     membership: Membership) -> None:
        """A final score the secretariat records directly (scored outside the system), criterion by criterion."""
        self._require_unlocked()
        if not breakdown:
            raise Invalid("score.empty_breakdown")
        for code, points in breakdown.items():
            if points < 0:
                raise Invalid("score.negative", criterion=code, points=points)
        if self.table.version:
            breakdown = self.table.checked(breakdown, every_criterion=True)
        self._require_member(unit_id, membership)
        self._score(unit_id, dict(sorted(breakdown.items())), method)

    def publish_ranking(self, members: list[str], on: date | None = None) -> None:
        """Rank the members' final scores, highest first, equal totals tied unless the bloc resolved the tie
        (see :mod:`scoring.domain.ranking`). Publishing locks the bloc-year. A final score made stale by a
        later assessment, result or adjustment counts as missing until computed again."""
        self._require_unlocked()
        entries, resolved = ranking.ranked(self._current_standings(members), self.tie_resolutions)
        self.record(RankingPublished(bloc_id=self.bloc_id, year=self.year, ranking=entries,
                                     version=self.ranking_version + 1, reason=self.correction_reason,
                                     resolved_ties=resolved, published_on=on))

    def resolve_tie(self, order: list[str], ground: TieGround, reference: str, on: date, notes: str | None,
                    members: list[str]) -> None:
        """The bloc ranks the units tied at one total in ``order`` (all of them), on the ground of a recorded
        decision or of its vote (``reference``). Before publication it applies to the ranking when published;
        after, the ranking is published again, in its next version, with the tie resolved."""
        if not reference.strip():
            raise Invalid("tie.reference_required")
        if self.locked and self.published is not None:
            standings = [Standing(e.unit_id, e.total, e.band) for e in self.published.ranking]
        else:
            standings = self._current_standings(members)
        total = ranking.tie_total(standings, order)
        if ranking.tie_key(total, order) in self.tie_resolutions:
            raise Conflict("tie.already_resolved", total=total, units=", ".join(order))
        self.record(RankingTieResolved(bloc_id=self.bloc_id, year=self.year, total=total, order=order, ground=ground,
                                       reference=reference.strip(), resolved_on=on,
                                       notes=(notes or "").strip() or None))
        if self.locked:
            entries, resolved = ranking.ranked(standings, self.tie_resolutions)
            self.record(RankingPublished(bloc_id=self.bloc_id, year=self.year, ranking=entries,
                                         version=self.ranking_version + 1, resolved_ties=resolved,
                                         published_on=on))

    def open_correction(self, reason: str) -> None:
        if not self.locked:
            raise Conflict("ranking.not_published", bloc_id=self.bloc_id, year=self.year)
        if not reason.strip():
            raise Invalid("ranking.correction_reason_required")
        self.record(RankingCorrectionOpened(bloc_id=self.bloc_id, year=self.year, reason=reason.strip()))

    def _score(self, unit_id: str, breakdown: dict[str, float], method: str) -> None:
        total = self.table.total(breakdown)
        self.record(UnitScored(bloc_id=self.bloc_id, year=self.year, unit_id=unit_id, total=total,
                               breakdown=breakdown, method=method, band=self.table.band(total)))

    def _current_standings(self, members: list[str]) -> list[Standing]:
        members = sorted(set(members))
        missing = [unit_id for unit_id in members if unit_id not in self.finals]
        if missing or not members:
            raise Conflict("ranking.missing_finals", units=", ".join(missing) or "-")
        return [Standing(unit_id, self.finals[unit_id].total, self.finals[unit_id].band) for unit_id in members]

    def _require_unlocked(self) -> None:
        if self.locked:
            raise Conflict("ranking.locked", bloc_id=self.bloc_id, year=self.year, version=self.ranking_version)

    def _require_table(self) -> None:
        if not self.table.version:
            raise Conflict("table.none", bloc_id=self.bloc_id, year=self.year)

    def _require_open(self, on: date) -> None:
        self._require_table()
        if self.window is None:
            raise Conflict("window.none", bloc_id=self.bloc_id, year=self.year)
        opens_on, closes_on = self.window
        if not opens_on <= on <= closes_on:
            raise Conflict("window.closed", on=on.isoformat(), opens_on=opens_on.isoformat(),
                           closes_on=closes_on.isoformat())

    def _require_member(self, unit_id: str, membership: Membership) -> None:
        require_member(unit_id, self.bloc_id, self.year, membership)
