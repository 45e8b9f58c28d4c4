"""The notifications read model, and the handlers of the events people are told about."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters.deliveries import (
    attempted,
    queue_mails,
    queue_webhooks,
    subscription_became,
    subscription_created,
)
from notifications.adapters.directory import DIRECTORY
from notifications.adapters.mail import log_message, mails_about
from notifications.adapters.queries import told_about, unit_known
from notifications.adapters.settings_store import settings_changed, settings_for
from notifications.adapters.tables import notifications
from notifications.adapters.waiting import units_named, wait_for_unit, waiting_on
from notifications.application.handlers import caused_by, notify
from notifications.domain.recipients import KIND_OF
from thidua_contracts import EVENT_MODELS, EventPayload
from thidua_contracts.envelope import Source
from thidua_contracts.notifications import (
    NotificationFailed,
    NotificationSent,
    NotificationSettingsChanged,
    RedeliveryRequested,
    SubscriptionCreated,
    SubscriptionPaused,
    SubscriptionResumed,
    SubscriptionRevoked,
)
from thidua_contracts.registry import UnitRegistered
from thidua_shared.projection import Projection
from thidua_shared.repository import AggregateUnitOfWork
from thidua_shared.store import StoredEvent
from thidua_shared.unit_of_work import BoundUnitOfWork

OWN_EVENTS = Projection()
"""The notifications sent, as the read model lists them."""
REGISTRY_EVENTS = Projection()
"""The registry's events the directory follows or people are told about."""
AWARDS_EVENTS = Projection()
"""Awards' events the directory follows or people are told about."""
SCORING_EVENTS = Projection()
"""Scoring's events people are told about: a ranking published."""


@OWN_EVENTS.handles(NotificationSent)
async def notification_sent(connection: AsyncConnection, event: StoredEvent, payload: NotificationSent) -> None:
    await attempted(connection, event, payload)
    if payload.channel != "log":
        return  # an e-mail or a webhook delivered: the delivery log holds it, the words were told once already
    await connection.execute(notifications.delete().where(
        notifications.c.province == event.province, notifications.c.notification_id == payload.notification_id))
    await connection.execute(notifications.insert().values(
        province=event.province, notification_id=payload.notification_id, channel=payload.channel,
        recipient=payload.recipient, template=payload.template, about_event_id=payload.about_event_id,
        text_vi=payload.texts.get("vi", ""), text_en=payload.texts.get("en", ""),
        sent_at=event.recorded_at))


OWN_EVENTS.handles(NotificationSettingsChanged)(settings_changed)
OWN_EVENTS.handles(NotificationFailed)(attempted)
OWN_EVENTS.handles(SubscriptionCreated)(subscription_created)
OWN_EVENTS.handles(SubscriptionRevoked)(subscription_became("revoked"))
OWN_EVENTS.handles(SubscriptionPaused)(subscription_became("paused"))
OWN_EVENTS.handles(SubscriptionResumed)(subscription_became("active"))


async def on_event(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    """Follow the directory, queue the event for the subscriptions that asked for it, then tell the people
    concerned (the domain decides who, by the event's class), in words the directory gives, all in the consumer's
    transaction; a unit the directory learns of now releases the events that waited for it."""
    await DIRECTORY.apply(connection, event, payload)
    await queue_webhooks(connection, event)
    await tell(connection, event, payload)
    if isinstance(payload, UnitRegistered):
        for waited in await waiting_on(connection, event.province, payload.unit_id):
            await tell(connection, waited, waited.typed())


async def tell(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    """Tell of the event once, when the directory knows every unit its message names (else it waits)."""
    if type(payload) not in KIND_OF or await told_about(connection, event.province, event.event_id):
        return
    for unit_id in units_named(payload):
        if not await unit_known(connection, event.province, unit_id):
            await wait_for_unit(connection, event, unit_id)
            return
    consumers_transaction = BoundUnitOfWork(connection, "notifications", OWN_EVENTS)
    message = await log_message(connection, event, payload)
    await notify(event, message, AggregateUnitOfWork(consumers_transaction, caused_by(event)))
    await queue_mails(connection, event, await mails_about(connection, event, payload,
                                                           await settings_for(connection, event.province)))


@OWN_EVENTS.handles(RedeliveryRequested)
async def redelivery_requested(_connection: AsyncConnection, _event: StoredEvent,
                               _payload: RedeliveryRequested) -> None:
    """No read model shows it but the subscription's history: what it did (the queue taking deliveries back) was
    done by its command, and a replay must not do it again."""


FOLLOWED: dict[Source, Projection] = {"registry": REGISTRY_EVENTS, "awards": AWARDS_EVENTS,
                                      "scoring": SCORING_EVENTS}
for followed in EVENT_MODELS.values():
    if followed.source in FOLLOWED:
        FOLLOWED[followed.source].handles(followed)(on_event)
