"""Reads of the notifications read model."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters.directory import directory_units
from notifications.adapters.tables import notifications


async def sent_notifications(connection: AsyncConnection, province: str) -> list[dict[str, Any]]:
    rows = await connection.execute(
        select(notifications).where(notifications.c.province == province)
        .order_by(notifications.c.sent_at, notifications.c.notification_id))
    return [dict(row._mapping) for row in rows]


async def told_about(connection: AsyncConnection, province: str, event_id: str) -> bool:
    """Whether the log channel already told about the event (its topic read again after a replay)."""
    found = await connection.execute(select(notifications.c.notification_id).where(
        notifications.c.province == province, notifications.c.about_event_id == event_id,
        notifications.c.channel == "log").limit(1))
    return found.first() is not None


async def unit_known(connection: AsyncConnection, province: str, unit_id: str) -> bool:
    """Whether the directory has learnt of the unit from the registry."""
    found = await connection.execute(select(directory_units.c.unit_id).where(
        directory_units.c.province == province, directory_units.c.unit_id == unit_id).limit(1))
    return found.first() is not None
