"""An emulation bloc (khối / cụm thi đua): established by decision, its members over time, and
who chairs it in which year. Each method checks a rule, then returns the events recording the change."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from registry.domain.province import ElectionRules
from registry.domain.unit import Unit
from thidua_contracts.registry import (
    BlocEstablished,
    BlocKind,
    BlocSupervisorAssigned,
    ChairElected,
    ChairHandedOver,
    LeaderElectionConfirmed,
    UnitJoinedBloc,
    UnitLeftBloc,
    ViceChairElected,
)
from thidua_shared.aggregate import Aggregate, applies
from thidua_shared.errors import Conflict, Invalid, NotFound
from thidua_shared.text import clean_line


def bloc_stream(province: str, bloc_id: str) -> str:
    return f"bloc:{province}:{bloc_id}"


@dataclass(frozen=True)
class Membership:
    unit_id: str
    joined_on: date
    left_on: date | None = None

    def covers(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day < self.left_on)


class Role(StrEnum):
    """Who leads a bloc in a year, elected by its members (trưởng khối, phó khối)."""

    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"


class Bloc(Aggregate):
    def __init__(self, province: str, bloc_id: str) -> None:
        super().__init__(bloc_stream(province, bloc_id), province)
        self.bloc_id = bloc_id
        self.kind: BlocKind = "khoi"
        self.name = ""
        self.decision_ref = ""
        self.memberships: list[Membership] = []
        self.leaders: dict[Role, dict[int, str]] = {Role.CHAIR: {}, Role.VICE_CHAIR: {}}
        """Per role, the unit elected for each year."""
        self.elected_on: dict[tuple[Role, int], date] = {}
        self.confirmed: set[tuple[Role, int]] = set()
        """The elections the province confirmed (a new election of the same role and year is not)."""
        self.supervisors: dict[int, str] = {}
        self.handed_over: set[int] = set()

    @property
    def chairs(self) -> dict[int, str]:
        return self.leaders[Role.CHAIR]

    @applies(BlocEstablished)
    def _established(self, event: BlocEstablished) -> None:
        self.kind, self.name, self.decision_ref = event.kind, event.name, event.decision_ref

    @applies(UnitJoinedBloc)
    def _joined(self, event: UnitJoinedBloc) -> None:
        self.memberships.append(Membership(event.unit_id, event.effective_on))

    @applies(UnitLeftBloc)
    def _left(self, event: UnitLeftBloc) -> None:
        self.memberships = [replace(m, left_on=event.effective_on)
                            if m.unit_id == event.unit_id and m.left_on is None else m
                            for m in self.memberships]

    @applies(ChairElected)
    def _chair_elected(self, event: ChairElected) -> None:
        self._elected(Role.CHAIR, event)

    @applies(ViceChairElected)
    def _vice_chair_elected(self, event: ViceChairElected) -> None:
        self._elected(Role.VICE_CHAIR, event)

    def _elected(self, role: Role, event: ChairElected | ViceChairElected) -> None:
        self.leaders[role][event.year] = event.unit_id
        self.elected_on[(role, event.year)] = event.elected_on
        self.confirmed.discard((role, event.year))

    @applies(LeaderElectionConfirmed)
    def _confirmed(self, event: LeaderElectionConfirmed) -> None:
        self.confirmed.add((Role(event.role), event.year))

    @applies(ChairHandedOver)
    def _handed_over(self, event: ChairHandedOver) -> None:
        self.handed_over.add(event.handed_over_on.year)

    @applies(BlocSupervisorAssigned)
    def _supervisor_assigned(self, event: BlocSupervisorAssigned) -> None:
        self.supervisors[event.year] = event.person_name

    def members_on(self, day: date) -> list[str]:
        return sorted({m.unit_id for m in self.memberships if m.covers(day)})

    def establish(self, name: str, kind: BlocKind, decision_ref: str, established_on: date | None = None) -> None:
        if self.exists:
            raise Conflict("bloc.exists", bloc_id=self.bloc_id)
        name, decision_ref = clean_line(name, "name"), clean_line(decision_ref, "decision_ref")
        if not name:
            raise Invalid("bloc.name_required")
        if not decision_ref:
            raise Invalid("decision_ref.required")
        self.record(BlocEstablished(bloc_id=self.bloc_id, name=name, kind=kind, decision_ref=decision_ref,
                                    established_on=established_on))

    def admit(self, unit: Unit, effective_on: date, decision_ref: str,
              other_bloc_of_kind: str | None = None) -> None:
        """The unit joins from ``effective_on``: an active unit, not yet a member, and in no other bloc
        of this kind then (``other_bloc_of_kind``, as the registry's read model knows it)."""
        self._require_exists()
        if not unit.exists:
            raise NotFound("unit.not_found", unit_id=unit.unit_id)
        if unit.dissolved_on is not None:
            raise Conflict("unit.ended", unit_id=unit.unit_id, day=unit.dissolved_on.isoformat())
        overlapping = [m for m in self.memberships if m.unit_id == unit.unit_id
                       and (m.left_on is None or m.left_on > effective_on)]
        if overlapping:
            raise Conflict("bloc.already_member", unit_id=unit.unit_id, bloc_id=self.bloc_id,
                           day=overlapping[0].joined_on.isoformat())
        if other_bloc_of_kind is not None:
            raise Conflict("bloc.one_of_a_kind", unit_id=unit.unit_id, other_bloc_id=other_bloc_of_kind,
                           kind=self.kind)
        decision_ref = clean_line(decision_ref, "decision_ref")
        if not decision_ref:
            raise Invalid("decision_ref.required")
        self.record(UnitJoinedBloc(bloc_id=self.bloc_id, unit_id=unit.unit_id, effective_on=effective_on,
                                   decision_ref=decision_ref))

    def release(self, unit_id: str, effective_on: date, decision_ref: str) -> None:
        """The unit leaves on ``effective_on``, after the day it joined."""
        self._require_exists()
        current = next((m for m in self.memberships if m.unit_id == unit_id and m.left_on is None), None)
        if current is None:
            raise Conflict("bloc.not_a_member", unit_id=unit_id, bloc_id=self.bloc_id)
        if effective_on <= current.joined_on:
            raise Invalid("bloc.leave_before_join", unit_id=unit_id, day=current.joined_on.isoformat())
        self.record(UnitLeftBloc(bloc_id=self.bloc_id, unit_id=unit_id, effective_on=effective_on,
                                 decision_ref=decision_ref.strip()))

    def elect(self, role: Role, year: int, unit_id: str, votes_for: int, votes_cast: int,
              members: int, elected_on: date, rules: ElectionRules, replaces_reason: str | None = None,
              passed_over_reason: str | None = None) -> None:
        """Chair or vice-chair of ``year``: a member on the election day, not holding the other role,
        elected in that year or the year before by more than the province's share of the members, with
        votes for at most the votes cast and votes cast at most the members. One per bloc-year and role:
        electing again replaces the earlier one and needs a reason. A chair waits the province's rest
        years before chairing again; where the province prefers the outgoing vice-chair, electing
        another chair needs a reason (``passed_over_reason``)."""
        self._require_exists()
        if unit_id not in self.members_on(elected_on):
            raise Conflict("election.not_member", unit_id=unit_id, bloc_id=self.bloc_id,
                           day=elected_on.isoformat())
        if not year - 1 <= elected_on.year <= year:
            raise Invalid("election.day_outside_year", day=elected_on.isoformat(), year=year, before=year - 1)
        if votes_for > votes_cast:
            raise Invalid("election.votes_for_exceed_cast", votes_for=votes_for, votes_cast=votes_cast)
        if votes_cast > members:
            raise Invalid("election.votes_cast_exceed_members", votes_cast=votes_cast, members=members)
        if votes_for < rules.votes_needed(members):
            raise Conflict("election.no_majority", votes_for=votes_for, members=members,
                           needed=rules.votes_needed(members), percent=rules.election_majority_percent)
        taken = self.leaders[role]
        other = self.leaders[Role.VICE_CHAIR if role is Role.CHAIR else Role.CHAIR]
        reason = (replaces_reason or "").strip() or None
        if year in taken and reason is None:
            raise Conflict("election.already_elected", role=role.value, year=year, unit_id=taken[year])
        if other.get(year) == unit_id:
            raise Conflict("election.same_unit_both_roles", unit_id=unit_id, year=year)
        passed_over = (passed_over_reason or "").strip() or None
        if role is Role.CHAIR:
            self._check_rotation(unit_id, year, rules, passed_over)
        model = ChairElected if role is Role.CHAIR else ViceChairElected
        self.record(model(bloc_id=self.bloc_id, year=year, unit_id=unit_id, votes_for=votes_for,
                          votes_cast=votes_cast, members=members, elected_on=elected_on,
                          replaces_reason=reason if year in taken else None,
                          passed_over_reason=passed_over if role is Role.CHAIR else None))

    def _check_rotation(self, unit_id: str, year: int, rules: ElectionRules, passed_over: str | None) -> None:
        rest = rules.chair_rest_years
        chaired = sorted(other_year for other_year, chair in self.chairs.items()
                         if chair == unit_id and other_year != year and abs(other_year - year) <= rest)
        if chaired:
            raise Conflict("election.chair_rest", unit_id=unit_id, year=year, other_year=chaired[0], rest=rest)
        outgoing = self.leaders[Role.VICE_CHAIR].get(year - 1)
        if (rules.outgoing_vice_chair_preferred and outgoing is not None and outgoing != unit_id
                and passed_over is None):
            raise Conflict("election.vice_chair_preferred", unit_id=outgoing, year=year, before=year - 1)

    def confirm_election(self, role: Role, year: int, confirmed_on: date, decision_ref: str) -> None:
        """The province confirms the bloc's election of ``role`` for ``year``, once, not before the vote."""
        self._require_exists()
        unit_id = self.leaders[role].get(year)
        if unit_id is None:
            raise NotFound("election.not_found", role=role.value, year=year, bloc_id=self.bloc_id)
        if (role, year) in self.confirmed:
            raise Conflict("election.already_confirmed", role=role.value, year=year, unit_id=unit_id)
        elected_on = self.elected_on[(role, year)]
        if confirmed_on < elected_on:
            raise Invalid("election.confirmed_before_vote", on=confirmed_on.isoformat(),
                          elected_on=elected_on.isoformat())
        decision_ref = clean_line(decision_ref, "decision_ref")
        if not decision_ref:
            raise Invalid("decision_ref.required")
        self.record(LeaderElectionConfirmed(bloc_id=self.bloc_id, role=role.value, year=year, unit_id=unit_id,
                                            confirmed_on=confirmed_on, decision_ref=decision_ref))

    def assign_supervisor(self, person_name: str, title: str, year: int) -> None:
        """The provincial leader in charge of the bloc for ``year`` (a later assignment replaces it)."""
        self._require_exists()
        self.record(BlocSupervisorAssigned(bloc_id=self.bloc_id, person_name=person_name.strip(),
                                           title=title.strip(), year=year))

    def hand_over(self, from_unit_id: str, to_unit_id: str, on: date) -> None:
        """The outgoing chair (of the year before) hands over to the chair of ``on``'s year, once."""
        self._require_exists()
        year = on.year
        if self.chairs.get(year) != to_unit_id:
            raise Conflict("handover.not_the_chair", unit_id=to_unit_id, year=year)
        if self.chairs.get(year - 1) != from_unit_id:
            raise Conflict("handover.not_the_chair", unit_id=from_unit_id, year=year - 1)
        if year in self.handed_over:
            raise Conflict("handover.done", bloc_id=self.bloc_id, year=year)
        self.record(ChairHandedOver(bloc_id=self.bloc_id, from_unit_id=from_unit_id, to_unit_id=to_unit_id,
                                    handed_over_on=on))

    def _require_exists(self) -> None:
        if not self.exists:
            raise NotFound("bloc.not_found", bloc_id=self.bloc_id)
