"""A unit's freezes: no award and no proposal while discipline, an investigation, an inspection, an audit
or a complaint is pending against it (Decree 152/2025 art. 4 cl. 4); each is lifted by its own reference."""

from __future__ import annotations

from datetime import date

from thidua_contracts.awards import AwardFrozen, AwardUnfrozen
from thidua_shared.aggregate import Aggregate, applies
from thidua_shared.errors import Conflict, NotFound


def unit_freeze_stream(province: str, unit_id: str) -> str:
    return f"freeze:{province}:{unit_id}"


class UnitFreezes(Aggregate):
    def __init__(self, province: str, unit_id: str) -> None:
        super().__init__(unit_freeze_stream(province, unit_id), province)
        self.unit_id = unit_id
        self.frozen: dict[str, str] = {}
        """The freezes not yet lifted: reference -> reason."""

    @applies(AwardFrozen)
    def _frozen(self, event: AwardFrozen) -> None:
        self.frozen[event.ref] = event.reason

    @applies(AwardUnfrozen)
    def _unfrozen(self, event: AwardUnfrozen) -> None:
        self.frozen.pop(event.ref, None)

    def freeze(self, reason: str, ref: str, on: date, unit_known: bool) -> None:
        if not unit_known:
            raise NotFound("proposal.unknown_unit", unit_id=self.unit_id)
        if ref in self.frozen:
            raise Conflict("freeze.exists", ref=ref)
        self.record(AwardFrozen(unit_id=self.unit_id, reason=reason, ref=ref, on=on))

    def unfreeze(self, reason: str, ref: str, on: date) -> None:
        if ref not in self.frozen:
            raise Conflict("freeze.not_frozen", ref=ref, refs=", ".join(sorted(self.frozen)) or "-")
        self.record(AwardUnfrozen(unit_id=self.unit_id, reason=reason, ref=ref, on=on))
