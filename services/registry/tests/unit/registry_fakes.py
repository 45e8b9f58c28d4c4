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


class FakeUnitOfWork(OverInMemoryLog, RegistryUnitOfWork):
    """``async with`` it to roll back what a refused command recorded; ``log`` is everything kept."""

    def __init__(self, context: CommandContext = CONTEXT, today: date = TODAY,
                 inner: InMemoryUnitOfWork | None = None) -> None:
        self.inner = inner or InMemoryUnitOfWork("registry")
        super().__init__(self.inner, context, FakeBlocsOfUnit(self.inner.store, context.province),
                         today=lambda: today)

    def for_(self, context: CommandContext) -> FakeUnitOfWork:
        """The same log, another caller or province."""
        return FakeUnitOfWork(context, inner=self.inner)
