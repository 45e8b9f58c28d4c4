"""Notify on events of other services: deliver on the channel, then record ``NotificationSent``; change a
province's settings of who hears what."""

from __future__ import annotations

import structlog

from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.commands import (
    ChangeNotificationSettings,
    CreateSubscription,
    PauseSubscription,
    RequestRedelivery,
    ResumeSubscription,
    RevokeSubscription,
)
from notifications.domain.model import Message, Notification, notification_id
from thidua_contracts.envelope import Actor
from thidua_shared.command_runner import Handler
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
    notification = Notification(event.province, notification_id(event.event_id, "log", message.recipient))
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


def subscriber_of(context: CommandContext) -> str | None:
    """Whose subscriptions the caller acts on: a subscriber's own; an admin's, all of the province (None)."""
    return None if context.actor.role == "admin" else context.actor.id


def create_subscription(subscriber_name: str) -> Handler[CreateSubscription, NotificationsUnitOfWork]:
    """The handler creating a subscription for the caller, named as its token is (e.g. "Cổng thông tin điện tử
    tỉnh Hà Nam")."""

    async def create(command: CreateSubscription, context: CommandContext, uow: NotificationsUnitOfWork) -> None:
        subscription = await uow.subscriptions.get(command.subscription_id)
        subscription.create(command, context.actor.id, subscriber_name, context.province)
        await uow.save(subscription)
        await uow.commit()

    return create


async def revoke_subscription(command: RevokeSubscription, context: CommandContext,
                              uow: NotificationsUnitOfWork) -> None:
    subscription = await uow.subscriptions.get(command.subscription_id)
    subscription.check_owner(subscriber_of(context))
    subscription.revoke()
    await uow.save(subscription)
    await uow.commit()


async def pause_subscription(command: PauseSubscription, context: CommandContext,
                             uow: NotificationsUnitOfWork) -> None:
    subscription = await uow.subscriptions.get(command.subscription_id)
    subscription.check_owner(subscriber_of(context))
    subscription.pause()
    await uow.save(subscription)
    await uow.commit()


async def resume_subscription(command: ResumeSubscription, context: CommandContext,
                              uow: NotificationsUnitOfWork) -> None:
    subscription = await uow.subscriptions.get(command.subscription_id)
    subscription.check_owner(subscriber_of(context))
    subscription.resume()
    await uow.save(subscription)
    await uow.commit()


async def request_redelivery(command: RequestRedelivery, context: CommandContext,
                             uow: NotificationsUnitOfWork) -> None:
    """Take the deliveries back into the queue and record the request, in one transaction."""
    subscription = await uow.subscriptions.get(command.subscription_id)
    subscription.check_owner(subscriber_of(context))
    taken = await uow.queue.requeue(context.province, command.subscription_id, command.from_position)
    subscription.redeliver(command.from_position, taken)
    await uow.save(subscription)
    await uow.commit()
