"""What the registry's GET routes answer: the read models as the queries of ``registry.adapters.queries`` give
them, so that the OpenAPI describes them."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from thidua_shared.history import LoggedEvent


class Unit(BaseModel):
    province: str
    unit_id: str
    name: str
    short_name: str
    kind: str
    parent_unit_id: str | None
    version: int
    dissolved_on: date | None
    emails: list[str]


class Predecessor(BaseModel):
    predecessor_id: str
    effective_on: date
    decision_ref: str


class Successor(BaseModel):
    unit_id: str
    effective_on: date
    decision_ref: str


class UnitDetail(Unit):
    """A unit, the units merged into it and the one it merged into."""

    predecessors: list[Predecessor]
    merged_into: Successor | None


class Membership(BaseModel):
    bloc_id: str
    kind: str
    joined_on: date
    left_on: date | None
    decision_ref: str


class Role(BaseModel):
    bloc_id: str
    year: int
    role: str
    elected_on: date


class UnitRoles(BaseModel):
    unit_id: str
    memberships: list[Membership]
    roles: list[Role]


class Bloc(BaseModel):
    province: str
    bloc_id: str
    name: str
    kind: str
    decision_ref: str
    version: int


class BlocOfYear(BaseModel):
    """A bloc with members during the year asked for, and how many."""

    bloc_id: str
    name: str
    kind: str
    members: int


class Supervisor(BaseModel):
    year: int
    person_name: str
    title: str


class Handover(BaseModel):
    year: int
    from_unit_id: str
    to_unit_id: str
    handed_over_on: date


class Member(BaseModel):
    unit_id: str
    joined_on: date
    left_on: date | None
    decision_ref: str


class Leadership(BaseModel):
    bloc_id: str
    year: int
    role: str
    unit_id: str
    votes_for: int
    votes_cast: int
    members: int
    elected_on: date
    replaces_reason: str | None
    passed_over_reason: str | None
    confirmed_on: date | None
    """When the province confirmed the election (none yet: not confirmed)."""
    confirmation_ref: str | None


class BlocDetail(Bloc):
    """A bloc on a day: its members then, that year's chair, vice-chair and supervisor, and its leaders."""

    as_of: date
    chair: str | None
    vice_chair: str | None
    supervisor: Supervisor | None
    handovers: list[Handover]
    members: list[Member]
    leadership: list[Leadership]


HistoryEvent = LoggedEvent
"""An event of the unit's or the bloc's streams, with its hash chain."""


class MergedProvince(BaseModel):
    predecessor_code: str
    effective_on: date
    legal_basis: str


class SuccessorProvince(BaseModel):
    code: str
    effective_on: date
    legal_basis: str


class Province(BaseModel):
    code: str
    name: str
    chair_rest_years: int
    """Years a chair waits before chairing the same bloc again (0: may serve two years running)."""
    election_majority_percent: int
    """Chairs and vice-chairs are elected with votes for from more than this share of the members."""
    outgoing_vice_chair_preferred: bool
    merged_from: list[MergedProvince]
    merged_into: SuccessorProvince | None
