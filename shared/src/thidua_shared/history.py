"""An aggregate's history as the log keeps it: every event of its streams, with positions and the hash chain, so
that an auditor can check each one against the log (``GET .../log``) and the signed checkpoints."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection

from thidua_contracts.envelope import Source
from thidua_shared.store.event_store import SqlEventStore, StoredEvent


class LoggedEvent(BaseModel):
    """An event of a stream as the log keeps it, with its hash chain."""

    position: int
    event_id: str
    event_type: str
    stream_id: str
    stream_version: int
    occurred_at: str
    recorded_at: str
    actor: dict[str, Any]
    correlation_id: str
    causation_id: str | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str


def logged(event: StoredEvent) -> dict[str, Any]:
    """The event as :class:`LoggedEvent` shows it (its payload read through the contract's upcasters)."""
    return {"position": event.position, "event_id": event.event_id, "event_type": event.event_type,
            "stream_id": event.stream_id, "stream_version": event.stream_version,
            "occurred_at": event.occurred_at, "recorded_at": event.recorded_at, "actor": event.actor,
            "correlation_id": event.correlation_id, "causation_id": event.causation_id,
            "payload": event.typed().model_dump(mode="json"), "prev_hash": event.prev_hash, "hash": event.hash}


async def history(connection: AsyncConnection, source: Source, *stream_ids: str) -> list[dict[str, Any]]:
    """Every event of the streams, in the order the log recorded them."""
    store = SqlEventStore(connection, source)
    stored = [event for stream_id in stream_ids for event in await store.read_stream(stream_id)]
    return [logged(event) for event in sorted(stored, key=lambda event: event.position)]
