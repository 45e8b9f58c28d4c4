"""The delivery queue, the subscriptions and the attempts (schema owned by ``notifications.migrations``).

``deliveries`` is the queue: one row per notification (an e-mail to one address, an event to one subscription),
queued in the consumer's transaction that read the event, so a crash loses none and a duplicate of the event
queues nothing more (the row's key is the notification's id, derived from the event and the recipient). Its
``position`` orders the deliveries of a lane (one subscription, one address): a stream's events are read in
order, so they are delivered in order. The queue is the worker's state, not a read model: a replay leaves it
alone, and reading the topics again queues nothing that is already there.

``webhook_subscriptions`` and ``delivery_attempts`` are read models of the service's own events.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from notifications.adapters.mail import OutgoingMail
from notifications.adapters.tables import metadata
from notifications.domain.model import notification_id
from thidua_contracts.notifications import (
    NotificationFailed,
    NotificationSent,
    SubscriptionCreated,
    SubscriptionPaused,
    SubscriptionResumed,
    SubscriptionRevoked,
)
from thidua_contracts.wire import wire
from thidua_shared.store import StoredEvent

deliveries = Table(
    "deliveries", metadata,
    Column("position", Integer, primary_key=True, autoincrement=True),
    Column("province", String(8), nullable=False),
    Column("notification_id", String(36), nullable=False, unique=True),
    Column("channel", String(10), nullable=False),
    Column("lane", String(400), nullable=False),
    Column("subscription_id", String(100)),
    Column("recipient", String(2000), nullable=False),
    Column("template", String(100), nullable=False),
    Column("about_event_id", String(36), nullable=False),
    Column("stream_id", String(300), nullable=False),
    Column("correlation_id", String(100), nullable=False),
    Column("content", Text, nullable=False),
    Column("status", String(12), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=False),
    Column("last_status_code", Integer),
    Column("queued_at", String(32), nullable=False),
    Column("delivered_at", String(32)),
    Index("ix_deliveries_lane", "status", "lane", "position"),
)
"""``status``: ``pending`` (to be delivered, or being retried), ``delivered``, ``dead`` (the dead-letter list)."""

webhook_subscriptions = Table(
    "webhook_subscriptions", metadata,
    Column("province", String(8), primary_key=True),
    Column("subscription_id", String(100), primary_key=True),
    Column("subscriber", String(100), nullable=False),
    Column("subscriber_name", String(300), nullable=False),
    Column("url", String(2000), nullable=False),
    Column("event_types", Text, nullable=False),
    Column("provinces", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("changed_at", String(32), nullable=False),
)

delivery_attempts = Table(
    "delivery_attempts", metadata,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("province", String(8), nullable=False),
    Column("notification_id", String(36), nullable=False, index=True),
    Column("channel", String(10), nullable=False),
    Column("recipient", String(2000), nullable=False),
    Column("subscription_id", String(100), index=True),
    Column("about_event_id", String(36), nullable=False, index=True),
    Column("attempt", Integer, nullable=False),
    Column("outcome", String(12), nullable=False),
    Column("status_code", Integer),
    Column("latency_ms", Integer),
    Column("error", Text, nullable=False),
    Column("at", String(32), nullable=False),
)
"""Every attempt, as the ``NotificationSent``/``NotificationFailed`` events record it (``position`` is the
event's): ``outcome`` ``delivered``, ``failed`` (to be retried) or ``dead_lettered``."""

DELIVERED_CHANNELS = ("email", "webhook")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


async def _queue(connection: AsyncConnection, event: StoredEvent, **row: Any) -> bool:
    found = await connection.execute(select(deliveries.c.position).where(
        deliveries.c.notification_id == row["notification_id"]).limit(1))
    if found.first() is not None:
        return False
    await connection.execute(insert(deliveries).values(
        province=event.province, about_event_id=event.event_id, stream_id=event.stream_id,
        correlation_id=event.correlation_id, status="pending", attempts=0, last_error="",
        queued_at=now(), **row))
    return True


async def queue_mails(connection: AsyncConnection, event: StoredEvent, mails: list[OutgoingMail]) -> int:
    """Queue each mail once (its id derives from the event and the address)."""
    queued = 0
    for mail in mails:
        queued += await _queue(connection, event, notification_id=mail.notification_id, channel="email",
                               lane=f"email:{mail.to_address.lower()}", subscription_id=None,
                               recipient=mail.to_address, template=mail.template,
                               content=json.dumps(asdict(mail), ensure_ascii=False))
    return queued


async def queue_webhooks(connection: AsyncConnection, event: StoredEvent) -> int:
    """Queue the event, its envelope exactly as published, to every live subscription that asked for its type
    in its province (a paused one keeps it waiting in order)."""
    rows = await connection.execute(select(webhook_subscriptions).where(
        webhook_subscriptions.c.status != "revoked"))
    queued = 0
    for row in rows:
        if event.event_type not in json.loads(row.event_types) or event.province not in json.loads(row.provinces):
            continue
        queued += await _queue(
            connection, event, notification_id=notification_id(event.event_id, "webhook", row.subscription_id),
            channel="webhook", lane=f"webhook:{row.province}:{row.subscription_id}",
            subscription_id=row.subscription_id, recipient=row.url, template=event.event_type,
            content=wire(event.body, event.hash).decode())
    return queued


def _live_lane() -> Any:
    """A delivery whose lane may go on: an e-mail, or a webhook of an active subscription."""
    return or_(deliveries.c.subscription_id.is_(None), select(webhook_subscriptions.c.subscription_id).where(
        webhook_subscriptions.c.province == deliveries.c.province,
        webhook_subscriptions.c.subscription_id == deliveries.c.subscription_id,
        webhook_subscriptions.c.status == "active").exists())


async def lanes_due(connection: AsyncConnection) -> list[str]:
    rows = await connection.execute(select(deliveries.c.lane).where(
        deliveries.c.status == "pending", _live_lane()).distinct())
    return [str(row.lane) for row in rows]


async def next_in_lane(connection: AsyncConnection, lane: str) -> Any:
    """The lane's oldest pending delivery, if its lane may go on."""
    return (await connection.execute(select(deliveries).where(
        deliveries.c.lane == lane, deliveries.c.status == "pending", _live_lane())
        .order_by(deliveries.c.position).limit(1))).first()


async def lane_goes_on(connection: AsyncConnection, position: int) -> bool:
    found = await connection.execute(select(deliveries.c.position).where(
        deliveries.c.position == position, deliveries.c.status == "pending", _live_lane()))
    return found.first() is not None


async def mark(connection: AsyncConnection, position: int, status: str, attempts: int, error: str,
               status_code: int | None) -> None:
    await connection.execute(update(deliveries).where(deliveries.c.position == position).values(
        status=status, attempts=attempts, last_error=error, last_status_code=status_code,
        delivered_at=now() if status == "delivered" else None))


async def requeue(connection: AsyncConnection, province: str, subscription_id: str, from_position: int) -> int:
    """Take the subscription's deliveries from ``from_position`` on back into the queue (attempts counted anew);
    how many."""
    taken = await connection.execute(update(deliveries).where(
        deliveries.c.province == province, deliveries.c.subscription_id == subscription_id,
        deliveries.c.position >= from_position).values(status="pending", attempts=0, last_error=""))
    return int(taken.rowcount or 0)


class SqlDeliveryQueue:
    """The application's :class:`~notifications.application.unit_of_work.DeliveryQueue`, in the command's
    transaction."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def requeue(self, province: str, subscription_id: str, from_position: int) -> int:
        return await requeue(self._connection, province, subscription_id, from_position)


async def subscription_created(connection: AsyncConnection, event: StoredEvent,
                               payload: SubscriptionCreated) -> None:
    await connection.execute(delete(webhook_subscriptions).where(
        webhook_subscriptions.c.province == event.province,
        webhook_subscriptions.c.subscription_id == payload.subscription_id))
    await connection.execute(insert(webhook_subscriptions).values(
        province=event.province, subscription_id=payload.subscription_id, subscriber=payload.subscriber,
        subscriber_name=payload.subscriber_name, url=payload.url, event_types=json.dumps(payload.event_types),
        provinces=json.dumps(payload.provinces), status="active", created_at=event.recorded_at,
        changed_at=event.recorded_at))


def subscription_became(status: str) -> Any:
    async def changed(connection: AsyncConnection, event: StoredEvent,
                      payload: SubscriptionRevoked | SubscriptionPaused | SubscriptionResumed) -> None:
        await connection.execute(update(webhook_subscriptions).where(
            webhook_subscriptions.c.province == event.province,
            webhook_subscriptions.c.subscription_id == payload.subscription_id).values(
            status=status, changed_at=event.recorded_at))

    return changed


async def attempted(connection: AsyncConnection, event: StoredEvent,
                    payload: NotificationSent | NotificationFailed) -> None:
    if payload.channel not in DELIVERED_CHANNELS:
        return
    if isinstance(payload, NotificationSent):
        outcome, error = "delivered", ""
    else:
        outcome, error = ("dead_lettered" if payload.dead_lettered else "failed"), payload.error
    await connection.execute(insert(delivery_attempts).values(
        position=event.position, province=event.province, notification_id=payload.notification_id,
        channel=payload.channel, recipient=payload.recipient, subscription_id=payload.subscription_id,
        about_event_id=payload.about_event_id, attempt=payload.attempts, outcome=outcome,
        status_code=payload.status_code, latency_ms=payload.latency_ms, error=error, at=event.recorded_at))


async def subscriptions_of(connection: AsyncConnection, province: str,
                           subscriber: str | None) -> list[dict[str, Any]]:
    """The province's subscriptions (a subscriber's own only, when ``subscriber`` is given)."""
    query = select(webhook_subscriptions).where(webhook_subscriptions.c.province == province)
    if subscriber is not None:
        query = query.where(webhook_subscriptions.c.subscriber == subscriber)
    rows = await connection.execute(query.order_by(webhook_subscriptions.c.created_at))
    return [_subscription(row) for row in rows]


def _subscription(row: Any) -> dict[str, Any]:
    found = dict(row._mapping)
    found["event_types"], found["provinces"] = json.loads(found["event_types"]), json.loads(found["provinces"])
    return found


async def delivery_list(connection: AsyncConnection, province: str, *, subscriptions: list[str] | None,
                        status: str | None = None, recipient: str | None = None,
                        about_event_id: str | None = None, after: int = 0, limit: int = 100) -> list[dict[str, Any]]:
    """Deliveries by position, filtered; ``subscriptions`` None: every channel (an admin), else only those
    subscriptions' webhooks (a subscriber)."""
    query = select(deliveries).where(deliveries.c.province == province, deliveries.c.position > after)
    if subscriptions is not None:
        query = query.where(deliveries.c.subscription_id.in_(subscriptions))
    if status is not None:
        query = query.where(deliveries.c.status == status)
    if recipient is not None:
        query = query.where(or_(deliveries.c.recipient == recipient, deliveries.c.subscription_id == recipient))
    if about_event_id is not None:
        query = query.where(deliveries.c.about_event_id == about_event_id)
    rows = await connection.execute(query.order_by(deliveries.c.position).limit(limit))
    found = [{key: value for key, value in row._mapping.items() if key not in ("content", "lane")} for row in rows]
    if not found:
        return found
    attempts = await connection.execute(select(delivery_attempts).where(
        delivery_attempts.c.notification_id.in_([row["notification_id"] for row in found]))
        .order_by(delivery_attempts.c.position))
    by_notification: dict[str, list[dict[str, Any]]] = {}
    for attempt in attempts:
        by_notification.setdefault(str(attempt.notification_id), []).append(
            {key: attempt._mapping[key] for key in ("attempt", "outcome", "status_code", "latency_ms", "error",
                                                    "at")})
    for row in found:
        row["history"] = by_notification.get(row["notification_id"], [])
    return found
