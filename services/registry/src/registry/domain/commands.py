"""Registry commands: what a person asks the registry to do (imperative names)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from thidua_shared.contracts.registry import BlocKind, UnitKind

Identifier = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$",
                   description="lower-case letters, digits and hyphens, e.g. 'ban-to-chuc'")


class Command(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RegisterUnit(Command):
    unit_id: str = Identifier
    name: str = Field(min_length=1, max_length=300)
    short_name: str = Field(default="", max_length=100)
    kind: UnitKind = "other"
    parent_unit_id: str | None = None


class EstablishBloc(Command):
    bloc_id: str = Identifier
    name: str = Field(min_length=1, max_length=300)
    kind: BlocKind
    decision_ref: str = Field(min_length=1, max_length=200)


class AdmitUnit(Command):
    bloc_id: str
    unit_id: str
    effective_on: date
    decision_ref: str = Field(min_length=1, max_length=200)


class ElectLeader(Command):
    bloc_id: str
    role: Literal["chair", "vice_chair"]
    year: int = Field(ge=2000, le=2100)
    unit_id: str
    votes_for: int = Field(ge=0)
    votes_cast: int = Field(ge=0)
    members: int = Field(ge=1)
    elected_on: date
