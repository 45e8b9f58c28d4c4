"""Load aggregates from the log and save what they recorded: one repository per kind of aggregate.

``await repository.get(id)`` reads the aggregate's stream and applies its events in order (an empty stream
gives a new aggregate, at version 0). ``await uow.save(*aggregates)`` appends each aggregate's pending
events to its stream at the version it was loaded at, all in the command's transaction: if another command
moved one of the streams meanwhile, :class:`~thidua_shared.store.ConcurrencyConflict` and nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from thidua_shared.aggregate import Aggregate
from thidua_shared.context import CommandContext
from thidua_shared.store.event_store import EventStore, NewEvents, StoredEvent
from thidua_shared.unit_of_work import UnitOfWork

A = TypeVar("A", bound=Aggregate)


class Repository(Generic[A]):
    """The aggregates of one kind in a log; ``new(id)`` makes one that nothing has happened to yet."""

    def __init__(self, events: EventStore, new: Callable[[str], A]) -> None:
        self._events = events
        self._new = new

    async def get(self, aggregate_id: str) -> A:
        aggregate = self._new(aggregate_id)
        history = await self._events.read_stream(aggregate.stream_id)
        return aggregate.replay(event.typed() for event in history)


class AggregateUnitOfWork:
    """A command's unit of work: the log's (``inner``: in memory, SQL, or one whose commit waits for an
    idempotency key) with repositories over it, saving aggregates on behalf of ``context``.

    A service's unit of work subclasses it and adds its repositories and read-model ports.
    """

    def __init__(self, inner: UnitOfWork, context: CommandContext) -> None:
        self._inner = inner
        self.context = context
        self._saved: list[StoredEvent] = []
        self.committed: list[StoredEvent] = []
        """What this unit of work saved and committed: a command's answer."""

    @property
    def events(self) -> EventStore:
        return self._inner.events

    def repository(self, new: Callable[[str], A]) -> Repository[A]:
        return Repository(self._inner.events, new)

    async def lock(self, *names: str) -> None:
        """Hold the named locks until the transaction ends (see :meth:`UnitOfWork.lock`)."""
        await self._inner.lock(*names)

    async def save(self, *aggregates: Aggregate) -> list[StoredEvent]:
        """Record the pending events of each aggregate, one batch per aggregate in the order given."""
        batches = [self._batch(aggregate) for aggregate in aggregates if aggregate.pending]
        if not batches:
            return []
        if len(batches) == 1:
            stored = await self._inner.record(batches[0])
        else:
            stored = await self._inner.record_many(batches)
        for aggregate in aggregates:
            aggregate.mark_saved()
        self._saved += stored
        return stored

    async def commit(self) -> None:
        await self._inner.commit()
        self.committed += self._saved
        self._saved = []

    def _batch(self, aggregate: Aggregate) -> NewEvents:
        return NewEvents(province=aggregate.province, stream_id=aggregate.stream_id,
                         expected_version=aggregate.saved_version, payloads=aggregate.pending,
                         actor=self.context.actor, correlation_id=self.context.correlation_id,
                         causation_id=self.context.causation_id)
