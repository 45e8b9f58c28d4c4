"""Registry commands: what a person asks the registry to do (imperative names)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, Strict

from registry.domain.bloc import Role
from thidua_contracts.registry import AccountRole, BlocKind, UnitKind
from thidua_shared.commands import Command, Day, Email, Identifier, Line, Paragraph, Year
from thidua_shared.text import nfc

DecisionRef = Field(min_length=1, max_length=200, description="e.g. 123/QĐ-UBND")


class RegisterUnit(Command):
    unit_id: Identifier
    name: Line = Field(min_length=1, max_length=300)
    short_name: Line = Field(default="", max_length=100)
    kind: UnitKind = "other"
    parent_unit_id: Identifier | None = None
    emails: list[Email] = Field(default_factory=list, max_length=10)


class EstablishBloc(Command):
    bloc_id: Identifier
    name: Line = Field(min_length=1, max_length=300)
    kind: BlocKind
    decision_ref: Line = DecisionRef
    established_on: Day | None = Field(default=None, description="the date of the decision that established it")


class AdmitUnit(Command):
    bloc_id: Identifier
    unit_id: Identifier
    effective_on: Day
    decision_ref: Line = DecisionRef


class ElectLeader(Command):
    bloc_id: Identifier
    role: Annotated[Role, Strict(False)]
    year: Year
    unit_id: Identifier
    votes_for: int = Field(ge=0, le=10_000)
    votes_cast: int = Field(ge=0, le=10_000)
    members: int = Field(ge=1, le=10_000)
    elected_on: Day
    replaces_reason: Paragraph | None = Field(default=None, max_length=500,
                                        description="required when the bloc-year already has this role")
    passed_over_reason: Paragraph | None = Field(
        default=None, max_length=500,
        description="required when the province prefers the outgoing vice-chair and another unit is elected chair")


class ConfirmElection(Command):
    """The province confirms a bloc's election of its chair or vice-chair."""

    bloc_id: Identifier
    role: Annotated[Role, Strict(False)]
    year: Year
    confirmed_on: Day
    decision_ref: Line = DecisionRef


class RenameUnit(Command):
    unit_id: Identifier
    name: Line = Field(min_length=1, max_length=300)
    effective_on: Day
    decision_ref: Line = DecisionRef


class ChangeUnitEmails(Command):
    unit_id: Identifier
    emails: list[Email] = Field(max_length=10, description="all of the unit's addresses; none clears them")


class DissolveUnit(Command):
    unit_id: Identifier
    effective_on: Day
    decision_ref: Line = DecisionRef


class ReleaseUnit(Command):
    bloc_id: Identifier
    unit_id: Identifier
    effective_on: Day
    decision_ref: Line = DecisionRef


class RegisterProvince(Command):
    name: Line = Field(min_length=1, max_length=200)


RestYears = Field(default=None, ge=0, le=10,
                  description="years a chair waits before chairing the same bloc again (0: may serve two years "
                              "running; national default 1)")
MajorityPercent = Field(default=None, ge=50, le=90,
                        description="a chair or vice-chair is elected with votes for from more than this share "
                                    "of the members (national default 50)")
PreferVice = Field(default=None, description="electing as chair another unit than the outgoing vice-chair "
                                             "needs a reason (national default false)")


class ChangeProvinceSettings(Command):
    """The settings given change; those left out stay as they are."""

    chair_rest_years: int | None = RestYears
    election_majority_percent: int | None = MajorityPercent
    outgoing_vice_chair_preferred: bool | None = PreferVice


class AssignSupervisor(Command):
    bloc_id: Identifier
    year: Year
    person_name: Line = Field(min_length=1, max_length=200)
    title: Line = Field(min_length=1, max_length=300, description="e.g. Phó Bí thư Thường trực Tỉnh ủy")


class HandOverChair(Command):
    bloc_id: Identifier
    from_unit_id: Identifier
    to_unit_id: Identifier
    handed_over_on: Day


class MergeUnits(Command):
    from_unit_ids: list[Identifier] = Field(min_length=1, max_length=50)
    into_unit_id: Identifier
    effective_on: Day
    decision_ref: Line = DecisionRef


class ConsentToMerge(Command):
    """The province's own admin agrees that it merges into another province."""

    into_code: str = Field(pattern=r"^[A-Z]{2,8}$")
    legal_basis: Paragraph = Field(min_length=1, max_length=500)
    consented_on: Day


class MergeProvinces(Command):
    from_codes: list[Annotated[str, Field(pattern=r"^[A-Z]{2,8}$")]] = Field(min_length=1, max_length=10)
    effective_on: Day
    legal_basis: Paragraph = Field(min_length=1, max_length=500)


def _nfc_text(value: object) -> object:
    return nfc(value) if isinstance(value, str) else value


Username = Annotated[str, Field(pattern=r"^[a-z0-9._-]{3,40}$", max_length=40,
                                description="lower-case letters, digits, '.', '-' and '_', 3 to 40, e.g. 'lua.dt'")]
Password = Annotated[str, Field(min_length=1, max_length=200, description="at least 10 characters, not holding "
                                                                          "the username"),
                     BeforeValidator(_nfc_text)]
"""A password as typed, in NFC (the same letters typed on another keyboard are the same password)."""


FullName = Field(min_length=1, max_length=200, description="e.g. Đinh Thị Lụa")
OfficersUnit = Field(default=None, description="the unit of a unit_officer (required for it)")
SecretarysBloc = Field(default=None, description="the bloc of a bloc_secretary (required for it)")
CurrentPassword = Field(default=None, description="required when a person changes their own password; an admin "
                                                  "resetting another account's leaves it out")


class CreateAccount(Command):
    username: Username
    full_name: Line = FullName
    role: AccountRole
    unit_id: Identifier | None = OfficersUnit
    bloc_id: Identifier | None = SecretarysBloc
    password: Password


class ChangePassword(Command):
    """By the person, with ``current_password`` (``change_password``), or reset by the province's admin, without
    it (``reset_password``)."""

    username: Username
    current_password: Password | None = CurrentPassword
    new_password: Password


class SignIn(Command):
    username: Username
    password: Password


class UnlockAccount(Command):
    username: Username


class DisableAccount(Command):
    username: Username
