"""A unit (đơn vị, tập thể): registered, renamed, dissolved, each from a date and by decision."""

from __future__ import annotations

from datetime import date

from thidua_contracts.registry import (
    UnitDissolved,
    UnitEmailsChanged,
    UnitKind,
    UnitRegistered,
    UnitRenamed,
    UnitsMerged,
)
from thidua_shared.aggregate import Aggregate, applies
from thidua_shared.errors import Conflict, Invalid, NotFound
from thidua_shared.text import clean_line, same_text


def unit_stream(province: str, unit_id: str) -> str:
    return f"unit:{province}:{unit_id}"


class Unit(Aggregate):
    def __init__(self, province: str, unit_id: str) -> None:
        super().__init__(unit_stream(province, unit_id), province)
        self.unit_id = unit_id
        self.name = ""
        self.kind = ""
        self.parent_unit_id: str | None = None
        self.emails: list[str] = []
        self.dissolved_on: date | None = None
        self.predecessors: list[str] = []

    def active_on(self, day: date) -> bool:
        return self.exists and (self.dissolved_on is None or day < self.dissolved_on)

    @applies(UnitRegistered)
    def _registered(self, event: UnitRegistered) -> None:
        self.name, self.kind, self.parent_unit_id = event.name, event.kind, event.parent_unit_id
        self.emails = list(event.emails)

    @applies(UnitRenamed)
    def _renamed(self, event: UnitRenamed) -> None:
        self.name = event.name

    @applies(UnitEmailsChanged)
    def _emails_changed(self, event: UnitEmailsChanged) -> None:
        self.emails = list(event.emails)

    @applies(UnitDissolved)
    def _dissolved(self, event: UnitDissolved) -> None:
        self.dissolved_on = event.effective_on

    @applies(UnitsMerged)
    def _merged(self, event: UnitsMerged) -> None:
        self.predecessors += event.from_unit_ids

    def register(self, name: str, short_name: str, kind: UnitKind,
                 parent: Unit | None, emails: list[str] | None = None) -> None:
        """A new unit, under a registered parent unit if it has one; its names spelt in NFC (an import
        reaches here without a command model)."""
        if self.exists:
            raise Conflict("unit.exists", unit_id=self.unit_id, name=self.name)
        if parent is not None and parent.unit_id == self.unit_id:
            raise Invalid("unit.own_parent", unit_id=self.unit_id)
        if parent is not None and not parent.exists:
            raise NotFound("unit.parent_not_found", parent_unit_id=parent.unit_id)
        name, short_name = clean_line(name, "name"), clean_line(short_name, "short_name")
        if not name:
            raise Invalid("unit.name_required")
        self.record(UnitRegistered(unit_id=self.unit_id, name=name, short_name=short_name or name, kind=kind,
                                   parent_unit_id=parent.unit_id if parent else None,
                                   emails=sorted(set(emails or []))))

    def rename(self, name: str, effective_on: date, decision_ref: str) -> None:
        """A new name, not the current one in another spelling (NFC and NFD read the same)."""
        self._require_active(effective_on)
        name = clean_line(name, "name")
        if same_text(name, self.name):
            raise Conflict("unit.same_name", unit_id=self.unit_id, name=self.name)
        self.record(UnitRenamed(unit_id=self.unit_id, name=name, effective_on=effective_on,
                                decision_ref=decision_ref.strip()))

    def change_emails(self, emails: list[str], today: date) -> None:
        """The addresses its officers are told at from now on (none: nobody is told by e-mail), of a unit
        active today; each once, in order."""
        self._require_active(today)
        self.record(UnitEmailsChanged(unit_id=self.unit_id, emails=sorted({email.lower() for email in emails})))

    def dissolve(self, effective_on: date, decision_ref: str) -> None:
        """The unit ends on ``effective_on`` (it leaves its blocs that day: the handler records it)."""
        self._require_active(effective_on)
        self.record(UnitDissolved(unit_id=self.unit_id, effective_on=effective_on, decision_ref=decision_ref.strip()))

    def _require_active(self, day: date) -> None:
        if not self.exists:
            raise NotFound("unit.not_found", unit_id=self.unit_id)
        if self.dissolved_on is not None and day >= self.dissolved_on:
            raise Conflict("unit.ended", unit_id=self.unit_id, day=self.dissolved_on.isoformat())


def merge(sources: list[Unit], into: Unit, effective_on: date, decision_ref: str) -> None:
    """Several units merge into one (sáp nhập) on ``effective_on``: each source ends that day, and the
    unit they merge into records them as its predecessors, so its history includes theirs."""
    if not sources:
        raise Invalid("merge.no_sources")
    if into.unit_id in {source.unit_id for source in sources}:
        raise Invalid("merge.into_itself", unit_id=into.unit_id)
    into._require_active(effective_on)
    for source in sources:
        source.dissolve(effective_on, decision_ref)
    into.record(UnitsMerged(from_unit_ids=[source.unit_id for source in sources], into_unit_id=into.unit_id,
                            effective_on=effective_on, decision_ref=decision_ref.strip()))
