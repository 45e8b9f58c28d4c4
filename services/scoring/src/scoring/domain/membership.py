"""What the registry says (as scoring learnt it from the registry's events) that a command on a bloc-year
must respect: scoring refuses a bloc, a year or a unit the registry does not know, and scores only the
units that belong to the bloc in that year."""

from __future__ import annotations

from enum import StrEnum

from thidua_shared.errors import Conflict, Invalid, NotFound


class Membership(StrEnum):
    """What a unit is to a bloc in a year."""

    MEMBER = "member"
    NOT_MEMBER = "not_member"
    """The registry knows the unit, but not as a member of the bloc on any day of the year."""
    UNKNOWN_UNIT = "unknown_unit"
    """The registry has no such unit (or has not told scoring of it yet)."""


def require_known_bloc_year(bloc_id: str, year: int, bloc_known: bool, members: list[str]) -> None:
    """The bloc is in the registry and has members during ``year``: a year in which the bloc had none is
    not one the registry knows for it."""
    if not bloc_known:
        raise NotFound("registry.unknown_bloc", bloc_id=bloc_id)
    if not members:
        raise NotFound("registry.unknown_year", bloc_id=bloc_id, year=year)


def require_member(unit_id: str, bloc_id: str, year: int, membership: Membership) -> None:
    if membership is Membership.UNKNOWN_UNIT:
        raise Invalid("registry.unknown_unit", unit_id=unit_id)
    if membership is not Membership.MEMBER:
        raise Conflict("score.not_member", unit_id=unit_id, bloc_id=bloc_id, year=year)
