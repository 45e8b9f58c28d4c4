"""Events that wait for the directory before they are told.

A topic keeps order within a stream only: a unit's registration and the election of that unit as a bloc's chair
travel on different partitions, and a consumer that starts late (or reads its topics again after a replay) may
read the election first. A message worded then would name "(a unit not yet in the directory)". Such an event waits
here, in the consumer's transaction, and is told when the directory learns of the unit it names.
"""

from __future__ import annotations

from sqlalchemy import Column, String, Table, Text, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters.tables import metadata
from thidua_contracts import EventPayload
from thidua_shared.store import StoredEvent

waiting_events = Table(
    "waiting_events", metadata,
    Column("province", String(8), primary_key=True),
    Column("event_id", String(36), primary_key=True),
    Column("unit_id", String(100), nullable=False, index=True),
    Column("body", Text, nullable=False),
    Column("hash", String(64), nullable=False),
)
"""An event to tell once the directory knows ``unit_id``: its body as stored by its source, and its hash."""


def units_named(payload: EventPayload) -> list[str]:
    """The units a message about ``payload`` names: its unit, and the units a vote honoured."""
    unit_id, honoured = getattr(payload, "unit_id", None), getattr(payload, "honoured", None)
    named = [unit_id] if isinstance(unit_id, str) else []
    return [*named, *(str(each) for each in honoured)] if isinstance(honoured, list) else named


async def wait_for_unit(connection: AsyncConnection, event: StoredEvent, unit_id: str) -> None:
    await connection.execute(delete(waiting_events).where(
        waiting_events.c.province == event.province, waiting_events.c.event_id == event.event_id))
    await connection.execute(insert(waiting_events).values(
        province=event.province, event_id=event.event_id, unit_id=unit_id, body=event.body.decode(),
        hash=event.hash))


async def waiting_on(connection: AsyncConnection, province: str, unit_id: str) -> list[StoredEvent]:
    """The events that waited for ``unit_id``, taken off the list (the caller tells them in its transaction)."""
    rows = (await connection.execute(select(waiting_events.c.body, waiting_events.c.hash).where(
        waiting_events.c.province == province, waiting_events.c.unit_id == unit_id))).all()
    await connection.execute(delete(waiting_events).where(
        waiting_events.c.province == province, waiting_events.c.unit_id == unit_id))
    return [StoredEvent.from_body(str(row.body), str(row.hash)) for row in rows]
