"""A unit's freezes: no award and no proposal while discipline, an investigation, an inspection, an audit
or a complaint is pending against it (Decree 152/2025 art. 4 cl. 4); each is lifted by its own reference."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from thidua_contracts import EventPayload
from thidua_contracts.awards import AwardFrozen, AwardUnfrozen
from thidua_shared.errors import Conflict, NotFound


def unit_freeze_stream(province: str, unit_id: str) -> str:
    return f"freeze:{province}:{unit_id}"


@dataclass
class UnitFreezes:
    unit_id: str
    version: int = 0
    pending: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_history(cls, unit_id: str, history: Iterable[EventPayload]) -> UnitFreezes:
        freezes = cls(unit_id)
        for event in history:
            if isinstance(event, AwardUnfrozen):
                freezes.pending.pop(event.ref, None)
            elif isinstance(event, AwardFrozen):
                freezes.pending[event.ref] = event.reason
            freezes.version += 1
        return freezes

    def freeze(self, reason: str, ref: str, on: date, unit_known: bool) -> list[EventPayload]:
        if not unit_known:
            raise NotFound("proposal.unknown_unit", unit_id=self.unit_id)
        if ref in self.pending:
            raise Conflict("freeze.exists", ref=ref)
        return [AwardFrozen(unit_id=self.unit_id, reason=reason, ref=ref, on=on)]

    def unfreeze(self, reason: str, ref: str, on: date) -> list[EventPayload]:
        if ref not in self.pending:
            raise Conflict("freeze.not_frozen", ref=ref, refs=", ".join(sorted(self.pending)) or "-")
        return [AwardUnfrozen(unit_id=self.unit_id, reason=reason, ref=ref, on=on)]
