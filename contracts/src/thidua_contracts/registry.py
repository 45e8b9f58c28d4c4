from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field

from thidua_contracts.base import EventPayload
from thidua_contracts.envelope import Source

BlocKind = Literal["khoi", "cum"]
UnitKind = Literal["party_board", "party_committee", "state_agency", "enterprise", "commune", "other"]


class RegistryEvent(EventPayload):
    source: ClassVar[Source] = "registry"


class ProvinceRegistered(RegistryEvent):
    code: str
    name: str


LeaderRole = Literal["chair", "vice_chair"]


class ProvinceSettingsChanged(RegistryEvent):
    """A province tunes the registry's rules of elections (added to the contract; all its settings as they
    now stand). Version 2 replaced ``chair_may_serve_consecutive_years`` (true: a rest of 0 years, false: 1)."""

    schema_version: ClassVar[int] = 2

    code: str
    chair_rest_years: int
    """Years a bloc's chair waits before chairing that bloc again: 1 (the default) forbids two years running,
    0 allows it."""
    election_majority_percent: int
    """A chair or vice-chair is elected with votes for from more than this share of the bloc's members."""
    outgoing_vice_chair_preferred: bool
    """Electing as chair another unit than the outgoing vice-chair needs a stated reason."""


class ProvinceMergerConsented(RegistryEvent):
    """A province's own admin agrees that it merges into another, by law (added to the contract): the
    receiving province cannot merge a province that did not consent."""
    act_date: ClassVar[str | None] = "consented_on"

    code: str
    into_code: str
    legal_basis: str
    consented_on: date


class ProvincesMerged(RegistryEvent):
    act_date: ClassVar[str | None] = "effective_on"
    from_codes: list[str]
    into_code: str
    effective_on: date
    legal_basis: str


class UnitRegistered(RegistryEvent):
    unit_id: str
    name: str
    short_name: str
    kind: UnitKind
    parent_unit_id: str | None = None
    emails: list[str] = Field(default_factory=list)
    """Contact addresses for notifications (added to the contract)."""


class UnitEmailsChanged(RegistryEvent):
    """Where a unit's officers are told of what concerns it, from now on (added to the contract)."""

    unit_id: str
    emails: list[str]


class UnitRenamed(RegistryEvent):
    act_date: ClassVar[str | None] = "effective_on"
    unit_id: str
    name: str
    effective_on: date
    decision_ref: str | None = None
    """The decision that renamed the unit (added to the contract)."""


class UnitsMerged(RegistryEvent):
    act_date: ClassVar[str | None] = "effective_on"
    from_unit_ids: list[str]
    into_unit_id: str
    effective_on: date
    decision_ref: str


class UnitDissolved(RegistryEvent):
    act_date: ClassVar[str | None] = "effective_on"
    unit_id: str
    effective_on: date
    decision_ref: str


class BlocEstablished(RegistryEvent):
    act_date: ClassVar[str | None] = "established_on"
    bloc_id: str
    name: str
    kind: BlocKind
    decision_ref: str
    established_on: date | None = None
    """The date of the decision that established the bloc (added; none: not given, e.g. imported)."""


class UnitJoinedBloc(RegistryEvent):
    act_date: ClassVar[str | None] = "effective_on"
    bloc_id: str
    unit_id: str
    effective_on: date
    decision_ref: str


class UnitLeftBloc(RegistryEvent):
    act_date: ClassVar[str | None] = "effective_on"
    bloc_id: str
    unit_id: str
    effective_on: date
    decision_ref: str


class BlocSupervisorAssigned(RegistryEvent):
    bloc_id: str
    person_name: str
    title: str
    year: int


class _LeaderElected(RegistryEvent):
    """The fields of an election to a bloc's leadership: not an event itself (the catalog has none
    of that name); each role has its own event, a sibling of the other, told apart by class."""
    act_date: ClassVar[str | None] = "elected_on"

    bloc_id: str
    year: int
    unit_id: str
    votes_for: int
    votes_cast: int
    members: int
    elected_on: date
    replaces_reason: str | None = None
    """Set when this election replaces an earlier one for the same bloc, year and role."""
    passed_over_reason: str | None = None
    """Why the bloc elected another chair than its outgoing vice-chair, where the province prefers that unit
    (added to the contract)."""


class ChairElected(_LeaderElected):
    pass


class ViceChairElected(_LeaderElected):
    pass


class LeaderElectionConfirmed(RegistryEvent):
    """The province confirms a bloc's election of its chair or vice-chair for a year (added to the contract)."""
    act_date: ClassVar[str | None] = "confirmed_on"

    bloc_id: str
    role: LeaderRole
    year: int
    unit_id: str
    confirmed_on: date
    decision_ref: str


class ChairHandedOver(RegistryEvent):
    act_date: ClassVar[str | None] = "handed_over_on"
    bloc_id: str
    from_unit_id: str
    to_unit_id: str
    handed_over_on: date


AccountRole = Literal["admin", "bloc_secretary", "unit_officer", "auditor"]
"""The roles a person's account signs in with (a ``subscriber`` is a system, given a token by ``thidua token``)."""


class AccountCreated(RegistryEvent):
    """A person's account to sign in to the province's console with (added to the contract). No password
    and no hash is ever in an event: the registry keeps the hash apart, in the same transaction."""

    username: str
    full_name: str
    role: AccountRole
    unit_id: str | None = None
    """The unit a ``unit_officer`` acts for."""
    bloc_id: str | None = None
    """The bloc a ``bloc_secretary`` acts for."""


class AccountPasswordChanged(RegistryEvent):
    """The account's password changed (added to the contract): by the person, or reset by the province's admin."""

    username: str
    reset_by_admin: bool


class AccountSignInFailed(RegistryEvent):
    """A sign-in to the account with a wrong password (added to the contract); ``failures`` counts those in a row."""

    username: str
    failures: int


class AccountLocked(RegistryEvent):
    """The account is locked after ``failures`` wrong passwords in a row (added to the contract): it signs in
    again only once the province's admin unlocks it."""

    username: str
    failures: int


class AccountSignedIn(RegistryEvent):
    """A person signed in to the account (added to the contract); the count of failures in a row starts again."""

    username: str


class AccountUnlocked(RegistryEvent):
    """The province's admin unlocked the account (added to the contract); its failures start again from none."""

    username: str


class AccountDisabled(RegistryEvent):
    """The province's admin disabled the account for good (added to the contract): it no longer signs in, and
    its sessions end."""

    username: str


EVENTS: tuple[type[EventPayload], ...] = (
    ProvinceRegistered,
    ProvinceSettingsChanged,
    ProvinceMergerConsented,
    ProvincesMerged,
    UnitRegistered,
    UnitRenamed,
    UnitEmailsChanged,
    UnitsMerged,
    UnitDissolved,
    BlocEstablished,
    UnitJoinedBloc,
    UnitLeftBloc,
    BlocSupervisorAssigned,
    ChairElected,
    ViceChairElected,
    LeaderElectionConfirmed,
    ChairHandedOver,
    AccountCreated,
    AccountPasswordChanged,
    AccountSignInFailed,
    AccountLocked,
    AccountSignedIn,
    AccountUnlocked,
    AccountDisabled,
)

