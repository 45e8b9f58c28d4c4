"""How a scoring table's method turns the cross-assessments a unit received into its points.

- ``mean_of_cross``: each criterion's mean over the assessors;
- ``trimmed_mean``: the same, once the highest and the lowest points of the criterion are set aside, when
  at least three assessors gave it (with fewer, the plain mean).

The self-assessment methods (``verified_self``, ``adjusted_self``) take the unit's own points; see
:class:`scoring.domain.bloc_year.BlocYear`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

CROSS_METHODS = frozenset({"mean_of_cross", "trimmed_mean"})
SELF_METHODS = frozenset({"verified_self", "adjusted_self"})
TRIM_FROM = 3
"""The fewest assessments of a criterion from which ``trimmed_mean`` sets its extremes aside."""


def trimmed(values: Sequence[float]) -> list[float]:
    """``values`` without one highest and one lowest, when there are at least :data:`TRIM_FROM` of them."""
    ordered = sorted(values)
    return ordered[1:-1] if len(ordered) >= TRIM_FROM else ordered


def cross_points(received: Sequence[Mapping[str, float]], codes: Sequence[str], method: str) -> dict[str, float]:
    """Each criterion's points by ``method`` over the assessments ``received`` (at least one)."""
    points: dict[str, float] = {}
    for code in codes:
        values = [scores[code] for scores in received]
        if method == "trimmed_mean":
            values = trimmed(values)
        points[code] = round(sum(values) / len(values), 4)
    return points
