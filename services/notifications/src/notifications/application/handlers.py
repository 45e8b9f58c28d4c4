"""Notify on events of other services: deliver on the channel, then record ``NotificationSent``; change a
province's settings of who hears what."""

from __future__ import annotations

import structlog

from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.commands import ChangeNotificationSettings
from notifications.domain.model import Message, Notification
from thidua_contracts.envelope import Actor
from thidua_shared.context import CommandContext
from thidua_shared.repository import AggregateUnitOfWork
from thidua_shared.store import StoredEvent

log = structlog.get_logger(__name__)
SYSTEM = Actor(id="notifications", role="system")


def caused_by(event: StoredEvent) -> CommandContext:
    """A notification is the system's act, in the province of the event it tells about, caused by that event
    and in its correlation (so a request's correlation id follows the chain)."""
    return CommandContext(event.province, SYSTEM, event.correlation_id, causation_id=event.event_id)


async def notify(event: StoredEvent, message: Message | None, uow: AggregateUnitOfWork) -> None:
    """The log channel: ``message`` (worded from the directory, None when nobody is told about the event) is
    written to the service log in both languages. ``uow`` saves in the consumer's transaction, which the
    consumer commits."""
    if message is None:
        return
    notification = Notification(event.province)
    notification.send(message, event.event_id)
    log.info("notification.sent", channel=notification.channel, recipient=message.recipient,
             text_vi=message.text["vi"], text_en=message.text["en"], about=event.event_id)
    await uow.save(notification)


async def change_notification_settings(command: ChangeNotificationSettings, context: CommandContext,
                                       uow: NotificationsUnitOfWork) -> None:
    settings = await uow.settings.get(context.province)
    settings.change(command)
    await uow.save(settings)
    await uow.commit()
