"""The province's settings of who hears what, as the last ``NotificationSettingsChanged`` states them
(schema owned by ``notifications.migrations``)."""

from __future__ import annotations

from sqlalchemy import Column, String, Table, Text, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters.tables import metadata
from notifications.domain.recipients import NotificationSettings
from notifications.domain.settings import settings_of
from thidua_contracts.notifications import NotificationSettingsChanged
from thidua_shared.store import StoredEvent

notification_settings = Table(
    "notification_settings", metadata,
    Column("province", String(8), primary_key=True),
    Column("body", Text, nullable=False),
    Column("changed_at", String(32), nullable=False),
)


async def settings_changed(connection: AsyncConnection, event: StoredEvent,
                           payload: NotificationSettingsChanged) -> None:
    await connection.execute(delete(notification_settings).where(notification_settings.c.province == event.province))
    await connection.execute(insert(notification_settings).values(
        province=event.province, body=payload.model_dump_json(), changed_at=event.recorded_at))


async def settings_in_force(connection: AsyncConnection, province: str) -> tuple[NotificationSettings, str | None]:
    """The settings in force and when they were last changed: those last stated, or the defaults (nobody on
    the province's staff yet) and None."""
    row = (await connection.execute(select(notification_settings.c.body, notification_settings.c.changed_at)
                                    .where(notification_settings.c.province == province))).first()
    if row is None:
        return NotificationSettings(), None
    return settings_of(NotificationSettingsChanged.model_validate_json(row.body)), str(row.changed_at)


async def settings_for(connection: AsyncConnection, province: str) -> NotificationSettings:
    """The settings in force (see :func:`settings_in_force`)."""
    return (await settings_in_force(connection, province))[0]
