"""What the awards use cases read and keep outside the event log: the ports the adapters implement.

Each port is built per command from the command's own database connection (``adapters.facts``,
``adapters.ballots``, ``adapters.queries``), so what it reads is consistent with what the command
records in the same transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from awards.domain.eligibility import Facts, Stage
from awards.domain.rulebook import Form, Rulebook
from thidua_contracts.awards import FlagGround


class Today(Protocol):
    """The province's today (in Viet Nam): no act is dated later."""

    def __call__(self) -> date: ...


class ProvinceInOffice(Protocol):
    """The name of the province whose authorities are in office on a day: the province itself, or, after it merged
    into another, the new province (None when the registry has not named it)."""

    async def __call__(self, province: str, on: date, /) -> str | None: ...


class Rulebooks(Protocol):
    """The rulebook versions a province adopted itself (the national defaults are in the domain)."""

    async def __call__(self, province: str, /) -> list[Rulebook]: ...


class GatherFacts(Protocol):
    """What the eligibility rules of ``form`` ask about a unit in a year, at a stage of its proposal
    (``proposal_id`` is left out of counts such as the quota)."""

    async def __call__(self, province: str, unit_id: str, year: int, form: Form, bloc_id: str | None,
                       stage: Stage, proposal_id: str | None, /) -> Facts: ...


class ScoreLookup(Protocol):
    """A unit's final total and published rank in a bloc-year, or ``None`` if scoring has told none."""

    async def __call__(self, province: str, bloc_id: str, year: int, unit_id: str,
                       /) -> tuple[float, int | None] | None: ...


class UnitKnown(Protocol):
    """Whether the registry has told awards of the unit."""

    async def __call__(self, province: str, unit_id: str, /) -> bool: ...


class MembersOfYear(Protocol):
    """The members of a bloc at any time during a year, sorted."""

    async def __call__(self, province: str, bloc_id: str, year: int, /) -> list[str]: ...


class Seal(Protocol):
    """Keep one ballot's choices, apart from its voter and unlinkable to them."""

    async def __call__(self, province: str, vote_id: str, choices: list[str], /) -> None: ...


class Unseal(Protocol):
    """The choices of every ballot of a vote, in no particular order."""

    async def __call__(self, province: str, vote_id: str, /) -> list[list[str]]: ...


class Dependents(Protocol):
    """The active or decided proposals that rested on a unit's award of ``award_code`` for ``year`` (the revoked
    one, ``proposal_id`` left out), with the ground of each."""

    async def __call__(self, province: str, unit_id: str, year: int, award_code: str, proposal_id: str,
                       /) -> list[tuple[str, FlagGround]]: ...
