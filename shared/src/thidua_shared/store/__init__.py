"""The event store: one append-only, hash-chained log per service, behind one interface."""

from thidua_shared.store.event_store import (
    ConcurrencyConflict,
    EventStore,
    ForeignEvent,
    InMemoryEventStore,
    LogHead,
    NewEvents,
    SqlEventStore,
    StoredEvent,
)

__all__ = [
    "ConcurrencyConflict",
    "EventStore",
    "ForeignEvent",
    "InMemoryEventStore",
    "LogHead",
    "NewEvents",
    "SqlEventStore",
    "StoredEvent",
]
