"""Read models follow events: a projector routes each event to the function that applies it.

The same functions serve three callers: a command's own unit of work (events just recorded), a
consumer (events from other services, via the inbox) and a replay of the whole log.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncConnection

from thidua_shared.inbox import Handler
from thidua_shared.store.event_store import StoredEvent


class Projector:
    def __init__(self, handlers: Mapping[str, Handler]) -> None:
        self.handlers = handlers

    async def __call__(self, connection: AsyncConnection, events: Sequence[StoredEvent]) -> None:
        for event in events:
            handler = self.handlers.get(event.event_type)
            if handler is not None:
                await handler(connection, event, event.typed())
