"""The notifications read model, and the handlers of the events people are told about."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters.tables import notifications
from notifications.application.handlers import notify
from thidua_contracts import EventPayload
from thidua_contracts.notifications import NotificationSent
from thidua_shared.inbox import Handler
from thidua_shared.projection import Projector
from thidua_shared.store import StoredEvent
from thidua_shared.unit_of_work import BoundUnitOfWork


async def notification_sent(connection: AsyncConnection, event: StoredEvent,
                            payload: EventPayload) -> None:
    assert isinstance(payload, NotificationSent)
    await connection.execute(notifications.insert().values(
        province=event.province, notification_id=payload.notification_id, channel=payload.channel,
        recipient=payload.recipient, template=payload.template, about_event_id=payload.about_event_id,
        text_vi=payload.texts.get("vi", ""), text_en=payload.texts.get("en", ""),
        sent_at=event.recorded_at))


OWN_EVENTS: dict[str, Handler] = {"NotificationSent": notification_sent}
PROJECT = Projector(OWN_EVENTS)


async def on_event(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    await notify(event, payload, BoundUnitOfWork(connection, "notifications", PROJECT))


REGISTRY_EVENTS: dict[str, Handler] = {"ChairElected": on_event, "ViceChairElected": on_event}
AWARDS_EVENTS: dict[str, Handler] = {
    event_type: on_event for event_type in ("AwardProposed", "AwardDecided", "ProposalReturned", "AwardRevoked")}
