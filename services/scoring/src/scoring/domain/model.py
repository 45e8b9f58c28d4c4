"""A unit's score card for one bloc-year. The final total is the sum of its criteria's points."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from thidua_shared.contracts import EventPayload
from thidua_shared.contracts.scoring import UnitScored
from thidua_shared.errors import Conflict, Invalid


def score_stream(province: str, bloc_id: str, year: int, unit_id: str) -> str:
    return f"score:{province}:{bloc_id}:{year}:{unit_id}"


@dataclass
class ScoreCard:
    bloc_id: str
    year: int
    unit_id: str
    version: int = 0
    total: float = 0.0

    @classmethod
    def from_history(cls, bloc_id: str, year: int, unit_id: str,
                     history: Iterable[EventPayload]) -> ScoreCard:
        card = cls(bloc_id, year, unit_id)
        for event in history:
            if isinstance(event, UnitScored):
                card.total = event.total
            card.version += 1
        return card

    def score(self, breakdown: dict[str, float], method: str, is_member: bool) -> list[EventPayload]:
        if not breakdown:
            raise Invalid("score.empty_breakdown")
        for code, points in breakdown.items():
            if points < 0:
                raise Invalid("score.negative", criterion=code, points=points)
        if not is_member:
            raise Conflict("score.not_member", unit_id=self.unit_id, bloc_id=self.bloc_id, year=self.year)
        total = round(sum(breakdown.values()), 4)
        return [UnitScored(bloc_id=self.bloc_id, year=self.year, unit_id=self.unit_id, total=total,
                           breakdown=dict(sorted(breakdown.items())), method=method)]
