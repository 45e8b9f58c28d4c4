"""Reads of the notifications read model."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters.tables import notifications


async def sent_notifications(connection: AsyncConnection, province: str) -> list[dict[str, Any]]:
    rows = await connection.execute(
        select(notifications).where(notifications.c.province == province)
        .order_by(notifications.c.sent_at, notifications.c.notification_id))
    return [dict(row._mapping) for row in rows]
