"""What the registry's handlers work with: its repositories, what they read of the read model, the accounts'
password hashes, and today.

``bootstrap.py`` builds it over the log's unit of work of each command, with the SQL read model's
:class:`BlocsOfUnit`, the SQL :class:`Credentials` on the command's own connection (a hash is written in the
transaction of the event that sets it), argon2 :class:`Passwords` and the provinces' calendar; unit tests build it
over the in-memory log with fakes.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from registry.domain.account import Account
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


class Credentials(Protocol):
    """The accounts' password hashes, kept beside the log (never in it), on the command's transaction."""

    async def hash_of(self, username: str) -> str | None:
        """The account's password hash (None: it has none)."""
        ...

    async def keep(self, username: str, password_hash: str) -> None:
        """Set the account's password hash (created or replaced), committed with the command's events."""
        ...


class Passwords(Protocol):
    """A password hashing scheme (argon2 in production): slow on purpose, salted, its parameters in the hash."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool:
        """Whether ``password`` is the one ``password_hash`` was made of."""
        ...

    async def spend_a_verification(self, password: str) -> None:
        """Take the time a verification takes, for an unknown username: it is answered no faster than a wrong
        password, so the time of the answer does not tell which usernames exist."""
        ...

    def needs_rehash(self, password_hash: str) -> bool:
        """Whether the hash was made with other parameters than the scheme's current ones."""
        ...


class RegistryUnitOfWork(AggregateUnitOfWork):
    """A registry command's unit of work, in the command's province."""

    def __init__(self, inner: UnitOfWork, context: CommandContext, blocs_of_unit: BlocsOfUnit,
                 today: Today, credentials: Credentials, passwords: Passwords) -> None:
        super().__init__(inner, context)
        province = context.province
        self.units: Repository[Unit] = self.repository(lambda unit_id: Unit(province, unit_id))
        self.blocs: Repository[Bloc] = self.repository(lambda bloc_id: Bloc(province, bloc_id))
        self.provinces: Repository[Province] = self.repository(Province)
        self.accounts: Repository[Account] = self.repository(lambda username: Account(province, username))
        self.credentials = credentials
        self.passwords = passwords
        self.blocs_of_unit = blocs_of_unit
        self.today = today
