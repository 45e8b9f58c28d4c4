"""One transaction per command: the events it records and the read-model changes they cause."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Protocol

from sqlalchemy import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.util.concurrency import greenlet_spawn

from thidua_contracts.envelope import Source
from thidua_shared.projection import Projection
from thidua_shared.store.event_store import (
    EventStore,
    InMemoryEventStore,
    LogHead,
    NewEvents,
    SqlEventStore,
    StoredEvent,
)
from thidua_shared.store.locks import take_locks


class SqlUnitOfWork:
    """``async with uow:`` opens the transaction; ``record`` appends and projects; ``commit`` ends it.

    Leaving the block without ``commit`` rolls everything back: nothing half written. After a commit that
    recorded events, ``on_commit`` is called (the relay's wake-up), and ``counted`` with the events (metrics).
    """

    def __init__(self, engine: AsyncEngine, source: Source, projection: Projection,
                 on_commit: Callable[[], None] | None = None, head_hint: LogHead | None = None,
                 counted: Callable[[Sequence[StoredEvent]], None] | None = None) -> None:
        self._engine = engine
        self._source = source
        self._projection = projection
        self._on_commit = on_commit
        self._counted = counted
        self._head_hint = head_hint
        self._connection: AsyncConnection | None = None
        self._store: SqlEventStore | None = None
        self.recorded: list[StoredEvent] = []

    @property
    def connection(self) -> AsyncConnection:
        if self._connection is None:
            raise RuntimeError("the unit of work is not open")
        return self._connection

    @property
    def events(self) -> SqlEventStore:
        if self._store is None:
            raise RuntimeError("the unit of work is not open")
        return self._store

    async def __aenter__(self) -> SqlUnitOfWork:
        self._connection = AsyncConnection(self._engine, await greenlet_spawn(_begun, self._engine.sync_engine))
        self._store = SqlEventStore(self._connection, self._source, self._head_hint)
        self.recorded = []
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        connection = self.connection
        try:
            if connection.in_transaction():
                try:
                    await connection.rollback()
                finally:
                    self.events.discarded()  # even if the rollback failed: the transaction is gone, so is its hint
        finally:
            self.events.ended()
            await connection.close()
            self._connection = None
            self._store = None

    async def lock(self, *names: str) -> None:
        await take_locks(self.connection, names)

    async def record(self, batch: NewEvents) -> list[StoredEvent]:
        stored = await self.events.append(batch)
        await self._projection.project(self.connection, stored)
        self.recorded += stored
        return stored

    async def record_many(self, batches: Sequence[NewEvents]) -> list[StoredEvent]:
        """Several streams' batches at once (see :meth:`SqlEventStore.append_many`), then projected."""
        stored = await self.events.append_many(batches)
        await self._projection.project(self.connection, stored)
        self.recorded += stored
        return stored

    async def commit(self) -> None:
        try:
            await self.connection.commit()
        except BaseException:
            self.events.discarded()
            raise
        self.events.committed()
        if self.recorded and self._on_commit is not None:
            self._on_commit()
        if self.recorded and self._counted is not None:
            self._counted(self.recorded)


def _begun(engine: Engine) -> Connection:
    """A connection of the pool with its transaction begun, in one pass through SQLAlchemy's greenlet (connect,
    then begin, were two: about 10 µs of a unit of work's 60 µs of SQLAlchemy)."""
    connection = engine.connect()
    try:
        connection.begin()
    except BaseException:
        connection.close()  # e.g. SQLite stayed locked past its busy timeout: no connection leaks
        raise
    return connection


class UnitOfWork(Protocol):
    """What a command handler needs: the log to read and record, and a commit."""

    @property
    def events(self) -> EventStore: ...

    async def lock(self, *names: str) -> None:
        """Hold the named locks until the transaction ends (see :mod:`thidua_shared.store.locks`): a
        command whose rule reads anything but its own stream takes them before it reads."""

    async def record(self, batch: NewEvents) -> list[StoredEvent]: ...

    async def record_many(self, batches: Sequence[NewEvents]) -> list[StoredEvent]:
        """Several batches in order, all or none, faster than one by one where the store allows it."""

    async def commit(self) -> None: ...


class InMemoryUnitOfWork:
    """A unit of work over :class:`InMemoryEventStore`, for unit tests of command handlers."""

    def __init__(self, source: Source) -> None:
        self.store = InMemoryEventStore(source)
        self.committed: list[StoredEvent] = []
        self.locked: list[str] = []
        self._pending: list[StoredEvent] = []

    @property
    def events(self) -> EventStore:
        return self.store

    async def __aenter__(self) -> InMemoryUnitOfWork:
        self._pending = []
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._pending:
            kept = {event.event_id for event in self._pending}
            self.store.log = [event for event in self.store.log if event.event_id not in kept]
            self._pending = []

    async def lock(self, *names: str) -> None:
        """One command at a time runs in memory: the names are only noted."""
        self.locked += names

    async def record(self, batch: NewEvents) -> list[StoredEvent]:
        stored = await self.store.append(batch)
        self._pending += stored
        return stored

    async def record_many(self, batches: Sequence[NewEvents]) -> list[StoredEvent]:
        return [stored for batch in batches for stored in await self.record(batch)]

    async def commit(self) -> None:
        self.committed += self._pending
        self._pending = []


class BoundUnitOfWork:
    """Records and projects on a connection whose transaction someone else commits (a consumer)."""

    def __init__(self, connection: AsyncConnection, source: Source, projection: Projection) -> None:
        self._connection = connection
        self._source = source
        self._projection = projection

    @property
    def events(self) -> EventStore:
        return SqlEventStore(self._connection, self._source)

    async def lock(self, *names: str) -> None:
        await take_locks(self._connection, names)

    async def record(self, batch: NewEvents) -> list[StoredEvent]:
        stored = await SqlEventStore(self._connection, self._source).append(batch)
        await self._projection.project(self._connection, stored)
        return stored

    async def record_many(self, batches: Sequence[NewEvents]) -> list[StoredEvent]:
        return [stored for batch in batches for stored in await self.record(batch)]

    async def commit(self) -> None:
        """Nothing to do: the owner of the transaction commits."""
