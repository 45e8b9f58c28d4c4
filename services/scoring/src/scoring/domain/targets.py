"""Results against the targets a unit registered (đăng ký thi đua), recorded at the year's end.

Each registered target gets one result: attained or not, and for a target with numbers, the value achieved
against the plan and its percentage. A criterion of the table whose ``source`` is ``targets`` takes its
points from them: its maximum × the share of the unit's targets attained.
"""

from __future__ import annotations

from thidua_contracts.scoring import Criterion, Target, TargetResult
from thidua_shared.errors import Conflict, Invalid


def check_form(results: list[TargetResult]) -> list[TargetResult]:
    """Results that name each target once and give a value with its plan, or neither; each with its
    percentage of the plan (none without numbers, or with a plan of 0)."""
    if not results:
        raise Invalid("results.empty")
    codes = [result.code for result in results]
    duplicate = next((code for code in codes if codes.count(code) > 1), None)
    if duplicate is not None:
        raise Invalid("results.duplicate_code", target=duplicate)
    checked = []
    for result in results:
        if (result.achieved is None) != (result.planned is None):
            raise Invalid("results.value_without_plan", target=result.code)
        percent = None
        if result.achieved is not None and result.planned is not None and result.planned > 0:
            percent = round(result.achieved / result.planned * 100, 2)
        checked.append(result.model_copy(update={"percent": percent}))
    return checked


def check_against(unit_id: str, registered: list[Target] | None, results: list[TargetResult]) -> None:
    """The results are those of every target the unit registered, and of no other."""
    if not registered:
        raise Conflict("results.no_targets", unit_id=unit_id)
    codes = [target.code for target in registered]
    unknown = [result.code for result in results if result.code not in codes]
    if unknown:
        raise Invalid("results.unknown_target", unit_id=unit_id, targets=", ".join(unknown))
    given = {result.code for result in results}
    missing = [code for code in codes if code not in given]
    if missing:
        raise Invalid("results.missing_targets", unit_id=unit_id, targets=", ".join(missing))


def target_points(criterion: Criterion, results: list[TargetResult]) -> float:
    """The criterion's maximum × the share of the targets attained."""
    attained = sum(1 for result in results if result.attained)
    return round(criterion.max_points * attained / len(results), 4)
