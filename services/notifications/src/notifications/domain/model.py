"""A notification: one message to one recipient (a person's address, a subscription's URL) about one event, in a
stream of its own that records each attempt to deliver it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from thidua_contracts.notifications import Channel, NotificationFailed, NotificationSent
from thidua_shared.aggregate import Aggregate, applies


@dataclass(frozen=True)
class Message:
    """A message as the log channel records it: its kind, to whom (by name), its words by language."""

    template: str
    recipient: str
    text: dict[str, str]


@dataclass(frozen=True)
class Attempt:
    """What one attempt to deliver got: the receiver's code (HTTP status, SMTP reply), how long it took, and why it
    failed (empty when it was delivered)."""

    status_code: int | None
    latency_ms: int
    error: str = ""
    permanent: bool = False
    """The receiver refused for good (an SMTP 5xx): no retry will change its answer."""


@dataclass(frozen=True)
class Delivery:
    """What is to be delivered: the notification's id (derived from the event and the recipient, so the same
    for every retry and every duplicate of the event), to whom, by which channel, about which event."""

    notification_id: str
    channel: Channel
    recipient: str
    template: str
    about_event_id: str
    subscription_id: str | None = None


NOTIFICATIONS = uuid.UUID("6c7a1f0e-3f1b-5e0a-9a8d-2f6b1c4e7d10")
"""The namespace of notification ids (uuid5)."""


def notification_id(event_id: str, channel: str, recipient: str) -> str:
    """The same for the same event, channel and recipient (an address compared without case; a webhook's
    recipient is its subscription's id)."""
    return str(uuid.uuid5(NOTIFICATIONS, f"{event_id}\n{channel}\n{recipient.lower()}"))


def notification_stream(province: str, notification_id: str) -> str:
    return f"notification:{province}:{notification_id}"


class Notification(Aggregate):
    """One notification and the attempts at it."""

    def __init__(self, province: str, notification_id: str) -> None:
        super().__init__(notification_stream(province, notification_id), province)
        self.notification_id = notification_id
        self.channel = ""
        self.failures = 0

    @applies(NotificationSent)
    def _sent(self, event: NotificationSent) -> None:
        self.channel = event.channel
        self.failures = 0

    @applies(NotificationFailed)
    def _failed(self, event: NotificationFailed) -> None:
        self.channel = event.channel
        self.failures = event.attempts

    def send(self, message: Message, about_event_id: str) -> None:
        """Record the message as told on the log channel (the service's own log, in both languages)."""
        self.record(NotificationSent(notification_id=self.notification_id, channel="log",
                                     recipient=message.recipient, template=message.template,
                                     about_event_id=about_event_id, texts=message.text))

    def delivered(self, delivery: Delivery, attempt: Attempt, attempts: int) -> None:
        self.record(NotificationSent(
            notification_id=self.notification_id, channel=delivery.channel, recipient=delivery.recipient,
            template=delivery.template, about_event_id=delivery.about_event_id, attempts=attempts,
            status_code=attempt.status_code, latency_ms=attempt.latency_ms,
            subscription_id=delivery.subscription_id))

    def failed(self, delivery: Delivery, attempt: Attempt, attempts: int, last_attempt: int) -> bool:
        """Record a failed attempt; whether the delivery is now a dead letter (the last attempt, or refused for
        good)."""
        dead = attempt.permanent or attempts >= last_attempt
        self.record(NotificationFailed(
            notification_id=self.notification_id, channel=delivery.channel, recipient=delivery.recipient,
            attempts=attempts, error=attempt.error[:500], dead_lettered=dead, template=delivery.template,
            about_event_id=delivery.about_event_id, status_code=attempt.status_code,
            latency_ms=attempt.latency_ms, subscription_id=delivery.subscription_id))
        return dead
