"""Read models follow events: a projection names, per event class, the function that applies it.

The same projection serves three callers: a command's own unit of work (events just recorded), a
consumer (events from other services, via the inbox) and a replay of the whole log. An event goes to the
handler of its exact class (``type(payload)``): the contract's events are siblings, none a kind of
another, so there is no order in which to try them.

```
REGISTRY_EVENTS = Projection()

@REGISTRY_EVENTS.handles(UnitRenamed)
async def unit_renamed(connection: AsyncConnection, event: StoredEvent, payload: UnitRenamed) -> None: ...
```

mypy checks that the handler takes the payload of the class it is registered for.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from itertools import groupby
from typing import Any, TypeAlias, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from thidua_contracts import EVENT_MODELS, EventPayload
from thidua_shared.store.event_store import StoredEvent

E = TypeVar("E", bound=EventPayload)

Handler: TypeAlias = Callable[[AsyncConnection, StoredEvent, E], Awaitable[None]]
"""Applies one event of class ``E`` to the read models, on the caller's connection."""
RunHandler: TypeAlias = Callable[[AsyncConnection, Sequence[tuple[StoredEvent, E]]], Awaitable[None]]
"""Applies a run of events of class ``E`` at once (one statement for many rows, as a bulk import needs)."""

_Run = Sequence[tuple[StoredEvent, Any]]


class Projection:
    """The handlers of one read model's events, one per event class of the contract."""

    def __init__(self) -> None:
        self._runs: dict[type[EventPayload], Callable[[AsyncConnection, _Run], Awaitable[None]]] = {}

    def handles(self, event_class: type[E]) -> Callable[[Handler[E]], Handler[E]]:
        """Register the decorated function for the events of ``event_class``."""

        def register(handler: Handler[E]) -> Handler[E]:
            async def each(connection: AsyncConnection, run: _Run) -> None:
                for event, payload in run:
                    await handler(connection, event, payload)

            self._register(event_class, each)
            return handler

        return register

    def handles_runs(self, event_class: type[E]) -> Callable[[RunHandler[E]], RunHandler[E]]:
        """Register the decorated function for runs of events of ``event_class``: consecutive events of
        that class come to it together, and a single event as a run of one: a single way to apply them,
        whoever calls."""

        def register(handler: RunHandler[E]) -> RunHandler[E]:
            self._register(event_class, handler)
            return handler

        return register

    def _register(self, event_class: type[EventPayload],
                  run_handler: Callable[[AsyncConnection, _Run], Awaitable[None]]) -> None:
        if EVENT_MODELS.get(event_class.__name__) is not event_class:
            raise ValueError(f"{event_class.__name__} is not an event of the contract")
        if event_class in self._runs:
            raise ValueError(f"{event_class.__name__} already has a handler in this projection")
        self._runs[event_class] = run_handler

    def applies_to(self, event_class: type[EventPayload]) -> bool:
        return event_class in self._runs

    def wants(self, event_type: str) -> bool:
        """Whether it has a handler for ``event_type``, the contract's name of an event class (a reader
        reads into their models only the events some handler takes)."""
        return EVENT_MODELS.get(event_type) in self._runs

    async def apply(self, connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
        """Apply one event, if this projection has a handler for its class."""
        await self.apply_run(connection, [(event, payload)])

    async def apply_run(self, connection: AsyncConnection, run: Sequence[tuple[StoredEvent, EventPayload]]) -> None:
        """Apply a run of events of one class, if this projection has a handler for it."""
        if not run:
            return
        event_class = type(run[0][1])
        if any(type(payload) is not event_class for _, payload in run):
            raise ValueError("a run holds events of one class")
        run_handler = self._runs.get(event_class)
        if run_handler is not None:
            await run_handler(connection, run)

    async def project(self, connection: AsyncConnection, events: Sequence[StoredEvent]) -> None:
        """Apply stored events in order, each run of one type at once; events of classes this projection
        does not handle are not even read into their models."""
        for event_type, run in groupby(events, key=lambda event: event.event_type):
            if EVENT_MODELS.get(event_type) in self._runs:
                await self.apply_run(connection, [(event, event.typed()) for event in run])
