"""What scoring's handlers work with: the bloc-years, what they read of the read model, and today.

``bootstrap.py`` builds it over the log's unit of work of each command, with the SQL read model's ports on
the command's connection and the provinces' calendar; unit tests build it over the in-memory log with fakes.
"""

from __future__ import annotations

from typing import Protocol

from scoring.domain.bloc_year import BlocYear
from thidua_shared.clock import Today
from thidua_shared.context import CommandContext
from thidua_shared.repository import AggregateUnitOfWork, Repository
from thidua_shared.unit_of_work import UnitOfWork


class IsMember(Protocol):
    async def __call__(self, bloc_id: str, year: int, unit_id: str) -> bool:
        """Whether the unit belongs to the bloc of the command's province on any day of ``year``, as the read
        model of the registry's events knows it."""
        ...


class MembersOfYear(Protocol):
    async def __call__(self, bloc_id: str, year: int) -> list[str]:
        """The units that belong to the bloc on any day of ``year``, sorted, as the read model knows them."""
        ...


class MissingFiles(Protocol):
    async def __call__(self, refs: list[str]) -> list[str]:
        """Of the ``sha256:`` references among ``refs``, those to files the command's province does not hold."""
        ...


class BlocYears:
    """The bloc-years of the command's province, each got by its bloc and year.

    The shared :class:`Repository` knows an aggregate by one string; a bloc-year's is ``{bloc_id}:{year}``
    (an identifier holds no colon, and the year is the part after the last one)."""

    def __init__(self, uow: AggregateUnitOfWork, province: str) -> None:
        self._repository: Repository[BlocYear] = uow.repository(lambda key: _bloc_year(province, key))

    async def get(self, bloc_id: str, year: int) -> BlocYear:
        return await self._repository.get(f"{bloc_id}:{year}")


def _bloc_year(province: str, key: str) -> BlocYear:
    bloc_id, _, year = key.rpartition(":")
    return BlocYear(province, bloc_id, int(year))


class ScoringUnitOfWork(AggregateUnitOfWork):
    """A scoring command's unit of work, in the command's province."""

    def __init__(self, inner: UnitOfWork, context: CommandContext, is_member: IsMember,
                 members_of_year: MembersOfYear, missing_files: MissingFiles, today: Today) -> None:
        super().__init__(inner, context)
        self.bloc_years = BlocYears(self, context.province)
        self.is_member = is_member
        self.members_of_year = members_of_year
        self.missing_files = missing_files
        self.today = today
