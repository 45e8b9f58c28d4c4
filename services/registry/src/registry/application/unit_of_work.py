"""What the registry's handlers work with: its repositories, what they read of the read model, and today.

``bootstrap.py`` builds it over the log's unit of work of each command, with the SQL read model's
:class:`BlocsOfUnit` and the provinces' calendar; unit tests build it over the in-memory log with fakes.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from registry.domain.bloc import Bloc
from registry.domain.province import Province
from registry.domain.unit import Unit
from thidua_shared.clock import Today
from thidua_shared.context import CommandContext
from thidua_shared.repository import AggregateUnitOfWork, Repository
from thidua_shared.unit_of_work import UnitOfWork


class BlocsOfUnit(Protocol):
    async def __call__(self, unit_id: str, day: date) -> list[tuple[str, str]]:
        """The (bloc_id, kind) of each bloc of the command's province the unit belongs to on ``day`` or joins
        later, as the read model knows it. A command that reads it, or that ends a unit, first takes the
        unit's lock (:func:`registry.application.handlers.lock_units`): the memberships it reads then stay
        as read until it commits."""
        ...


class RegistryUnitOfWork(AggregateUnitOfWork):
    """A registry command's unit of work, in the command's province."""

    def __init__(self, inner: UnitOfWork, context: CommandContext, blocs_of_unit: BlocsOfUnit,
                 today: Today) -> None:
        super().__init__(inner, context)
        province = context.province
        self.units: Repository[Unit] = self.repository(lambda unit_id: Unit(province, unit_id))
        self.blocs: Repository[Bloc] = self.repository(lambda bloc_id: Bloc(province, bloc_id))
        self.provinces: Repository[Province] = self.repository(Province)
        self.blocs_of_unit = blocs_of_unit
        self.today = today
