"""Registry aggregates. Each method checks a rule, then returns the events that record the change;
applying events is the only way state changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from thidua_shared.contracts import EventPayload
from thidua_shared.contracts.registry import (
    BlocEstablished,
    BlocKind,
    ChairElected,
    UnitJoinedBloc,
    UnitKind,
    UnitRegistered,
    ViceChairElected,
)
from thidua_shared.errors import Conflict, Invalid, NotFound


def unit_stream(province: str, unit_id: str) -> str:
    return f"unit:{province}:{unit_id}"


def bloc_stream(province: str, bloc_id: str) -> str:
    return f"bloc:{province}:{bloc_id}"


@dataclass
class Unit:
    unit_id: str
    version: int = 0
    name: str = ""

    @property
    def exists(self) -> bool:
        return self.version > 0

    @classmethod
    def from_history(cls, unit_id: str, history: Iterable[EventPayload]) -> Unit:
        unit = cls(unit_id)
        for event in history:
            unit.apply(event)
        return unit

    def apply(self, event: EventPayload) -> None:
        if isinstance(event, UnitRegistered):
            self.name = event.name
        self.version += 1

    def register(self, name: str, short_name: str, kind: UnitKind,
                 parent: Unit | None) -> list[EventPayload]:
        """A new unit, under a registered parent unit if it has one."""
        if self.exists:
            raise Conflict("unit.exists", unit_id=self.unit_id, name=self.name)
        if parent is not None and parent.unit_id == self.unit_id:
            raise Invalid("unit.own_parent", unit_id=self.unit_id)
        if parent is not None and not parent.exists:
            raise NotFound("unit.parent_not_found", parent_unit_id=parent.unit_id)
        if not name.strip():
            raise Invalid("unit.name_required")
        return [UnitRegistered(unit_id=self.unit_id, name=name.strip(),
                               short_name=short_name.strip() or name.strip(), kind=kind,
                               parent_unit_id=parent.unit_id if parent else None)]


@dataclass(frozen=True)
class Membership:
    unit_id: str
    joined_on: date
    left_on: date | None = None

    def covers(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


@dataclass
class Bloc:
    bloc_id: str
    version: int = 0
    kind: BlocKind = "khoi"
    memberships: list[Membership] = field(default_factory=list)
    chairs: dict[int, str] = field(default_factory=dict)
    vice_chairs: dict[int, str] = field(default_factory=dict)

    @property
    def exists(self) -> bool:
        return self.version > 0

    @classmethod
    def from_history(cls, bloc_id: str, history: Iterable[EventPayload]) -> Bloc:
        bloc = cls(bloc_id)
        for event in history:
            bloc.apply(event)
        return bloc

    def apply(self, event: EventPayload) -> None:
        if isinstance(event, BlocEstablished):
            self.kind = event.kind
        elif isinstance(event, UnitJoinedBloc):
            self.memberships.append(Membership(event.unit_id, event.effective_on))
        elif isinstance(event, ViceChairElected):
            self.vice_chairs[event.year] = event.unit_id
        elif isinstance(event, ChairElected):
            self.chairs[event.year] = event.unit_id
        self.version += 1

    def members_on(self, day: date) -> list[str]:
        return sorted({m.unit_id for m in self.memberships if m.covers(day)})

    def establish(self, name: str, kind: BlocKind, decision_ref: str) -> list[EventPayload]:
        if self.exists:
            raise Conflict("bloc.exists", bloc_id=self.bloc_id)
        if not name.strip():
            raise Invalid("bloc.name_required")
        if not decision_ref.strip():
            raise Invalid("decision_ref.required")
        return [BlocEstablished(bloc_id=self.bloc_id, name=name.strip(), kind=kind,
                                decision_ref=decision_ref.strip())]

    def admit(self, unit: Unit, effective_on: date, decision_ref: str) -> list[EventPayload]:
        self._require_exists()
        if not unit.exists:
            raise NotFound("unit.not_found", unit_id=unit.unit_id)
        overlapping = [m for m in self.memberships if m.unit_id == unit.unit_id
                       and (m.left_on is None or m.left_on > effective_on)]
        if overlapping:
            raise Conflict("bloc.already_member", unit_id=unit.unit_id, bloc_id=self.bloc_id,
                           day=overlapping[0].joined_on.isoformat())
        if not decision_ref.strip():
            raise Invalid("decision_ref.required")
        return [UnitJoinedBloc(bloc_id=self.bloc_id, unit_id=unit.unit_id, effective_on=effective_on,
                               decision_ref=decision_ref.strip())]

    def elect(self, role: str, year: int, unit_id: str, votes_for: int, votes_cast: int,
              members: int, elected_on: date) -> list[EventPayload]:
        """Chair or vice-chair of ``year``: a member on the election day, not holding the other role,
        with votes for at most the votes cast and votes cast at most the members."""
        self._require_exists()
        if unit_id not in self.members_on(elected_on):
            raise Conflict("election.not_member", unit_id=unit_id, bloc_id=self.bloc_id,
                           day=elected_on.isoformat())
        if votes_for > votes_cast:
            raise Invalid("election.votes_for_exceed_cast", votes_for=votes_for, votes_cast=votes_cast)
        if votes_cast > members:
            raise Invalid("election.votes_cast_exceed_members", votes_cast=votes_cast, members=members)
        taken, other = (self.chairs, self.vice_chairs) if role == "chair" else (self.vice_chairs, self.chairs)
        if year in taken:
            raise Conflict("election.already_elected", role=role, year=year, unit_id=taken[year])
        if other.get(year) == unit_id:
            raise Conflict("election.same_unit_both_roles", unit_id=unit_id, year=year)
        model = ChairElected if role == "chair" else ViceChairElected
        return [model(bloc_id=self.bloc_id, year=year, unit_id=unit_id, votes_for=votes_for,
                      votes_cast=votes_cast, members=members, elected_on=elected_on)]

    def _require_exists(self) -> None:
        if not self.exists:
            raise NotFound("bloc.not_found", bloc_id=self.bloc_id)
