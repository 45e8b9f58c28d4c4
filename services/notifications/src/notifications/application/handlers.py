"""Notify on events of other services: deliver on the channel, then record ``NotificationSent``."""

from __future__ import annotations

import structlog

from notifications.domain.model import message_about, notification_stream, sent
from thidua_contracts import EventPayload
from thidua_contracts.envelope import Actor
from thidua_shared.store import NewEvents, StoredEvent
from thidua_shared.unit_of_work import UnitOfWork

log = structlog.get_logger(__name__)
SYSTEM = Actor(id="notifications", role="system")


async def notify(event: StoredEvent, payload: EventPayload, uow: UnitOfWork) -> list[StoredEvent]:
    """The log channel: the message is written to the service log in both languages."""
    message = message_about(payload)
    if message is None:
        return []
    notification = sent(message, event.event_id)
    log.info("notification.sent", channel=notification.channel, recipient=message.recipient,
             text_vi=message.text["vi"], text_en=message.text["en"], about=event.event_id)
    return await uow.record(NewEvents(
        province=event.province, stream_id=notification_stream(event.province, notification.notification_id),
        expected_version=0, payloads=[notification], actor=SYSTEM,
        correlation_id=event.correlation_id, causation_id=event.event_id))
