"""Scoring's unit of work over the in-memory log, with fake read-model ports and a fixed today."""

from __future__ import annotations

from datetime import date

from scoring.application.unit_of_work import ScoringUnitOfWork
from scoring.domain.membership import Membership
from thidua_contracts.envelope import Actor
from thidua_shared.context import CommandContext
from thidua_shared.testing import OverInMemoryLog
from thidua_shared.unit_of_work import InMemoryUnitOfWork

CONTEXT = CommandContext("HNM", Actor(id="secretary", role="bloc_secretary"), "corr-1")
TODAY = date(2026, 1, 10)
HELD_FILE = "sha256:" + "a" * 64


class FakeRegistry:
    """What scoring's read model would hold of the registry: its units, its blocs, the units of each (bloc,
    year). Unless told otherwise, the units are a to d and z, the blocs those that ``members`` names."""

    def __init__(self, members: dict[tuple[str, int], list[str]], units: set[str] | None = None,
                 blocs: set[str] | None = None) -> None:
        self.members = members
        self.units = {"a", "b", "c", "d", "z"} if units is None else units
        self.blocs = {bloc_id for bloc_id, _ in members} if blocs is None else blocs

    async def membership(self, bloc_id: str, year: int, unit_id: str) -> Membership:
        if unit_id in self.members.get((bloc_id, year), []):
            return Membership.MEMBER
        return Membership.NOT_MEMBER if unit_id in self.units else Membership.UNKNOWN_UNIT

    async def bloc_known(self, bloc_id: str) -> bool:
        return bloc_id in self.blocs

    async def of_year(self, bloc_id: str, year: int) -> list[str]:
        return sorted(set(self.members.get((bloc_id, year), [])))


class FakeEvidence:
    """The evidence files the province holds, by reference."""

    def __init__(self, held: set[str]) -> None:
        self.held = held

    async def missing(self, refs: list[str]) -> list[str]:
        return sorted({ref for ref in refs if ref.startswith("sha256:") and ref not in self.held})


class FakeUnitOfWork(OverInMemoryLog, ScoringUnitOfWork):
    """Bloc ``k`` of 2025 has members a, b and c unless told otherwise; ``async with`` it to roll back what
    a refused command recorded; ``log`` is everything kept."""

    def __init__(self, members: dict[tuple[str, int], list[str]] | None = None, today: date = TODAY,
                 context: CommandContext = CONTEXT) -> None:
        self.inner = InMemoryUnitOfWork("scoring")
        self.registry = FakeRegistry({("k", 2025): ["a", "b", "c"]} if members is None else members)
        self.evidence = FakeEvidence({HELD_FILE})
        self.day = today
        super().__init__(self.inner, context, membership=self.registry.membership, bloc_known=self.registry.bloc_known,
                         members_of_year=self.registry.of_year, missing_files=self.evidence.missing,
                         today=lambda: self.day)
