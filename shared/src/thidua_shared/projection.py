"""Read models follow events: a projector routes each event to the function that applies it.

The same functions serve three callers: a command's own unit of work (events just recorded), a
consumer (events from other services, via the inbox) and a replay of the whole log.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from itertools import groupby

from sqlalchemy.ext.asyncio import AsyncConnection

from thidua_contracts import EventPayload
from thidua_shared.inbox import Handler
from thidua_shared.store.event_store import StoredEvent

BulkHandler = Callable[[AsyncConnection, Sequence[tuple[StoredEvent, EventPayload]]], Awaitable[None]]


class Batched:
    """A handler that applies a run of events of its type at once (one statement for many rows, as a bulk
    import needs), and one event as a run of one: a single way to apply them, whoever calls."""

    def __init__(self, bulk: BulkHandler) -> None:
        self.bulk = bulk

    async def __call__(self, connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
        await self.bulk(connection, [(event, payload)])


class Projector:
    def __init__(self, handlers: Mapping[str, Handler]) -> None:
        self.handlers = handlers

    async def __call__(self, connection: AsyncConnection, events: Sequence[StoredEvent]) -> None:
        for event_type, run in groupby(events, key=lambda event: event.event_type):
            handler = self.handlers.get(event_type)
            if isinstance(handler, Batched):
                await handler.bulk(connection, [(event, event.typed()) for event in run])
            elif handler is not None:
                for event in run:
                    await handler(connection, event, event.typed())
