"""What scoring's handlers work with: the bloc-years, what they read of the read model, and today.

``bootstrap.py`` builds it over the log's unit of work of each command, with the SQL read model's ports on
the command's connection and the provinces' calendar; unit tests build it over the in-memory log with fakes.
"""

from __future__ import annotations

from typing import Protocol

from scoring.domain.bloc_year import BlocYear
from scoring.domain.membership import Membership, require_known_bloc_year
from thidua_shared.clock import Today
from thidua_shared.context import CommandContext
from thidua_shared.repository import AggregateUnitOfWork, Repository
from thidua_shared.unit_of_work import UnitOfWork


class MembershipOf(Protocol):
    async def __call__(self, bloc_id: str, year: int, unit_id: str) -> Membership:
        """What the unit is to the bloc of the command's province in ``year``: a member on any day of it, a
        unit the registry knows but not as a member then, or no unit it knows, as the read model of the
        registry's events says."""
        ...


class BlocKnown(Protocol):
    async def __call__(self, bloc_id: str) -> bool:
        """Whether the registry established the bloc in the command's province, as the read model knows."""
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

    def __init__(self, inner: UnitOfWork, context: CommandContext, membership: MembershipOf, bloc_known: BlocKnown,
                 members_of_year: MembersOfYear, missing_files: MissingFiles, today: Today) -> None:
        super().__init__(inner, context)
        self.bloc_years = BlocYears(self, context.province)
        self.membership = membership
        self.bloc_known = bloc_known
        self.members_of_year = members_of_year
        self.missing_files = missing_files
        self.today = today

    async def known_bloc_year(self, bloc_id: str, year: int) -> BlocYear:
        """The bloc-year, once its bloc and its year are found in the registry (refused otherwise)."""
        members = await self.members_of_year(bloc_id, year)
        require_known_bloc_year(bloc_id, year, await self.bloc_known(bloc_id), members)
        return await self.bloc_years.get(bloc_id, year)
