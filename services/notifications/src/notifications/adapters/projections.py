"""The notifications read model, and the handlers of the events people are told about."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters.tables import notifications
from notifications.application.handlers import caused_by, notify
from thidua_contracts import EventPayload
from thidua_contracts.awards import AwardDecided, AwardProposed, AwardRevoked, ProposalReturned
from thidua_contracts.notifications import NotificationSent
from thidua_contracts.registry import ChairElected, ViceChairElected
from thidua_shared.projection import Projection
from thidua_shared.repository import AggregateUnitOfWork
from thidua_shared.store import StoredEvent
from thidua_shared.unit_of_work import BoundUnitOfWork

OWN_EVENTS = Projection()
"""The notifications sent, as the read model lists them."""
REGISTRY_EVENTS = Projection()
"""The registry's events people are told about: the elections of a bloc's chair and vice-chair."""
AWARDS_EVENTS = Projection()
"""Awards' events people are told about: a proposal filed, returned, decided or revoked."""


@OWN_EVENTS.handles(NotificationSent)
async def notification_sent(connection: AsyncConnection, event: StoredEvent, payload: NotificationSent) -> None:
    await connection.execute(notifications.insert().values(
        province=event.province, notification_id=payload.notification_id, channel=payload.channel,
        recipient=payload.recipient, template=payload.template, about_event_id=payload.about_event_id,
        text_vi=payload.texts.get("vi", ""), text_en=payload.texts.get("en", ""),
        sent_at=event.recorded_at))




async def on_event(connection: AsyncConnection, event: StoredEvent, payload: EventPayload) -> None:
    """Tell the people concerned (the domain decides who, by the event's class), in the consumer's transaction."""
    consumers_transaction = BoundUnitOfWork(connection, "notifications", OWN_EVENTS)
    await notify(event, payload, AggregateUnitOfWork(consumers_transaction, caused_by(event)))


REGISTRY_EVENTS.handles(ChairElected)(on_event)
REGISTRY_EVENTS.handles(ViceChairElected)(on_event)
for told in (AwardProposed, AwardDecided, ProposalReturned, AwardRevoked):
    AWARDS_EVENTS.handles(told)(on_event)
