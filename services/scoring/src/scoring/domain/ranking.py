"""A bloc-year's ranking: highest total first; equal totals are a tie, shown as one.

Tied units share a rank (two units first are both 1, the next is 3) until the bloc resolves their tie by
a recorded decision or by its vote (:class:`~thidua_contracts.scoring.RankingTieResolved`); their ranks
then follow the bloc's order. Nothing else orders them: not base points, not a unit's identifier or name
("Ties in a ranking are ties; the bloc resolves them", as the review settled). Each unit also has its
classification band (xếp loại), the highest of the table's bands whose minimum its total reaches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby

from thidua_contracts.scoring import ClassificationBand, RankEntry, RankingTieResolved, ResolvedTie
from thidua_shared.errors import Conflict, Invalid

TieKey = tuple[float, frozenset[str]]
"""A tie: the total the units share, and which units share it."""


@dataclass(frozen=True, slots=True)
class Standing:
    unit_id: str
    total: float
    band: str | None = None


def band_of(total: float, bands: Sequence[ClassificationBand]) -> str | None:
    """The highest band whose minimum ``total`` reaches, or None (no bands, or below them all)."""
    reached = [band for band in bands if total >= band.min_points]
    return max(reached, key=lambda band: band.min_points).name if reached else None


def tie_key(total: float, units: Sequence[str]) -> TieKey:
    return total, frozenset(units)


def ranked(standings: Sequence[Standing], resolutions: Mapping[TieKey, RankingTieResolved],
           ) -> tuple[list[RankEntry], list[ResolvedTie]]:
    """The ranking of ``standings`` and the ties in it that ``resolutions`` resolve (a resolution applies to
    exactly the units tied at its total). Unresolved tied units are listed by identifier, for a stable
    listing only: their rank is the same."""
    entries: list[RankEntry] = []
    resolved: list[ResolvedTie] = []
    ordered = sorted(standings, key=lambda standing: (-standing.total, standing.unit_id))
    for total, group in groupby(ordered, key=lambda standing: standing.total):
        tied = list(group)
        rank = len(entries) + 1
        if len(tied) == 1:
            entries.append(RankEntry(unit_id=tied[0].unit_id, rank=rank, total=total, band=tied[0].band))
            continue
        resolution = resolutions.get(tie_key(total, [standing.unit_id for standing in tied]))
        if resolution is None:
            entries += [RankEntry(unit_id=s.unit_id, rank=rank, total=total, tied=True, band=s.band) for s in tied]
            continue
        by_unit = {standing.unit_id: standing for standing in tied}
        entries += [RankEntry(unit_id=unit_id, rank=rank + place, total=total, tied=True, band=by_unit[unit_id].band)
                    for place, unit_id in enumerate(resolution.order)]
        resolved.append(ResolvedTie(total=total, order=list(resolution.order), ground=resolution.ground,
                                    reference=resolution.reference))
    return entries, resolved


def tie_total(standings: Sequence[Standing], order: Sequence[str]) -> float:
    """The total that the units of ``order`` share, when they are exactly the units tied at it."""
    if len(order) < 2:
        raise Invalid("tie.too_few")
    duplicate = next((unit_id for unit_id in order if order.count(unit_id) > 1), None)
    if duplicate is not None:
        raise Invalid("tie.duplicate_unit", unit_id=duplicate)
    totals = {standing.unit_id: standing.total for standing in standings}
    unranked = [unit_id for unit_id in order if unit_id not in totals]
    if unranked:
        raise Conflict("tie.not_ranked", units=", ".join(unranked))
    shared = {totals[unit_id] for unit_id in order}
    if len(shared) > 1:
        raise Conflict("tie.not_tied", totals=", ".join(f"{unit_id}: {totals[unit_id]}" for unit_id in order))
    total = shared.pop()
    others = sorted(unit_id for unit_id, each in totals.items() if each == total and unit_id not in order)
    if others:
        raise Invalid("tie.incomplete", total=total, units=", ".join(others))
    return total
