"""The registry's unit of work over the in-memory log, with a fake read model and a fixed today."""

from __future__ import annotations

from datetime import date

from registry.application.unit_of_work import RegistryUnitOfWork
from thidua_contracts.envelope import Actor
from thidua_contracts.registry import BlocEstablished, UnitJoinedBloc, UnitLeftBloc
from thidua_shared.context import CommandContext
from thidua_shared.store import InMemoryEventStore
from thidua_shared.testing import OverInMemoryLog
from thidua_shared.unit_of_work import InMemoryUnitOfWork

CONTEXT = CommandContext("HNM", Actor(id="staff", role="admin"), "corr-1")
TODAY = date(2025, 12, 1)


class FakeBlocsOfUnit:
    """The memberships read model as the SQL projection keeps it, read from the in-memory log."""

    def __init__(self, store: InMemoryEventStore, province: str) -> None:
        self._store = store
        self._province = province

    async def __call__(self, unit_id: str, day: date) -> list[tuple[str, str]]:
        kinds: dict[str, str] = {}
        memberships: list[list[str | date | None]] = []
        for event in self._store.log:
            if event.province != self._province:
                continue
            payload = event.typed()
            if isinstance(payload, BlocEstablished):
                kinds[payload.bloc_id] = payload.kind
            elif isinstance(payload, UnitJoinedBloc) and payload.unit_id == unit_id:
                memberships.append([payload.bloc_id, None])
            elif isinstance(payload, UnitLeftBloc) and payload.unit_id == unit_id:
                for membership in memberships:
                    if membership[0] == payload.bloc_id and membership[1] is None:
                        membership[1] = payload.effective_on
        return sorted({(str(bloc_id), kinds[str(bloc_id)]) for bloc_id, left_on in memberships
                       if left_on is None or (isinstance(left_on, date) and left_on > day)})


class FakeCredentials:
    """The password hashes, in a dict by username."""

    def __init__(self) -> None:
        self.hashes: dict[str, str] = {}

    async def hash_of(self, username: str) -> str | None:
        return self.hashes.get(username)

    async def keep(self, username: str, password_hash: str) -> None:
        self.hashes[username] = password_hash


class FakePasswords:
    """A scheme of two versions: hashes of ``old:`` need making again, ``new:`` ones do not."""

    async def hash(self, password: str) -> str:
        return f"new:{password[::-1]}"

    async def verify(self, password_hash: str, password: str) -> bool:
        return password_hash.split(":", 1)[1] == password[::-1]

    async def spend_a_verification(self, password: str) -> None:
        return None

    def needs_rehash(self, password_hash: str) -> bool:
        return password_hash.startswith("old:")


class FakeUnitOfWork(OverInMemoryLog, RegistryUnitOfWork):
    """``async with`` it to roll back what a refused command recorded; ``log`` is everything kept."""

    def __init__(self, context: CommandContext = CONTEXT, today: date = TODAY,
                 inner: InMemoryUnitOfWork | None = None, credentials: FakeCredentials | None = None) -> None:
        self.inner = inner or InMemoryUnitOfWork("registry")
        self.fake_credentials = credentials or FakeCredentials()
        super().__init__(self.inner, context, FakeBlocsOfUnit(self.inner.store, context.province),
                         today=lambda: today, credentials=self.fake_credentials, passwords=FakePasswords())

    def for_(self, context: CommandContext) -> FakeUnitOfWork:
        """The same log (and password hashes), another caller or province."""
        return FakeUnitOfWork(context, inner=self.inner, credentials=self.fake_credentials)
